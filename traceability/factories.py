import datetime
from decimal import Decimal

import factory
import wagtail_factories

from django.utils import timezone

from .models import BatchPage, TraceEvent


class BatchPageFactory(wagtail_factories.PageFactory):
    """Needs parent=<a ProductPage>. Growing areas are added after creation, e.g.
    `batch.growing_areas.add(area); batch.save()`."""

    title = factory.Sequence(lambda n: f"Lô TQ2026-{n:02d}")
    slug = factory.Sequence(lambda n: f"lot-tq2026-{n:02d}")
    lot = factory.Sequence(lambda n: f"TQ2026-{n:02d}")
    harvest_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=40))
    harvest_end = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=35))
    quantity_kg = Decimal("250.00")
    package_count = 500
    packed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    best_before = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=345))

    class Meta:
        model = BatchPage


class TraceEventFactory(factory.django.DjangoModelFactory):
    batch = factory.SubFactory(BatchPageFactory)
    event_type = "harvest"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=38))
    place = "Bản Sì Lở Lầu"
    responsible = "HTX Thảo quả Sì Lở Lầu"
    notes = "Hái quả chín đỏ."

    class Meta:
        model = TraceEvent
