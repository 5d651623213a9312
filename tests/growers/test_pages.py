"""CooperativeIndexPage and CooperativePage: where they may live in the page tree, and what a
buyer sees of a cooperative."""

import datetime

import pytest
import wagtail_factories

from wagtail.models import Collection

from growers.factories import CooperativeCertificationFactory, CooperativePageFactory
from growers.models import CooperativeIndexPage, CooperativePage, CooperativePhoto
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductPage, ShopPage
from tests.helpers import soup
from website.models import HomePage

from .pictograms import pictogram


@pytest.fixture
def make_image(db):
    def make(**kwargs):
        return wagtail_factories.ImageFactory(collection=Collection.get_first_root_node(), **kwargs)

    return make


# Page tree ---------------------------------------------------------------------------------


def test_cooperative_index_lives_only_under_the_home_page_and_holds_cooperatives():
    assert CooperativeIndexPage.allowed_parent_page_models() == [HomePage]
    assert CooperativeIndexPage.allowed_subpage_models() == [CooperativePage]


def test_only_one_cooperative_index(home, cooperative_index):
    assert not CooperativeIndexPage.can_create_at(home)


def test_cooperative_lives_only_under_the_index_and_holds_products():
    assert CooperativePage.allowed_parent_page_models() == [CooperativeIndexPage]
    assert CooperativePage.allowed_subpage_models() == [ProductPage]


def test_cooperatives_can_be_created_under_the_index_only(home, shop, cooperative_index, coop1):
    assert CooperativePage.can_create_at(cooperative_index)
    for parent in [home, shop, coop1]:
        assert not CooperativePage.can_create_at(parent)


def test_cooperative_cannot_hold_a_shop(coop1):
    assert not ShopPage.can_create_at(coop1)


# CooperativeIndexPage ----------------------------------------------------------------------


def test_index_lists_live_cooperatives_by_name_with_village_and_households(
    client, cooperative_index, coop1, coop2
):
    CooperativePageFactory(parent=cooperative_index, title="HTX Bản nháp", live=False)
    coop2.village = "Hô Sì Pan"
    coop2.household_count = 41
    coop2.save()

    page = soup(client.get(cooperative_index.url))
    cards = page.select(".card")

    assert page.h1.get_text() == cooperative_index.title
    assert [card.select_one(".card-title").get_text() for card in cards] == [coop2.title, coop1.title]
    assert [card.a["href"] for card in cards] == [coop2.url, coop1.url]
    assert "Bản Hô Sì Pan" in cards[0].get_text()
    assert "41 hộ thành viên" in cards[0].get_text()
    assert "HTX Bản nháp" not in page.get_text()


def test_index_without_cooperatives_says_so(client, cooperative_index):
    assert "Chưa có hợp tác xã nào." in soup(client.get(cooperative_index.url)).get_text()


def test_index_shows_logos_as_lazy_pictures(client, cooperative_index, coop1, make_image):
    coop1.logo = make_image()
    coop1.save()

    image = soup(client.get(cooperative_index.url)).select_one(".card picture img")

    assert image["loading"] == "lazy"
    assert image["width"] and image["height"]


# CooperativePage ---------------------------------------------------------------------------


@pytest.fixture
def cooperative(coop1):
    coop1.phone = "0213 3876 123"
    coop1.save()
    CooperativeCertificationFactory(
        page=coop1, scheme="gacp-who", number="GACP-07", valid_until=datetime.date(2028, 1, 15)
    )
    return coop1


def test_cooperative_page_shows_address_village_phone_and_households(client, cooperative):
    page = soup(client.get(cooperative.url))
    facts = dict(
        zip(
            [term.get_text() for term in page.select(".facts dt")],
            [value.get_text(strip=True) for value in page.select(".facts dd")],
            strict=True,
        )
    )

    assert page.h1.get_text() == "HTX Thảo quả Sì Lở Lầu"
    assert facts == {
        "Bản": "Sì Lở Lầu",
        "Địa chỉ": "Xã Sì Lở Lầu, huyện Phong Thổ, tỉnh Lai Châu",
        "Điện thoại": "0213 3876 123",
        "Hộ thành viên": "24",
    }
    assert page.select_one('.facts a[href^="tel:"]')["href"] == "tel:0213 3876 123"


def test_cooperative_page_lists_certifications(client, cooperative):
    items = soup(client.get(cooperative.url)).select("ul.plain-list li")

    assert [item.get_text(" ", strip=True) for item in items] == [
        "GACP-WHO số GACP-07, hiệu lực đến 15/01/2028"
    ]
    assert pictogram(items[0]) == "certificate"


def test_cooperative_page_lists_only_its_own_live_products(client, cooperative, coop2):
    own = ProductPageFactory(parent=cooperative, title="Thảo quả khô", summary="", ocop_stars=4)
    ProductVariantFactory(page=own, price=120000, stock=0)
    ProductPageFactory(parent=cooperative, title="Thảo quả nháp", summary="", live=False)
    ProductPageFactory(parent=coop2, title="Chè Shan tuyết", summary="")

    page = soup(client.get(cooperative.url))
    cards = page.select(".card")

    assert [card.select_one(".card-title").get_text() for card in cards] == ["Thảo quả khô"]
    text = cards[0].get_text(" ", strip=True)
    assert "120.000\u00a0₫" in text
    assert "OCOP ★★★★" in text
    assert "Hết hàng" in text
    assert cards[0].a["href"] == own.url


def test_cooperative_without_products_says_so(client, cooperative):
    assert "Chưa có sản phẩm." in soup(client.get(cooperative.url)).get_text()


def test_cooperative_story_and_photos_render(client, cooperative, make_image):
    cooperative.story = [
        {"type": "paragraph", "value": "<p>Hai mươi bốn hộ người Mông trồng thảo quả.</p>"},
        {"type": "quote", "value": {"text": "Rừng giữ nước cho bản.", "attribution": ""}},
    ]
    cooperative.logo = make_image()
    cooperative.save()
    CooperativePhoto.objects.create(page=cooperative, image=make_image(), caption="Sấy thảo quả")

    page = soup(client.get(cooperative.url))

    assert "Hai mươi bốn hộ người Mông trồng thảo quả." in page.select_one(".story .prose").get_text()
    assert page.select_one(".story blockquote").get_text(strip=True) == "Rừng giữ nước cho bản."
    assert page.select_one(".hero picture img")["width"]
    photo = page.select_one(".gallery img")
    assert (photo["alt"], photo["loading"]) == ("Sấy thảo quả", "lazy")
    assert [source["type"] for source in page.select_one(".gallery picture").select("source")] == [
        "image/avif",
        "image/webp",
    ]


def test_draft_cooperative_is_not_found(client, cooperative_index):
    CooperativePageFactory(parent=cooperative_index, slug="htx-nhap", live=False)

    assert client.get("/cooperatives/htx-nhap/").status_code == 404
