"""Changes of state for batches: counting the people who open a batch's trace page, and the
places they open it from."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ScanDay, ScanPlace
from .selectors import SCAN_PLACES_AND_UNITS, scan_day_sql, scan_summary, scan_totals

_INCREMENT_SQL = scan_day_sql("UPDATE {table} SET {count} = {count} + 1 WHERE {batch} = %s AND {day} = %s")

# Count the scan and read the totals in one statement, where the database can (a statement costs
# a round trip, and more than the work it does). The day's count comes from the UPDATE (the
# latest, after any concurrent scan); earlier days from the statement's snapshot, which no scan
# changes. When no row was updated (the day's first scan of this batch), record_scan makes it.
#
# PostgreSQL also commits it without waiting for the write-ahead log to reach the disk. Every scan
# of a batch updates the same row, so with a synchronous commit each scan would hold the row until
# the disk answered, one after another (bench/: a quarter of the scans per second). A crash may
# forget the last fraction of a second of scans; a scan count is not money, stock or a status
# (those commit synchronously as always).
_COUNT_AND_TOTAL_SQL = {
    # The place goes in by the same statement (a data-modifying WITH runs whether or not it is
    # read): a new one is not in the statement's snapshot, so it is added to the count read.
    "postgresql": scan_day_sql(
        "WITH quick_commit AS (SELECT set_config('synchronous_commit', 'off', true)),"
        " new_place AS (INSERT INTO {places} ({batch}, {place}, {first_day})"
        " SELECT %(batch)s, %(place)s, %(day)s WHERE %(place)s <> ''"
        " ON CONFLICT ({batch}, {place}) DO NOTHING RETURNING 1),"
        " today AS (UPDATE {table} SET {count} = {count} + 1"
        " WHERE {batch} = %(batch)s AND {day} = %(day)s RETURNING {count})"
        " SELECT (SELECT {count} FROM today), COALESCE(SUM({count}) FILTER (WHERE {day} <> %(day)s), 0),"
        " MIN({day}), (SELECT COUNT(*) FROM {places} WHERE {batch} = %(batch)s)"
        " + (SELECT COUNT(*) FROM new_place),"
        " EXISTS (SELECT 1 FROM {units} WHERE {batch} = %(batch)s),"
        " (SELECT 1 FROM quick_commit) FROM {table} WHERE {batch} = %(batch)s"
    ),
    # SQLite 3.35 and later (RETURNING); the place by the statement before (_NEW_PLACE_SQL).
    "sqlite": scan_day_sql(
        "UPDATE {table} SET {count} = {count} + 1 WHERE {batch} = %(batch)s AND {day} = %(day)s"
        " RETURNING {count},"
        " (SELECT COALESCE(SUM({count}), 0) FROM {table} WHERE {batch} = %(batch)s AND {day} <> %(day)s),"
        " (SELECT MIN({day}) FROM {table} WHERE {batch} = %(batch)s),"
        f" {SCAN_PLACES_AND_UNITS}"
    ),
}
# Where the place cannot go in with the count (SQLite, and a batch's first scan of the day
# elsewhere): one more statement, only for a counted scan.
_NEW_PLACE_SQL = scan_day_sql(
    "INSERT INTO {places} ({batch}, {place}, {first_day}) VALUES (%(batch)s, %(place)s, %(day)s)"
    " ON CONFLICT ({batch}, {place}) DO NOTHING"
)


def _count_and_total_sql() -> str | None:
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 35):
        return None
    return _COUNT_AND_TOTAL_SQL.get(connection.vendor)


def record_place(*, batch_id: int, place: str, day: datetime.date | None = None) -> None:
    """Remember that the batch was opened from `place` (visitors.place_of), once per place."""
    day = day or timezone.localdate()
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute(_NEW_PLACE_SQL, {"batch": batch_id, "place": place, "day": day})
    else:
        ScanPlace.objects.bulk_create(
            [ScanPlace(batch_id=batch_id, place=place, first_day=day)], ignore_conflicts=True
        )


def count_scan(*, batch_id: int, package_count: int, place: str = "") -> dict:
    """Count one person opening the batch's trace page (the caller decides who counts:
    traceability/visitors.py) from `place`, and return the totals it shows (scan_summary): one
    statement on PostgreSQL, two on SQLite (the place, then the count and the totals), a few more
    elsewhere and for a batch's first scan of the day."""
    day = timezone.localdate()
    statement = _count_and_total_sql()
    place_recorded = False
    if statement is not None:
        if connection.vendor != "postgresql" and place:
            record_place(batch_id=batch_id, place=place, day=day)
        place_recorded = True
        with connection.cursor() as cursor:
            cursor.execute(statement, {"batch": batch_id, "day": day, "place": place})
            today, earlier, first_day, places, has_units, *_ = cursor.fetchone() or (None,) * 5
        if today is not None:
            return scan_summary(
                total=earlier + today,
                first_day=first_day,
                places=places,
                has_units=has_units,
                package_count=package_count,
            )
        # The day's first scan of this batch: its row is made below.
    if place and not place_recorded:
        record_place(batch_id=batch_id, place=place, day=day)
    record_scan(batch_id=batch_id, day=day)
    return scan_totals(batch_id=batch_id, package_count=package_count)


def record_scan(*, batch_id: int, day: datetime.date | None = None) -> None:
    """Count one view of the batch's trace page on `day` (today, local time). By id: a repeat
    scan served from the page cache has no batch loaded, and needs none.

    Concurrent scans are never lost: the count is incremented in the database
    (UPDATE ... SET count = count + 1), and the day's first scan creates its row inside a
    savepoint; if another request created it meanwhile, the unique constraint refuses the
    second row and this scan increments the first one instead."""
    day = day or timezone.localdate()
    # Every scan runs this, a trace page served from the cache too (selectors.scan_day_sql).
    with connection.cursor() as cursor:
        cursor.execute(_INCREMENT_SQL, [batch_id, day])
        if cursor.rowcount:
            return
    rows = ScanDay.objects.filter(batch_id=batch_id, day=day)
    try:
        with transaction.atomic():
            ScanDay.objects.create(batch_id=batch_id, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
