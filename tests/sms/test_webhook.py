"""/webhooks/sms/ as the SMS gateway uses it (DESIGN §4 "SMS"): a received text, signed, answered
{"reply": ...} in at most 160 plain ASCII characters; once per message id; rate limited per
sender; keyword texts answered by the registered handler, anything else by the help text."""

import json
import logging
import threading
from datetime import timedelta

import pytest

from django.db import connection
from django.urls import reverse

from sms import handlers, services
from sms.models import Direction, Message, Outcome
from sms.text import is_sms_text

from .conftest import URL, deliver, sign

pytestmark = pytest.mark.django_db


def test_the_url_is_the_contract():
    assert reverse("sms:webhook") == URL


# Signatures ------------------------------------------------------------------------------------


def test_a_signed_text_is_answered_and_stored(client, sll_handler):
    response = deliver(client, "SLL ABC12345 123456", id="gw-1", sender="+84 912 345 678")

    assert response.status_code == 200
    assert response.json() == {"reply": "OK ABC12345 123456 (vi)"}
    message = Message.objects.get()
    assert (message.direction, message.message_id, message.phone) == ("in", "gw-1", "+84912345678")
    assert (message.text, message.reply, message.outcome) == (
        "SLL ABC12345 123456",
        "OK ABC12345 123456 (vi)",
        "answered",
    )


def test_a_forged_signature_is_refused_and_nothing_stored(client, sll_handler):
    body = json.dumps({"id": "gw-1", "from": "+84912345678", "text": "SLL ABC"}).encode()
    response = deliver(client, raw=body, signature=sign(body, "not-the-secret"))

    assert response.status_code == 401
    assert response.json() == {"error": "bad signature"}
    assert not Message.objects.exists()
    assert sll_handler.requests == []


def test_a_signature_of_another_body_is_refused(client):
    body = json.dumps({"id": "gw-1", "from": "+84912345678", "text": "SLL ABC"}).encode()
    other = json.dumps({"id": "gw-1", "from": "+84912345678", "text": "SLL XYZ"}).encode()
    assert deliver(client, raw=body, signature=sign(other)).status_code == 401
    assert not Message.objects.exists()


def test_a_text_without_signature_is_refused(client):
    response = deliver(client, signature=False)
    assert response.status_code == 401
    assert response.json() == {"error": "missing signature"}
    assert not Message.objects.exists()


def test_without_a_secret_configured_every_text_is_refused(client, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    body = json.dumps({"id": "gw-1", "from": "+84912345678", "text": "SLL ABC"}).encode()
    # Not even a body "signed" with the empty secret passes.
    response = deliver(client, raw=body, signature=sign(body, ""))
    assert response.status_code == 503
    assert response.json() == {"error": "not configured"}
    assert not Message.objects.exists()


def test_only_post_is_answered(client):
    assert client.get(URL).status_code == 405


# Bodies that are not a text --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b"{}",
        json.dumps({"from": "+84912345678", "text": "SLL"}).encode(),
        json.dumps({"id": "", "from": "+84912345678", "text": "SLL"}).encode(),
        json.dumps({"id": "x" * 101, "from": "+84912345678", "text": "SLL"}).encode(),
        json.dumps({"id": "a", "text": "SLL"}).encode(),
        json.dumps({"id": "a", "from": "not a phone", "text": "SLL"}).encode(),
        json.dumps({"id": "a", "from": 84912345678, "text": "SLL"}).encode(),
        json.dumps({"id": "a", "from": "+84912345678"}).encode(),
        json.dumps({"id": "a", "from": "+84912345678", "text": ["SLL"]}).encode(),
        json.dumps({"id": "a", "from": "+84912345678", "text": "x" * 2001}).encode(),
        json.dumps({"id": "a", "from": "+84912345678", "text": "SLL", "pad": "x" * 9000}).encode(),
        b"[" * 100_000,
    ],
    ids=[
        "not-json",
        "not-utf8",
        "array",
        "empty",
        "no-id",
        "blank-id",
        "long-id",
        "no-from",
        "bad-from",
        "number-from",
        "no-text",
        "list-text",
        "long-text",
        "large-body",
        "deep-nesting",
    ],
)
def test_a_signed_body_that_is_not_a_text_is_refused_with_the_reason(client, sll_handler, raw):
    response = deliver(client, raw=raw)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
    assert not Message.objects.exists()
    assert sll_handler.requests == []


def test_a_nul_or_lone_surrogate_in_a_text_is_stored_without_it(client, sll_handler):
    body = json.dumps({"id": "gw-odd", "from": "0912345678", "text": "SLL A\u0000B \ud800C"}).encode()
    response = deliver(client, raw=body)
    assert response.status_code == 200
    assert is_sms_text(response.json()["reply"])
    assert "\x00" not in Message.objects.get().text


# Once per message id ---------------------------------------------------------------------------


def test_a_replayed_id_gets_the_same_reply_and_is_handled_once(client, sll_handler):
    first = deliver(client, "SLL ABC 111111", id="gw-7")
    again = deliver(client, "SLL ABC 111111", id="gw-7")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert len(sll_handler.requests) == 1
    assert Message.objects.filter(direction=Direction.INBOUND).count() == 1


def test_a_replayed_id_keeps_its_first_answer_even_with_another_text(client, sll_handler):
    first = deliver(client, "SLL ABC", id="gw-8")
    again = deliver(client, "hello", id="gw-8")
    assert again.json() == first.json()
    assert len(sll_handler.requests) == 1


def test_a_replayed_id_that_was_told_to_wait_is_not_handled_later(client, sll_handler, settings):
    settings.SMS_RATE_LIMIT = (1, 600)
    deliver(client, "SLL A", id="gw-a")
    limited = deliver(client, "SLL B", id="gw-b")
    assert Message.objects.get(message_id="gw-b").outcome == Outcome.RATE_LIMITED
    Message.objects.filter(message_id="gw-a").update(
        created=Message.objects.get(message_id="gw-a").created - timedelta(hours=1)
    )

    assert deliver(client, "SLL B", id="gw-b").json() == limited.json()
    assert [request.words for request in sll_handler.requests] == [["A"]]


def test_two_deliveries_racing_past_the_first_lookup_answer_once(client, sll_handler, monkeypatch):
    """The second of two simultaneous deliveries finds no stored text, then fails on the unique
    constraint when it stores its own: it answers the first one's reply and runs nothing."""
    first = deliver(client, "SLL RACE", id="gw-race")
    real_stored, lookups = services.stored, []

    def stored_after_the_first_lookup(message_id):
        lookups.append(message_id)
        return None if len(lookups) == 1 else real_stored(message_id)

    monkeypatch.setattr(services, "stored", stored_after_the_first_lookup)

    second = deliver(client, "SLL RACE", id="gw-race")

    assert lookups == ["gw-race", "gw-race"]  # missed, then read after the constraint refused
    assert second.status_code == 200
    assert second.json() == first.json()
    assert len(sll_handler.requests) == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent deliveries need PostgreSQL's row locks; SQLite serialises writers",
)
def test_the_same_text_delivered_five_times_at_once_is_handled_once(sll_handler, sms_secret):
    from django.test import Client

    body = json.dumps({"id": "gw-concurrent", "from": "+84912345678", "text": "SLL ABC"}).encode()
    barrier = threading.Barrier(5)
    answers = []

    def one_delivery():
        try:
            barrier.wait()
            response = Client().post(URL, body, content_type="application/json", HTTP_X_SIGNATURE=sign(body))
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_delivery) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [(200, {"reply": "OK ABC (vi)"})] * 5
    assert len(sll_handler.requests) == 1
    assert Message.objects.count() == 1


# Rate limit per sender -------------------------------------------------------------------------


def test_a_sender_past_the_limit_is_asked_to_wait_and_nothing_runs(client, sll_handler, settings):
    settings.SMS_RATE_LIMIT = (3, 600)
    for number in range(3):
        assert deliver(client, f"SLL A{number}", id=f"gw-{number}").json()["reply"].startswith("OK")

    over = deliver(client, "SLL A3", id="gw-3")

    assert over.status_code == 200
    reply = over.json()["reply"]
    assert "10 phut" in reply  # "... doi 10 phut ..." (wait 10 minutes)
    assert is_sms_text(reply)
    assert len(sll_handler.requests) == 3
    stored = Message.objects.get(message_id="gw-3")
    assert (stored.outcome, stored.reply) == (Outcome.RATE_LIMITED, reply)


def test_the_limit_is_per_sender_and_per_number_however_written(client, sll_handler, settings):
    settings.SMS_RATE_LIMIT = (2, 600)
    deliver(client, "SLL A", id="gw-1", sender="+84912345678")
    deliver(client, "SLL B", id="gw-2", sender="0912 345 678")  # the same phone, written locally
    assert deliver(client, "SLL C", id="gw-3", sender="84912345678").json()["reply"].startswith("OK") is False

    assert deliver(client, "SLL D", id="gw-4", sender="+84987654321").json()["reply"] == "OK D (vi)"


def test_a_sender_is_answered_again_once_the_window_has_passed(client, sll_handler, settings):
    settings.SMS_RATE_LIMIT = (2, 600)
    deliver(client, "SLL A", id="gw-1")
    deliver(client, "SLL B", id="gw-2")
    assert Message.objects.filter(outcome=Outcome.ANSWERED).count() == 2
    Message.objects.update(created=Message.objects.get(message_id="gw-1").created - timedelta(minutes=11))

    assert deliver(client, "SLL C", id="gw-3").json()["reply"] == "OK C (vi)"


# Keywords ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("SLL abc", ["abc"]),
        ("sll abc", ["abc"]),
        ("SLL  abc", ["abc"]),
        ("Sll", []),
        ("  sLl   ABC12345   123456  ", ["ABC12345", "123456"]),
        ("SLL ẤBC", ["ABC"]),
        ("ŚLL đá-12", ["da-12"]),
        ("SLL\nABC\t123", ["ABC", "123"]),
        ("SLL: ABC, 123", ["ABC", "123"]),
    ],
)
def test_the_keyword_is_read_as_people_type_it(client, sll_handler, text, words):
    response = deliver(client, text)

    assert response.status_code == 200
    (request,) = sll_handler.requests
    assert request.words == words
    assert request.text == text
    assert (request.message_id, request.sender, request.language) == ("msg-1", "+84912345678", "vi")
    assert Message.objects.get().outcome == Outcome.ANSWERED


def test_the_keyword_comes_from_the_settings(client, settings):
    settings.SMS_KEYWORD = "KT"
    seen = []
    handlers.register(settings.SMS_KEYWORD, lambda request: seen.append(request.words) or "checked")
    try:
        assert deliver(client, "kt abc", id="gw-1").json() == {"reply": "checked"}
        assert "KT <ma> <PIN>" in deliver(client, "SLL abc", id="gw-2").json()["reply"]
    finally:
        handlers.unregister("KT")
    assert seen == [["abc"]]


@pytest.mark.parametrize("text", ["hello", "", "   ", "ABC12345 123456", "SLLABC", "xin chào"])
def test_any_other_text_gets_the_help_text(client, sll_handler, text):
    response = deliver(client, text)

    reply = response.json()["reply"]
    assert response.status_code == 200
    assert "SLL <ma> <PIN>" in reply
    assert is_sms_text(reply)
    assert sll_handler.requests == []
    assert Message.objects.get().outcome == Outcome.HELP


def test_without_a_handler_for_the_keyword_the_help_text_answers(client):
    handlers.unregister("SLL")
    response = deliver(client, "SLL ABC12345 123456")
    assert "SLL <ma> <PIN>" in response.json()["reply"]
    assert Message.objects.get().outcome == Outcome.HELP


def test_the_help_text_is_vietnamese_in_plain_ascii(client):
    reply = deliver(client, "hello").json()["reply"]
    assert reply.startswith("De kiem tra")
    assert is_sms_text(reply)


def test_a_handler_that_fails_gets_an_apology_not_an_error(client, caplog):
    def broken(request):
        raise RuntimeError("database on fire")

    handlers.register("SLL", broken)
    try:
        with caplog.at_level(logging.ERROR, logger="sms"):
            response = deliver(client, "SLL ABC")
    finally:
        handlers.unregister("SLL")

    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply.startswith("Xin loi")
    assert is_sms_text(reply)
    stored = Message.objects.get()
    assert (stored.outcome, stored.reply) == (Outcome.ERROR, reply)
    assert "database on fire" in stored.reason
    assert any("handler of SLL failed" in record.getMessage() for record in caplog.records)


def test_what_a_failing_handler_wrote_is_undone_and_the_text_kept(client):
    def writes_then_fails(request):
        Message.objects.create(direction="out", phone="+8400", text="half done", outcome="sent")
        raise ValueError("oops")

    handlers.register("SLL", writes_then_fails)
    try:
        assert deliver(client, "SLL ABC").status_code == 200
    finally:
        handlers.unregister("SLL")
    assert list(Message.objects.values_list("direction", "outcome")) == [("in", "error")]


@pytest.mark.parametrize(
    "answer",
    [
        "Đúng nguồn gốc đã đăng ký. " * 20,
        "“Hàng thật” — lần kiểm tra đầu tiên… [ok] {x} ~ | \\ ^ ` €",
        "\x00\x07 tab\there",
        "",
        None,
        12345,
    ],
    ids=["long-vietnamese", "signs", "controls", "empty", "none", "number"],
)
def test_every_reply_is_one_sms_of_plain_ascii(client, answer):
    handlers.register("SLL", lambda request: answer)
    try:
        response = deliver(client, "SLL ABC")
    finally:
        handlers.unregister("SLL")

    reply = response.json()["reply"]
    assert response.status_code == 200
    assert reply
    assert len(reply) <= 160
    assert is_sms_text(reply)
    assert reply.isascii()


def test_a_long_vietnamese_reply_is_folded_and_cut_at_a_word(client):
    handlers.register("SLL", lambda request: "Đúng nguồn gốc đã đăng ký. " * 20)
    try:
        reply = deliver(client, "SLL ABC").json()["reply"]
    finally:
        handlers.unregister("SLL")
    assert reply.startswith("Dung nguon goc da dang ky. Dung")
    assert reply.endswith("...")
    assert len(reply) <= 160


# The sender's language --------------------------------------------------------------------------


def test_a_sender_whose_language_is_known_is_answered_in_it(client, sll_handler):
    import sms

    sms.send("0912345678", "Your order is ready", language="en")

    assert deliver(client, "SLL ABC").json() == {"reply": "OK ABC (en)"}
    assert "SLL <code> <PIN>" in deliver(client, "hello", id="gw-2").json()["reply"]
    # Another sender: Vietnamese, the site's language.
    assert deliver(client, "SLL ABC", id="gw-3", sender="+84987654321").json() == {"reply": "OK ABC (vi)"}


# Privacy ------------------------------------------------------------------------------------------


def test_phone_numbers_are_not_logged_at_info(client, sll_handler, caplog):
    with caplog.at_level(logging.INFO):
        deliver(client, "SLL ABC", sender="+84912345678")
        deliver(client, "SLL ABC", sender="+84912345678")  # replayed
        import sms

        sms.send("+84912345678", "hello")
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.INFO)
    assert "sms: text id msg-1 answered" in logged
    assert "912345678" not in logged


def test_a_keyword_with_a_mask_is_stored_with_its_secret_hidden_but_answered_as_received(client):
    """A keyword whose texts carry a secret (traceability's PIN) stores them masked; its handler
    still gets the text as it came."""
    seen = []
    handlers.register(
        "SLL",
        lambda request: seen.append((request.words, request.text)) or "checked",
        mask=lambda words: words[:1] + ["*" * len(word) for word in words[1:]],
    )
    assert deliver(client, "sll ABC 123456", id="gw-secret").json() == {"reply": "checked"}

    assert seen == [(["ABC", "123456"], "sll ABC 123456")]
    assert Message.objects.get(message_id="gw-secret").text == "sll ABC ******"
    # A text no mask applies to is stored as received.
    deliver(client, "Hello 123456", id="gw-other")
    assert Message.objects.get(message_id="gw-other").text == "Hello 123456"
