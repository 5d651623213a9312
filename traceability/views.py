"""The trace page a buyer sees after scanning a package: rendered directly (no redirect, which
costs a round trip on a slow link) from the GS1 Digital Link URL /01/<gtin>/10/<lot>, the short
code URL /t/<code>, or the batch's own page URL."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from growers.views import printable
from website.i18n import language_from_request

from .models import BatchPage
from .selectors import (
    find_batch_by_gtin_and_lot,
    find_batch_by_short_code,
    report_contact,
    trace_context,
    visitor_language_context,
)
from .services import record_scan

TRACE_TEMPLATE = "traceability/trace_page.html"
NOT_FOUND_TEMPLATE = "traceability/trace_not_found.html"


def trace_response(request, batch: BatchPage) -> HttpResponse:
    """The trace page of a published batch. A GET is a scan and is counted (HEAD is not:
    link checkers and crawlers are not buyers)."""
    if request.method == "GET":
        record_scan(batch=batch)
    context = trace_context(batch)
    context.update(visitor_language_context(request, batch, context["product"], context["cooperative"]))
    # The batch goes in as `self`, not `page`: Wagtail's userbar finds it there, and base.html
    # does not take it for an untranslated page (its notice and lang="vi" around everything).
    # The interface is in the visitor's language; the batch's own words carry lang="vi".
    context["self"] = batch
    return render(request, TRACE_TEMPLATE, context)


def not_found_response(request, typed: str) -> HttpResponse:
    context = {"typed_code": printable(typed), "report_contact": report_contact()}
    return render(request, NOT_FOUND_TEMPLATE, context, status=404)


@require_safe
@language_from_request
def trace_by_short_code(request, code: str) -> HttpResponse:
    batch = find_batch_by_short_code(code.removesuffix("/"))
    return trace_response(request, batch) if batch else not_found_response(request, code)


@require_safe
@language_from_request
def trace_by_gtin_and_lot(request, gtin: str, lot: str) -> HttpResponse:
    """GS1 Digital Link. Query attributes (?17=261231 and the like) are accepted and ignored:
    the lot identifies the batch, whose page shows its own best-before."""
    batch = find_batch_by_gtin_and_lot(gtin, lot)
    return trace_response(request, batch) if batch else not_found_response(request, f"{gtin}/10/{lot}")


def serve_batch_page(page, request, serve_args, serve_kwargs):
    """For Wagtail's `before_serve_page` hook: the batch's own URL shows the same trace page
    (and counts the scan). Pages with a view restriction are left to Wagtail's privacy check;
    previews in the admin do not pass through this hook and are not counted."""
    if not isinstance(page, BatchPage) or request.method not in ("GET", "HEAD"):
        return None
    if page.get_view_restrictions().exists():
        return None
    return trace_response(request, page)
