"""Issue 18 as the people live it: a cooperative prints a batch as serialised units with the PINs
on their own sheet; a buyer scans one package's QR (decoded here by zbar from the printed PDF),
types the PIN from inside the package on the page, and a second buyer holding a copy of that
label is told it was already checked; a villager with a basic phone checks another package by
SMS."""

import hashlib
import hmac
import json

from django.core.management import call_command
from django.test import Client

from tests.traceability.test_labels import pdf_text
from traceability.models import Unit

from .test_units_printing import batch, decode_labels, pack, pins_on, product  # noqa: F401 (fixtures)

SECRET = "test-sms-secret-for-the-end-to-end-check"
PHONE_BROWSER = "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile"


def buyer(address):
    return Client(headers={"accept-language": "en", "user-agent": PHONE_BROWSER}, REMOTE_ADDR=address)


def test_printed_units_are_scanned_and_checked_on_the_web_and_by_sms(batch, pack, tmp_path, settings):  # noqa: F811
    out = tmp_path / "labels.pdf"
    call_command(
        "print_labels",
        batch.short_code,
        "--out",
        str(out),
        "--pack",
        pack.gtin,
        "--units",
        "3",
        "--pin-layout",
        "inside",
    )
    pdf = out.read_bytes()
    urls = [url for url in decode_labels(pdf, tmp_path) if url]
    units = list(Unit.objects.filter(batch=batch))
    assert len(urls) == 3 and all(url.endswith(f"/21/{u.serial}") for url, u in zip(urls, units, strict=True))
    pins = pins_on(" ".join(pdf_text(pdf).split()))
    assert len(pins) == 3

    first_buyer = buyer("203.0.113.7")
    page = first_buyer.get(urls[0].removeprefix("http://testserver"))
    assert page.status_code == 200
    serial = units[0].serial
    pin = pins[f"{serial[:4]}-{serial[4:]}"]
    assert pin not in page.content.decode()

    answer = first_buyer.post("/check/", {"code": serial, "pin": pin})
    assert "Genuine: this is the first check of this package" in answer.content.decode()

    copy_holder = buyer("198.51.100.20")
    wrong = copy_holder.post("/check/", {"code": serial, "pin": str((int(pin) + 1) % 10**6).zfill(6)})
    assert "Wrong PIN" in wrong.content.decode()
    again = copy_holder.post("/check/", {"code": serial, "pin": pin})
    assert "Warning: this package was already checked" in again.content.decode()
    assert "Already checked 1 time" in again.content.decode()

    settings.SMS_WEBHOOK_SECRET = SECRET
    second = units[1].serial
    body = json.dumps(
        {"id": "gw-77", "from": "+84912000111", "text": f"SLL {second} {pins[f'{second[:4]}-{second[4:]}']}"}
    )
    reply = Client().post(
        "/webhooks/sms/",
        body,
        content_type="application/json",
        headers={"X-Signature": hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()},
    )
    assert reply.status_code == 200 and "lan dau" in reply.json()["reply"].lower()
    assert units[1].checks.filter(pin_ok=True, channel="sms").count() == 1
