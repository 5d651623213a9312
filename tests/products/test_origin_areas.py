"""A product names the growing-area codes it comes from: the buyer sees each code with its status
and a link to the registry; the cooperative's editor may cite only codes valid today, yet keeps
a code the product already cites after it lapses (DESIGN §2, issue 3 item 6)."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growers.factories import (
    CooperativeEditorFactory,
    GrowingAreaFactory,
    area_with_status,
    suspend,
)
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductPage
from tests.helpers import product_edit_data, variant_rows

STATUS_SHOWN = {
    "active": "Còn hiệu lực",
    "suspended": "Tạm đình chỉ",
    "revoked": "Đã thu hồi",
    "expired": "Hết hạn",
}


@pytest.fixture
def codes(coop1):
    """One code of coop1 in each status."""
    villages = {"active": "Sì Lở Lầu", "suspended": "Lả Dì Thàng", "revoked": "Tả Chải", "expired": "Nậm Xe"}
    return {
        status: area_with_status(
            status, code=f"LC-PT-SLL-00{number}", village=villages[status], cooperative=coop1
        )
        for number, status in enumerate(STATUS_SHOWN, start=1)
    }


def product_citing(parent, *areas, **kwargs) -> ProductPage:
    product = ProductPageFactory(parent=parent, **kwargs)
    ProductVariantFactory(page=product)
    product.origin_areas.set(areas)
    product.save()
    return product


def origin_items(client, product):
    response = client.get(product.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select("ul.origin-areas > li")


# What the buyer sees -----------------------------------------------------------------------


def test_product_page_shows_its_origin_codes_with_status_and_registry_link(client, registry, coop1, codes):
    product = product_citing(coop1, codes["active"])

    (item,) = origin_items(client, product)

    link = item.select_one("a.code")
    assert link.get_text() == "LC-PT-SLL-001"
    assert link["href"] == "/growing-areas/LC-PT-SLL-001/"
    assert "bản Sì Lở Lầu" in item.get_text()
    assert item.select_one(".status").get_text(" ", strip=True) == STATUS_SHOWN["active"]
    assert item.select_one(".status svg.icon[aria-hidden=true]")  # a pictogram beside the word
    assert item.select_one("svg.icon")  # and one for the growing area itself
    assert not item.select(".warning")


@pytest.mark.parametrize("status", ["suspended", "revoked", "expired"])
def test_cited_code_that_is_no_longer_valid_shows_a_warning(client, registry, coop1, codes, status):
    product = product_citing(coop1, codes[status])

    (item,) = origin_items(client, product)

    assert item.select_one(".status").get_text(" ", strip=True) == STATUS_SHOWN[status]
    assert item.select_one(".status svg.icon[aria-hidden=true]")
    warning = item.select_one(".warning")
    assert warning.get_text(" ", strip=True) == (
        f"Mã số vùng trồng {codes[status].code} hiện không còn hiệu lực. Hàng thu hoạch trước đó có thể "
        "vẫn đúng nguồn gốc: hãy hỏi hợp tác xã về lô hàng bạn mua."
    )
    assert warning.select_one("svg.icon")


def test_several_origin_codes_are_listed_in_code_order(client, registry, coop1, codes):
    product = product_citing(coop1, codes["expired"], codes["active"])

    items = origin_items(client, product)

    assert [item.select_one(".code").get_text() for item in items] == ["LC-PT-SLL-001", "LC-PT-SLL-004"]


def test_product_without_origin_codes_has_no_origin_section(client, registry, coop1):
    product = product_citing(coop1)

    assert origin_items(client, product) == []
    assert "Vùng trồng" not in client.get(product.url).content.decode()


def test_origin_code_is_shown_unlinked_while_the_registry_is_not_published(client, coop1, codes):
    product = product_citing(coop1, codes["active"])

    (item,) = origin_items(client, product)

    assert item.select_one(".code").get_text() == "LC-PT-SLL-001"
    assert not item.select("a.code")


def test_product_page_queries_do_not_grow_with_origin_codes(client, registry, coop1, codes):
    product = product_citing(coop1, codes["active"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(product.url).status_code == 200
        return len(captured)

    client.get(product.url)
    before = queries()
    product.origin_areas.set(codes.values())
    product.save()

    assert queries() == before


# What the cooperative's editor may choose --------------------------------------------------


@pytest.fixture
def editor_client(client, coop1):
    editor = CooperativeEditorFactory(username="coop1-editor", cooperative=coop1)
    client.force_login(editor)
    return client


def offered(client, product) -> dict[int, bool]:
    """{growing area id: ticked} for the origin choices on the product's edit form."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[product.pk]))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return {int(box["value"]): box.has_attr("checked") for box in page.select("input[name=origin_areas]")}


def edit_data(product, origin_ids) -> dict:
    """The product's edit form citing the codes of `origin_ids`, its one pack size without a GTIN."""
    (pack,) = variant_rows(product)
    data = product_edit_data(product, variants=[{**pack, "gtin": "", "is_active": "on"}])
    data["origin_areas"] = [str(pk) for pk in origin_ids]
    return data


def test_editor_is_offered_only_codes_valid_today(editor_client, coop1, codes):
    product = product_citing(coop1)

    assert offered(editor_client, product) == {codes["active"].pk: False}


def test_editor_creating_a_product_is_offered_only_codes_valid_today(editor_client, coop1, codes):
    response = editor_client.get(
        reverse("wagtailadmin_pages:add", args=["products", "productpage", coop1.pk])
    )

    page = BeautifulSoup(response.content, "html.parser")
    assert [int(box["value"]) for box in page.select("input[name=origin_areas]")] == [codes["active"].pk]


def test_a_cited_code_that_lapsed_stays_on_the_form(editor_client, coop1, codes):
    product = product_citing(coop1, codes["active"])
    suspend(codes["active"])

    assert offered(editor_client, product) == {codes["active"].pk: True}


def test_editor_can_keep_a_lapsed_code_when_changing_the_product(editor_client, coop1, codes):
    product = product_citing(coop1, codes["active"])
    suspend(codes["active"])

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, [codes["active"].pk])
    )

    assert response.status_code == 302
    assert list(ProductPage.objects.get(pk=product.pk).origin_areas.all()) == [codes["active"]]


@pytest.mark.parametrize("status", ["suspended", "revoked", "expired"])
def test_posting_a_code_that_is_not_valid_is_refused(editor_client, coop1, codes, status):
    product = product_citing(coop1)

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, [codes[status].pk])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["origin_areas"]
    assert not ProductPage.objects.get(pk=product.pk).origin_areas.exists()


def test_editor_can_cite_a_valid_code(editor_client, client, registry, coop1, codes):
    product = product_citing(coop1)

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, [codes["active"].pk])
    )

    assert response.status_code == 302
    published = ProductPage.objects.get(pk=product.pk)
    assert list(published.origin_areas.all()) == [codes["active"]]
    assert "LC-PT-SLL-001" in client.get(published.url).content.decode()


# Only the cooperative's own codes (issue 15 item 14) -----------------------------------------


def test_editor_is_offered_only_their_cooperatives_codes_and_those_shared_with_it(
    editor_client, coop1, coop2, codes
):
    GrowingAreaFactory(code="LC-PT-SLL-201", cooperative=coop2)
    shared = GrowingAreaFactory(code="LC-PT-SLL-202", cooperative=coop2)
    shared.shared_with.add(coop1)
    GrowingAreaFactory(code="LC-PT-SLL-203")  # registered to no cooperative
    product = product_citing(coop1)

    assert offered(editor_client, product) == {codes["active"].pk: False, shared.pk: False}


def test_posting_another_cooperatives_code_is_refused_naming_it(editor_client, coop1, coop2):
    theirs = GrowingAreaFactory(code="LC-PT-SLL-201", cooperative=coop2)
    product = product_citing(coop1)

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), edit_data(product, [theirs.pk])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["origin_areas"] == [
        "Không được đăng ký cho hợp tác xã này, cũng không được cán bộ chia sẻ: LC-PT-SLL-201."
    ]
    assert not ProductPage.objects.get(pk=product.pk).origin_areas.exists()


# Drafts (issue 15 item 1) -------------------------------------------------------------------


def save_draft(client, product, origin_ids):
    """What the editor's default button does: save a draft, publish nothing."""
    data = edit_data(product, origin_ids)
    del data["action-publish"]
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert response.status_code == 302
    return ProductPage.objects.get(pk=product.pk).get_latest_revision()


def test_editor_reopens_a_product_whose_draft_cites_codes(editor_client, coop1, codes):
    product = product_citing(coop1)
    product.save_revision().publish()
    save_draft(editor_client, product, [codes["active"].pk])

    assert offered(editor_client, product) == {codes["active"].pk: True}
    # The draft cites it; the live page does not yet.
    assert not ProductPage.objects.get(pk=product.pk).origin_areas.exists()


def test_editor_opens_revert_compare_and_preview_of_a_draft_citing_codes(editor_client, coop1, codes):
    product = product_citing(coop1)
    first = product.save_revision()
    first.publish()
    draft = save_draft(editor_client, product, [codes["active"].pk])
    save_draft(editor_client, product, [])

    revert = editor_client.get(reverse("wagtailadmin_pages:revisions_revert", args=[product.pk, draft.pk]))
    assert revert.status_code == 200
    page = BeautifulSoup(revert.content, "html.parser")
    assert {int(b["value"]): b.has_attr("checked") for b in page.select("input[name=origin_areas]")} == {
        codes["active"].pk: True
    }
    compare = editor_client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[product.pk, first.pk, draft.pk])
    )
    assert compare.status_code == 200
    view = editor_client.get(reverse("wagtailadmin_pages:revisions_view", args=[product.pk, draft.pk]))
    assert view.status_code == 200
    assert "LC-PT-SLL-001" in view.content.decode()
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[product.pk])
    assert editor_client.post(preview_url, edit_data(product, [codes["active"].pk])).json()["is_valid"]
    assert editor_client.get(preview_url).status_code == 200
