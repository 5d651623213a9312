"""The label scenario of bench/run.py: a cooperative editor prints one sheet of 1,000 QR labels
(the most one request may ask for, traceability.labels.MAX_LABELS) from the admin's Print labels
view, served by gunicorn like every other page of the benchmark.

The request is an administrator's, with a real session made in the runner's process (the same
settings and database as the server), so it goes through the admin's login and permission
checks as a person's would.
"""

import re
from urllib.parse import urlencode

LABELS_PER_SHEET_REQUEST = 1000


def admin_session_cookie() -> str:
    """A `Cookie:` header for the demo administrator, logged in through Django's session store."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()
    return f"{settings.SESSION_COOKIE_NAME}={value}"


def label_sheet_path(short_code: str) -> str:
    """The Print labels view's PDF for 1,000 labels of the batch (its product's first pack size)
    on A4 sheets."""
    from django.db import connections
    from django.urls import reverse

    from traceability.models import BatchPage

    batch = BatchPage.objects.get(short_code=short_code)
    # The labels page asks which pack size the labels are for (no silent default): the first.
    product = batch.product
    pack = product.variants.filter(is_active=True).order_by("sort_order", "pk").first() if product else None
    connections.close_all()
    query = {"layout": "a4", "count": LABELS_PER_SHEET_REQUEST, "skip": 0}
    query = urlencode({**query, "variant": pack.pk} if pack else query)
    return f"{reverse('traceability_batch_labels', args=[batch.pk])}?{query}"


def pdf_pages(body: bytes) -> int:
    """Pages in a PDF made by ReportLab: one `/Type /Page` object each (good enough to check that
    the sheet is whole, without a PDF library)."""
    return len(re.findall(rb"/Type /Page(?!s)", body))


UNITS_PER_SHEET = 1000
# DESIGN §5 names no budget for units; ours: making 1,000 units and their PDF (1,000 labels with
# their QR codes, then 1,000 PIN labels) within 10 s, printing them again within 8 s, and a PDF
# under 3 MB (a printer's spooler takes it whole).
UNIT_SHEET_TARGET_SECONDS = 10.0
UNIT_REPRINT_TARGET_SECONDS = 8.0
UNIT_SHEET_TARGET_BYTES = 3_000_000


def unit_sheet(short_code: str) -> dict:
    """Time, in the runner's process (the same settings and database as the server), what the
    labels page does when 1,000 units are printed: make the units (the first time) and render
    their PDF with the PINs on sheets of their own, then the same request again (the same units,
    none made). The units made are deleted afterwards: the bench database stays as it was."""
    import time

    from django.db import connections

    from traceability.labels import render_unit_labels
    from traceability.models import BatchPage, Unit
    from traceability.unit_services import units_for_printing

    batch = BatchPage.objects.get(short_code=short_code)
    product = batch.product
    pack = product.variants.filter(is_active=True).order_by("sort_order", "pk").first() if product else None
    before = set(Unit.objects.filter(batch=batch).values_list("pk", flat=True))
    try:
        started = time.perf_counter()
        units = units_for_printing(batch, pack, UNITS_PER_SHEET)
        made = time.perf_counter()
        pdf = render_unit_labels(batch, units, pin_layout="inside")
        first = time.perf_counter()
        reprinted = units_for_printing(batch, pack, UNITS_PER_SHEET)
        again = render_unit_labels(batch, reprinted, pin_layout="inside")
        second = time.perf_counter()
    finally:
        Unit.objects.filter(batch=batch).exclude(pk__in=before).delete()
        connections.close_all()
    result = {
        "units": len(units),
        "make_seconds": round(made - started, 3),
        "render_seconds": round(first - made, 3),
        "first_seconds": round(first - started, 3),
        "again_seconds": round(second - first, 3),
        "bytes": len(pdf),
        "pages": pdf_pages(pdf),
        "same_again": pdf_pages(again) == pdf_pages(pdf),
    }
    result["pass"] = (
        result["pages"] == 2 * -(-UNITS_PER_SHEET // 24)
        and result["same_again"]
        and result["first_seconds"] <= UNIT_SHEET_TARGET_SECONDS
        and result["again_seconds"] <= UNIT_REPRINT_TARGET_SECONDS
        and result["bytes"] <= UNIT_SHEET_TARGET_BYTES
    )
    return result
