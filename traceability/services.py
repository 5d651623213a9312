"""Changes of state for batches: counting the scans of a batch's trace page."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ScanDay
from .selectors import scan_day_sql, scan_summary, scan_totals

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
    "postgresql": scan_day_sql(
        "WITH quick_commit AS (SELECT set_config('synchronous_commit', 'off', true)),"
        " today AS (UPDATE {table} SET {count} = {count} + 1"
        " WHERE {batch} = %(batch)s AND {day} = %(day)s RETURNING {count})"
        " SELECT (SELECT {count} FROM today), COALESCE(SUM({count}) FILTER (WHERE {day} <> %(day)s), 0),"
        " MIN({day}), (SELECT 1 FROM quick_commit) FROM {table} WHERE {batch} = %(batch)s"
    ),
    # SQLite 3.35 and later (RETURNING).
    "sqlite": scan_day_sql(
        "UPDATE {table} SET {count} = {count} + 1 WHERE {batch} = %(batch)s AND {day} = %(day)s"
        " RETURNING {count},"
        " (SELECT COALESCE(SUM({count}), 0) FROM {table} WHERE {batch} = %(batch)s AND {day} <> %(day)s),"
        " (SELECT MIN({day}) FROM {table} WHERE {batch} = %(batch)s)"
    ),
}


def _count_and_total_sql() -> str | None:
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 35):
        return None
    return _COUNT_AND_TOTAL_SQL.get(connection.vendor)


def count_scan(*, batch_id: int, package_count: int) -> dict:
    """Count one scan of the batch's trace page and return the totals it shows (scan_summary):
    one statement on PostgreSQL and SQLite, a few more elsewhere and for a batch's first scan of
    the day."""
    day = timezone.localdate()
    statement = _count_and_total_sql()
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(statement, {"batch": batch_id, "day": day})
            today, earlier, first_day, *_ = cursor.fetchone() or (None, None, None)
        if today is not None:
            return scan_summary(total=earlier + today, first_day=first_day, package_count=package_count)
        # The day's first scan of this batch: its row is made below.
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
