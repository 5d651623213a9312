"""ProductPage and ShopPage: where they may live in the page tree, and what a buyer sees."""

import datetime
from pathlib import Path

import pytest

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page

import products
from growers.models import CertificationScheme, CooperativePage
from products.factories import (
    ProductCertificationFactory,
    ProductPageFactory,
    ProductVariantFactory,
    ShopPageFactory,
)
from products.models import ProductGalleryImage, ProductPage, ShopPage
from tests.helpers import soup
from website.factories import UserFactory
from website.models import HomePage


@pytest.fixture
def product(coop1, spices):
    product = ProductPageFactory(
        parent=coop1,
        title="Thảo quả khô",
        summary="Quả thảo quả phơi khô trên gác bếp.",
        category=spices,
        ocop_stars=4,
    )
    ProductVariantFactory(page=product, pack_label="Túi 500 g", weight_grams=500, price=120000, stock=10)
    ProductVariantFactory(page=product, pack_label="Túi 1 kg", weight_grams=1000, price=1250000, stock=0)
    ProductVariantFactory(
        page=product, pack_label="Gói dùng thử", weight_grams=50, price=15000, is_active=False
    )
    ProductCertificationFactory(
        page=product,
        scheme="vietgap",
        number="VG-LC-0042",
        issuer="Chi cục Trồng trọt và BVTV Lai Châu",
        valid_until=datetime.date(2027, 6, 30),
    )
    ProductCertificationFactory(page=product, scheme="organic", number="", issuer="")
    return product


# Page tree ---------------------------------------------------------------------------------


def test_product_page_lives_only_under_a_cooperative_and_holds_its_batches():
    from traceability.models import BatchPage

    assert ProductPage.allowed_parent_page_models() == [CooperativePage]
    assert ProductPage.allowed_subpage_models() == [BatchPage]


def test_product_page_can_be_created_under_a_cooperative_only(home, shop, cooperative_index, coop1):
    assert ProductPage.can_create_at(coop1)
    for parent in [home, shop, cooperative_index]:
        assert not ProductPage.can_create_at(parent)


def test_shop_page_lives_only_under_the_home_page_and_has_no_children():
    assert ShopPage.allowed_parent_page_models() == [HomePage]
    assert ShopPage.allowed_subpage_models() == []


def test_only_one_shop_page(home):
    assert ShopPage.can_create_at(home)

    ShopPageFactory(parent=home)

    assert not ShopPage.can_create_at(home)


def test_shop_page_cannot_go_under_cooperatives(cooperative_index, coop1):
    assert not ShopPage.can_create_at(cooperative_index)
    assert not ShopPage.can_create_at(coop1)


def test_admin_refuses_a_second_shop_page(client, shop, home):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.get(reverse("wagtailadmin_pages:add", args=["products", "shoppage", home.pk]))

    assert response.status_code in (302, 403)
    assert ShopPage.objects.count() == 1


def test_admin_offers_only_product_pages_under_a_cooperative(client, coop1):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[coop1.pk]))

    # With a single allowed type Wagtail goes straight to its create form.
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["products", "productpage", coop1.pk]
    )


# ProductPage rendering ---------------------------------------------------------------------


def test_product_page_shows_title_cooperative_category_and_summary(client, product, coop1):
    page = soup(client.get(product.url))

    assert page.h1.get_text() == "Thảo quả khô"
    crumbs = page.select_one(".crumbs")
    assert crumbs.a["href"] == coop1.url
    assert crumbs.a.get_text() == "HTX Thảo quả Sì Lở Lầu"
    assert "Gia vị" in crumbs.get_text()
    assert "Quả thảo quả phơi khô trên gác bếp." in page.select_one(".lead").get_text()
    assert page.title.get_text().startswith("Thảo quả khô")


def test_product_page_lists_packs_on_sale_with_vnd_prices_and_stock(client, product):
    table = soup(client.get(product.url)).select_one("table.variants")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in table.select("tbody tr")
    ]

    assert [th.get_text() for th in table.select("thead th")] == ["Quy cách", "Giá", "Tình trạng"]
    assert rows == [
        ["Túi 500 g (500 g)", "120.000\u00a0₫", "Còn 10"],
        ["Túi 1 kg (1000 g)", "1.250.000\u00a0₫", "Hết hàng"],
    ]  # the trial pack is not on sale


def test_prices_and_stock_are_big_figures_with_words_and_pictograms(client, product):
    table = soup(client.get(product.url)).select_one("table.variants")
    in_stock, sold_out = table.select("tbody tr")

    assert [td.get_text() for td in table.select("td.price.figure")] == ["120.000\u00a0₫", "1.250.000\u00a0₫"]
    assert in_stock.select_one(".stock .figure").get_text() == "10"
    # Never colour alone: a word and a pictogram of its own shape for each state.
    assert in_stock.select_one(".stock.ok svg.icon")["aria-hidden"] == "true"
    assert sold_out.select_one(".stock.no svg.icon")["aria-hidden"] == "true"
    assert in_stock.select_one(".stock svg").decode() != sold_out.select_one(".stock svg").decode()


def is_emoji(character: str) -> bool:
    """Pictographs and dingbats (✔ ✖ ⚠ 🌱 🏅 🌿 …), which basic phones draw differently or not at
    all; the OCOP star ★ is a plain text symbol every font has."""
    code = ord(character)
    return character != "★" and (code >= 0x1F000 or 0x2300 <= code < 0x2800)


def test_product_templates_use_pictograms_not_emoji():
    templates = Path(products.__file__).parent / "templates"
    found = {
        str(path.relative_to(templates)): [ch for ch in path.read_text(encoding="utf-8") if is_emoji(ch)]
        for path in templates.rglob("*.html")
    }

    assert {"products/product_page.html", "products/shop_page.html"} <= set(found)
    assert not any(found.values()), found


def test_product_page_has_no_emoji(client, product):
    text = soup(client.get(product.url)).select_one("article.product").get_text()

    assert not [ch for ch in text if is_emoji(ch)]


def test_product_without_packs_on_sale_says_so(client, coop1):
    product = ProductPageFactory(parent=coop1, summary="")
    ProductVariantFactory(page=product, is_active=False)

    page = soup(client.get(product.url))

    assert page.select_one("table.variants") is None
    assert "Sản phẩm này tạm ngừng bán." in page.get_text()


@pytest.mark.parametrize(("stars", "shown"), [(3, "★★★"), (4, "★★★★"), (5, "★★★★★")])
def test_product_page_shows_ocop_stars(client, coop1, stars, shown):
    product = ProductPageFactory(parent=coop1, summary="", ocop_stars=stars)

    ocop = soup(client.get(product.url)).select_one(".ocop")

    assert ocop["aria-label"] == f"OCOP {stars} sao"
    assert ocop.get_text(" ", strip=True) == f"OCOP {shown} ({stars} sao)"


def test_product_without_ocop_rating_shows_no_stars(client, coop1):
    product = ProductPageFactory(parent=coop1, summary="", ocop_stars=None)

    page = soup(client.get(product.url))

    assert page.select_one(".ocop") is None
    assert "★" not in page.get_text()


def test_product_page_lists_certifications(client, product):
    page = soup(client.get(product.url))
    items = page.select("ul.plain-list li")
    with translation.override("vi"):
        organic = str(CertificationScheme.ORGANIC.label)  # the growers app's word for it

    assert [item.get_text(" ", strip=True) for item in items] == [
        "VietGAP số VG-LC-0042, Chi cục Trồng trọt và BVTV Lai Châu, hiệu lực đến 30/06/2027",
        organic,
    ]
    assert all(item.select_one("svg.icon") for item in items)  # the certificate pictogram


def test_product_without_certifications_has_no_certification_heading(client, coop1):
    product = ProductPageFactory(parent=coop1, summary="")

    assert "Chứng nhận" not in soup(client.get(product.url)).get_text()


def test_draft_product_is_not_found(client, coop1):
    draft = ProductPageFactory(parent=coop1, summary="", live=False)

    assert client.get(draft.url_path.removeprefix("/home")).status_code == 404


def test_product_image_and_gallery_render_as_pictures_with_modern_formats(client, product, make_image):
    product.image = make_image(title="Thảo quả", file__width=1200, file__height=900)
    product.save()
    ProductGalleryImage.objects.create(page=product, image=make_image(), caption="Phơi trên gác bếp")
    ProductGalleryImage.objects.create(page=product, image=make_image(), caption="Đóng túi")

    page = soup(client.get(product.url))
    pictures = page.select("picture")

    assert len(pictures) == 3
    for picture in pictures:
        assert [source["type"] for source in picture.select("source")] == ["image/avif", "image/webp"]
        image = picture.img
        assert int(image["width"]) > 0 and int(image["height"]) > 0
        assert image.has_attr("alt")
    hero = page.select_one(".hero img")
    assert (hero["width"], hero["height"]) == ("800", "600")
    gallery = page.select(".gallery img")
    assert [image["loading"] for image in gallery] == ["lazy", "lazy"]
    assert [image["alt"] for image in gallery] == ["Phơi trên gác bếp", "Đóng túi"]
    assert [caption.get_text() for caption in page.select(".gallery figcaption")] == [
        "Phơi trên gác bếp",
        "Đóng túi",
    ]


def test_product_description_streamfield_renders(client, coop1):
    product = ProductPageFactory(
        parent=coop1,
        summary="",
        description=[
            {"type": "paragraph", "value": "<p>Trồng dưới tán <b>rừng già</b>.</p>"},
            {"type": "quote", "value": {"text": "Thảo quả phơi trên gác bếp.", "attribution": "Lý A Sử"}},
        ],
    )

    story = soup(client.get(product.url)).select_one(".story")

    assert story.select_one(".prose b").get_text() == "rừng già"
    assert story.blockquote.get_text(" ", strip=True) == "Thảo quả phơi trên gác bếp. — Lý A Sử"


def product_page_queries(client, url):
    client.get(url)
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_product_page_queries_do_not_grow_with_gallery_images(client, product, make_image):
    ProductGalleryImage.objects.create(page=product, image=make_image())
    with_one = product_page_queries(client, product.url)
    for _ in range(5):
        ProductGalleryImage.objects.create(page=product, image=make_image())

    assert product_page_queries(client, product.url) == with_one


def test_product_page_queries_do_not_grow_with_packs_and_certificates(client, product):
    before = product_page_queries(client, product.url)
    for number in range(5):
        ProductVariantFactory(page=product, sku=f"EXTRA-{number}")
        ProductCertificationFactory(page=product)

    assert product_page_queries(client, product.url) == before


# ShopPage rendering ------------------------------------------------------------------------


def test_shop_page_renders_title_intro_and_products(client, shop, product):
    shop.intro = "Đặc sản của xã, giao tận nhà."
    shop.save()

    page = soup(client.get("/shop/"))

    assert page.h1.get_text() == shop.title
    assert page.select_one(".lead").get_text() == "Đặc sản của xã, giao tận nhà."
    assert [a.get_text(strip=True) for a in page.select(".card-title")] == ["Thảo quả khô"]


def test_shop_page_with_no_products_says_so(client, shop):
    page = soup(client.get("/shop/"))

    assert "0 sản phẩm" in page.get_text()
    assert page.select_one(".empty")


def test_shop_page_is_served_at_slash_shop(shop):
    assert shop.url == "/shop/"
    assert Page.objects.get(url_path="/home/shop/").specific_class is ShopPage
