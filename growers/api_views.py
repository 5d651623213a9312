"""GET /api/v1/growing-areas/<code>: a code's public record as JSON, for apps, marketplaces and
other registers (DESIGN §4). Public data only: the number of households, never who they are."""

from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from website.i18n import default_language

from .registry import area_url, find_area, live_registry, printable

ALLOWED_METHODS = ("GET", "HEAD")


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def json_response(data: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data,
        status=status,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )
    # Public data, read from any site's pages and apps.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def growing_area_data(area, request) -> dict:
    inspection = area.inspections.first()
    registry = live_registry()
    cooperative = area.cooperative
    return {
        "code": area.code,
        "name": area.name,
        "status": area.effective_status,
        "issued_on": iso(area.issued_on),
        "valid_until": iso(area.valid_until),
        "authority": area.issuing_authority,
        "decision_number": area.decision_number,
        "crop": {"name": area.crop_name, "scientific_name": area.crop_scientific_name or None},
        "area_hectares": float(area.area_hectares),
        "village": area.village,
        "commune": area.commune,
        "district": area.district,
        "province": area.province,
        "location": {
            "latitude": float(area.latitude),
            "longitude": float(area.longitude),
            "boundary": area.boundary or None,
        },
        "certifications": [
            {
                "scheme": cert.scheme,
                "scheme_label": str(cert.get_scheme_display()),
                "number": cert.number,
                "issuer": cert.issuer,
                "valid_until": iso(cert.valid_until),
            }
            for cert in area.certifications.all()
        ],
        "latest_inspection": {
            "date": iso(inspection.date),
            "inspector": inspection.inspector,
            "result": inspection.result,
        }
        if inspection
        else None,
        "households_count": area.households_count,
        "cooperative": {
            "name": cooperative.title,
            "url": cooperative.get_full_url(request) if cooperative.live else None,
        }
        if cooperative
        else None,
        "url": area_url(registry, area, request, full=True) if registry else None,
        "updated_at": iso(area.updated_at),
    }


@csrf_exempt  # so that a POST is told 405, not 403: nothing here changes anything
def growing_area_detail(request, code: str):
    if request.method not in ALLOWED_METHODS:
        response = json_response({"error": "method_not_allowed"}, status=405)
        response["Allow"] = ", ".join(ALLOWED_METHODS)
        return response
    typed = code.removesuffix("/")
    area = find_area(typed)
    if area is None:
        return json_response({"error": "not_found", "code": printable(typed)}, status=404)
    # Language-neutral, like the rest of the record (names are Vietnamese): the labels are in the
    # site's language whatever the caller's Accept-Language or cookie, so one URL has one answer.
    with translation.override(default_language()):
        return json_response(growing_area_data(area, request))
