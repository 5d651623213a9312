"""The public side of applications: the form (/growing-areas/apply/), the confirmation after it
and the status page (/growing-areas/apply/<number>/), which shows an application to whoever
holds its number and the last 4 digits of its phone. A wrong number and wrong digits get the
same answer, counted against the client (rate_limits.py); nothing here is cached."""

import secrets

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import get_language, get_supported_language_variant
from django.views.decorators.cache import never_cache

from growers.crops import crop_for, minimum_hectares

from . import notifications, rate_limits
from .forms import ApplicationForm, HouseholdFormSet, PlotFormSet, StatusForm
from .models import (
    Application,
    ApplicationFile,
    ApplicationHousehold,
    ApplicationPlot,
    ApplicationStatus,
    ApplicationStep,
    Channel,
    FileKind,
)
from .numbers import normalise_number, save_with_number

# The session remembers the applications this browser just sent (number by form token), so a
# second press of the button finds the first one, and the confirmation shows the status without
# the digits.
SESSION_KEY = "applications_submitted"
SESSION_KEEP = 10


def language() -> str:
    try:
        return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def submitted(request) -> dict:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, dict) else {}


def remember(request, token: str, number: str) -> None:
    kept = submitted(request)
    kept[token] = number
    request.session[SESSION_KEY] = dict(list(kept.items())[-SESSION_KEEP:])


def under_minimum(application: Application) -> dict | None:
    """The minimum the application's plots fall short of, for the warning, or None."""
    minimum = minimum_hectares(crop_for(application.crop))
    total = application.total_hectares
    if total < minimum:
        return {"total": total, "minimum": minimum}
    return None


@never_cache
def apply(request):
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        plots = PlotFormSet(request.POST, request.FILES, prefix="plots")
        households = HouseholdFormSet(request.POST, request.FILES, prefix="households")
        token = (request.POST.get("submission") or "")[:64]
        if token and token in submitted(request):
            # The same form sent again: the application it made already exists.
            return redirect("applications:received", number=submitted(request)[token])
        if rate_limits.over_limit("application_submit", request):
            return render(
                request,
                "applications/apply.html",
                {"form": form, "plots": plots, "households": households, "too_many": True},
                status=429,
            )
        valid = form.is_valid() & plots.is_valid() & households.is_valid()
        if valid:
            application = create_application(form, plots, households)
            rate_limits.count("application_submit", request)
            remember(request, token or secrets.token_urlsafe(16), application.number)
            return redirect("applications:received", number=application.number)
        status = 400
    else:
        form = ApplicationForm(initial={"submission": secrets.token_urlsafe(16)})
        plots = PlotFormSet(prefix="plots")
        households = HouseholdFormSet(prefix="households")
        status = 200
    return render(
        request,
        "applications/apply.html",
        {"form": form, "plots": plots, "households": households},
        status=status,
    )


def create_application(form, plots, households) -> Application:
    data = form.cleaned_data
    application = Application(
        applicant_kind=data["applicant_kind"],
        applicant_name=data["applicant_name"].strip(),
        phone=data["phone"],
        email=data.get("email") or "",
        language=language(),
        village=data["village"].strip(),
        crop=data["crop"],
        crop_other=(data.get("crop_other") or "").strip(),
        variety=(data.get("variety") or "").strip(),
        standard=data.get("standard") or "",
        notes=(data.get("notes") or "").strip(),
        channel=Channel.WEB,
    )
    with transaction.atomic():
        save_with_number(application)
        for order, plot_form in enumerate(f for f in plots.forms if f.has_changed() and f.cleaned_data):
            plot = plot_form.cleaned_data
            ApplicationPlot.objects.create(
                application=application,
                sort_order=order,
                area_hectares=plot["area_hectares"],
                description=(plot.get("description") or "").strip(),
                latitude=plot.get("latitude"),
                longitude=plot.get("longitude"),
                boundary=getattr(plot_form, "boundary", None),
            )
            if upload := plot.get("boundary_file"):
                kml = str(upload.name).lower().endswith(".kml")
                content_type = "application/vnd.google-earth.kml+xml" if kml else "application/geo+json"
                store_file(application, upload, FileKind.BOUNDARY, content_type)
        for order, household_form in enumerate(
            f for f in households.forms if f.has_changed() and f.cleaned_data
        ):
            household = household_form.cleaned_data
            ApplicationHousehold.objects.create(
                application=application,
                sort_order=order,
                head_name=household["head_name"].strip(),
                village=(household.get("village") or "").strip(),
                phone=household.get("phone") or "",
                area_hectares=household.get("area_hectares"),
            )
        for upload, content_type in zip(
            data.get("photos") or [], getattr(form, "photo_types", []), strict=False
        ):
            store_file(application, upload, FileKind.PHOTO, content_type)
        for upload, content_type in zip(
            data.get("documents") or [], getattr(form, "document_types", []), strict=False
        ):
            store_file(application, upload, FileKind.DOCUMENT, content_type)
        step = ApplicationStep.objects.create(
            application=application, from_status="", to_status=ApplicationStatus.RECEIVED
        )
        notifications.notify_applicant(step)
    return application


def store_file(application, upload, kind, content_type) -> None:
    upload.seek(0)
    ApplicationFile.objects.create(
        application=application,
        kind=kind,
        file=upload,  # saved under a random name (models.application_file_path)
        original_name=str(upload.name)[-200:],
        content_type=content_type,
        size=upload.size,
    )


def status_context(application: Application) -> dict:
    steps = list(application.steps.all())
    planned = next((step.planned_for for step in reversed(steps) if step.planned_for), None)
    refusal = next(
        (step.reason for step in reversed(steps) if step.to_status == ApplicationStatus.REFUSED), ""
    )
    return {
        "application": application,
        "steps": steps,
        "planned_for": planned if application.status == ApplicationStatus.INSPECTION_PLANNED else None,
        "refusal": refusal if application.status == ApplicationStatus.REFUSED else "",
        "code": application.growing_area.code if application.growing_area_id else "",
        "under_minimum": under_minimum(application),
        "keyword": settings.APPLICATION_SMS_KEYWORD,
    }


def find(number: str) -> Application | None:
    return (
        Application.objects.select_related("growing_area")
        .prefetch_related("plots", "steps")
        .filter(number=normalise_number(number))
        .first()
    )


@never_cache
def received(request, number):
    """The confirmation right after sending: only for the browser that sent it."""
    number = normalise_number(number)
    application = find(number) if number in submitted(request).values() else None
    if application is None:
        return redirect("applications:status", number=number or "0")
    return render(request, "applications/received.html", status_context(application))


@never_cache
def status(request, number):
    shown = normalise_number(number)
    context = {
        "number": shown or number[:20],
        "form": StatusForm(),
        "keyword": settings.APPLICATION_SMS_KEYWORD,
    }
    if request.method == "POST":
        if rate_limits.over_limit("application_status_miss", request):
            return render(request, "applications/status.html", {**context, "too_many": True}, status=429)
        form = context["form"] = StatusForm(request.POST)
        if form.is_valid():
            application = find(shown) if shown else None
            digits = form.cleaned_data["digits"].strip()
            if application is not None and application.phone[-4:] == digits:
                return render(request, "applications/status.html", {**context, **status_context(application)})
            rate_limits.count("application_status_miss", request)
            # The digits are not written back into the page: an empty form again.
            context["form"] = StatusForm()
            return render(request, "applications/status.html", {**context, "not_found": True}, status=404)
        return render(request, "applications/status.html", context, status=400)
    if shown and shown in submitted(request).values() and (application := find(shown)) is not None:
        return render(request, "applications/status.html", {**context, **status_context(application)})
    return render(request, "applications/status.html", context)
