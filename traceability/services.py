"""Changes of state for batches: counting the scans of a batch's trace page."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ScanDay
from .selectors import scan_day_sql

_INCREMENT_SQL = scan_day_sql("UPDATE {table} SET {count} = {count} + 1 WHERE {batch} = %s AND {day} = %s")


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
