"""Texts sent by the site (sms.send): through SMS_BACKEND, stored with their outcome, never an
error for the caller; the HTTP gateway tested against a local fake server."""

import io
import logging

import pytest

import sms
from sms.models import Direction, Message, Outcome
from sms.outgoing import send_sms
from sms.text import fit, is_sms_text, to_sms_text

pytestmark = pytest.mark.django_db


def test_the_test_settings_keep_texts_in_the_outbox():
    message = sms.send("0912 345 678", "Đơn hàng SL-1042 đã sẵn sàng")

    assert sms.outbox == [{"to": "+84912345678", "text": "Don hang SL-1042 da san sang"}]
    assert (message.direction, message.phone, message.outcome) == (Direction.OUTBOUND, "+84912345678", "sent")
    assert message.text == "Don hang SL-1042 da san sang"
    assert Message.objects.get() == message


def test_send_sms_is_the_same_as_sms_send():
    send_sms("+84912345678", "hello")
    assert sms.outbox == [{"to": "+84912345678", "text": "hello"}]


def test_the_console_backend_writes_the_text(settings):
    settings.SMS_BACKEND = "console"
    settings.SMS_CONSOLE_STREAM = stream = io.StringIO()

    message = sms.send("+84912345678", "Mã xác nhận: 1234")

    assert "SMS to *********678:\nMa xac nhan: 1234\n" in stream.getvalue()
    assert "912345678" not in stream.getvalue()  # stdout is the log in production
    assert message.outcome == Outcome.SENT
    assert sms.outbox == []


def test_the_gateway_gets_the_text_with_its_token(gateway):
    message = sms.send("0912345678", "Đúng nguồn gốc")

    (request,) = gateway.received
    assert request["json"] == {"to": "+84912345678", "text": "Dung nguon goc"}
    assert request["headers"]["Authorization"] == "Bearer gateway-token-for-tests"
    assert request["headers"]["Content-Type"] == "application/json"
    assert (message.outcome, message.reason) == (Outcome.SENT, "")
    assert sms.outbox == []


def test_a_gateway_error_is_recorded_and_not_raised(gateway):
    gateway.status = 500

    message = sms.send("+84912345678", "hello")

    assert len(gateway.received) == 1
    assert message.outcome == Outcome.FAILED
    assert message.reason == "the gateway answered 500"
    assert Message.objects.get().outcome == Outcome.FAILED


def test_a_gateway_that_does_not_answer_in_time_is_recorded(gateway, settings):
    settings.SMS_GATEWAY_TIMEOUT = 0.3
    gateway.delay = 1.5

    message = sms.send("+84912345678", "hello")

    assert message.outcome == Outcome.FAILED
    assert "could not be reached" in message.reason
    assert "timed out" in message.reason


def test_a_gateway_that_is_not_there_is_recorded(gateway):
    gateway.stop()

    message = sms.send("+84912345678", "hello")

    assert message.outcome == Outcome.FAILED
    assert "could not be reached" in message.reason


def test_a_gateway_without_an_address_is_recorded(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = ""

    message = sms.send("+84912345678", "hello")

    assert (message.outcome, message.reason) == (Outcome.FAILED, "SMS_GATEWAY_URL is not set")


def test_a_backend_that_breaks_does_not_break_the_caller(monkeypatch):
    from sms import outgoing

    def broken(to, text):
        raise RuntimeError("boom")

    monkeypatch.setitem(outgoing.BACKENDS, "locmem", broken)

    message = sms.send("+84912345678", "hello")

    assert (message.outcome, message.reason) == (Outcome.FAILED, "RuntimeError: boom")


def test_a_failed_text_is_logged_without_the_phone_number(gateway, caplog):
    gateway.status = 503
    with caplog.at_level(logging.INFO, logger="sms"):
        sms.send("+84912345678", "hello")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "not sent: the gateway answered 503" in logged
    assert "912345678" not in logged


# The text one SMS carries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đúng nguồn gốc đã đăng ký", "Dung nguon goc da dang ky"),
        ("ĐẶNG THỊ ĐÀO", "DANG THI DAO"),
        ("Thảo quả Sì Lở Lầu", "Thao qua Si Lo Lau"),
        ("“Hàng thật” – lần đầu…", '"Hang that" - lan dau...'),
        ("a  b\t c", "a b c"),
        ("dòng 1\r\ndòng 2", "dong 1\ndong 2"),
        ("[x] {y} ~z | \\ ^ `q`", "(x) (y) -z / / 'q'"),
        ("\x00bell\x07", "bell"),
    ],
)
def test_texts_are_folded_to_plain_ascii(text, expected):
    assert to_sms_text(text) == expected
    assert is_sms_text(to_sms_text(text))


def test_fit_cuts_a_long_text_to_one_sms():
    text = fit("Lô hàng này đã được kiểm tra nhiều lần. " * 10)
    assert len(text) <= 160
    assert text.endswith("...")
    assert is_sms_text(text)
