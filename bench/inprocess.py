"""Measurements made in the runner's own process, with the same settings and database as the
server: the demo data to load, the trace page through Django's test client, scans counted."""

import gzip
import os

from bench.server import HOST


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def demo_category_slug() -> str | None:
    from products.models import Category

    category = Category.objects.order_by("sort_order", "name").first()
    return category.slug if category else None


def live_batch_short_code() -> str | None:
    """A live batch, preferring one that is not recalled and has the most trace events."""
    from django.db.models import Count

    try:
        from traceability.models import BatchPage
    except ImportError:
        return None
    batches = BatchPage.objects.live().annotate(event_count=Count("events"))
    batch = batches.filter(recalled_on__isnull=True).order_by("-event_count", "pk").first()
    batch = batch or batches.order_by("pk").first()
    return batch.short_code if batch else None


def scan_total(short_code: str) -> int:
    from django.db import connections
    from django.db.models import Sum

    from traceability.models import ScanDay

    total = ScanDay.objects.filter(batch__short_code=short_code).aggregate(total=Sum("count"))["total"]
    # Let go of the connection: on SQLite an idle one can hold up the server's writes.
    connections.close_all()
    return total or 0


def inspect_trace_page(path: str) -> dict:
    """Status, size, gzip size and SQL queries of one trace page, through Django's test client:
    rendered fresh (the page cache off), then twice through the page cache (the second is what
    a repeat scan gets)."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)

    def get():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body, len(queries)

    with override_settings(PAGE_CACHE_SECONDS=0):
        get()  # Wagtail's own lookups (site root paths) into the cache, as on a running server
        response, body, fresh_queries = get()
    get()
    _, _, cached_queries = get()
    connections.close_all()
    return {
        "status": response.status_code,
        "content_type": response.get("Content-Type", ""),
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body)),
        "queries_fresh": fresh_queries,
        "queries_cached": cached_queries,
        "has_script": b"<script" in body.lower(),
    }


def describe_cache() -> str:
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if backend.endswith("RedisCache"):
        return f"Redis (REDIS_URL, {backend}), shared by both workers"
    return f"{backend}, one per worker process (set REDIS_URL to share one)"
