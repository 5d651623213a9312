# ruff: noqa: F811  (the `application` fixture is imported from queue_fixtures)
"""The officer's steps on an application (applications.services): each allowed step kept with
who, when and why, logged and told to the applicant by SMS (and e-mail where given); every other
step refused with a clear message and nothing changed; granting makes the code from the
application with no retyping; two officers at once cannot both act."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest

from django.core import mail
from django.db import connection
from django.utils import translation

from wagtail.models import ModelLogEntry

import sms
from applications.exceptions import ApplicationRefused
from applications.models import Application, ApplicationStep
from applications.selectors import counts_by_status, possible_duplicates, waiting_days
from applications.services import TRANSITIONS, advance, grant, record_inspection, refuse
from growers.factories import GrowingAreaFactory, square_boundary
from growers.models import GrowingArea

from .queue_fixtures import TODAY, application, bring_to, make_application  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The officer's messages are matched in English (the admin speaks the officer's language)."""
    with translation.override("en"):
        yield


GRANT = {
    "code": "VN-SLL-TQ-0101",
    "decision_number": "12/QĐ-TTBVTV",
    "issued_on": TODAY,
    "valid_until": TODAY + timedelta(days=5 * 365),
}
STATUSES = ["received", "needs-info", "inspection", "inspected", "granted", "refused"]


def snapshot(application):
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.decided_at,
        application.growing_area_id,
        ApplicationStep.objects.filter(application=application).count(),
        application.inspections.count(),
        GrowingArea.objects.count(),
        ModelLogEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("start", "to_status", "reason"),
    [
        ("received", "needs-info", "Gửi ảnh sổ đỏ"),
        ("received", "inspection", ""),
        ("received", "refused", "Không trồng dược liệu"),
        ("needs-info", "received", ""),
        ("needs-info", "inspection", ""),
        ("needs-info", "refused", "Không bổ sung giấy tờ"),
        ("inspection", "needs-info", "Gửi ranh giới lô"),
        ("inspection", "refused", "Đất tranh chấp"),
        ("inspected", "refused", "Diện tích không đủ"),
        ("inspected", "inspection", ""),
    ],
)
def test_officer_takes_each_allowed_step_and_the_applicant_is_told(
    officer, application, start, to_status, reason, django_capture_on_commit_callbacks
):
    bring_to(application, start, officer)
    planned = TODAY + timedelta(days=5) if to_status == "inspection" else None
    with django_capture_on_commit_callbacks(execute=True):
        step = advance(application, to_status=to_status, reason=reason, user=officer, planned_for=planned)

    application.refresh_from_db()
    assert application.status == to_status
    assert (step.from_status, step.to_status, step.by, step.reason) == (start, to_status, officer, reason)
    assert step.planned_for == planned
    assert application.status_changed_at is not None
    assert (application.decided_at is not None) == (to_status == "refused")
    entry = ModelLogEntry.objects.filter(action=f"applications.application.{to_status}").latest("pk")
    assert entry.user_id == officer.pk and entry.object_id == str(application.pk)
    # One SMS to the applicant's phone, and the e-mail they gave, saying the step and the reason.
    (text,) = sms.outbox
    assert text["to"] == "+84912345678"
    assert application.number in text["text"]
    assert mail.outbox[-1].to == ["pao@example.com"]
    assert application.number in mail.outbox[-1].body
    if reason:
        assert reason in mail.outbox[-1].body
    if planned:
        assert planned.strftime("%d/%m/%Y") in text["text"]


# Every step `advance` takes, from every status it may not be taken from (taking again the step
# just taken is idempotent: test_the_same_step_twice_is_taken_once).
DISALLOWED = [
    (start, to_status)
    for start in STATUSES
    for to_status in ("received", "needs-info", "inspection", "refused")
    if to_status not in TRANSITIONS[start] and (start != to_status or start == "granted")
]


@pytest.mark.parametrize(("start", "to_status"), DISALLOWED)
def test_a_step_the_rules_do_not_allow_is_refused_and_nothing_changes(officer, application, start, to_status):
    bring_to(application, "inspected" if start == "granted" else start, officer)
    if start == "granted":
        grant(application, user=officer, **GRANT)
    before = snapshot(application)
    sms.outbox.clear()

    with pytest.raises(ApplicationRefused) as refusal:
        advance(
            application,
            to_status=to_status,
            reason="Lý do",
            user=officer,
            planned_for=TODAY + timedelta(days=1),
        )

    assert application.number in str(refusal.value)
    assert snapshot(application) == before
    assert sms.outbox == []


@pytest.mark.parametrize(
    ("to_status", "reason", "planned_for", "words"),
    [
        ("needs-info", "  ", None, "reason"),
        ("refused", "", None, "reason"),
        ("inspection", "", None, "day"),
        ("inspected", "", None, "inspection"),
        ("granted", "", None, "grant"),
        ("bogus", "x", None, "Unknown"),
    ],
)
def test_a_step_missing_its_reason_or_date_is_refused(
    officer, application, to_status, reason, planned_for, words
):
    before = snapshot(application)
    with pytest.raises(ApplicationRefused, match=words):
        advance(application, to_status=to_status, reason=reason, user=officer, planned_for=planned_for)
    assert snapshot(application) == before


def test_the_same_step_twice_is_taken_once(officer, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = advance(application, to_status="needs-info", reason="Gửi ảnh", user=officer)
        again = advance(application, to_status="needs-info", reason="Gửi ảnh", user=officer)
    assert first.pk == again.pk
    assert application.steps.filter(to_status="needs-info").count() == 1
    assert len(sms.outbox) == 1


def test_refusing_is_final_and_says_why(officer, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refuse(application, user=officer, reason="Diện tích dưới mức tối thiểu")
    assert "Diem tich" not in sms.outbox[0]["text"]
    assert application.status == "refused" and application.decided_at
    with pytest.raises(ApplicationRefused, match="final"):
        advance(application, to_status="inspection", reason="", user=officer, planned_for=TODAY)
    with pytest.raises(ApplicationRefused, match="final"):
        grant(application, user=officer, **GRANT)


def test_recording_an_inspection_keeps_it_and_its_photos(
    officer, application, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bring_to(application, "inspection", officer)
    photo = SimpleUploadedFile("lo-1.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        inspection = record_inspection(
            application,
            date=TODAY,
            inspector="Lò Văn Sơn",
            result="remarks",
            notes="Cần rào",
            user=officer,
            photos=[photo],
        )
    application.refresh_from_db()
    assert application.status == "inspected"
    assert (inspection.inspector, inspection.result, inspection.recorded_by) == (
        "Lò Văn Sơn",
        "remarks",
        officer,
    )
    (stored,) = inspection.photos.all()
    assert (stored.original_name, stored.kind, stored.application) == ("lo-1.jpg", "photo", application)
    assert "inspected" in sms.outbox[0]["text"] or "kiem tra" in sms.outbox[0]["text"].lower()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"inspector": ""}, "inspector"),
        ({"result": "great"}, "result"),
        ({"date": TODAY + timedelta(days=1)}, "future"),
    ],
)
def test_an_incomplete_inspection_is_refused(officer, application, fields, words):
    bring_to(application, "inspection", officer)
    before = snapshot(application)
    data = {"date": TODAY, "inspector": "Lò Văn Sơn", "result": "passed", "notes": "", **fields}
    with pytest.raises(ApplicationRefused, match=words):
        record_inspection(application, user=officer, **data)
    assert snapshot(application) == before


def test_an_inspection_cannot_be_recorded_before_it_is_planned(officer, application):
    with pytest.raises(ApplicationRefused):
        record_inspection(application, date=TODAY, inspector="X", result="passed", notes="", user=officer)
    assert application.inspections.count() == 0


# Granting ------------------------------------------------------------------------------------


def test_granting_makes_the_code_from_the_application(
    officer, application, coop1, registry, client, django_capture_on_commit_callbacks
):
    bring_to(application, "inspected", officer)
    with django_capture_on_commit_callbacks(execute=True):
        area = grant(application, user=officer, name="", reason="Chúc mừng", **GRANT)

    area.refresh_from_db()
    application.refresh_from_db()
    assert application.status == "granted" and application.decided_at
    assert application.growing_area == area
    assert area.code == "VN-SLL-TQ-0101"
    assert (area.village, area.crop_name, area.crop_scientific_name) == (
        "Sì Lở Lầu",
        "Thảo quả",
        "Amomum tsao-ko",
    )
    assert area.area_hectares == Decimal("2.00")
    assert (area.latitude, area.longitude) == (Decimal("22.620000"), Decimal("103.270000"))
    assert area.boundary["type"] == "MultiPolygon" and len(area.boundary["coordinates"]) == 2
    assert area.cooperative == coop1
    assert (area.contact_name, area.contact_phone, area.contact_language) == (
        "Giàng A Páo",
        "+84912345678",
        "vi",
    )
    assert [h.head_name for h in area.households.all()] == ["Giàng A Páo", "Lò Mỳ Chừ"]
    assert area.decision_number == "12/QĐ-TTBVTV"
    assert area.certifications.count() == 0  # no certificate number was given
    # The field inspection that led to the code is the code's first inspection.
    inspection = application.inspections.get()
    assert [(i.date, i.inspector, i.result) for i in area.inspections.all()] == [
        (inspection.date, inspection.inspector, inspection.result)
    ]
    assert "VN-SLL-TQ-0101" in sms.outbox[0]["text"]
    assert "VN-SLL-TQ-0101" in mail.outbox[-1].body

    # The public registry shows the new code with its households counted (never named).
    html = client.get(f"/growing-areas/{area.code}/").content.decode()
    assert area.code in html
    assert "Giàng A Páo" not in html
    assert '<span class="figure">2</span>' in html  # two households, counted


def test_granting_with_a_certificate_number_records_the_certification(officer, coop1):
    application = make_application(cooperative=coop1, standard="vietgap")
    bring_to(application, "inspected", officer)
    area = grant(application, user=officer, certificate_number="VG-2026-01", **GRANT)
    (certification,) = area.certifications.all()
    assert (certification.scheme, certification.number) == ("vietgap", "VG-2026-01")


def test_granting_a_plot_without_point_takes_the_centre_of_the_boundary(officer):
    application = make_application(
        plots=[
            {"area_hectares": Decimal("1.5"), "boundary": square_boundary(Decimal("22.5"), Decimal("103.1"))}
        ]
    )
    bring_to(application, "inspected", officer)
    area = grant(application, user=officer, **GRANT)
    assert (area.latitude, area.longitude) == (Decimal("22.500000"), Decimal("103.100000"))


def test_granting_without_any_point_asks_the_officer_for_one(officer):
    application = make_application(
        plots=[{"area_hectares": Decimal("1.5")}], crop="other", crop_other="Hà thủ ô"
    )
    bring_to(application, "inspected", officer)
    with pytest.raises(ApplicationRefused, match="latitude"):
        grant(application, user=officer, **GRANT)
    area = grant(application, user=officer, latitude=Decimal("22.61"), longitude=Decimal("103.2"), **GRANT)
    assert area.crop_name == "Hà thủ ô" and area.boundary is None


def test_granting_after_a_failed_inspection_is_refused(officer, application):
    bring_to(application, "inspected", officer, result="failed")
    before = snapshot(application)
    with pytest.raises(ApplicationRefused, match="failed"):
        grant(application, user=officer, **GRANT)
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"code": "bad code!"}, "Code"),
        ({"code": "VN-TAKEN-01"}, "VN-TAKEN-01 is already in the register"),
        ({"valid_until": TODAY - timedelta(days=1)}, "after the issue date"),
    ],
)
def test_a_code_that_does_not_validate_is_refused_with_its_reason(officer, application, fields, words):
    GrowingAreaFactory(code="VN-TAKEN-01")
    bring_to(application, "inspected", officer)
    before = snapshot(application)
    with pytest.raises(ApplicationRefused, match=words):
        grant(application, user=officer, **{**GRANT, **fields})
    assert snapshot(application) == before


def test_granting_before_the_inspection_is_refused(officer, application):
    bring_to(application, "inspection", officer)
    with pytest.raises(ApplicationRefused):
        grant(application, user=officer, **GRANT)
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two officers at once need PostgreSQL's row locks; SQLite serialises",
)
def test_two_officers_granting_at_once_make_one_code(officer, coop1):
    from growers.factories import OfficerFactory

    other = OfficerFactory(username="officer2")
    application = make_application(cooperative=coop1)
    bring_to(application, "inspected", officer)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user, code):
        barrier.wait()
        try:
            # A new thread speaks the site's default language (Vietnamese); read the refusal in English.
            with translation.override("en"):
                grant(Application.objects.get(pk=application.pk), user=user, **{**GRANT, "code": code})
            outcomes.append("granted")
        except ApplicationRefused as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(officer, "VN-SLL-TQ-0201")),
        threading.Thread(target=act, args=(other, "VN-SLL-TQ-0202")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("granted") == 1
    assert "already granted" in next(o for o in outcomes if o != "granted")
    assert GrowingArea.objects.count() == 1
    assert application.steps.filter(to_status="granted").count() == 1


# What the queue reads ---------------------------------------------------------------------


def test_the_same_phone_in_the_same_village_is_a_possible_duplicate(application):
    twin = make_application(plots=[], phone="+84912345678", village="sì lở lầu")
    elsewhere = make_application(plots=[], phone="+84912345678", village="Nậm Xe")
    assert possible_duplicates(twin) == [application]
    assert possible_duplicates(elsewhere) == []


def test_a_plot_within_100_metres_or_an_overlapping_boundary_is_a_possible_duplicate(application):
    near = make_application(
        phone="+84900000001",
        plots=[{"area_hectares": 1, "latitude": Decimal("22.620500"), "longitude": Decimal("103.270000")}],
    )
    overlapping = make_application(
        phone="+84900000002",
        plots=[{"area_hectares": 1, "boundary": square_boundary(Decimal("22.631"), Decimal("103.281"))}],
    )
    far = make_application(
        phone="+84900000003",
        plots=[
            {
                "area_hectares": 1,
                "latitude": Decimal("22.700000"),
                "longitude": Decimal("103.300000"),
                "boundary": square_boundary(Decimal("22.7"), Decimal("103.3")),
            }
        ],
    )
    assert possible_duplicates(near) == [application]
    assert possible_duplicates(overlapping) == [application]
    assert possible_duplicates(far) == []
    assert {a.pk for a in possible_duplicates(application)} == {near.pk, overlapping.pk}


def test_waiting_days_and_counts(officer, application):
    Application.objects.filter(pk=application.pk).update(
        received_at=application.received_at - timedelta(days=9)
    )
    application.refresh_from_db()
    assert waiting_days(application) == 9
    refuse(application, user=officer, reason="Không đủ")
    application.refresh_from_db()
    assert waiting_days(application) == 9
    make_application(phone="+84900000009", plots=[])
    counts = counts_by_status()
    assert counts["refused"] == 1 and counts["received"] == 1 and counts["granted"] == 0
