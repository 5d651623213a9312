"""/01/<gtin>/10/<lot> and /t/<short-code> render the trace page directly; anything unknown or
malformed gets the plain 'code not known' page in the site's layout, never a 500."""

from urllib.parse import quote

import pytest

from tests.traceability.conftest import GTIN_FORMS, OTHER_GTIN

TRACE_TEMPLATE = "traceability/trace_page.html"
NOT_FOUND_TEMPLATE = "traceability/trace_not_found.html"


def assert_trace_page_of(response, batch):
    assert response.status_code == 200
    assert TRACE_TEMPLATE in [t.name for t in response.templates]
    assert response.context["batch"].pk == batch.pk


def assert_code_not_known(response):
    assert response.status_code == 404
    assert NOT_FOUND_TEMPLATE in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Mã này không có trong hệ thống" in html
    # How to report a suspect product: the registry page's contact (commune office, phone).
    assert "Bộ phận một cửa UBND xã Sì Lở Lầu, điện thoại 0213 3890 000" in html


# GS1 Digital Link ---------------------------------------------------------------------------


@pytest.mark.parametrize("length", [8, 12, 13, 14])
def test_gs1_digital_link_with_each_gtin_form_renders_the_trace_page_without_redirect(client, batch, length):
    response = client.get(f"/01/{GTIN_FORMS[length]}/10/{batch.lot}")

    assert_trace_page_of(response, batch)


def test_gs1_digital_link_accepts_a_trailing_slash(client, batch):
    assert_trace_page_of(client.get(f"/01/{GTIN_FORMS[14]}/10/{batch.lot}/"), batch)


def test_gs1_query_attributes_are_accepted_and_ignored(client, batch):
    response = client.get(f"/01/{GTIN_FORMS[14]}/10/{batch.lot}?17=261231&3103=000500")

    assert_trace_page_of(response, batch)


def test_a_percent_encoded_lot_is_decoded(client, make_batch, registry):
    batch = make_batch(lot="A/7+(x)")

    response = client.get(f"/01/{GTIN_FORMS[13]}/10/{quote(batch.lot, safe='')}")

    assert_trace_page_of(response, batch)


def test_gtin_of_any_variant_of_the_product_finds_the_batch(client, batch, product):
    from products.factories import ProductVariantFactory

    ProductVariantFactory(page=product, gtin="8931234567903", pack_label="Túi 1 kg")

    assert_trace_page_of(client.get(f"/01/8931234567903/10/{batch.lot}"), batch)


@pytest.mark.parametrize(
    "gtin",
    [
        "96385075",  # wrong check digit
        "0000009638507",  # 13 digits, wrong check digit once padded
        "9638507A",  # a letter
        "963850741234567",  # 15 digits: too long
        "",
    ],
)
def test_malformed_gtin_gets_the_code_not_known_page(client, batch, gtin):
    assert_code_not_known(client.get(f"/01/{gtin}/10/{batch.lot}"))


def test_unknown_lot_gets_the_code_not_known_page(client, batch):
    assert_code_not_known(client.get(f"/01/{GTIN_FORMS[14]}/10/TQ1999-99"))


def test_lot_of_another_product_is_not_found_under_this_gtin(client, make_batch, other_product, registry):
    make_batch(parent=other_product, lot="SAM-01")

    assert_code_not_known(client.get(f"/01/{GTIN_FORMS[14]}/10/SAM-01"))
    assert client.get(f"/01/{OTHER_GTIN}/10/SAM-01").status_code == 200


def test_lot_is_matched_with_its_case(client, batch):
    assert_code_not_known(client.get(f"/01/{GTIN_FORMS[14]}/10/{batch.lot.lower()}"))


def test_draft_batch_is_not_found_by_its_gs1_link(client, batch):
    batch.unpublish()

    assert_code_not_known(client.get(f"/01/{GTIN_FORMS[14]}/10/{batch.lot}"))


# Short code ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: f"{code[:4]}-{code[4:]}".lower(),
        lambda code: f"{code[:4]}%20{code[4:]}",
        lambda code: f"{code}/",
    ],
    ids=["as-printed", "lower-case", "with-dash", "with-space", "trailing-slash"],
)
def test_short_code_as_typed_renders_the_trace_page_without_redirect(client, batch, typed):
    assert_trace_page_of(client.get(f"/t/{typed(batch.short_code)}"), batch)


def test_unknown_short_code_gets_the_code_not_known_page_echoing_it(client, batch, registry):
    response = client.get("/t/ACDEFG34")

    assert_code_not_known(response)
    assert "ACDEFG34" in response.content.decode()


def test_draft_batch_is_not_found_by_its_short_code(client, batch):
    batch.unpublish()

    assert_code_not_known(client.get(f"/t/{batch.short_code}"))


@pytest.mark.parametrize("private", ["batch", "product", "cooperative"])
def test_a_batch_made_private_on_itself_or_above_is_found_by_neither_address(
    client, batch, make_batch, coop2, private
):
    from wagtail.models import PageViewRestriction

    from products.factories import ProductPageFactory

    page = {"batch": batch, "product": batch.get_parent(), "cooperative": batch.get_parent().get_parent()}
    PageViewRestriction.objects.create(page=page[private], restriction_type="password", password="secret")
    elsewhere = make_batch(lot="KHAC-01", parent=ProductPageFactory(parent=coop2))  # still public

    assert_code_not_known(client.get(f"/t/{batch.short_code}"))
    assert_code_not_known(client.get(f"/01/{GTIN_FORMS[14]}/10/{batch.lot}"))
    assert_trace_page_of(client.get(f"/t/{elsewhere.short_code}"), elsewhere)


@pytest.mark.parametrize(
    "path",
    [
        "/t/",
        "/t/%00%00",
        "/t/<script>alert(1)</script>",
        "/t/" + "A" * 5000,
        "/t/thảo-quả",
        "/t/a/b/c",
        "/t/%F0%9F%92%A9",
        "/01/%00/10/%00",
        "/01/96385074/10/",
        "/01/96385074/10/" + "X" * 5000,
        "/01/96385074/10/TQ%00",
        "/01/96385074/10/thảo quả",
        "/01/９６３８５０７４/10/TQ2026-01x",
    ],
)
def test_hostile_input_gets_a_404_never_a_500(client, batch, path):
    response = client.get(path)

    assert_code_not_known(response)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "\x00" not in html


def test_full_width_digits_from_a_phone_keyboard_find_the_batch(client, batch):
    assert_trace_page_of(client.get(f"/01/９６３８５０７４/10/{batch.lot}"), batch)
