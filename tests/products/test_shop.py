"""The catalogue at /shop/: every query parameter of DESIGN.md §4, with good and bad values.

A bad value must never cost the buyer the page: it is reported next to its field, the other
filters still apply and products are still listed."""

import unicodedata

import pytest

from wagtail.models import PageViewRestriction

from growers.factories import CooperativeCertificationFactory
from products.factories import ProductPageFactory, ProductVariantFactory
from tests.helpers import soup

KHO = "Thảo quả khô"
RUNG = "Thảo quả rừng già"
SAM = "Sâm Lai Châu"
CHE = "Chè Shan tuyết cổ thụ"
MAT = "Mật ong bạc hà"

# Every validated parameter of the catalogue (DESIGN.md §4); `in_stock` is a tick box.
VALIDATED = ["q", "category", "cooperative", "certification", "ocop", "min_price", "max_price", "ordering"]

# The default order: best OCOP rating first, then by name; unrated products last.
FEATURED = [RUNG, KHO, MAT, SAM, CHE]

pytestmark = pytest.mark.usefixtures("catalogue")


def listed(response) -> list[str]:
    return [title.get_text(strip=True) for title in soup(response).select(".cards .card-title")]


def field_error(response, name) -> str:
    """The error shown in the same form row as the field `name` ('' when there is none)."""
    field = soup(response).select_one(f"form.filters [name={name}]")
    assert field is not None, f"no {name} field in the filter form"
    row = field.find_parent(class_="field")
    error = row.select_one(".error")
    return error.get_text(" ", strip=True) if error else ""


def form_errors(response, name) -> list[str]:
    return list(response.context["catalogue"].form.errors.get(name, []))


def assert_error_shown(response, name):
    messages = form_errors(response, name)
    assert messages, f"{name} was accepted"
    shown = field_error(response, name)
    for message in messages:
        assert message in shown


def test_lists_every_live_product_of_both_cooperatives_best_rated_first(client):
    response = client.get("/shop/")

    assert listed(response) == FEATURED
    text = soup(response).get_text(" ")
    assert "HTX Thảo quả Sì Lở Lầu" in text and "HTX Chè Shan tuyết" in text
    assert "5 sản phẩm" in text


def test_draft_unpublished_and_private_products_are_never_listed(client, catalogue, coop1):
    private = ProductPageFactory(parent=coop1, title="Thảo quả riêng tư", summary="", ocop_stars=5)
    ProductVariantFactory(page=private, price=100000)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")

    for query in ["", "?q=thao+qua", "?ocop=5", "?certification=vietgap", "?in_stock=on", "?ordering=newest"]:
        titles = listed(client.get(f"/shop/{query}"))
        assert "Thảo quả nháp" not in titles, query
        assert "Thảo quả ngừng bán" not in titles, query
        assert "Thảo quả riêng tư" not in titles, query


def test_products_of_an_unpublished_cooperative_leave_the_shop_and_the_home_page(client, coop1):
    """A cooperative page unpublished on its own (its products still live) hides its products:
    they cannot be bought (products.selectors.for_sale_variants), so they are not listed."""
    coop1.unpublish()

    for query in ["", "?q=thao+qua", "?ocop=3", "?in_stock=on", "?ordering=price"]:
        titles = listed(client.get(f"/shop/{query}"))
        assert not {KHO, RUNG, SAM} & set(titles), query
    assert listed(client.get("/shop/")) == [MAT, CHE]
    home = [card.get_text(strip=True) for card in soup(client.get("/")).select(".card .card-title")]
    assert home == [MAT, CHE]


def test_product_card_shows_cooperative_lowest_price_stock_and_link(client, catalogue):
    card = next(card for card in soup(client.get("/shop/")).select(".card") if MAT in card.get_text())
    text = card.get_text(" ", strip=True)

    assert card.a["href"] == catalogue["mat"].url
    assert "HTX Chè Shan tuyết" in text
    assert "từ 95.000\u00a0₫" in text  # two packs: the cheaper one, marked "from"
    assert "Còn hàng" in text  # the dearer pack is in stock
    assert "OCOP ★★★" in text


def test_out_of_stock_product_is_labelled_out_of_stock(client):
    card = next(card for card in soup(client.get("/shop/")).select(".card") if RUNG in card.get_text())

    assert "Hết hàng" in card.get_text()
    assert "300.000\u00a0₫" in card.get_text()


def test_filter_form_is_a_plain_get_form_with_every_catalogue_parameter_and_no_script(client):
    page = soup(client.get("/shop/"))
    form = page.select_one("form.filters")

    assert form["method"] == "get"
    assert form["action"] == "/shop/"
    assert form.select_one("button[type=submit]")
    names = {field["name"] for field in form.select("[name]")}
    assert names == {*VALIDATED, "in_stock"}
    assert not page.find("script")
    assert not page.select("[onclick], [onchange], [onsubmit]")


# q -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("thao qua", [RUNG, KHO]),  # typed without diacritics
        ("Thảo quả", [RUNG, KHO]),
        ("THAO QUA", [RUNG, KHO]),
        (unicodedata.normalize("NFD", "Thảo quả"), [RUNG, KHO]),  # as some phone keyboards type it
        ("thao kho", [KHO]),  # every word must match, not necessarily side by side
        ("kho thao", [KHO]),
        ("  sam   lai  ", [SAM]),
        ("gia vi", [RUNG, KHO]),  # the category name counts
        ("gac bep", [KHO]),  # and the summary
        ("che", [CHE]),
        ("thao ca phe", []),
        ("%", []),  # LIKE wildcards are matched literally
        ("_", []),
    ],
)
def test_search_folds_diacritics_and_needs_every_word(client, q, expected):
    assert listed(client.get("/shop/", {"q": q})) == expected


def test_search_with_no_match_says_so_and_offers_the_whole_catalogue(client):
    page = soup(client.get("/shop/", {"q": "cà phê"}))

    assert "Không có sản phẩm nào khớp với bộ lọc" in page.get_text()
    assert page.select_one(".empty a")["href"] == "/shop/"


def test_overlong_search_shows_error_and_still_applies_other_filters(client):
    response = client.get("/shop/", {"q": "thảo quả " * 20, "cooperative": "htx-che-shan-tuyet"})

    assert_error_shown(response, "q")
    assert listed(response) == [MAT, CHE]


# category ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"), [("gia-vi", [RUNG, KHO]), ("che", [CHE]), ("duoc-lieu", [SAM]), ("", FEATURED)]
)
def test_category_filter_by_slug(client, slug, expected):
    assert listed(client.get("/shop/", {"category": slug})) == expected


def test_unknown_category_shows_error_and_still_lists_products(client):
    response = client.get("/shop/", {"category": "ca-phe"})

    assert_error_shown(response, "category")
    assert listed(response) == FEATURED


def test_unknown_category_keeps_the_other_valid_filters(client):
    response = client.get("/shop/", {"category": "ca-phe", "cooperative": "htx-thao-qua", "ordering": "name"})

    assert_error_shown(response, "category")
    assert field_error(response, "cooperative") == ""
    assert listed(response) == [SAM, KHO, RUNG]


# cooperative ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [("htx-thao-qua", [RUNG, KHO, SAM]), ("htx-che-shan-tuyet", [MAT, CHE])],
)
def test_cooperative_filter_by_slug_lists_only_its_products(client, slug, expected):
    assert listed(client.get("/shop/", {"cooperative": slug})) == expected


def test_unknown_cooperative_shows_error_and_still_applies_search(client):
    response = client.get("/shop/", {"cooperative": "htx-khong-co", "q": "thao qua"})

    assert_error_shown(response, "cooperative")
    assert listed(response) == [RUNG, KHO]


def test_cooperative_choices_are_the_live_cooperatives(client, coop1, coop2):
    options = soup(client.get("/shop/")).select("select[name=cooperative] option")

    assert [(option["value"], option.get_text()) for option in options[1:]] == [
        (coop2.slug, coop2.title),
        (coop1.slug, coop1.title),
    ]


def test_a_cooperative_made_private_leaves_the_choices_at_once(client, coop1, coop2):
    """The choices are read on each request: a restriction added while the site runs counts."""
    client.get("/shop/")
    PageViewRestriction.objects.create(page=coop1, restriction_type="password", password="secret")

    response = client.get("/shop/", {"cooperative": coop1.slug})
    options = soup(response).select("select[name=cooperative] option")

    assert [option["value"] for option in options[1:]] == [coop2.slug]
    assert_error_shown(response, "cooperative")


# certification -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [("vietgap", [KHO, CHE]), ("organic", [RUNG]), ("gacp-who", [SAM]), ("ocop", [])],
)
def test_certification_filter_by_scheme(client, scheme, expected):
    assert listed(client.get("/shop/", {"certification": scheme})) == expected


def test_cooperative_certificate_does_not_count_as_product_certificate(client, coop2):
    CooperativeCertificationFactory(page=coop2, scheme="organic")

    assert listed(client.get("/shop/", {"certification": "organic"})) == [RUNG]


def test_unknown_certification_shows_error_and_keeps_other_filters(client):
    response = client.get("/shop/", {"certification": "iso-9001", "ocop": "4"})

    assert_error_shown(response, "certification")
    assert listed(response) == [RUNG, KHO]


# ocop ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "expected"),
    [("3", [RUNG, KHO, MAT, SAM]), ("4", [RUNG, KHO]), ("5", [RUNG])],
)
def test_ocop_filter_is_a_minimum_rating(client, stars, expected):
    assert listed(client.get("/shop/", {"ocop": stars})) == expected


@pytest.mark.parametrize("stars", ["9", "2", "0", "abc", "4.5"])
def test_impossible_ocop_rating_shows_error_and_still_lists_products(client, stars):
    response = client.get("/shop/", {"ocop": stars, "in_stock": "on"})

    assert_error_shown(response, "ocop")
    assert listed(response) == [KHO, MAT, SAM, CHE]


# min_price / max_price ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # Mật ong has a 150.000 pack, but its lowest price is 95.000.
        ({"min_price": "150000"}, [RUNG, SAM, CHE]),
        ({"min_price": "120000"}, [RUNG, KHO, SAM, CHE]),  # inclusive
        ({"max_price": "120000"}, [KHO, MAT]),  # inclusive
        ({"min_price": "100000", "max_price": "200000"}, [KHO, CHE]),
        # Packs not on sale do not count: the 80.000 and 50.000 packs are inactive.
        ({"max_price": "90000"}, []),
        ({"min_price": "0"}, FEATURED),
        ({"min_price": "", "max_price": ""}, FEATURED),
        # Prices as the site prints them, and as people type them.
        ({"min_price": "150.000"}, [RUNG, SAM, CHE]),
        ({"max_price": "120.000 ₫"}, [KHO, MAT]),
        ({"max_price": "120 000"}, [KHO, MAT]),
    ],
)
def test_price_filters_use_the_lowest_active_price(client, params, expected):
    response = client.get("/shop/", params)

    assert not response.context["catalogue"].form.errors
    assert listed(response) == expected


@pytest.mark.parametrize("name", ["min_price", "max_price"])
@pytest.mark.parametrize("value", ["abc", "1.5", "-3", "12e5", "1,5"])
def test_bad_price_shows_error_and_keeps_other_filters(client, name, value):
    response = client.get("/shop/", {name: value, "category": "gia-vi"})

    assert_error_shown(response, name)
    assert listed(response) == [RUNG, KHO]


@pytest.mark.parametrize("value", ["abc", "1.5", "12e5"])
def test_a_price_that_is_not_a_number_is_explained_in_vietnamese(client, value):
    response = client.get("/shop/", {"min_price": value})

    assert field_error(response, "min_price") == "Hãy nhập giá bằng số đồng, ví dụ 150000 hoặc 150.000."


def test_filter_form_speaks_vietnamese(client):
    page = soup(client.get("/shop/", {"ordering": "nope"}))
    labels = [label.get_text(strip=True) for label in page.select("form.filters label")]

    assert labels == [
        "Tìm kiếm:",
        "Loại hàng:",
        "Hợp tác xã:",
        "Chứng nhận:",
        "Hạng OCOP:",
        "Giá thấp nhất (₫):",
        "Giá cao nhất (₫):",
        "Chỉ hàng còn bán:",
        "Sắp xếp theo:",
    ]
    assert [o.get_text() for o in page.select("select[name=ordering] option")] == [
        "Hạng OCOP cao trước",
        "Giá: thấp đến cao",
        "Giá: cao đến thấp",
        "Tên",
        "Mới nhất",
    ]
    assert [o.get_text() for o in page.select("select[name=ocop] option")] == [
        "Hạng OCOP nào cũng được",
        "Từ 3 sao trở lên",
        "Từ 4 sao trở lên",
        "Từ 5 sao trở lên",
    ]
    assert page.select_one("details.more summary").get_text() == "Lọc theo loại, giá, chứng nhận…"
    assert page.select_one("form.filters button").get_text() == "Lọc"
    assert field_error(client.get("/shop/", {"ordering": "nope"}), "ordering").startswith("Hãy chọn")


def test_lowest_price_above_highest_shows_error_and_applies_only_the_lowest(client):
    response = client.get("/shop/", {"min_price": "200000", "max_price": "100000"})

    assert field_error(response, "max_price") == "Giá cao nhất không được thấp hơn giá thấp nhất."
    row = soup(response).select_one("form.filters [name=max_price]").find_parent(class_="field")
    assert row.select_one(".error svg.icon[aria-hidden=true]")  # the warning pictogram beside the words
    assert listed(response) == [RUNG, SAM]


# in_stock ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["on", "true", "1"])
def test_in_stock_lists_products_with_an_active_pack_in_stock(client, value):
    assert listed(client.get("/shop/", {"in_stock": value})) == [KHO, MAT, SAM, CHE]


@pytest.mark.parametrize("value", ["", "false", "0", "off"])
def test_in_stock_unticked_lists_everything(client, value):
    response = client.get("/shop/", {"in_stock": value})

    assert listed(response) == FEATURED
    assert not soup(response).select_one("input[name=in_stock]").has_attr("checked")


def test_in_stock_checkbox_stays_ticked_after_filtering(client):
    page = soup(client.get("/shop/", {"in_stock": "on"}))

    assert page.select_one("input[name=in_stock]").has_attr("checked")


# ordering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("featured", FEATURED),
        ("price", [MAT, KHO, CHE, RUNG, SAM]),
        ("-price", [SAM, RUNG, CHE, KHO, MAT]),
        ("name", [CHE, MAT, SAM, KHO, RUNG]),
        ("newest", [SAM, CHE, KHO, MAT, RUNG]),
    ],
)
def test_every_sort_order(client, ordering, expected):
    response = client.get("/shop/", {"ordering": ordering})

    assert not response.context["catalogue"].form.errors
    assert listed(response) == expected
    selected = soup(response).select_one("select[name=ordering] option[selected]")
    assert selected["value"] == ordering


def test_unknown_sort_order_shows_error_and_falls_back_to_best_rated(client):
    response = client.get("/shop/", {"ordering": "cheapest", "cooperative": "htx-che-shan-tuyet"})

    assert_error_shown(response, "ordering")
    assert listed(response) == [MAT, CHE]


@pytest.mark.parametrize("ordering", ["price", "-price"])
def test_product_without_a_price_sorts_last_by_price(client, coop1, ordering):
    withdrawn_packs = ProductPageFactory(parent=coop1, title="Tam thất", summary="", ocop_stars=5)
    ProductVariantFactory(page=withdrawn_packs, price=10, is_active=False)

    assert listed(client.get("/shop/", {"ordering": ordering}))[-1] == "Tam thất"


def test_unrated_product_sorts_after_rated_ones_by_default(client):
    # PostgreSQL puts NULLs first in a descending sort unless told otherwise.
    assert listed(client.get("/shop/"))[-1] == CHE


# several filters together --------------------------------------------------------------


def test_all_filters_combine(client):
    response = client.get(
        "/shop/",
        {
            "q": "thao qua",
            "category": "gia-vi",
            "cooperative": "htx-thao-qua",
            "certification": "vietgap",
            "ocop": "4",
            "min_price": "100000",
            "max_price": "200000",
            "in_stock": "on",
            "ordering": "price",
        },
    )

    assert not response.context["catalogue"].form.errors
    assert listed(response) == [KHO]


def test_every_bad_parameter_at_once_still_lists_every_product(client):
    response = client.get(
        "/shop/",
        {
            "q": "x" * 101,
            "category": "nope",
            "cooperative": "nope",
            "certification": "nope",
            "ocop": "9",
            "min_price": "abc",
            "max_price": "abc",
            "ordering": "nope",
            "page": "abc",
        },
    )

    for name in VALIDATED:
        assert_error_shown(response, name)
    assert listed(response) == FEATURED


@pytest.mark.parametrize("name", VALIDATED)
@pytest.mark.parametrize("value", ["thao\x00qua", "9" * 400, "<script>alert(1)</script>"])
def test_hostile_values_never_cause_a_server_error(client, name, value):
    response = client.get("/shop/", {name: value})

    assert response.status_code == 200
    assert listed(response) in (FEATURED, [])  # q may legitimately match nothing
    assert b"<script>alert" not in response.content


@pytest.mark.parametrize("value", ["thao\x00qua", "9" * 400])
def test_hostile_page_number_shows_the_first_or_last_page(client, value):
    assert listed(client.get("/shop/", {"page": value})) == FEATURED


def test_repeated_and_unknown_parameters_do_not_break_the_page(client):
    response = client.get("/shop/?category=che&category=gia-vi&utm_source=zalo&ocop[]=4")

    assert listed(response) == [RUNG, KHO]


# pagination ----------------------------------------------------------------------------


@pytest.fixture
def two_per_page(settings):
    settings.CATALOGUE_PAGE_SIZE = 2


@pytest.mark.usefixtures("two_per_page")
@pytest.mark.parametrize(
    ("page", "expected", "number"),
    [
        ("1", [RUNG, KHO], 1),
        ("2", [MAT, SAM], 2),
        ("3", [CHE], 3),
        ("abc", [RUNG, KHO], 1),  # not a number: the first page
        ("999", [CHE], 3),  # past the end: the last page
        ("-1", [CHE], 3),
        ("0", [CHE], 3),
    ],
)
def test_pagination(client, page, expected, number):
    response = client.get("/shop/", {"page": page})

    assert listed(response) == expected
    assert f"Trang {number} / 3" in soup(response).select_one(".pagination").get_text()
    assert "5 sản phẩm" in soup(response).get_text()


@pytest.mark.usefixtures("two_per_page")
def test_pagination_links_keep_the_filters(client):
    response = client.get("/shop/", {"in_stock": "on", "ordering": "price", "page": "2"})
    page = soup(response)

    assert listed(response) == [CHE, SAM]
    assert page.select_one("a[rel=prev]")["href"] == "?in_stock=on&ordering=price&page=1"
    assert page.select_one("a[rel=next]") is None


def test_pagination_links_keep_a_vietnamese_search_encoded(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 1
    response = client.get("/shop/", {"q": "thảo quả", "ordering": "name"})

    assert listed(response) == [KHO]
    next_link = soup(response).select_one("a[rel=next]")["href"]
    assert next_link == "?q=th%E1%BA%A3o+qu%E1%BA%A3&ordering=name&page=2"


@pytest.mark.usefixtures("two_per_page")
def test_following_the_next_link_shows_the_next_page_with_the_same_filters(client):
    first = client.get("/shop/", {"in_stock": "on", "ordering": "price"})
    next_href = soup(first).select_one("a[rel=next]")["href"]

    second = client.get("/shop/" + next_href)

    assert listed(first) == [MAT, KHO]
    assert listed(second) == [CHE, SAM]
    assert soup(second).select_one("a[rel=next]") is None


def test_single_page_has_no_pagination(client):
    assert soup(client.get("/shop/")).select_one(".pagination") is None


def test_price_typed_with_dots_is_shown_back_as_typed(client):
    field = soup(client.get("/shop/", {"min_price": "150.000"})).select_one("input[name=min_price]")

    assert field["value"] == "150.000"
    assert field["type"] == "text"
    assert field["inputmode"] == "numeric"
