"""The trace page a buyer sees after scanning a package: rendered directly (no redirect, which
costs a round trip on a slow link) from the GS1 Digital Link URL /01/<gtin>/10/<lot>, the short
code URL /t/<code>, or the batch's own page URL."""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from growers.registry import printable
from website import page_cache, ratelimit
from website.i18n import language_from_request

from .models import BatchPage
from .scan_text import scan_count_html, scan_warning_html
from .selectors import (
    find_batch_by_gtin_and_lot,
    find_batch_by_short_code,
    report_contact,
    scan_totals,
    trace_context,
    trace_page_depends_on,
    visitor_language_context,
)
from .services import count_scan
from .visitors import counts_as_person, place_of, remember_seen, seen_today

TRACE_TEMPLATE = "traceability/trace_page.html"
NOT_FOUND_TEMPLATE = "traceability/trace_not_found.html"


def trace_response(request, batch: BatchPage, *, keep: bool = True) -> HttpResponse:
    """The trace page of a published batch. A person opening it is counted, once a day per
    browser (traceability/visitors.py: HEAD, prefetches, link previews and crawlers get the page
    with the current totals, uncounted). For an anonymous visitor without a session the
    page is rendered once per address (its query ignored: GS1 attributes such as ?17=261231 and
    anything else share the copy), language and day and, with `keep`, kept
    (website/page_cache.py), with holes for what changes per request: the scan count and the
    forms' CSRF token. No CDN or browser keeps it: a copy would answer a scan without counting
    it (and not be counted against the client's rate limit), so these addresses are never
    purged either (cdn.py)."""
    counted, scans = count_batch_scan(request, batch)
    context = trace_context(batch, scans)
    context.update(visitor_language_context(request, batch, context["product"], context["cooperative"]))
    # The batch goes in as `self`, not `page`: Wagtail's userbar finds it there, and base.html
    # does not take it for an untranslated page (its notice and lang="vi" around everything).
    # The interface is in the visitor's language; the batch's own words carry lang="vi".
    context["self"] = batch
    if not (keep and page_cache.cacheable(request)):
        response = render(request, TRACE_TEMPLATE, context)
        add_never_cache_headers(response)
        if counted:
            remember_seen(response, request, seen_key(batch.pk))
        return response
    page_cache.show_only(request, page_cache.query_parameters("trace"))
    trace_page_depends_on(request, context)
    entry = {
        "batch_id": batch.pk,
        "package_count": batch.package_count,
        "report_contact": str(context["report_contact"]),
        "html": render_to_string(
            TRACE_TEMPLATE, {**context, "scan_holes": True, "csrf_token": page_cache.CSRF_HOLE}, request
        ),
    }
    page_cache.store("trace", request, entry)
    return cached_trace_response(request, entry, scans=context["scans"], counted=counted)


def seen_key(batch_id: int) -> str:
    return f"b{batch_id}"


def count_batch_scan(request, batch: BatchPage) -> tuple[bool, dict | None]:
    """Count this request as a scan of the batch when it is a person's first opening today
    (counts_now): whether it was counted, and then the totals the count read."""
    if not counts_now(request, batch.pk):
        return False, None
    return True, count_scan(batch_id=batch.pk, package_count=batch.package_count, place=place_of(request))


def counts_now(request, batch_id: int) -> bool:
    """Whether this request is a person opening the batch's trace page, not yet counted today
    from this browser (traceability/visitors.py): no query."""
    return counts_as_person(request) and not seen_today(request, seen_key(batch_id))


def cached_trace_response(
    request, entry: dict, scans: dict | None = None, counted: bool = False
) -> HttpResponse:
    """The kept page with this request's holes filled. Counted or not, the same as a fresh
    render: a person's first opening today is counted (one or two statements) and remembered in
    the response's cookie, never in the kept HTML; anything else only reads the totals (one)."""
    if scans is None:
        batch_id, package_count = entry["batch_id"], entry["package_count"]
        counted = counts_now(request, batch_id)
        if counted:
            scans = count_scan(batch_id=batch_id, package_count=package_count, place=place_of(request))
        else:
            scans = scan_totals(batch_id=batch_id, package_count=package_count)
    warning = scan_warning_html(
        scans, package_count=entry["package_count"], report_contact=entry["report_contact"]
    )
    html = (
        entry["html"]
        .replace("<!--scan-warning-->", warning)
        .replace("<!--scan-count-->", scan_count_html(scans))
    )
    response = HttpResponse(page_cache.fill_csrf(html, request))
    add_never_cache_headers(response)
    if counted:
        remember_seen(response, request, seen_key(entry["batch_id"]))
    return response


def from_page_cache(view):
    """Serve a trace URL from the page cache when it holds this address (no lookup of the batch,
    no rendering), else run the view, which renders and fills the cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if page_cache.cacheable(request):
            entry = page_cache.lookup("trace", request)
            if entry is not None:
                return cached_trace_response(request, entry)
        return view(request, *args, **kwargs)

    return wrapped


def not_found_response(request, typed: str) -> HttpResponse:
    context = {"typed_code": printable(typed), "report_contact": report_contact()}
    response = render(request, NOT_FOUND_TEMPLATE, context, status=404)
    # Each miss counts against the client's limit on guessing codes (website/ratelimit.py).
    add_never_cache_headers(response)
    return response


@require_safe
@language_from_request
@from_page_cache
def trace_by_short_code(request, code: str) -> HttpResponse:
    batch = find_batch_by_short_code(code.removesuffix("/"))
    return trace_response(request, batch) if batch else not_found_response(request, code)


@require_safe
@language_from_request
@from_page_cache
def trace_by_gtin_and_lot(request, gtin: str, lot: str) -> HttpResponse:
    """GS1 Digital Link. Query attributes (?17=261231 and the like) are accepted and ignored:
    the lot identifies the batch, whose page shows its own best-before."""
    batch = find_batch_by_gtin_and_lot(gtin, lot)
    return trace_response(request, batch) if batch else not_found_response(request, f"{gtin}/10/{lot}")


def serve_batch_page(page, request, serve_args, serve_kwargs):
    """For Wagtail's `before_serve_page` hook: the batch's own URL shows the same trace page
    (and counts the scan, under the same rate limit). Pages with a view restriction are left to
    Wagtail's privacy check; previews in the admin do not pass through this hook and are not
    counted."""
    if not isinstance(page, BatchPage) or request.method not in ("GET", "HEAD"):
        return None
    if page.get_view_restrictions().exists():
        return None
    # Each view counts a scan: limited per client as /t/ and /01/ are, on the same count, so that
    # hammering the page cannot make a genuine batch look copied (website/ratelimit.py).
    if (refused := ratelimit.count_against(request, "trace")) is not None:
        return refused
    # Not kept: the page URL is answered by Wagtail's view, which looks in the cache for pages
    # of its own (website/page_cache.serve_from_cache), never for a trace page.
    return trace_response(request, page, keep=False)
