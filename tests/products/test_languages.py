"""Products in several languages (issue 6).

Only the Vietnamese page of a product (the original) carries packs, prices, stock, certificates
and origin codes. A translator copies it with Wagtail's "Translate" action (simple_translation)
and replaces the words; the English page then shows the original's packs and sells them. The
catalogue filters, sorts and prices the originals and shows each one under its translation's
title where a live one exists, else under its Vietnamese title with the interface in English."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.test.utils.form_data import rich_text

from growers.factories import area_with_status
from orders.cart import SESSION_KEY
from products.factories import ProductPageFactory, ProductVariantFactory
from products.gtin import gtin_check_digit
from products.models import ProductPage, ProductVariant
from tests.helpers import product_edit_data, soup
from website.factories import UserFactory

from .conftest import translate

KHO = "Thảo quả khô"
RUNG = "Thảo quả rừng già"
SAM = "Sâm Lai Châu"
CHE = "Chè Shan tuyết cổ thụ"
MAT = "Mật ong bạc hà"
CARDAMOM = "Dried black cardamom"
GINSENG = "Lai Châu ginseng"
COOP1_EN = "Sì Lở Lầu Cardamom Cooperative"


def cards(response) -> list:
    return soup(response).select(".cards .card")


def listed(response) -> list[str]:
    return [title.get_text(strip=True) for title in soup(response).select(".cards .card-title")]


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def translated(catalogue, english, coop1):
    """Thảo quả khô and Sâm Lai Châu translated into English, and their cooperative; the other
    three products and the tea cooperative are not translated."""
    english_coop = translate(coop1, english, title=COOP1_EN)
    return {
        "coop1": english_coop,
        "kho": translate(catalogue["kho"], english, title=CARDAMOM, summary="Dried over the kitchen fire."),
        "sam": translate(catalogue["sam"], english, title=GINSENG, summary="Six-year-old roots."),
    }


# The English interface on Vietnamese content -------------------------------------------------


@pytest.mark.usefixtures("catalogue")
def test_english_shop_speaks_english_and_marks_vietnamese_titles(client, catalogue):
    response = client.get("/en/shop/")
    page = soup(response)

    assert page.html["lang"] == "en"
    assert listed(response) == [RUNG, KHO, MAT, SAM, CHE]  # nothing translated yet
    assert "5 products" in page.select_one(".count").get_text()
    labels = [label.get_text(strip=True) for label in page.select("form.filters label")]
    assert labels[0] == "Search:" and labels[-1] == "Sort by:"
    assert page.select_one("details.more summary").get_text() == "Filter by type, price, certificate…"
    assert [o.get_text() for o in page.select("select[name=ocop] option")][1:] == [
        "3 stars or more",
        "4 stars or more",
        "5 stars or more",
    ]
    assert page.select_one("select[name=ordering] option").get_text() == "Best rated first"
    assert page.select_one("form.filters")["action"] == "/en/shop/"
    for card in cards(response):
        assert card.select_one(".card-title")["lang"] == "vi"  # Vietnamese words, said as such
        # The product page in the visitor's language (FallbackRouteMixin serves it until translated).
        assert card.a["href"].startswith("/en/cooperatives/")
    mat = next(card for card in cards(response) if MAT in card.get_text())
    assert mat.a["href"] == "/en" + catalogue["mat"].url
    text = mat.get_text(" ", strip=True)
    assert "from 95.000\u00a0₫" in text and "In stock" in text
    rung = next(card for card in cards(response) if RUNG in card.get_text())
    assert "Out of stock" in rung.get_text()


@pytest.mark.usefixtures("catalogue")
def test_english_shop_explains_a_bad_price_in_english(client):
    response = client.get("/en/shop/", {"min_price": "abc", "category": "gia-vi"})

    error = soup(response).select_one("form.filters [name=min_price]").find_parent(class_="field")
    assert error.select_one(".error").get_text(" ", strip=True) == (
        "Type the price in whole đồng, for example 150000 or 150.000."
    )
    assert listed(response) == [RUNG, KHO]


@pytest.mark.usefixtures("catalogue")
def test_hmong_shop_falls_back_to_vietnamese_for_words_not_yet_translated(client):
    response = client.get("/hmn/shop/")
    page = soup(response)

    assert page.html["lang"] == "hmn"
    assert "5 sản phẩm" in page.select_one(".count").get_text()
    assert page.select_one("form.filters button").get_text() == "Lọc"
    assert [a["href"][:5] for a in page.select(".cards .card a")] == ["/hmn/"] * 5


def test_untranslated_product_page_in_english(client, catalogue, coop1):
    response = client.get("/en" + catalogue["kho"].url)
    page = soup(response)

    assert page.html["lang"] == "en"
    assert page.select_one(".untranslated")  # "shown in Vietnamese"
    assert page.h1.get_text() == KHO
    assert page.select_one(".crumbs a")["href"] == "/en" + coop1.url
    assert [h2.get_text() for h2 in page.select("h2")][:2] == ["Prices and packs", "Certifications"]
    rows = [
        [c.get_text(" ", strip=True) for c in r.select("th, td")] for r in page.select(".variants tbody tr")
    ]
    assert rows == [
        ["Túi 500 g (500 g)", "120.000\u00a0₫", "10 in stock"],
        ["Túi 1 kg (1000 g)", "250.000\u00a0₫", "Out of stock"],
    ]
    assert page.select_one(".ocop")["aria-label"] == "OCOP 4 stars"


# Translating a product -------------------------------------------------------------------------


def test_translate_action_copies_a_product_without_its_packs(admin_client, catalogue, english, coop1):
    kho = catalogue["kho"]
    ProductVariant.objects.filter(page=kho, pack_label="Túi 500 g").update(gtin="08934563138165")
    area = area_with_status("active", code="LC-PT-SLL-001")
    kho.origin_areas.set([area])
    kho.save_revision().publish()
    translate(coop1, english)  # simple_translation asks for the parent first

    response = admin_client.post(
        reverse("simple_translation:submit_page_translation", args=[kho.pk]), {"locales": [english.pk]}
    )

    english_kho = ProductPage.objects.get(translation_key=kho.translation_key, locale=english)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[english_kho.pk])
    assert english_kho.title == KHO and not english_kho.live  # a draft for the translator
    assert english_kho.get_parent().specific.get_translation(coop1.locale) == coop1
    # Only the original carries packs (their GTINs are unique), certificates and origin codes.
    assert not english_kho.variants.exists()
    assert not english_kho.certifications.exists()
    assert not english_kho.origin_areas.exists()
    assert not english_kho.get_latest_revision_as_object().variants.all()
    kho.refresh_from_db()
    assert kho.variants.count() == 2 and kho.certifications.count() == 1
    assert list(kho.origin_areas.all()) == [area]
    assert ProductVariant.objects.get(gtin="08934563138165").page_id == kho.pk
    english_kho.save_revision().publish()
    assert english_kho.original == kho


def test_translating_a_cooperative_with_its_products_copies_no_packs(admin_client, catalogue, english, coop1):
    # Every pack with its own GTIN, as a cooperative with barcodes has them.
    for number, variant in enumerate(ProductVariant.objects.filter(page__path__startswith=coop1.path)):
        digits = f"893456313{number:03d}"
        variant.gtin = digits + str(gtin_check_digit(digits))
        variant.save()
    translate(coop1.get_parent(), english)

    response = admin_client.post(
        reverse("simple_translation:submit_page_translation", args=[coop1.pk]),
        {"locales": [english.pk], "include_subtree": "on"},
    )

    assert response.status_code == 302
    copies = ProductPage.objects.filter(locale=english)
    assert copies.count() == 4  # every product of the cooperative, the draft too, none with packs
    assert not ProductVariant.objects.filter(page__in=copies).exists()
    assert ProductVariant.objects.filter(page__path__startswith=coop1.path).count() == 7


def test_an_alias_in_another_language_never_takes_the_packs(catalogue, english, coop1):
    """Wagtail's "copy parents" makes aliases; publishing the original rewrites them from its
    content, packs included, unless the product leaves them out."""
    kho = catalogue["kho"]
    ProductVariant.objects.filter(page=kho, pack_label="Túi 500 g").update(gtin="08934563138165")
    english_coop = translate(coop1, english)

    alias = kho.create_alias(parent=english_coop, update_locale=english, reset_translation_key=False)
    kho.title = "Thảo quả khô loại 1"
    kho.save_revision().publish()  # updates the alias

    alias = ProductPage.objects.get(pk=alias.pk)
    assert alias.title == "Thảo quả khô loại 1"
    assert not alias.variants.exists() and not alias.certifications.exists()
    assert sorted(ProductVariant.objects.filter(page=kho).values_list("pack_label", flat=True)) == [
        "Túi 1 kg",
        "Túi 500 g",
    ]
    assert alias.original == kho


def test_an_ordinary_copy_keeps_the_packs(catalogue, coop1):
    kho = catalogue["kho"]

    copy = kho.copy(
        to=coop1, update_attrs={"slug": "thao-qua-kho-ban-sao", "title": "Thảo quả khô (bản sao)"}
    )

    assert copy.locale_id == kho.locale_id
    assert [v.pack_label for v in copy.variants.order_by("price")] == ["Túi 500 g", "Túi 1 kg"]
    assert copy.certifications.count() == 1
    assert copy.original == copy


def product_form_data(page, variants) -> dict:
    return product_edit_data(
        page, variants=variants, description=[("paragraph", rich_text("<p>Dried over the kitchen fire.</p>"))]
    )


def test_translator_publishes_an_english_product_without_pack_sizes(admin_client, translated):
    english_kho = translated["kho"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[english_kho.pk])
    english_kho.title = "Black cardamom, dried"

    assert admin_client.get(edit_url).status_code == 200
    response = admin_client.post(edit_url, product_form_data(english_kho, []))

    assert response.status_code == 302, response.context["form"].errors
    assert ProductPage.objects.get(pk=english_kho.pk).title == "Black cardamom, dried"


def test_vietnamese_product_still_needs_a_pack_size(admin_client, catalogue):
    kho = catalogue["kho"]

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[kho.pk]), product_form_data(kho, [])
    )

    assert response.status_code == 200
    assert response.context["form"].formsets["variants"].non_form_errors()
    assert kho.variants.count() == 2


def test_original_of_each_kind_of_page(catalogue, translated):
    kho, english_kho = catalogue["kho"], translated["kho"]

    assert kho.original is kho
    assert english_kho.original == kho
    kho.unpublish()
    # A withdrawn original: the translation has no packs of its own, so nothing is on sale.
    assert ProductPage.objects.get(pk=english_kho.pk).original.pk == english_kho.pk


# The English product page ----------------------------------------------------------------------


def test_english_product_page_shows_and_sells_the_originals_packs(client, catalogue, translated):
    english_kho = translated["kho"]
    kho = catalogue["kho"]
    url = english_kho.url

    page = soup(client.get(url))

    assert url.startswith("/en/cooperatives/")
    assert page.html["lang"] == "en"
    assert page.select_one(".untranslated") is None
    assert page.h1.get_text() == CARDAMOM
    assert page.select_one(".lead").get_text() == "Dried over the kitchen fire."
    assert page.select_one(".crumbs a").get_text() == COOP1_EN
    assert page.select_one(".crumbs a")["href"] == translated["coop1"].url
    assert "Gia vị" in page.select_one(".crumbs").get_text()
    assert page.select_one(".ocop").get_text(" ", strip=True) == "OCOP ★★★★ (4 stars)"
    rows = [
        [c.get_text(" ", strip=True) for c in r.select("th, td")] for r in page.select(".variants tbody tr")
    ]
    assert rows == [
        ["Túi 500 g (500 g)", "120.000\u00a0₫", "10 in stock"],
        ["Túi 1 kg (1000 g)", "250.000\u00a0₫", "Out of stock"],
    ]
    assert page.select_one(".variants tbody th")["lang"] == "vi"  # the original's pack names
    certificate = catalogue["kho"].certifications.get()
    assert [li.get_text(" ", strip=True) for li in page.select("h2 + ul.plain-list li")] == [
        f"VietGAP no. {certificate.number}"
    ]

    form = page.select_one("form.add-to-cart")
    pack = kho.variants.get(pack_label="Túi 500 g")
    assert form.select_one("[name=variant]")["value"] == str(pack.pk)
    response = client.post(form["action"], {"variant": pack.pk, "quantity": "2", "next": url})

    assert response.status_code in (302, 303)
    assert {int(key): quantity for key, quantity in client.session[SESSION_KEY].items()} == {pack.pk: 2}


def test_untranslated_product_names_its_translated_cooperative(client, catalogue, translated):
    page = soup(client.get("/en" + catalogue["rung"].url))

    assert page.h1.get_text() == RUNG
    assert page.select_one(".untranslated")
    assert page.select_one(".crumbs a").get_text() == COOP1_EN
    assert page.select_one(".crumbs a")["href"] == translated["coop1"].url


def english_page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_english_product_page_queries_do_not_grow_with_packs(client, catalogue, translated):
    url = translated["kho"].url
    before = english_page_queries(client, url)
    for number in range(5):
        ProductVariantFactory(page=catalogue["kho"], sku=f"EXTRA-{number}")

    assert english_page_queries(client, url) == before


# The catalogue with translations ---------------------------------------------------------------


def test_english_shop_lists_translated_titles_and_vietnamese_ones_for_the_rest(client, catalogue, translated):
    response = client.get("/en/shop/")

    # Best rated first, as in Vietnamese: the order is the originals'.
    assert listed(response) == [RUNG, CARDAMOM, MAT, GINSENG, CHE]
    assert "5 products" in soup(response).select_one(".count").get_text()
    by_title = {card.select_one(".card-title").get_text(strip=True): card for card in cards(response)}
    cardamom = by_title[CARDAMOM]
    assert cardamom.a["href"] == translated["kho"].url
    assert not cardamom.select_one(".card-title").has_attr("lang")
    assert COOP1_EN in cardamom.get_text()
    assert "120.000\u00a0₫" in cardamom.get_text(" ")  # the original's price and stock
    assert "from" in cardamom.get_text() and "In stock" in cardamom.get_text()
    mat = by_title[MAT]
    assert mat.a["href"] == "/en" + catalogue["mat"].url
    assert mat.select_one(".card-title")["lang"] == "vi"
    assert "HTX Chè Shan tuyết" in mat.get_text()  # untranslated cooperative


def test_vietnamese_shop_is_unchanged_by_translations(client, catalogue, translated):
    response = client.get("/shop/")

    assert listed(response) == [RUNG, KHO, MAT, SAM, CHE]
    assert soup(response).html["lang"] == "vi"
    kho = next(card for card in cards(response) if KHO in card.get_text())
    assert kho.a["href"] == catalogue["kho"].url
    assert not kho.select_one(".card-title").has_attr("lang")


@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "gia-vi"}, [RUNG, CARDAMOM]),
        ({"cooperative": "htx-thao-qua"}, [RUNG, CARDAMOM, GINSENG]),
        ({"certification": "gacp-who"}, [GINSENG]),
        ({"ocop": "4"}, [RUNG, CARDAMOM]),
        ({"in_stock": "on"}, [CARDAMOM, MAT, GINSENG, CHE]),
        ({"min_price": "150.000"}, [RUNG, GINSENG, CHE]),
        ({"ordering": "price"}, [MAT, CARDAMOM, CHE, RUNG, GINSENG]),
        ({"ordering": "newest"}, [GINSENG, CHE, CARDAMOM, MAT, RUNG]),
    ],
)
def test_english_shop_filters_and_sorts_the_originals(client, params, expected):
    response = client.get("/en/shop/", params)

    assert not response.context["catalogue"].form.errors
    assert listed(response) == expected


@pytest.mark.usefixtures("translated")
def test_english_shop_offers_each_cooperative_once_under_its_english_name(client, coop1, coop2):
    options = soup(client.get("/en/shop/")).select("select[name=cooperative] option")

    assert [(option["value"], option.get_text()) for option in options[1:]] == [
        (coop2.slug, coop2.title),
        (coop1.slug, COOP1_EN),
    ]


@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cardamom", [CARDAMOM]),  # the English words
        ("Cardamom kitchen", [CARDAMOM]),  # title and summary of the translation
        ("ginseng", [GINSENG]),
        ("thao qua", [RUNG, CARDAMOM]),  # the Vietnamese words still count
        ("cardamom rung", []),  # every word, in one language or the other, for the same product
        ("coffee", []),
    ],
)
def test_english_search_finds_translated_words(client, q, expected):
    assert listed(client.get("/en/shop/", {"q": q})) == expected


@pytest.mark.usefixtures("translated")
def test_vietnamese_search_finds_a_product_by_its_english_name_too(client):
    assert listed(client.get("/shop/", {"q": "cardamom"})) == [KHO]


def test_a_draft_translation_is_neither_shown_nor_searched(client, catalogue, english, coop1):
    translate(coop1, english)
    draft = catalogue["kho"].copy_for_translation(english).specific
    draft.title = CARDAMOM
    draft.save_revision()  # saved, not published

    assert listed(client.get("/en/shop/", {"q": "cardamom"})) == []
    assert KHO in listed(client.get("/en/shop/"))


def test_english_home_page_features_translated_products(client, catalogue, translated):
    page = soup(client.get("/en/"))

    titles = [title.get_text(strip=True) for title in page.select(".cards .card-title")]
    assert titles == [RUNG, CARDAMOM, MAT, GINSENG, CHE]


@pytest.mark.usefixtures("translated")
def test_english_shop_query_count_does_not_depend_on_translations(client, catalogue, english):
    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries("/en/shop/?q=thao&ordering=price")
    translate(catalogue["mat"], english, title="Mint honey")  # its cooperative gets translated too
    extra = ProductPageFactory(parent=catalogue["kho"].get_parent(), title="Thảo quả xay", ocop_stars=3)
    ProductVariantFactory(page=extra, price=90000)
    translate(extra, english, title="Ground cardamom")

    assert queries("/en/shop/?q=thao&ordering=price") == before
