"""Applications by SMS, for basic phones: the receipt and every step's text in one SMS of plain
GSM-7 in each language, saying how to follow the application; `MSVT <number>` answers the
status to the application's own phone only, through the signed SMS webhook."""

import hashlib
import hmac
import json

import pytest

from django.test import override_settings
from django.utils import translation

from applications import notifications
from applications.models import ApplicationStatus
from growers.factories import GrowingAreaFactory
from sms.text import is_sms_text

from .apply_helpers import STORED_PHONE, make_application, move

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]

SECRET = "test-sms-secret-applications-0b1c"


@pytest.fixture(autouse=True)
def sms_secret(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET


def deliver(client, text, sender=STORED_PHONE, id="msg-1") -> str:
    body = json.dumps({"id": id, "from": sender, "text": text}, ensure_ascii=False).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        "/webhooks/sms/", body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )
    assert response.status_code == 200, response.content
    reply = response.json()["reply"]
    assert is_sms_text(reply), reply
    return reply


@pytest.mark.parametrize("language", ["vi", "en", "hmn"])
def test_the_status_is_texted_back_to_the_applications_own_phone(client, language):
    application = make_application(language=language)
    move(
        application,
        ApplicationStatus.INSPECTION_PLANNED,
        "Can bo se den.",
        planned_for=__import__("datetime").date(2026, 12, 20),
    )
    reply = deliver(client, f"MSVT {application.number}")
    assert application.number in reply
    assert "20/12/2026" in reply
    if language == "vi":
        assert "kiem tra" in reply.lower()


@pytest.mark.parametrize("typed", ["msvt {n}", "MSVT: {n}", "Msvt {compact}", "MSVT {year} {seq}"])
def test_the_number_is_found_however_it_is_typed(client, typed):
    application = make_application(language="en")
    year, seq = application.number.split("-")
    text = typed.format(
        n=application.number, compact=application.number.replace("-", ""), year=year, seq=int(seq)
    )
    assert "is received" in deliver(client, text)


def test_the_granted_code_is_in_the_answer(client):
    application = make_application(language="en")
    application.growing_area = GrowingAreaFactory(code="LC-PT-0099")
    application.save()
    move(application, ApplicationStatus.GRANTED, "")
    assert "LC-PT-0099" in deliver(client, f"MSVT {application.number}")


def test_another_phone_gets_the_same_answer_as_an_unknown_number(client):
    application = make_application(language="en")
    stranger = deliver(client, f"MSVT {application.number}", sender="+84987000111", id="msg-1")
    unknown = deliver(client, "MSVT 2026-0999", sender="+84987000111", id="msg-2")
    assert stranger.replace(application.number, "N") == unknown.replace("2026-0999", "N")
    assert "is received" not in stranger


def test_the_keyword_alone_says_how_to_use_it(client):
    assert "MSVT 2026-0007" in deliver(client, "MSVT")


LONG_REASON = "Xin bổ sung ảnh chụp sổ đỏ của mảnh vườn thứ hai và chữ ký của trưởng bản. " * 4


@pytest.mark.parametrize("language", ["vi", "en", "hmn"])
@pytest.mark.parametrize("status", [s for s in ApplicationStatus.values if s != "received"])
def test_every_step_fits_one_sms_in_every_language(status, language):
    application = make_application(language=language)
    if status == ApplicationStatus.GRANTED:
        application.growing_area = GrowingAreaFactory(code="VN-LC-PT-SLL-TQ-2026-0001")
        application.save()
    step = move(application, status, LONG_REASON)
    with translation.override(language):
        text = notifications.sms_text(step)
    assert is_sms_text(text) and len(text) <= 160


@pytest.mark.parametrize("language", ["vi", "en", "hmn"])
@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8000", "https://cho.silolau.vn", "https://" + "x" * 120 + ".vn"]
)
def test_the_receipt_says_how_to_follow_in_one_sms(language, base):
    application = make_application(language=language)
    step = application.steps.get()
    with override_settings(WAGTAILADMIN_BASE_URL=base), translation.override(language):
        text = notifications.sms_text(step)
    assert is_sms_text(text) and len(text) <= 160
    assert application.number in text
    assert f"MSVT {application.number}" in text
    if len(base) < 40:
        assert f"/growing-areas/apply/{application.number}/" in text


def test_the_receipt_is_sent_to_the_phone_in_the_applications_language(django_capture_on_commit_callbacks):
    import sms

    application = make_application(language="vi")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_applicant(application.steps.get())
    assert len(sms.outbox) == 1
    assert sms.outbox[0]["to"] == STORED_PHONE
    assert "da duoc tiep nhan" in sms.outbox[0]["text"]
    assert f"/growing-areas/apply/{application.number}/" in sms.outbox[0]["text"]
