"""Growing-area codes, registered as an officer registers them."""

import datetime
from decimal import Decimal

from wagtail.log_actions import log

from demo.data.commune import PROVINCE_PLANT_PROTECTION
from demo.services.run import SeedRun, days_from_today, in_years
from demo.specs import DemoArea
from growers.models import (
    CooperativePage,
    GrowingArea,
    GrowingAreaCertification,
    Household,
    Inspection,
)
from growers.services import change_status


def ensure_area(run: SeedRun, cooperative: CooperativePage, spec: DemoArea) -> GrowingArea:
    """Register a demo code as an officer would, unless a code with its lookup key exists
    (then it is left as the officer has it). Suspended and revoked codes go through
    growers.services.change_status, so their history is there with a reason."""
    existing = GrowingArea.objects.by_code(spec.code).first()
    if existing is not None:
        return existing
    issued_on = days_from_today(-spec.issued_days_ago)
    area = GrowingArea(
        code=spec.code,
        name=spec.name,
        cooperative=cooperative,
        village=spec.village,
        crop_name=spec.crop_name,
        crop_scientific_name=spec.crop_scientific_name,
        area_hectares=Decimal(spec.area_hectares),
        latitude=Decimal(str(spec.latitude)),
        longitude=Decimal(str(spec.longitude)),
        boundary=spec.boundary,
        issuing_authority=PROVINCE_PLANT_PROTECTION,
        decision_number=spec.decision_number,
        issued_on=issued_on,
        valid_until=issued_on + datetime.timedelta(days=spec.valid_for_days),
        households=[
            Household(head_name=name, village=spec.village, phone=phone) for name, phone in spec.households
        ],
        certifications=[
            GrowingAreaCertification(scheme=scheme, number=number, issuer=issuer, valid_until=in_years(2))
            for scheme, number, issuer in spec.certifications
        ],
        inspections=[
            Inspection(date=days_from_today(-days), inspector=inspector, result=result, notes=notes)
            for days, inspector, result, notes in spec.inspections
        ],
    )
    area.full_clean()
    area.save()
    log(instance=area, action="wagtail.create", user=run.officer)
    if spec.status_change is not None:
        status, days_ago, reason = spec.status_change
        change_status(
            area=area,
            to_status=status,
            reason=reason,
            user=run.officer,
            effective_date=days_from_today(-days_ago),
        )
        area.refresh_from_db()
    run.new_area_codes.add(area.code)
    run.changed(f"growing-area code {area.code} ({area.effective_status})")
    return area
