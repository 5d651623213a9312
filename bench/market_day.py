"""What the market-day scenario of bench/run.py needs in the runner's process (Django set up with
the server's settings and database): many live batches made by the apps' factories, each with its
trace events and growing-area codes; the sum of their scan counts; and a wrk script that cycles
through their trace pages.

The batches hang under the demo's products, spread evenly, and cite the growing-area codes the
product's demo batches cite (codes registered and valid on the harvest dates, as an editor's form
would require). They are found again by their lot (MARKET_LOT_PREFIX), so a database that already
has them is reused and only the missing ones are made.
"""

import datetime
import zoneinfo
from pathlib import Path

MARKET_LOT_PREFIX = "CHO-"  # chợ: the market
LOCAL_ZONE = "Asia/Ho_Chi_Minh"
# One batch's story, oldest first: (what, days ago, where, notes). Four events, as a typical
# demo batch has; the trace page shows them all.
STORY = (
    ("harvest", 40, "Bản Sì Lở Lầu", "Hái quả chín đỏ."),
    ("processing", 36, "Lò sấy của hợp tác xã", "Sấy trên gác bếp ba ngày."),
    ("packing", 20, "Nhà đóng gói của hợp tác xã", "Túi 500 g, dán tem mã lô."),
    ("inspection", 18, "Trạm kiểm định huyện Phong Thổ", "Kiểm tra cảm quan đạt."),
)


def market_lot(number: int) -> str:
    return f"{MARKET_LOT_PREFIX}{number:05d}"


def parents_and_codes() -> list[tuple[object, list[object]]]:
    """(product page, the active growing areas its demo batches cite) for every live product in
    the default language whose batches cite at least one active code."""
    from wagtail.models import Locale

    from growers.models import GrowingArea, GrowingAreaStatus
    from products.models import ProductPage

    found = []
    products = ProductPage.objects.live().filter(locale=Locale.get_default()).order_by("path")
    for product in products:
        areas = list(
            GrowingArea.objects.filter(
                batches__in=product.get_children().live(), status=GrowingAreaStatus.ACTIVE
            )
            .distinct()
            .order_by("code")
        )
        if areas:
            found.append((product, areas))
    return found


def ensure_market_batches(count: int) -> tuple[list[str], int]:
    """At least `count` live market-day batches: (their short codes in creation order, how many
    were made now). Pages go through the factory one by one (a page's place in Wagtail's tree
    is only made by adding it), their events and codes in bulk."""
    from django.db import connections, transaction
    from django.utils import timezone

    from traceability.factories import BatchPageFactory
    from traceability.models import BatchPage, TraceEvent

    existing = dict(
        BatchPage.objects.live()
        .filter(lot__startswith=MARKET_LOT_PREFIX)
        .order_by("lot")
        .values_list("lot", "short_code")
    )
    missing = [number for number in range(1, count + 1) if market_lot(number) not in existing]
    if missing:
        parents = parents_and_codes()
        if not parents:
            raise SystemExit("The demo data has no live product whose batches cite an active code.")
        today = timezone.localdate()
        zone = zoneinfo.ZoneInfo(LOCAL_ZONE)
        through = BatchPage.growing_areas.through
        with transaction.atomic():
            made = []
            for number in missing:
                product, areas = parents[number % len(parents)]
                batch = BatchPageFactory(
                    parent=product,
                    title=f"Lô {market_lot(number)}",
                    slug=market_lot(number).lower(),
                    lot=market_lot(number),
                    package_count=200,
                )
                made.append((batch, product, areas[number % len(areas)]))
                existing[batch.lot] = batch.short_code
            TraceEvent.objects.bulk_create(
                TraceEvent(
                    batch=batch,
                    sort_order=order,
                    event_type=event_type,
                    occurred_at=datetime.datetime.combine(
                        today - datetime.timedelta(days=days_ago), datetime.time(8), tzinfo=zone
                    ),
                    time_zone=LOCAL_ZONE,
                    place=place,
                    responsible=product.title,
                    notes=notes,
                )
                for batch, product, _ in made
                for order, (event_type, days_ago, place, notes) in enumerate(STORY)
            )
            through.objects.bulk_create(through(batchpage=batch, growingarea=area) for batch, _, area in made)
    short_codes = [existing[market_lot(number)] for number in range(1, count + 1)]
    connections.close_all()
    return short_codes, len(missing)


def scan_sum(short_codes: list[str]) -> int:
    """Every scan ever counted of these batches."""
    from django.db import connections
    from django.db.models import Sum

    from traceability.models import ScanDay

    total = ScanDay.objects.filter(batch__short_code__in=short_codes).aggregate(total=Sum("count"))["total"]
    # Let go of the connection: on SQLite an idle one can hold up the server's writes.
    connections.close_all()
    return total or 0


def settled_scan_sum(short_codes: list[str], quiet: float = 0.5, limit: float = 15) -> int:
    """The scan sum once it has stopped changing for `quiet` seconds (at most `limit`): requests
    the server had already read when the load generator stopped are still counted after it
    stopped, and must land on the side of the run they belong to."""
    import time

    deadline = time.monotonic() + limit
    total = scan_sum(short_codes)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        again = scan_sum(short_codes)
        if again == total:
            break
        total = again
    return total


def trace_paths(short_codes: list[str]) -> list[str]:
    return [f"/t/{code}" for code in short_codes]


def write_wrk_script(paths: list[str], script: Path) -> Path:
    """A wrk script whose requests go round every path in turn; each of wrk's threads starts at
    its own offset, so that together they still spread evenly."""
    quoted = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        "local paths = {\n" + quoted + "\n}\n"
        "local counter = 0\n"
        "local thread_number = 0\n"
        "function setup(thread)\n"
        "  thread:set('offset', thread_number)\n"
        "  thread_number = thread_number + 1\n"
        "end\n"
        "function init(args)\n"
        "  counter = (offset or 0) * 7919\n"
        "end\n"
        "function request()\n"
        "  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\n"
        "end\n"
    )
    return script
