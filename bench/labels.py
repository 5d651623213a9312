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
    """The Print labels view's PDF for 1,000 labels of the batch on A4 sheets."""
    from django.db import connections
    from django.urls import reverse

    from traceability.models import BatchPage

    batch = BatchPage.objects.get(short_code=short_code)
    connections.close_all()
    query = urlencode({"layout": "a4", "count": LABELS_PER_SHEET_REQUEST, "skip": 0})
    return f"{reverse('traceability_batch_labels', args=[batch.pk])}?{query}"


def pdf_pages(body: bytes) -> int:
    """Pages in a PDF made by ReportLab: one `/Type /Page` object each (good enough to check that
    the sheet is whole, without a PDF library)."""
    return len(re.findall(rb"/Type /Page(?!s)", body))
