"""A buyer with a basic phone texts `SLL <serial> <PIN>` to the site's number: the SMS gateway
delivers it, signed, to /webhooks/sms/, and the reply is the verdict /check/ gives on the web
(traceability registers its answer for the keyword when the site starts)."""

import hashlib
import hmac
import json

import pytest

from sms.models import Message
from sms.text import is_sms_text

pytestmark = pytest.mark.django_db
SECRET = "test-sms-secret-for-traceability-checks"


@pytest.fixture(autouse=True)
def sms_secret(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET


def text(client, body, *, id, sender="+84912345678"):
    raw = json.dumps({"id": id, "from": sender, "text": body}, ensure_ascii=False).encode()
    response = client.post(
        "/webhooks/sms/",
        raw,
        content_type="application/json",
        headers={"X-Signature": hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()},
    )
    assert response.status_code == 200
    reply = response.json()["reply"]
    assert is_sms_text(reply)
    return reply


def test_a_unit_checked_by_sms_first_then_by_another_phone_then_with_a_wrong_pin(client, unit):
    first = text(client, f"sll {unit.serial[:4]} {unit.serial[4:].lower()} {unit.pin}", id="m1")
    assert "lan dau" in first.lower()  # "lần đầu": first check

    again = text(client, f"SLL {unit.serial} {unit.pin}", id="m2", sender="+84987654321")
    assert again.startswith("CANH BAO") and "kiem tra 1 lan" in again  # "already checked 1 time"
    assert not first.startswith("CANH BAO")

    wrong = str((int(unit.pin) + 1) % 10**6).zfill(6)
    assert text(client, f"SLL {unit.serial} {wrong}", id="m3") != first

    # The same message delivered again by the gateway is answered the same and counted once.
    assert text(client, f"SLL {unit.serial} {unit.pin}", id="m2", sender="+84987654321") == again
    assert unit.checks.filter(pin_ok=True).count() == 2
    assert Message.objects.filter(direction="in").count() == 3


def test_an_unknown_code_by_sms_gets_the_format_back(client, db):
    reply = text(client, "SLL NOTACODE 123456", id="u1")
    assert "SLL" in reply


@pytest.mark.parametrize(
    "typed",
    ["SLL {serial} {pin}", "sll {serial}\n{pin}", "SLL {serial} {pin_spaced}"],
    ids=["one-word", "new-line", "pin-in-two-groups"],
)
def test_the_pin_of_a_text_is_never_stored_nor_shown_to_the_officer(client, unit, officer, caplog, typed):
    """DESIGN §2: the PIN "is never shown on any page or API, nor logged". The officer's list of
    texts shows what was received, with the PIN masked."""
    pin = unit.pin
    body = typed.format(serial=unit.serial, pin=pin, pin_spaced=f"{pin[:3]} {pin[3:]}")
    with caplog.at_level("DEBUG"):
        text(client, body, id="p1")

    message = Message.objects.get(direction="in", message_id="p1")
    assert unit.serial in message.text  # the officer still sees which package was asked about
    for stored in (message.text, message.reply, message.reason):
        assert pin not in stored.replace(" ", "")
    assert pin not in caplog.text

    client.force_login(officer)
    for url in ("/admin/sms/messages/", f"/admin/sms/messages/inspect/{message.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert pin not in response.content.decode().replace(" ", ""), url
