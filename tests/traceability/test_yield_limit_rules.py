"""The rules of traceability/yields.py on their own: what counts against a code's season (only
published batches, not the batch being edited, a batch's share by area), what the limit is, and
when a code is near its limit."""

import datetime
from decimal import Decimal

import pytest

from growers.factories import GrowingAreaFactory
from tests.traceability.test_yield_limit import published, season
from traceability import yields
from traceability.factories import BatchPageFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 10)


def test_only_published_batches_count_and_the_edited_one_is_left_out(product, area, registry):
    season(area)
    counted = published(product, [area], "300", "TQ2026-80")
    draft = BatchPageFactory(
        parent=product,
        lot="TQ2026-81",
        quantity_kg=Decimal("500"),
        harvest_start=DAY,
        harvest_end=DAY,
        packed_on=DAY,
        best_before=DAY + datetime.timedelta(days=365),
        live=False,
    )
    draft.growing_areas.set([area])
    draft.save_revision()  # never published

    assert yields.usage(area, DAY).used_kg == Decimal("300")
    assert yields.usage(area, DAY, exclude_batch=counted).used_kg == Decimal("0")


def test_a_batch_outside_the_season_counts_in_its_calendar_year(product, area, registry):
    season(area)  # 01/03/2026–31/12/2026
    published(product, [area], "200", "TQ2026-80", day=datetime.date(2026, 2, 10))

    inside = yields.usage(area, DAY)
    outside = yields.usage(area, datetime.date(2026, 2, 10))
    assert (inside.used_kg, inside.basis, inside.limit_kg) == (Decimal("0"), yields.DECLARED, Decimal("1000"))
    assert (outside.season, outside.used_kg, outside.basis) == (None, Decimal("200"), yields.TYPICAL)
    assert outside.limit_kg == Decimal("3750")  # 12.5 ha × 300 kg


def test_a_crop_without_a_typical_yield_has_no_limit_and_is_never_refused(product, coop1, registry):
    odd = GrowingAreaFactory(code="VN-SLL-0099", cooperative=coop1, crop_name="Hà thủ ô")
    published(product, [odd], "99999", "TQ2026-80")
    found = yields.usage(odd, DAY)
    assert (found.limit_kg, found.is_over, found.is_near, found.share) == (None, False, False, None)
    batch = BatchPageFactory.build(lot="TQ2026-82")
    assert yields.overages(batch, areas=[odd], quantity_kg=Decimal("5000"), harvest_day=DAY) == []


def test_near_means_from_the_near_share_up_to_the_limit(product, area, registry, settings):
    settings.YIELD_NEAR_LIMIT_SHARE = 0.9
    season(area)
    published(product, [area], "899", "TQ2026-80")
    assert not yields.usage(area, DAY).is_near
    published(product, [area], "1", "TQ2026-81")
    found = yields.usage(area, DAY)
    assert found.is_near and not found.is_over and found.remaining_kg == Decimal("100")
    published(product, [area], "100", "TQ2026-82")
    assert yields.usage(area, DAY).is_near and not yields.usage(area, DAY).is_over  # at the limit
    published(product, [area], "0.01", "TQ2026-83")
    assert yields.usage(area, DAY).is_over and not yields.usage(area, DAY).is_near


def test_usages_to_watch_lists_the_worst_first(product, area, coop1, registry):
    season(area)
    published(product, [area], "950", "TQ2026-80")
    other = GrowingAreaFactory(code="VN-SLL-0098", cooperative=coop1, area_hectares=Decimal("1"))
    published(product, [other], "450", "TQ2026-81")  # 150 % of 300 kg

    watched = yields.usages_to_watch(today=datetime.date(2026, 12, 1))

    assert [(w.area.code, w.used_kg) for w in watched] == [
        ("VN-SLL-0098", Decimal("450")),
        ("VN-SLL-0001", Decimal("950")),
    ]
