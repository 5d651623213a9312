"""The officer's steps on a code application (DESIGN §2): each one checked against the rules under
a row lock (two officers acting at once cannot both move it), kept as an ApplicationStep with who,
when and why, written to Wagtail's log, and told to the applicant (notifications.notify_applicant,
after commit). Granting makes the GrowingArea from the application, with no retyping."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import shapely

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from growers.crops import crop_for
from growers.geometry import GeometryError, validate_boundary
from growers.models import GrowingArea, GrowingAreaCertification, Household, Inspection, InspectionResult
from sms.phones import normalise_phone

from .exceptions import ApplicationRefused
from .models import (
    ApplicantKind,
    Application,
    ApplicationFile,
    ApplicationInspection,
    ApplicationStatus,
    ApplicationStep,
    Channel,
    FileKind,
)
from .notifications import notify_applicant
from .numbers import save_with_number

S = ApplicationStatus
# Which status may follow which. Inspected is reached only by recording an inspection and granted
# only by granting (they need more than a reason); granted and refused are final.
TRANSITIONS = {
    S.RECEIVED: (S.NEEDS_INFORMATION, S.INSPECTION_PLANNED, S.REFUSED),
    S.NEEDS_INFORMATION: (S.RECEIVED, S.INSPECTION_PLANNED, S.REFUSED),
    S.INSPECTION_PLANNED: (S.INSPECTED, S.NEEDS_INFORMATION, S.REFUSED),
    S.INSPECTED: (S.GRANTED, S.REFUSED, S.INSPECTION_PLANNED),
    S.GRANTED: (),
    S.REFUSED: (),
}
# The steps `advance` takes; the others have their own service.
SIMPLE_STEPS = (S.RECEIVED, S.NEEDS_INFORMATION, S.INSPECTION_PLANNED, S.REFUSED)
# The applicant must be told why, in words meant for them.
NEEDS_REASON = (S.NEEDS_INFORMATION, S.REFUSED)


def allowed_steps(application: Application) -> tuple[str, ...]:
    """The statuses the application may move to from where it is."""
    return TRANSITIONS.get(application.status, ())


def status_label(status: str) -> str:
    return str(dict(ApplicationStatus.choices).get(status, status)).lower()


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _check_step(locked: Application, to_status: str) -> None:
    if to_status in allowed_steps(locked):
        return
    if locked.status in (S.GRANTED, S.REFUSED):
        raise ApplicationRefused(
            _("Application %(number)s is already %(status)s; that decision is final.")
            % {"number": locked.number, "status": status_label(locked.status)}
        )
    raise ApplicationRefused(
        _("Application %(number)s is %(current)s, so it cannot become %(target)s.")
        % {"number": locked.number, "current": status_label(locked.status), "target": status_label(to_status)}
    )


def _step(locked: Application, *, to_status, reason, user, planned_for=None, decided=False, data=None):
    """Move the locked application, keep the step, log it, tell the applicant."""
    now = timezone.now()
    step = ApplicationStep.objects.create(
        application=locked,
        from_status=locked.status,
        to_status=to_status,
        reason=reason,
        by=user,
        planned_for=planned_for,
    )
    locked.status = to_status
    locked.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if decided:
        locked.decided_at = now
        fields.append("decided_at")
    if locked.growing_area_id:
        fields.append("growing_area")
    locked.save(update_fields=fields)
    log(
        instance=locked,
        action=f"applications.application.{to_status}",
        user=user,
        data={
            "from": step.from_status,
            "to": to_status,
            "reason": reason,
            **({"planned_for": planned_for.isoformat()} if planned_for else {}),
            **(data or {}),
        },
    )
    notify_applicant(step)
    return step


def _refresh(application: Application, locked: Application) -> None:
    # The caller's object now says what the database says.
    for name in ("status", "status_changed_at", "decided_at", "growing_area_id"):
        setattr(application, name, getattr(locked, name))


@transaction.atomic
def advance(application: Application, *, to_status: str, reason: str, user, planned_for: date | None = None):
    """Ask for information, mark it received again, plan the inspection, or refuse. Taking the
    step the application has just taken (two officers clicking the same button) changes nothing
    and returns that step."""
    reason = (reason or "").strip()
    if to_status == S.INSPECTED:
        raise ApplicationRefused(_("An application becomes inspected by recording its inspection."))
    if to_status == S.GRANTED:
        raise ApplicationRefused(_("An application is granted through the grant form, which makes the code."))
    if to_status not in SIMPLE_STEPS:
        raise ApplicationRefused(_("Unknown status: %(status)s.") % {"status": to_status})
    if to_status in NEEDS_REASON and not reason:
        raise ApplicationRefused(_("Write the reason for the applicant: they receive it by SMS."))
    if to_status == S.INSPECTION_PLANNED and planned_for is None:
        raise ApplicationRefused(_("Give the day the inspection is planned for."))
    locked = _lock(application)
    last = locked.steps.order_by("-at", "-pk").first()
    if (
        locked.status == to_status
        and last is not None
        and last.to_status == to_status
        and last.reason == reason
        and last.planned_for == planned_for
    ):
        _refresh(application, locked)
        return last
    _check_step(locked, to_status)
    step = _step(
        locked,
        to_status=to_status,
        reason=reason,
        user=user,
        planned_for=planned_for if to_status == S.INSPECTION_PLANNED else None,
        decided=to_status == S.REFUSED,
    )
    _refresh(application, locked)
    return step


def refuse(application: Application, *, user, reason: str) -> ApplicationStep:
    """Refuse, saying why in words the applicant receives. Final."""
    return advance(application, to_status=S.REFUSED, reason=reason, user=user)


def _add_file(application, uploaded, *, kind, inspection=None) -> ApplicationFile:
    return ApplicationFile.objects.create(
        application=application,
        inspection=inspection,
        kind=kind,
        file=uploaded,
        original_name=(getattr(uploaded, "name", "") or "file")[:200],
        content_type=(getattr(uploaded, "content_type", "") or "application/octet-stream")[:100],
        size=getattr(uploaded, "size", 0) or 0,
    )


@transaction.atomic
def record_inspection(
    application: Application,
    *,
    date: date,
    inspector: str,
    result: str,
    notes: str,
    user,
    photos: Iterable = (),
) -> ApplicationInspection:
    """Keep the field inspection (with its photos) and move the application to inspected."""
    inspector = (inspector or "").strip()
    if not inspector:
        raise ApplicationRefused(_("Give the inspector's name."))
    if result not in InspectionResult.values:
        raise ApplicationRefused(_("Choose the inspection's result."))
    if date is None:
        raise ApplicationRefused(_("Give the inspection's date."))
    if date > timezone.localdate():
        raise ApplicationRefused(_("The inspection's date cannot be in the future."))
    locked = _lock(application)
    if locked.status == S.INSPECTED:
        raise ApplicationRefused(
            _("Application %(number)s is already inspected: plan a new inspection first to record another.")
            % {"number": locked.number}
        )
    _check_step(locked, S.INSPECTED)
    inspection = ApplicationInspection.objects.create(
        application=locked, date=date, inspector=inspector, result=result, notes=notes or "", recorded_by=user
    )
    for photo in photos:
        _add_file(locked, photo, kind=FileKind.PHOTO, inspection=inspection)
    _step(
        locked,
        to_status=S.INSPECTED,
        reason="",
        user=user,
        data={"inspection": inspection.pk, "result": result},
    )
    _refresh(application, locked)
    return inspection


# Granting --------------------------------------------------------------------------------------


def _polygons(application: Application) -> list:
    polygons = []
    for plot in application.plots.all():
        if not plot.boundary:
            continue
        try:
            clean = validate_boundary(plot.boundary)
        except GeometryError as error:
            raise ApplicationRefused(
                _("The boundary of plot %(n)s is not valid: %(error)s")
                % {"n": plot.sort_order or "", "error": error}
            ) from error
        rings = [clean["coordinates"]] if clean["type"] == "Polygon" else clean["coordinates"]
        polygons.extend(shapely.Polygon(polygon[0], polygon[1:]) for polygon in rings)
    return polygons


def merged_boundary(application: Application) -> dict | None:
    """The plots' boundaries as one GeoJSON MultiPolygon (overlapping plots merged), or None."""
    polygons = _polygons(application)
    if not polygons:
        return None
    union = shapely.union_all(polygons)
    parts = list(union.geoms) if hasattr(union, "geoms") else [union]

    def ring(r):
        return [[round(x, 7), round(y, 7)] for x, y in r.coords]

    return {
        "type": "MultiPolygon",
        "coordinates": [
            [ring(part.exterior), *(ring(hole) for hole in part.interiors)]
            for part in parts
            if not part.is_empty
        ],
    }


def application_point(application: Application) -> tuple[Decimal, Decimal] | None:
    """The first plot's typed point, else the centre of the plots' boundaries, else None."""
    for plot in application.plots.all():
        if plot.latitude is not None and plot.longitude is not None:
            return plot.latitude, plot.longitude
    polygons = _polygons(application)
    if polygons:
        centre = shapely.union_all(polygons).centroid
        return Decimal(f"{centre.y:.6f}"), Decimal(f"{centre.x:.6f}")
    return None


def _validation_message(error: ValidationError, code: str) -> str:
    errors = dict(error.message_dict) if hasattr(error, "error_dict") else {"__all__": error.messages}
    if errors.pop("lookup_key", None) is not None and "code" not in errors:
        errors["code"] = [_("The code %(code)s is already in the register.") % {"code": code}]
    if any(getattr(e, "code", "") == "unique" for e in getattr(error, "error_dict", {}).get("code", [])):
        errors["code"] = [_("The code %(code)s is already in the register.") % {"code": code}]
    parts = []
    for field, messages in errors.items():
        label = GrowingArea._meta.get_field(field).verbose_name if field != "__all__" else ""
        for message in messages:
            parts.append(f"{str(label).capitalize()}: {message}" if label else message)
    return " ".join(parts)


@transaction.atomic
def grant(
    application: Application,
    *,
    user,
    code: str,
    decision_number: str,
    issued_on: date,
    valid_until: date,
    name: str = "",
    issuing_authority: str | None = None,
    reason: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    certificate_number: str = "",
) -> GrowingArea:
    """Make the growing-area code from the application (village, crop, area, point, boundary,
    households, contact), link the two and tell the applicant their code. Only after an
    inspection that did not fail."""
    locked = _lock(application)
    if locked.status == S.GRANTED:
        raise ApplicationRefused(
            _("Application %(number)s is already granted: code %(code)s.")
            % {"number": locked.number, "code": locked.growing_area.code if locked.growing_area_id else "?"}
        )
    _check_step(locked, S.GRANTED)
    last_inspection = locked.inspections.order_by("-date", "-pk").first()
    if last_inspection is None or last_inspection.result == InspectionResult.FAILED:
        raise ApplicationRefused(
            _("The last inspection of %(number)s failed: plan a new inspection, or refuse the application.")
            % {"number": locked.number}
        )
    plots = list(locked.plots.all())
    if not plots:
        raise ApplicationRefused(_("The application has no plot: add its plots before granting."))
    if latitude is not None and longitude is not None:
        point = (latitude, longitude)
    else:
        point = application_point(locked)
    if point is None:
        raise ApplicationRefused(
            _("No plot has a point or a boundary: give the latitude and longitude of the area.")
        )
    crop = crop_for(locked.crop)
    area = GrowingArea(
        code=(code or "").strip(),
        name=(name or "").strip() or default_area_name(locked),
        cooperative=locked.cooperative,
        village=locked.village,
        crop_name=crop.name if crop else (locked.crop_other or locked.crop)[:100],
        crop_scientific_name=crop.scientific_name if crop else "",
        area_hectares=sum((plot.area_hectares for plot in plots), Decimal("0")),
        latitude=point[0],
        longitude=point[1],
        boundary=merged_boundary(locked),
        decision_number=(decision_number or "").strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        contact_name=locked.applicant_name[:150],
        contact_phone=normalise_phone(locked.phone) or locked.phone,
        contact_language=locked.language,
    )
    if issuing_authority:
        area.issuing_authority = issuing_authority.strip()
    try:
        area.full_clean()
    except ValidationError as error:
        raise ApplicationRefused(_validation_message(error, area.code)) from error
    area.save()
    households = [
        Household(
            area=area,
            sort_order=index,
            head_name=household.head_name,
            village=household.village or locked.village,
            phone=household.phone,
            area_hectares=household.area_hectares,
        )
        for index, household in enumerate(locked.households.all())
    ]
    if not households and locked.applicant_kind == ApplicantKind.HOUSEHOLD:
        # A household asking for itself lists no members (the form allows it): it is the code's
        # household, as the commune's count of households that asked takes it.
        households.append(
            Household(
                area=area,
                sort_order=0,
                head_name=locked.applicant_name[:150],
                village=locked.village[:100],
                phone=area.contact_phone[:20],
                area_hectares=area.area_hectares,
            )
        )
    Household.objects.bulk_create(households)
    # The field inspections that led to the code are the code's first inspections.
    Inspection.objects.bulk_create(
        Inspection(
            area=area,
            sort_order=index,
            date=inspection.date,
            inspector=inspection.inspector,
            result=inspection.result,
            notes=inspection.notes,
        )
        for index, inspection in enumerate(locked.inspections.order_by("date", "pk"))
    )
    certificate_number = (certificate_number or "").strip()
    if locked.standard and certificate_number:
        GrowingAreaCertification.objects.create(area=area, scheme=locked.standard, number=certificate_number)
    log(instance=area, action="wagtail.create", user=user, data={"application": locked.number})
    locked.growing_area = area
    _step(
        locked,
        to_status=S.GRANTED,
        reason=(reason or "").strip(),
        user=user,
        decided=True,
        data={"code": area.code},
    )
    _refresh(application, locked)
    return area


def default_area_name(application: Application) -> str:
    """What the grant form proposes as the area's name: the crop and the village, and the
    cooperative that asked. Never the household's name: the registry is public."""
    name = f"{application.crop_label} {application.village}"
    if application.cooperative_id:
        name += f" – {application.cooperative.title}"
    return name[:200]


def add_documents(application: Application, documents: Iterable) -> list[ApplicationFile]:
    """Papers the applicant brings later (the officer adds them to the application)."""
    return [_add_file(application, document, kind=FileKind.DOCUMENT) for document in documents]


# Entered at the desk ---------------------------------------------------------------------------


@transaction.atomic
def enter_on_behalf(application: Application, *, user, files: Iterable = ()) -> ApplicationStep:
    """An application brought in person and typed by the officer: numbered, marked as entered at
    the desk by them, received (the applicant gets the number by SMS)."""
    application.channel = Channel.DESK
    application.entered_by = user
    application.status = S.RECEIVED
    application.status_changed_at = timezone.now()
    application.phone = normalise_phone(application.phone) or application.phone
    save_with_number(application)
    for uploaded in files:
        _add_file(application, uploaded, kind=FileKind.DOCUMENT)
    step = ApplicationStep.objects.create(
        application=application, from_status="", to_status=S.RECEIVED, reason="", by=user
    )
    log(instance=application, action="wagtail.create", user=user, data={"channel": Channel.DESK})
    notify_applicant(step)
    return step
