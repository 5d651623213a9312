"""Codes typed by hand (DESIGN §4): /check/ and the pages of serialised units.

/check/?code=… (GET) checks a batch's short code or a unit's serial; the unit's secret PIN comes
only by POST (fields `code` and `pin`), never from a URL: a `pin` in the query is ignored, so it
stays out of logs and browser histories, and is never written back into a page.

A unit's page (/t/<short-code>/<serial>, /01/<gtin>/10/<lot>/21/<serial>) is its batch's trace
page with the unit's own history on top and a form for its PIN. It is rendered fresh, not through
the page cache: its history changes with every check, and each of thousands of units is opened by
a handful of people, so a kept copy would seldom be read again and would crowd the batches' copies
out of the cache. A fixed number of queries whatever the events or checks (selectors.trace_context
plus one for the unit and one for its history)."""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from website.i18n import language_from_request

from .checks import check_code, find_unit, normalise_typed, split_pin, unit_history
from .models import CheckChannel, UnitCheck
from .selectors import (
    MAX_TYPED_LENGTH,
    NOT_FOR_SALE,
    find_batch_by_gtin_and_lot,
    find_batch_by_short_code,
    report_contact,
    trace_context,
    visitor_language_context,
)
from .views import count_batch_scan, not_found_response, seen_key, trace_by_gtin_and_lot, trace_by_short_code
from .visitors import counts_as_person, place_of, remember_seen, seen_today

CHECK_TEMPLATE = "traceability/check.html"
UNIT_TEMPLATE = "traceability/unit_page.html"
# Longer than anything a person types into the form: refused with a sentence, before any query.
MAX_FIELD_LENGTH = 4 * MAX_TYPED_LENGTH


def pin_key(unit) -> str:
    """The visitor's "seen today" key for a right-PIN check of a unit (visitors.py)."""
    return f"k{unit.pk}"


@sensitive_post_parameters("pin")
@require_http_methods(["GET", "HEAD", "POST"])
@language_from_request
def check(request) -> HttpResponse:
    if request.method == "POST":
        code, pin = request.POST.get("code", ""), request.POST.get("pin", "")
        if not pin.strip() and len(code) <= MAX_FIELD_LENGTH:
            code, pin = split_pin(code)  # "serial PIN" typed in the code field
    elif "pin" in request.GET or split_pin(request.GET.get("code", "")[:MAX_FIELD_LENGTH])[1]:
        # Never a PIN from a URL (a `pin`, or one typed after the serial in the footer's GET form):
        # not read, and sent away at once (without it) so that no link on the page (the language
        # switcher) and no browser history keeps it.
        query = request.GET.copy()
        query.pop("pin", None)
        if "code" in query:
            query["code"] = split_pin(query["code"])[0]
        response = HttpResponseRedirect(f"/check/?{query.urlencode()}" if query else "/check/")
        add_never_cache_headers(response)
        return response
    else:
        code, pin = request.GET.get("code", ""), ""
    context = {"typed": code[:MAX_TYPED_LENGTH], "report_contact": report_contact()}
    status = 200
    if len(code) > MAX_FIELD_LENGTH or len(pin) > MAX_FIELD_LENGTH:
        context["error"] = _("That is too long to be a code or a PIN. Type the code printed beside the QR.")
        status = 400
    elif code.strip():
        result = check_code(
            code,
            pin or None,
            channel=CheckChannel.WEB,
            place=place_of(request),
            counted=lambda unit: not seen_today(request, pin_key(unit)),
        )
        context.update(result=result, **_result_context(request, result))
        # An unknown code answers 404: counted against the client's guesses (rate_limits.py).
        status = 404 if result.kind == "unknown" else 200
    response = render(request, CHECK_TEMPLATE, context, status=status)
    if context.get("result") and context["result"].kind in ("unit-first", "unit-again"):
        remember_seen(response, request, pin_key(context["result"].unit))
    add_never_cache_headers(response)
    return response


def _result_context(request, result) -> dict:
    if result.kind == "unknown":
        return {"shown_code": result.code}
    batch = result.batch
    context = {"batch": batch, "trace_url": f"/t/{batch.short_code}", "verdict": result.verdict}
    # A recall, or a code not valid at harvest, is said before what the package's label answers
    # (issue 18 §5), as the SMS reply does: a genuine label does not make the batch safe.
    context["urgent"] = result.kind != "batch" and result.verdict.get("kind") in NOT_FOR_SALE
    context.update(
        visitor_language_context(request, batch, result.context["product"], result.context["cooperative"])
    )
    return context


# --- unit pages ---------------------------------------------------------------------------------


def unit_response(request, unit) -> HttpResponse:
    """The unit's page (see the module's docstring). Opening it counts a look at the unit
    (channel QR, no PIN) once per visitor per day, for people only (visitors.counts_as_person);
    the batch's scan is counted as its trace page counts one (once a day per browser)."""
    batch = unit.batch
    counted = counts_as_person(request) and not unit.is_void and not seen_today(request, f"u{unit.pk}")
    if counted:
        UnitCheck.objects.create(unit=unit, channel=CheckChannel.QR, pin_ok=None, place=place_of(request))
    batch_counted, scans = count_batch_scan(request, batch)
    context = trace_context(batch, scans)
    context.update(visitor_language_context(request, batch, context["product"], context["cooperative"]))
    context.update(self=batch, unit=unit, unit_history=unit_history(unit))
    response = render(request, UNIT_TEMPLATE, context)
    seen = ([f"u{unit.pk}"] if counted else []) + ([seen_key(batch.pk)] if batch_counted else [])
    if seen:
        remember_seen(response, request, *seen)
    add_never_cache_headers(response)
    return response


@require_safe
@language_from_request
def unit_by_short_code(request, code: str, serial: str) -> HttpResponse:
    """/t/<short-code>/<serial>: the unit, if it is of that batch; an unknown serial of a known
    batch is the not-found page; anything else is what /t/ answers for the whole path."""
    unit = find_unit(normalise_typed(serial.removesuffix("/")))
    if unit is not None and unit.batch.short_code == normalise_typed(code):
        return unit_response(request, unit)
    if find_batch_by_short_code(code) is not None:
        return not_found_response(request, f"{code}/{serial}")
    return trace_by_short_code(request, f"{code}/{serial}")


@require_safe
@language_from_request
def unit_by_gtin_lot_serial(request, gtin: str, lot: str, serial: str) -> HttpResponse:
    """/01/<gtin>/10/<lot>/21/<serial>. A lot may hold "/21/" itself (GS1 AI 10 allows a slash):
    when no unit matches, the whole path is tried as a lot first."""
    unit = find_unit(normalise_typed(serial.removesuffix("/")))
    if unit is not None and unit.batch.lot == lot:
        batch = find_batch_by_gtin_and_lot(gtin, lot)
        if batch is not None and batch.pk == unit.batch_id:
            return unit_response(request, unit)
    if find_batch_by_gtin_and_lot(gtin, f"{lot}/21/{serial}") is None and find_batch_by_gtin_and_lot(
        gtin, lot
    ):
        return not_found_response(request, f"{gtin}/10/{lot}/21/{serial}")
    return trace_by_gtin_and_lot(request, gtin, f"{lot}/21/{serial}")
