"""Rules a batch keeps whatever the door in: its codes, its dates, its growing areas."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from growers.factories import GrowingAreaFactory
from growers.services import change_status
from products.factories import ProductPageFactory
from traceability.codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, normalise_short_code
from traceability.factories import BatchPageFactory
from traceability.forms import BatchPageForm
from traceability.models import BatchPage
from website.factories import UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def product(coop1):
    return ProductPageFactory(parent=coop1, title="Thảo quả khô")


def test_every_batch_gets_a_short_code_without_look_alike_characters(product):
    codes = {BatchPageFactory(parent=product).short_code for _ in range(20)}

    assert len(codes) == 20
    for code in codes:
        assert len(code) == SHORT_CODE_LENGTH
        assert set(code) <= set(SHORT_CODE_ALPHABET)
    assert not set("0O1IL2Z5S8BUV") & set(SHORT_CODE_ALPHABET)


def test_short_code_stays_the_same_when_the_batch_is_edited(product):
    batch = BatchPageFactory(parent=product)
    code = batch.short_code
    batch.title = "Lô mới"
    batch.save_revision().publish()
    batch.refresh_from_db()
    assert batch.short_code == code


@pytest.mark.parametrize(("typed", "stored"), [("ac-dE fg 34", "ACDEFG34"), (" xyz ", "XYZ")])
def test_short_codes_are_read_as_typed_by_a_buyer(typed, stored):
    assert normalise_short_code(typed) == stored


@pytest.mark.parametrize("lot", ["TQ2026-01", "A", "lot/7.b_(x)", "X" * 20])
def test_lot_in_the_gs1_character_set_is_accepted(product, lot):
    batch = BatchPageFactory.build(lot=lot, title="t", slug="t")
    batch.clean_fields(exclude=["path", "depth", "content_type", "short_code", "translation_key", "locale"])


@pytest.mark.parametrize("lot", ["", "TQ 2026", "thảo-quả", "X" * 21, "lot#1"])
def test_lot_outside_the_gs1_character_set_is_refused(product, lot):
    batch = BatchPageFactory.build(lot=lot, title="t", slug="t")
    with pytest.raises(ValidationError) as caught:
        batch.clean_fields(
            exclude=["path", "depth", "content_type", "short_code", "translation_key", "locale"]
        )
    assert "lot" in caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"harvest_start": TODAY, "harvest_end": TODAY - datetime.timedelta(days=1)}, "harvest_end"),
        ({"harvest_start": TODAY, "packed_on": TODAY - datetime.timedelta(days=1)}, "packed_on"),
        ({"packed_on": TODAY, "best_before": TODAY}, "best_before"),
        ({"recalled_on": TODAY, "recall_reason": "  "}, "recall_reason"),
    ],
)
def test_dates_that_contradict_each_other_are_refused(product, fields, field_in_error):
    batch = BatchPageFactory(parent=product)
    for name, value in fields.items():
        setattr(batch, name, value)
    with pytest.raises(ValidationError) as caught:
        batch.clean()
    assert field_in_error in caught.value.message_dict


def test_expiry_is_best_before_or_packing_plus_shelf_life(product):
    batch = BatchPageFactory(parent=product, best_before=None, packed_on=TODAY, shelf_life_days=365)
    assert batch.expiry_date == TODAY + datetime.timedelta(days=365)
    batch.best_before = TODAY + datetime.timedelta(days=100)
    assert batch.expiry_date == batch.best_before


def form_for(batch, areas, **overrides):
    """The admin's batch form, bound with the batch's own values and the chosen areas."""
    form_class = BatchPage.get_edit_handler().get_form_class()
    data = {
        "title": batch.title,
        "slug": batch.slug,
        "lot": batch.lot,
        "harvest_start": batch.harvest_start.isoformat(),
        "harvest_end": batch.harvest_end.isoformat() if batch.harvest_end else "",
        "quantity_kg": str(batch.quantity_kg),
        "package_count": str(batch.package_count),
        "growing_areas": [area.pk for area in areas],
        **{
            f"{name}-{key}": value
            for name in ("events", "certifications", "lab_tests")
            for key, value in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
        "voice-count": "0",  # the spoken description (a StreamField): no clip
    }
    data.update(overrides)
    form = form_class(data, instance=batch, for_user=UserFactory(is_superuser=True))
    assert isinstance(form, BatchPageForm)
    return form


def test_batch_may_cite_a_code_valid_on_its_harvest_days(product):
    batch = BatchPageFactory(parent=product)
    area = GrowingAreaFactory(cooperative=product.cooperative)
    form = form_for(batch, [area])
    assert form.is_valid(), form.errors


def test_batch_may_not_cite_a_code_suspended_on_its_harvest_days(product):
    batch = BatchPageFactory(parent=product)
    area = GrowingAreaFactory(code="LC-SUSP-01", cooperative=product.cooperative)
    change_status(
        area=area,
        to_status="suspended",
        reason="dư lượng",
        user=UserFactory(),
        effective_date=batch.harvest_start - datetime.timedelta(days=5),
    )
    form = form_for(batch, [area])
    assert not form.is_valid()
    assert "LC-SUSP-01" in " ".join(form.errors["growing_areas"])


def test_batch_harvested_before_a_suspension_may_still_cite_the_code(product):
    batch = BatchPageFactory(parent=product)
    area = GrowingAreaFactory(cooperative=product.cooperative)
    change_status(area=area, to_status="suspended", reason="sau thu hoạch", user=UserFactory())
    form = form_for(batch, [area])
    assert form.is_valid(), form.errors


def test_batch_may_not_cite_a_code_that_had_expired_by_the_harvest(product):
    batch = BatchPageFactory(parent=product)
    area = GrowingAreaFactory(
        cooperative=product.cooperative,
        code="LC-OLD-01",
        issued_on=batch.harvest_start - datetime.timedelta(days=800),
        valid_until=batch.harvest_start - datetime.timedelta(days=1),
    )
    form = form_for(batch, [area])
    assert not form.is_valid()
    expired_on = f"đã hết hạn từ ngày {area.valid_until:%d/%m/%Y}"
    assert (
        f"Mã LC-OLD-01 không có hiệu lực vào ngày {batch.harvest_start:%d/%m/%Y} ({expired_on})."
        in " ".join(form.errors["growing_areas"])
    )


def test_batch_must_cite_at_least_one_growing_area(product):
    batch = BatchPageFactory(parent=product)
    form = form_for(batch, [])
    assert not form.is_valid()
    assert "growing_areas" in form.errors


def test_lot_is_unique_within_its_product(product):
    BatchPageFactory(parent=product, lot="TQ2026-01")
    other = BatchPageFactory(parent=product, lot="TQ2026-02")
    form = form_for(other, [GrowingAreaFactory(cooperative=product.cooperative)], lot="TQ2026-01")
    assert not form.is_valid()
    assert "lot" in form.errors
