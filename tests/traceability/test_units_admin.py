"""Printing units and voiding them in the Wagtail admin: the labels page asks which pack size
(required when the product has several), batch labels or units, how many and where the PIN
goes; the batch's units list with a void action. Whoever may edit the batch may use them (its
own cooperative's editors and superusers; not another cooperative's editor, not an officer, not
anonymous), and a PIN is never in the admin's HTML."""

import pytest

from django.urls import reverse

from wagtail.models import PageLogEntry

from products.factories import ProductPageFactory, ProductVariantFactory
from tests.traceability.test_label_admin import assert_permission_denied
from tests.traceability.test_units_printing import decode_labels
from traceability.factories import BatchPageFactory
from traceability.models import CheckChannel, Unit, UnitCheck
from traceability.unit_services import group_serial, units_for_printing
from traceability.units import pin_for
from website.factories import UserFactory

GTIN_13 = "8931234567897"


@pytest.fixture
def product(coop1):
    return ProductPageFactory(parent=coop1, title="Thảo quả khô")


@pytest.fixture
def pack(product):
    return ProductVariantFactory(page=product, gtin=GTIN_13, pack_label="Túi 500 g", sku="TQ-500")


@pytest.fixture
def batch(product, pack):
    return BatchPageFactory(parent=product, lot="TQ2026-01", package_count=40)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def labels_url(batch):
    return reverse("traceability_batch_labels", args=[batch.pk])


def units_url(batch):
    return reverse("traceability_batch_units", args=[batch.pk])


def void_url(batch, unit):
    return reverse("traceability_batch_unit_void", args=[batch.pk, unit.pk])


def print_units(client, batch, **data):
    return client.post(
        labels_url(batch), {"layout": "a4", "kind": "units", "pin_layout": "inside", "skip": 0, **data}
    )


def test_editor_prints_units_for_the_only_pack_and_gets_the_same_ones_again(
    client, coop1_editor, batch, pack, tmp_path
):
    client.force_login(coop1_editor)
    form = client.get(labels_url(batch)).content.decode()
    assert f'value="{pack.pk}" selected' in form  # the only pack size, preselected
    assert "testserver/check/" in form

    response = print_units(client, batch, count=3, variant=pack.pk)

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="units-{batch.short_code}-a4-inside.pdf"'
    units = list(Unit.objects.filter(batch=batch).order_by("id"))
    assert len(units) == 3 and all(u.pack == pack for u in units)
    assert decode_labels(response.content, tmp_path)[:4] == [
        *(f"http://testserver/01/0{GTIN_13}/10/TQ2026-01/21/{u.serial}" for u in units),
        "",
    ]

    again = print_units(client, batch, count=3, variant="")
    assert again["Content-Type"] == "application/pdf"
    assert Unit.objects.count() == 3


def test_several_packs_need_a_choice_and_none_is_preselected(client, coop1_editor, batch, product):
    ProductVariantFactory(page=product, gtin=None, pack_label="Túi 1 kg", sku="TQ-1000")
    client.force_login(coop1_editor)

    form = client.get(labels_url(batch)).content.decode()
    select = form.split('name="variant"')[1].split("</select>")[0]
    assert 'value="" selected' in select and select.count("selected") == 1

    for kind in ("units", "batch"):
        response = print_units(client, batch, count=3, variant="", kind=kind)
        assert response["Content-Type"].startswith("text/html")
        assert "Hãy chọn quy cách đóng gói cho nhãn" in response.content.decode()
    assert not Unit.objects.exists()


@pytest.mark.parametrize("count", [0, 1001, 100000, "many"])
def test_a_bad_count_is_told_and_makes_nothing(client, coop1_editor, batch, pack, count):
    client.force_login(coop1_editor)

    response = print_units(client, batch, count=count, variant=pack.pk)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["count"]
    assert not Unit.objects.exists()


def test_unknown_pack_or_a_pack_of_another_product_is_refused(client, coop1_editor, batch, coop1):
    stranger = ProductVariantFactory(page=ProductPageFactory(parent=coop1, title="Mật ong"), gtin=None)
    client.force_login(coop1_editor)

    for variant in (stranger.pk, 999999, "x"):
        response = print_units(client, batch, count=2, variant=variant)
        assert response["Content-Type"].startswith("text/html")
        assert response.context["form"].errors["variant"]
    assert not Unit.objects.exists()


def test_units_are_not_made_by_a_get(client, coop1_editor, batch, pack):
    client.force_login(coop1_editor)

    response = client.get(labels_url(batch) + f"?layout=a4&kind=units&count=3&variant={pack.pk}")

    assert response["Content-Type"].startswith("text/html")
    assert not Unit.objects.exists()


def test_units_list_shows_serials_checks_and_voids_but_never_a_pin(client, coop1_editor, batch, pack):
    units = units_for_printing(batch, pack, 3)
    UnitCheck.objects.create(unit=units[0], channel=CheckChannel.QR)
    UnitCheck.objects.create(unit=units[0], channel=CheckChannel.SMS, pin_ok=True)
    client.force_login(coop1_editor)

    response = client.post(void_url(batch, units[2]), {"reason": "nhãn bị rách"})
    assert response.status_code == 302 and response["Location"] == units_url(batch)

    html = client.get(units_url(batch)).content.decode()
    for unit in units:
        assert group_serial(unit.serial) in html
        assert pin_for(unit.pin_seed) not in html
        assert unit.pin_seed not in html and unit.pin_hash not in html
    assert "nhãn bị rách" in html and "Túi 500 g" in html
    assert "<td>2</td>" in html  # units[0] was checked twice
    entry = PageLogEntry.objects.get(page=batch, action="traceability.void_unit")
    assert entry.user == coop1_editor and entry.data == {"serial": units[2].serial, "reason": "nhãn bị rách"}
    # The batch's history in the admin says so.
    history = client.get(reverse("wagtailadmin_pages:history", args=[batch.pk])).content.decode()
    assert f"Đã hủy gói {group_serial(units[2].serial)}: nhãn bị rách" in history


def test_labels_page_never_shows_a_pin(client, coop1_editor, batch, pack):
    units = units_for_printing(batch, pack, 2)
    client.force_login(coop1_editor)

    html = client.get(labels_url(batch)).content.decode()

    assert units_url(batch) in html
    assert not any(pin_for(u.pin_seed) in html for u in units)


def test_void_needs_a_reason_and_changes_nothing_without(client, coop1_editor, batch, pack):
    unit = units_for_printing(batch, pack, 1)[0]
    client.force_login(coop1_editor)

    response = client.post(void_url(batch, unit), {"reason": "  "}, follow=True)

    assert "Hãy nói lý do hủy gói này" in response.content.decode()
    unit.refresh_from_db()
    assert not unit.is_void
    assert client.get(void_url(batch, unit)).status_code == 405


def test_void_of_a_unit_of_another_batch_is_not_found(client, coop1_editor, batch, pack, product):
    other = BatchPageFactory(parent=product, lot="TQ2026-02")
    unit = units_for_printing(other, pack, 1)[0]
    client.force_login(coop1_editor)

    assert client.post(void_url(batch, unit), {"reason": "x"}).status_code == 404
    unit.refresh_from_db()
    assert not unit.is_void


def test_superuser_may_print_list_and_void(client, superuser, batch, pack):
    client.force_login(superuser)

    assert print_units(client, batch, count=1, variant=pack.pk)["Content-Type"] == "application/pdf"
    unit = Unit.objects.get()
    assert client.get(units_url(batch)).status_code == 200
    client.post(void_url(batch, unit), {"reason": "misprint"})
    unit.refresh_from_db()
    assert unit.is_void


@pytest.mark.parametrize("who", ["coop2_editor", "officer"])
def test_other_cooperatives_editor_and_officer_are_refused(client, request, who, batch, pack):
    unit = units_for_printing(batch, pack, 1)[0]
    client.force_login(request.getfixturevalue(who))

    assert_permission_denied(print_units(client, batch, count=1, variant=pack.pk))
    assert_permission_denied(client.get(units_url(batch)))
    assert_permission_denied(client.post(void_url(batch, unit), {"reason": "x"}))
    assert Unit.objects.count() == 1
    unit.refresh_from_db()
    assert not unit.is_void


def test_anonymous_is_sent_to_login(client, batch, pack):
    unit = units_for_printing(batch, pack, 1)[0]

    for response in (
        print_units(client, batch, count=1, variant=pack.pk),
        client.get(units_url(batch)),
        client.post(void_url(batch, unit), {"reason": "x"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert Unit.objects.count() == 1 and not Unit.objects.get().is_void


def test_units_link_is_in_the_product_listing(client, coop1_editor, batch):
    client.force_login(coop1_editor)

    html = client.get(reverse("wagtailadmin_explore", args=[batch.get_parent().pk])).content.decode()

    assert units_url(batch) in html
