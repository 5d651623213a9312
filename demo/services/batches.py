"""A product's batches with their trace events; a recalled one recalled as an officer does."""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils.text import slugify

from wagtail.models import Collection

from demo.data.commune import LOCAL_ZONE
from demo.services.media import add_voice, ensure_voice, voice_block_name, voice_value
from demo.services.pages import ensure_page
from demo.services.run import SeedRun, days_from_today, in_years
from demo.specs import DemoBatch
from growers.models import GrowingArea
from products.models import ProductPage
from traceability.models import BatchCertification, BatchPage, TraceEvent
from traceability.recall import recall_batch


def ensure_batch(
    run: SeedRun, product: ProductPage, collection: Collection, spec: DemoBatch, areas: dict[str, GrowingArea]
) -> None:
    """A published batch with its events, found by its lot under the product (short codes are
    random); a recalled one is recalled through the officer's service, as an officer would."""
    # The clip is made only once the model can hold it, so that the run that first can
    # attaches it (add_voice attaches only clips made in the same run).
    voice_block = voice_block_name(BatchPage)
    voice = ensure_voice(run, collection, spec.voice) if spec.voice and voice_block else None
    existing = BatchPage.objects.child_of(product).filter(lot=spec.lot).first()
    if existing is not None:
        if voice is not None:
            add_voice(run, existing, "voice", voice_block, voice, spec.voice)
        run.batches.append(existing)
        return
    extra = {"voice": [(voice_block, voice_value(voice, spec.voice))]} if voice is not None else {}
    zone = zoneinfo.ZoneInfo(LOCAL_ZONE)
    packed_on = days_from_today(-spec.packed_days_ago)
    batch = ensure_page(
        run,
        product,
        BatchPage(
            title=f"Lô {spec.lot}",
            slug=slugify(spec.lot),
            lot=spec.lot,
            harvest_start=days_from_today(-spec.harvest_days_ago[0]),
            harvest_end=days_from_today(-spec.harvest_days_ago[1]),
            quantity_kg=Decimal(spec.quantity_kg),
            package_count=spec.package_count,
            packed_on=packed_on,
            best_before=packed_on + datetime.timedelta(days=spec.shelf_life_days),
            growing_areas=[areas[code] for code in spec.codes],
            events=[
                TraceEvent(
                    event_type=event.event_type,
                    occurred_at=datetime.datetime.combine(
                        days_from_today(-event.days_ago), datetime.time(event.hour), tzinfo=zone
                    ),
                    time_zone=LOCAL_ZONE,
                    place=event.place,
                    responsible=event.responsible,
                    notes=event.notes,
                )
                for event in sorted(spec.events, key=lambda e: (-e.days_ago, e.hour))
            ],
            certifications=[
                BatchCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
                for scheme, number, issuer in spec.certifications
            ],
            **extra,
        ),
    )
    if spec.recall is not None:
        days_ago, reason = spec.recall
        recall_batch(batch=batch, recalled_on=days_from_today(-days_ago), reason=reason, user=run.officer)
        run.changed(f"batch {spec.lot} recalled")
    run.batches.append(batch)
