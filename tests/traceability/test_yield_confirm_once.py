"""A batch's kilograms over a code's limit are confirmed once: two officers confirming the same
request at once (each with the page read before the other saved) leave the first one's reason
and a single entry in the batch's history."""

import datetime
from decimal import Decimal

import pytest

from wagtail.models import PageLogEntry

from growers.factories import OfficerFactory
from tests.traceability.test_yield_limit import published
from traceability.models import YieldConfirmation
from traceability.yield_views import YIELD_CONFIRMED_ACTION, confirm_yield

pytestmark = pytest.mark.django_db


def test_a_request_confirmed_by_two_officers_at_once_keeps_the_first_confirmation(product, area, registry):
    batch = published(product, [area], "50", "TQ2026-77")
    row = YieldConfirmation.objects.create(
        product=product,
        lot=batch.lot,
        batch=batch,
        growing_area=area,
        window_starts_on=datetime.date(2026, 1, 1),
        window_ends_on=datetime.date(2026, 12, 31),
        limit_kg=Decimal("600"),
        total_kg=Decimal("650"),
        over_kg=Decimal("50"),
    )
    first, second = OfficerFactory(username="officer-a"), OfficerFactory(username="officer-b")
    read_by_second = YieldConfirmation.objects.get(pk=row.pk)  # before the first one saves

    confirm_yield(request=row, reason="Ruộng đã kiểm tra.", user=first)
    confirm_yield(request=read_by_second, reason="Tôi cũng xác nhận.", user=second)

    row.refresh_from_db()
    assert (row.confirmed_by, row.reason) == (first, "Ruộng đã kiểm tra.")
    assert PageLogEntry.objects.filter(page=batch, action=YIELD_CONFIRMED_ACTION).count() == 1
