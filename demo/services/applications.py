"""Applications for codes, taken through the officer's queue as the officer would
(applications.services), and the holders' season declarations."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationHousehold, ApplicationPlot, ApplicationStep
from applications.numbers import save_with_number
from demo.data.applications import DEMO_APPLICATIONS, DEMO_SEASONS, INSPECTOR_NAME, DemoApplication
from demo.data.commune import PROVINCE_PLANT_PROTECTION
from demo.services.run import SeedRun, days_from_today
from growers.models import CooperativePage, GrowingArea, Season
from sms.phones import normalise_phone


def days_ago_at(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def ensure_application(run: SeedRun, spec: DemoApplication) -> Application:
    """An application found by its applicant, phone and day received; made and taken through
    its steps when missing. The dates are moved back to when the demo says it happened."""
    phone = normalise_phone(spec.phone)
    received_at = days_ago_at(spec.received_days_ago)
    existing = Application.objects.filter(
        applicant_name=spec.applicant_name,
        phone=phone,
        received_at__date=timezone.localtime(received_at).date(),
    ).first()
    if existing is not None:
        return existing
    cooperative = CooperativePage.objects.filter(slug=spec.cooperative).first() if spec.cooperative else None
    application = Application(
        applicant_kind="cooperative" if cooperative else "household",
        applicant_name=spec.applicant_name,
        cooperative=cooperative,
        phone=phone,
        language=spec.language,
        village=spec.village,
        crop=spec.crop,
        variety=spec.variety,
        standard=spec.standard,
        notes=spec.notes,
        channel=spec.channel,
        entered_by=run.officer if spec.channel == "desk" else None,
        plots=[
            ApplicationPlot(
                area_hectares=Decimal(hectares),
                description=where,
                latitude=None if latitude is None else Decimal(str(latitude)),
                longitude=None if longitude is None else Decimal(str(longitude)),
            )
            for hectares, where, latitude, longitude in spec.plots
        ],
        households=[
            ApplicationHousehold(
                head_name=name, village=spec.village, area_hectares=Decimal(area) if area else None
            )
            for name, area in spec.households
        ],
    )
    save_with_number(application)
    received = ApplicationStep.objects.create(application=application, from_status="", to_status="received")
    Application.objects.filter(pk=application.pk).update(
        received_at=received_at, status_changed_at=received_at
    )
    ApplicationStep.objects.filter(pk=received.pk).update(at=received_at)
    for step in spec.steps:
        take_step(run, application, step)
    run.changed(f"code application {application.number} ({application.applicant_name}, {application.status})")
    return application


def take_step(run: SeedRun, application: Application, step: tuple) -> None:
    status, days_ago = step[0], step[1]
    application.refresh_from_db()
    if status == "inspected":
        result, notes = step[2]
        services.record_inspection(
            application,
            date=days_from_today(-days_ago),
            inspector=INSPECTOR_NAME,
            result=result,
            notes=notes,
            user=run.officer,
        )
    elif status == "granted":
        issued_on = days_from_today(-days_ago)
        services.grant(
            application,
            user=run.officer,
            code=step[2],
            decision_number=f"{200 + application.pk}/QĐ-TTBVTV",
            issued_on=issued_on,
            valid_until=issued_on + datetime.timedelta(days=5 * 365),
            issuing_authority=PROVINCE_PLANT_PROTECTION,
        )
    elif status == "refused":
        services.refuse(application, user=run.officer, reason=step[2])
    else:
        planned_for = days_from_today(step[3]) if len(step) > 3 else None
        services.advance(
            application, to_status=status, reason=step[2], user=run.officer, planned_for=planned_for
        )
    moved_to = days_ago_at(days_ago)
    latest = application.steps.order_by("-at", "-pk").first()
    ApplicationStep.objects.filter(pk=latest.pk).update(at=moved_to)
    changes = {"status_changed_at": moved_to}
    if status in ("granted", "refused"):
        changes["decided_at"] = moved_to
    Application.objects.filter(pk=application.pk).update(**changes)


def ensure_season(run: SeedRun, spec: tuple) -> Season | None:
    code, crop, variety, hectares, standard, expected, start, harvest, end, market, actual = spec
    area = GrowingArea.objects.by_code(code).first()
    if area is None:
        return None
    starts_on = days_from_today(start)
    existing = area.seasons.filter(starts_on=starts_on).first()
    if existing is not None:
        return existing
    season = Season(
        growing_area=area,
        crop=crop,
        variety=variety,
        area_hectares=Decimal(hectares),
        standard=standard,
        expected_yield_kg=Decimal(expected),
        starts_on=starts_on,
        expected_harvest_on=days_from_today(harvest),
        ends_on=days_from_today(end),
        market=market,
        declared_by=run.officer,
    )
    if actual is not None:
        season.actual_yield_kg = Decimal(actual)
        season.actual_declared_by = run.officer
        season.actual_declared_at = timezone.now()
    season.full_clean()
    season.save()
    run.changed(f"season of {area.code} from {season.starts_on:%d/%m/%Y}")
    return season


def ensure_applications_and_seasons(run: SeedRun) -> None:
    for spec in DEMO_APPLICATIONS:
        ensure_application(run, spec)
    for spec in DEMO_SEASONS:
        ensure_season(run, spec)
