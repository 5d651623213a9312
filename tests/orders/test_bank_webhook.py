"""/webhooks/bank/: a signed notice of money received, matched to an order by its payment
reference and exact amount; stored whatever it says, once per transaction id. A signed body that
cannot be read as a notice is refused (400) and kept, once per body, for a person to read."""

import hashlib
import hmac
import json
import threading

import pytest

from django.db import connection
from django.urls import reverse

from orders.models import BankNotification, Order, OrderStatus, Payment, UnreadableBankNotice
from orders.services import change_status

from .conftest import BANK_SECRET

URL = "/webhooks/bank/"


def sign(body: bytes, secret: str = BANK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notice(order=None, **fields):
    data = {
        "transaction_id": "FT24123456789",
        "amount": order.total if order else 240000,
        "description": f"MBVCB.5123.{order.payment_reference}.CT tu 0123 NGUYEN THI LAN" if order else "",
        "account": "0011001932418",
        "occurred_at": "2025-03-01T09:15:00+07:00",
    }
    data.update(fields)
    return data


def post(client, data, *, signature=None, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(data, ensure_ascii=False).encode()
    headers = {}
    if signature is not False:
        headers["HTTP_X_SIGNATURE"] = signature or sign(body)
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.fixture(autouse=True)
def _secret(bank_secret):
    return bank_secret


def test_the_url_is_the_contract():
    assert reverse("payments:bank_webhook") == URL


def test_a_matching_notice_marks_the_order_paid(client, pay_order):
    response = post(client, notice(pay_order))

    assert response.status_code == 200
    assert response.json() == {
        "transaction_id": "FT24123456789",
        "outcome": "matched",
        "order": pay_order.number,
        "duplicate": False,
    }
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.order, payment.method, payment.amount) == (pay_order, "vietqr", 240000)
    assert payment.provider_reference == "FT24123456789"
    assert payment.received_at.isoformat() == "2025-03-01T02:15:00+00:00"
    stored = BankNotification.objects.get()
    assert (stored.outcome, stored.order, stored.amount) == ("matched", pay_order, 240000)
    assert json.loads(stored.raw_body)["transaction_id"] == "FT24123456789"
    assert pay_order.events.filter(to_status="paid", source="bank").exists()


def test_a_forged_signature_is_refused_and_nothing_stored(client, pay_order):
    body = json.dumps(notice(pay_order)).encode()
    response = post(client, None, raw=body, signature=sign(body, "not-the-secret"))

    assert response.status_code == 401
    assert not BankNotification.objects.exists()
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT


def test_a_signature_of_another_body_is_refused(client, pay_order):
    body = json.dumps(notice(pay_order)).encode()
    tampered = json.dumps(notice(pay_order, amount=1)).encode()
    assert post(client, None, raw=tampered, signature=sign(body)).status_code == 401
    assert not BankNotification.objects.exists()


def test_a_missing_signature_is_refused(client, pay_order):
    assert post(client, notice(pay_order), signature=False).status_code == 401
    assert not BankNotification.objects.exists()


def test_an_upper_case_hex_signature_is_accepted(client, pay_order):
    body = json.dumps(notice(pay_order)).encode()
    assert post(client, None, raw=body, signature=sign(body).upper()).json()["outcome"] == "matched"


def test_no_secret_configured_answers_503_and_stores_nothing(client, pay_order, settings):
    settings.BANK_WEBHOOK_SECRET = ""
    assert post(client, notice(pay_order), signature=sign(b"{}", "")).status_code == 503
    assert not BankNotification.objects.exists()


def test_only_post(client):
    assert client.get(URL).status_code == 405


def test_a_replayed_notice_changes_nothing(client, pay_order):
    first = post(client, notice(pay_order))
    second = post(client, notice(pay_order))

    assert first.json()["outcome"] == second.json()["outcome"] == "matched"
    assert second.json()["duplicate"] is True
    assert Payment.objects.count() == 1
    assert BankNotification.objects.count() == 1
    assert pay_order.events.filter(to_status="paid").count() == 1


def test_a_replay_with_another_body_keeps_what_was_stored(client, pay_order):
    post(client, notice(pay_order, amount=1000))
    response = post(client, notice(pay_order))  # same transaction id, now the right amount

    assert response.json()["outcome"] == "wrong_amount"
    assert response.json()["duplicate"] is True
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT


def test_a_wrong_amount_is_stored_for_review_and_does_not_pay(client, pay_order):
    response = post(client, notice(pay_order, amount=200000))

    assert response.status_code == 200
    assert response.json()["outcome"] == "wrong_amount"
    stored = BankNotification.objects.get()
    assert (stored.outcome, stored.order, stored.reviewed) == ("wrong_amount", pay_order, False)
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_more_than_the_total_is_also_a_wrong_amount(client, pay_order):
    assert post(client, notice(pay_order, amount=250000)).json()["outcome"] == "wrong_amount"
    assert not Payment.objects.exists()


def test_an_unknown_reference_is_stored_for_review(client, pay_order):
    response = post(client, notice(description="CHUYEN TIEN SLLAAAAAAAAA mua hang"))

    assert response.json()["outcome"] == "unknown_reference"
    assert response.json()["order"] is None
    stored = BankNotification.objects.get()
    assert (stored.outcome, stored.order) == ("unknown_reference", None)
    assert not Payment.objects.exists()


def test_no_reference_at_all_is_an_unknown_reference(client, pay_order):
    assert post(client, notice(description="ung ho lu lut")).json()["outcome"] == "unknown_reference"


@pytest.mark.parametrize(
    "write",
    [
        lambda ref: ref.lower(),
        lambda ref: f"{ref[:3]} {ref[3:7]} {ref[7:]}",
        lambda ref: f"{ref[:6]}-{ref[6:]}".lower(),
        lambda ref: f"IBFT Thanh toan don hang{ref}Nguyen Thi Lan",
        lambda ref: f"CT DEN:512312 {ref.lower()} ",
    ],
    ids=["lower", "spaces", "dash-lower", "glued-to-words", "bank-prefix"],
)
def test_the_reference_is_found_however_the_bank_writes_it(client, pay_order, write):
    description = write(pay_order.payment_reference)
    assert post(client, notice(pay_order, description=description)).json()["outcome"] == "matched"


def test_a_note_naming_two_orders_is_left_for_a_person(client, place, pay_cardamom, pay_order):
    other = place({pay_cardamom: 2})[0]
    description = f"{pay_order.payment_reference} {other.payment_reference}"
    assert post(client, notice(pay_order, description=description)).json()["outcome"] == "unknown_reference"
    assert not Payment.objects.exists()


def test_money_to_another_account_does_not_pay_the_order(client, pay_order):
    response = post(client, notice(pay_order, account="9999888877776"))
    assert response.json()["outcome"] == "unknown_reference"
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT


def test_without_an_account_the_reference_and_amount_are_enough(client, pay_order):
    data = notice(pay_order)
    del data["account"]
    assert post(client, data).json()["outcome"] == "matched"


def test_each_order_of_a_checkout_is_paid_to_its_own_cooperative(client, place, pay_cardamom, pay_tea):
    orders = {o.cooperative_id: o for o in place({pay_cardamom: 1, pay_tea: 2})}
    tea_order = orders[pay_tea.page.get_parent().pk]
    response = post(
        client,
        notice(tea_order, transaction_id="TX-TEA", account="1903555666777"),
    )
    assert response.json()["outcome"] == "matched"
    assert Order.objects.get(pk=tea_order.pk).status == OrderStatus.PAID


def test_a_cancelled_order_is_not_paid(client, pay_order):
    change_status(order=pay_order, to_status=OrderStatus.CANCELLED, note="expired", source="expiry")

    response = post(client, notice(pay_order))

    assert response.json()["outcome"] == "order_closed"
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.CANCELLED
    assert not Payment.objects.exists()
    assert BankNotification.objects.get().order == pay_order


def test_a_second_transfer_for_a_paid_order_is_stored_for_a_refund(client, pay_order):
    post(client, notice(pay_order))
    response = post(client, notice(pay_order, transaction_id="FT-SECOND"))

    assert response.json()["outcome"] == "paid_twice"
    assert Payment.objects.count() == 1
    assert BankNotification.objects.count() == 2


def test_a_notice_for_a_transfer_the_cooperative_already_recorded(client, pay_order, coop1):
    from orders.payments import confirm_transfer

    confirm_transfer(order=pay_order, bank_reference="ft24123456789", amount=240000, user=None)
    response = post(client, notice(pay_order))

    assert response.json()["outcome"] == "already_paid"
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[1, 2]",
        b"\xff\xfe",
        json.dumps(notice(amount=240000.0)).encode(),
        json.dumps(notice(amount=240000.5)).encode(),
        json.dumps(notice(amount="240000")).encode(),
        json.dumps(notice(amount=True)).encode(),
        json.dumps(notice(amount=-240000)).encode(),
        json.dumps(notice(amount=None)).encode(),
        json.dumps(notice(transaction_id="")).encode(),
        json.dumps(notice(transaction_id=None)).encode(),
        json.dumps(notice(transaction_id="x" * 101)).encode(),
        json.dumps(notice(occurred_at="yesterday")).encode(),
        json.dumps(notice(occurred_at="2025-02-30T10:00:00")).encode(),
        json.dumps(notice(description=["a"])).encode(),
    ],
    ids=[
        "not-json",
        "not-object",
        "not-utf8",
        "float",
        "fraction",
        "string",
        "bool",
        "negative",
        "null",
        "empty-id",
        "null-id",
        "long-id",
        "bad-date",
        "impossible-date",
        "list-description",
    ],
)
def test_a_malformed_notice_is_refused_and_kept_for_review(client, pay_order, raw):
    response = post(client, None, raw=raw)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    reason = response.json()["error"]
    assert not BankNotification.objects.exists()
    kept = UnreadableBankNotice.objects.get()
    assert kept.reason == reason
    assert kept.body_size == len(raw)
    assert kept.body == raw.decode("utf-8", "backslashreplace")
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT


def test_a_local_time_without_offset_is_read_as_vietnam_time(client, pay_order):
    post(client, notice(pay_order, occurred_at="2025-03-01T09:15:00"))
    assert Payment.objects.get().received_at.isoformat() == "2025-03-01T02:15:00+00:00"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent deliveries need PostgreSQL's row locks; SQLite serialises writers",
)
def test_the_same_notice_delivered_five_times_at_once_pays_once(client, bank_secret, place, pay_cardamom):
    from django.test import Client

    order = place({pay_cardamom: 2})[0]
    body = json.dumps(notice(order)).encode()
    signature = sign(body)
    barrier = threading.Barrier(5)
    answers = []

    def deliver():
        try:
            barrier.wait()
            response = Client().post(URL, body, content_type="application/json", HTTP_X_SIGNATURE=signature)
            answers.append((response.status_code, response.json()["outcome"]))
        finally:
            connection.close()  # each thread has its own; CONN_MAX_AGE would keep it open

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [(200, "matched")] * 5
    assert Payment.objects.filter(order=order).count() == 1
    assert BankNotification.objects.count() == 1
    assert order.events.filter(to_status="paid").count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    "odd",
    ["\u0000", "\ud800", "\udfff tail", "a\u0000\ud800b"],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate", "both"],
)
def test_a_notice_with_a_nul_or_a_lone_surrogate_in_its_note_is_stored_and_pays(client, pay_order, odd):
    # json.dumps escapes both (\\u0000, \\ud800): valid JSON the bank may well send.
    data = notice(pay_order, description=f"{pay_order.payment_reference} {odd}")
    body = json.dumps(data).encode()

    first = post(client, None, raw=body)
    again = post(client, None, raw=body)

    assert first.status_code == again.status_code == 200
    assert first.json()["outcome"] == "matched"
    assert again.json()["duplicate"] is True
    stored = BankNotification.objects.get()
    assert "\x00" not in stored.description + stored.account + stored.raw_body
    assert pay_order.payment_reference in stored.description
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PAID


def test_a_transaction_id_with_a_nul_is_stored_once(client, pay_order):
    body = json.dumps(notice(pay_order, transaction_id="FT24\u0000123\ud800")).encode()

    answers = [post(client, None, raw=body).status_code for _ in range(2)]

    assert answers == [200, 200]
    assert BankNotification.objects.count() == 1


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_a_signed_body_nested_too_deeply_is_refused_plainly_every_time(client, pay_order, depth):
    body = b'{"transaction_id": "FT1", "amount": 240000, "extra": ' + b"[" * depth + b"]" * depth + b"}"

    answers = [post(client, None, raw=body) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [400, 400]
    assert answers[0].json() == answers[1].json() == {"error": "the body is nested too deeply"}
    assert not BankNotification.objects.exists()
    kept = UnreadableBankNotice.objects.get()  # once, however often the bank retries
    assert kept.reason == "the body is nested too deeply"
    assert kept.body_size == len(body)
    assert len(kept.body) == min(len(body), UnreadableBankNotice.MAX_STORED_CHARACTERS)
    assert body.decode().startswith(kept.body)


# Signed but unreadable: refused, and kept for a person ----------------------------------------


def missing_amount(**fields) -> dict:
    data = notice(**fields)
    del data["amount"]
    return data


@pytest.mark.parametrize(
    ("raw", "reason", "kept_text"),
    [
        (
            b'{"transaction_id": "FT1\x00", "amount": 240000}',
            "the body must be JSON in UTF-8",
            '{"transaction_id": "FT1", "amount": 240000}',
        ),
        (
            json.dumps(missing_amount(transaction_id="FT\ud800")).encode(),
            "amount must be an integer number of đồng",
            None,
        ),
        (
            b'{"transaction_id": "FT\xed\xa0\x80", "amount": 240000}',
            "the body must be JSON in UTF-8",
            '{"transaction_id": "FT\\xed\\xa0\\x80", "amount": 240000}',
        ),
        (
            b'{"transaction_id": "FT1", "amount": 240000, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "the body is nested too deeply",
            None,
        ),
        (
            b"\xff\xfe{\x00}",
            "the body must be JSON in UTF-8",
            "\\xff\\xfe{}",
        ),
        (json.dumps(missing_amount()).encode(), "amount must be an integer number of đồng", None),
        (
            json.dumps({k: v for k, v in notice().items() if k != "transaction_id"}).encode(),
            "transaction_id is required",
            None,
        ),
    ],
    ids=[
        "nul",
        "lone-surrogate-escape",
        "surrogate-bytes",
        "nested-100000",
        "not-utf8",
        "no-amount",
        "no-id",
    ],
)
def test_the_bank_sends_a_signed_body_that_is_not_a_notice(client, pay_order, raw, reason, kept_text):
    response = post(client, None, raw=raw)

    assert response.status_code == 400
    assert response.json() == {"error": reason}
    assert not BankNotification.objects.exists()
    kept = UnreadableBankNotice.objects.get()
    assert kept.reason == reason
    assert kept.body_size == len(raw)
    assert "\x00" not in kept.body
    if kept_text is not None:
        assert kept.body == kept_text
    pay_order.refresh_from_db()
    assert pay_order.status == OrderStatus.PENDING_PAYMENT


def test_the_bank_retries_the_same_unreadable_body_and_it_is_kept_once(client, pay_order):
    body = json.dumps(missing_amount(description=pay_order.payment_reference)).encode()

    answers = [post(client, None, raw=body) for _ in range(3)]
    other = post(client, None, raw=json.dumps(missing_amount(transaction_id="FT-OTHER")).encode())

    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert other.status_code == 400
    assert UnreadableBankNotice.objects.count() == 2
    assert UnreadableBankNotice.objects.filter(body=body.decode()).count() == 1


@pytest.mark.parametrize("signature", [False, "0" * 64], ids=["unsigned", "badly-signed"])
def test_an_attacker_sends_an_unreadable_body_and_nothing_is_kept(client, pay_order, signature):
    response = post(
        client, None, raw=b'{"nested": ' + b"[" * 5000 + b"]" * 5000 + b"\x00}", signature=signature
    )

    assert response.status_code == 401
    assert not UnreadableBankNotice.objects.exists()
    assert not BankNotification.objects.exists()


UNREADABLE_INDEX = "/admin/orders/unreadable-bank-notices/"


@pytest.fixture
def kept_notice(client, pay_order):
    post(client, None, raw=b'{"transaction_id": "FT-KEPT-77", "amount": "240000"}')
    client.logout()
    return UnreadableBankNotice.objects.get()


def test_the_superuser_reads_an_unreadable_notice_in_the_admin(client, desk_users, kept_notice):
    client.force_login(desk_users["admin"])

    listing = client.get(UNREADABLE_INDEX)
    page = client.get(reverse("unreadable_bank_notices:inspect", args=[kept_notice.pk]))

    assert reverse("unreadable_bank_notices:index") == UNREADABLE_INDEX
    assert listing.status_code == 200
    assert "amount must be an integer number of đồng" in listing.content.decode()
    assert page.status_code == 200
    assert "FT-KEPT-77" in page.content.decode()
    assert UNREADABLE_INDEX in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("role", ["coop1", "coop2", "officer", "plain"])
def test_nobody_but_a_superuser_sees_unreadable_notices(client, desk_users, kept_notice, role):
    client.force_login(desk_users[role])

    answers = [
        client.get(UNREADABLE_INDEX),
        client.get(UNREADABLE_INDEX + "results/"),
        client.get(reverse("unreadable_bank_notices:inspect", args=[kept_notice.pk])),
    ]

    for answer in answers:
        assert answer.status_code in (302, 403, 404)
        assert "FT-KEPT-77" not in answer.content.decode()
    assert UNREADABLE_INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_unreadable_notice_is_never_changed_in_the_admin(client, desk_users, kept_notice):
    client.force_login(desk_users["admin"])

    for action in ("edit", "delete"):
        assert client.get(f"{UNREADABLE_INDEX}{action}/{kept_notice.pk}/").status_code == 404
        assert client.post(f"{UNREADABLE_INDEX}{action}/{kept_notice.pk}/").status_code == 404
    assert client.get(f"{UNREADABLE_INDEX}new/").status_code == 404
    assert UnreadableBankNotice.objects.filter(pk=kept_notice.pk).exists()
