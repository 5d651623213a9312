"""GET /api/v1/batches/<short-code> (JSON) and /api/v1/batches/<short-code>/epcis (EPCIS 2.0
JSON-LD): a published batch's public record, for apps, marketplaces and other traceability
systems (DESIGN §4). The same data as the trace page, read through the same selector, and the
same fixed number of queries whatever the number of events. No scan is counted: a machine
reading the API is not a buyer holding the package.

Links a person follows (trace page, registry pages, API) are built on the request's address;
identifiers (the GS1 Digital Link URI, EPCIS identifiers) on the site's configured address,
which is the one printed on labels."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from growers.api_views import iso, json_response
from growers.links import growing_area_api_url, growing_area_url
from growers.registry import printable
from website.i18n import default_language

from .epcis import CONTENT_TYPE, biz_step, epcis_document, iso_with_offset, label_variant_of
from .links import label_url
from .selectors import find_batch_by_short_code, trace_context

ALLOWED_METHODS = ("GET", "HEAD")


def _refuse_method(request) -> JsonResponse | None:
    if request.method in ALLOWED_METHODS:
        return None
    response = json_response({"error": "method_not_allowed"}, status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def _not_found(typed: str) -> JsonResponse:
    return json_response({"error": "not_found", "code": printable(typed)}, status=404)


def warnings_for(batch, areas) -> list[dict]:
    """Every reason a buyer should be careful, the gravest first (the trace page's verdict
    names the gravest; an app may want them all)."""
    reasons = []
    if batch.is_recalled:
        reasons.append(
            {"reason": "recalled", "recalled_on": iso(batch.recalled_on), "message": batch.recall_reason}
        )
    for area in areas:
        if not area.is_valid:
            reasons.append(
                {
                    "reason": f"growing_area_{area.effective_status}",
                    "growing_area": area.code,
                    "message": f"{area.code}: {area.effective_status_label}",
                }
            )
    for area in areas:
        if getattr(area, "registered_elsewhere", False):
            reasons.append(
                {
                    "reason": "growing_area_not_registered_to_producer",
                    "growing_area": area.code,
                    "message": f"{area.code}: registered to another producer.",
                }
            )
    if not areas:
        reasons.append({"reason": "no_growing_area", "message": "No registered growing-area code is cited."})
    return reasons


def batch_data(request, batch, context: dict) -> dict:
    product, cooperative, areas = context["product"], context["cooperative"], context["areas"]
    variants = list(product.variants.all()) if product else []
    variant = label_variant_of(product)
    absolute = request.build_absolute_uri
    reasons = warnings_for(batch, areas)
    return {
        "short_code": batch.short_code,
        "lot": batch.lot,
        "product": {
            "title": product.title,
            "url": absolute(product.get_url(request)) if product.get_url(request) else None,
            "gtins": [v.gtin for v in variants if v.gtin],
        }
        if product
        else None,
        "cooperative": {"name": cooperative.title, "address": cooperative.address} if cooperative else None,
        "harvest": {"start": iso(batch.harvest_start), "end": iso(batch.harvest_end or batch.harvest_start)},
        "quantity_kg": float(batch.quantity_kg),
        "package_count": batch.package_count,
        "packed_on": iso(batch.packed_on),
        "best_before": iso(batch.expiry_date),
        "growing_areas": [
            {
                "code": area.code,
                "status": area.effective_status,
                "valid_until": iso(area.valid_until),
                "village": area.village,
                "commune": area.commune,
                "url": absolute(growing_area_url(area.code, language=default_language())),
                "api_url": absolute(growing_area_api_url(area.code)),
            }
            for area in areas
        ],
        "certifications": [
            {
                "scheme": cert.scheme,
                "scheme_label": str(cert.get_scheme_display()),
                "number": cert.number,
                "issuer": cert.issuer,
                "valid_until": iso(cert.valid_until),
            }
            for cert in context["certifications"]
        ],
        "lab_tests": [
            {
                "title": test.title,
                "laboratory": test.laboratory,
                "tested_on": iso(test.tested_on),
                "result": test.result,
                "document_url": absolute(test.document.url) if test.document else None,
            }
            for test in context["lab_tests"]
        ],
        "recall": {"recalled_on": iso(batch.recalled_on), "reason": batch.recall_reason}
        if batch.is_recalled
        else None,
        "verdict": {"status": "warning" if reasons else "ok", "warnings": reasons},
        "events": [
            {
                "type": event.event_type,
                "epcis_biz_step": biz_step(event.event_type),
                "occurred_at": iso_with_offset(event.occurred_at, event.time_zone)[0],
                "time_zone": event.time_zone,
                "place": event.place,
                "responsible": event.responsible,
                "notes": event.notes,
            }
            for event in context["events"]
        ],
        "trace_url": absolute(f"/t/{batch.short_code}"),
        "digital_link": label_url(batch, variant) if variant else None,
        "epcis_url": absolute(f"/api/v1/batches/{batch.short_code}/epcis"),
        "updated_at": iso(batch.last_published_at),
    }


@csrf_exempt  # so that a POST is told 405, not 403: nothing here changes anything
def batch_detail(request, code: str):
    if refused := _refuse_method(request):
        return refused
    typed = code.removesuffix("/")
    batch = find_batch_by_short_code(typed)
    if batch is None:
        return _not_found(typed)
    return json_response(batch_data(request, batch, trace_context(batch)))


@csrf_exempt
def batch_epcis(request, code: str):
    if refused := _refuse_method(request):
        return refused
    batch = find_batch_by_short_code(code)
    if batch is None:
        return _not_found(code)
    context = trace_context(batch)
    document = epcis_document(
        batch,
        events=context["events"],
        areas=context["areas"],
        cooperative=context["cooperative"],
        variant=label_variant_of(context["product"]),
    )
    response = json_response(document)
    response["Content-Type"] = f"{CONTENT_TYPE}; charset=utf-8"
    return response
