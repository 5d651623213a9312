"""Changes of state for batches: counting the scans of a batch's trace page."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ScanDay


def record_scan(*, batch_id: int, day: datetime.date | None = None) -> None:
    """Count one view of the batch's trace page on `day` (today, local time). By id: a repeat
    scan served from the page cache has no batch loaded, and needs none.

    Concurrent scans are never lost: the count is incremented in the database
    (UPDATE ... SET count = count + 1), and the day's first scan creates its row inside a
    savepoint; if another request created it meanwhile, the unique constraint refuses the
    second row and this scan increments the first one instead."""
    day = day or timezone.localdate()
    rows = ScanDay.objects.filter(batch_id=batch_id, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ScanDay.objects.create(batch_id=batch_id, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
