"""What the queue's tests share: applications as the public form or the desk leaves them, and the
steps that bring one to a given status (through the services, the only way)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from applications.models import Application, ApplicationHousehold, ApplicationPlot, ApplicationStep
from applications.numbers import save_with_number
from applications.services import advance, record_inspection
from growers.factories import square_boundary

TODAY = timezone.localdate()


def make_application(
    *, cooperative=None, phone="+84912345678", village="Sì Lở Lầu", plots=None, households=None, **fields
):
    application = Application(
        applicant_name=fields.pop("applicant_name", "Giàng A Páo"),
        phone=phone,
        village=village,
        crop=fields.pop("crop", "thao-qua"),
        cooperative=cooperative,
        language=fields.pop("language", "vi"),
        **fields,
    )
    save_with_number(application)
    if plots is None:
        plots = [
            {
                "area_hectares": Decimal("1.20"),
                "latitude": Decimal("22.620000"),
                "longitude": Decimal("103.270000"),
                "boundary": square_boundary(),
            },
            {
                "area_hectares": Decimal("0.80"),
                "boundary": square_boundary(Decimal("22.630000"), Decimal("103.280000")),
            },
        ]
    for index, plot in enumerate(plots):
        ApplicationPlot.objects.create(application=application, sort_order=index, **plot)
    if households is None:
        households = [
            {"head_name": "Giàng A Páo", "phone": "0912345001", "area_hectares": Decimal("1.20")},
            {"head_name": "Lò Mỳ Chừ", "phone": "0912345002", "area_hectares": Decimal("0.80")},
        ]
    for index, household in enumerate(households):
        ApplicationHousehold.objects.create(application=application, sort_order=index, **household)
    ApplicationStep.objects.create(application=application, from_status="", to_status="received")
    return application


def bring_to(application, status, user, *, result="passed"):
    """Take the steps from received to `status` as an officer would."""
    path = {
        "received": [],
        "needs-info": ["needs-info"],
        "inspection": ["inspection"],
        "inspected": ["inspection", "inspected"],
        "refused": ["refused"],
    }[status]
    for step in path:
        if step == "inspected":
            record_inspection(
                application, date=TODAY, inspector="Lò Văn Sơn", result=result, notes="", user=user
            )
        else:
            advance(
                application,
                to_status=step,
                reason="Bản đồ lô đất chưa rõ" if step in ("needs-info", "refused") else "",
                user=user,
                planned_for=TODAY + timedelta(days=3) if step == "inspection" else None,
            )
    application.refresh_from_db()
    return application


@pytest.fixture
def application(coop1):
    return make_application(cooperative=coop1, email="pao@example.com")
