"""Stripe: the Checkout Session (against a local fake Stripe server, never the network) and
/webhooks/stripe/ with real signatures: valid, forged, stale, replayed, out of order."""

import hashlib
import hmac
import json
import time
import uuid

import pytest

from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderStatus, Payment, StripeEvent
from orders.services import change_status

from .conftest import STRIPE_WEBHOOK_SECRET

WEBHOOK_URL = "/webhooks/stripe/"


# --- helpers ---------------------------------------------------------------------------------


def stripe_signature(
    payload: str, *, secret: str = STRIPE_WEBHOOK_SECRET, timestamp: int | None = None
) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def session_event(orders, event_type="checkout.session.completed", *, event_id=None, **session_fields):
    orders = list(orders)
    session = {
        "id": orders[0].stripe_session_id or "cs_test_abc",
        "object": "checkout.session",
        "payment_status": "paid",
        "status": "complete",
        "currency": "vnd",
        "amount_total": sum(order.total for order in orders),
        "payment_intent": "pi_test_123",
        "client_reference_id": str(orders[0].checkout_id),
        "metadata": {
            "checkout_id": str(orders[0].checkout_id),
            "order_ids": ",".join(str(order.pk) for order in orders),
        },
    }
    session.update(session_fields)
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "type": event_type,
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "data": {"object": session},
    }


def deliver(client, event, *, signature=None, **signing):
    payload = json.dumps(event)
    header = signature if signature is not None else stripe_signature(payload, **signing)
    return client.post(WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET


@pytest.fixture
def card_order(place, pay_cardamom):
    order = place({pay_cardamom: 2}, payment_method="stripe")[0]
    Order.objects.filter(pk=order.pk).update(stripe_session_id="cs_test_abc")
    order.refresh_from_db()
    return order


def allow(client, checkout_id):
    session = client.session
    session["placed_checkouts"] = [str(checkout_id)]
    session.save()


# --- Checkout Session ------------------------------------------------------------------------


def test_urls_and_namespace():
    checkout_id = uuid.uuid4()
    assert reverse("payments:stripe_webhook") == WEBHOOK_URL
    assert reverse("payments:stripe_checkout", args=[checkout_id]) == f"/checkout/stripe/{checkout_id}/"


def test_the_session_is_in_vnd_without_minor_units(client, fake_stripe, place, pay_cardamom, pay_tea):
    orders = place({pay_cardamom: 2, pay_tea: 1}, payment_method="stripe")
    checkout_id = orders[0].checkout_id
    allow(client, checkout_id)

    response = client.post(reverse("payments:stripe_checkout", args=[checkout_id]))

    assert response.status_code == 303
    [request] = fake_stripe.posts()
    assert request.path == "/v1/checkout/sessions"
    assert request.headers["Authorization"] == "Bearer sk_test_fake"
    params = request.params
    session_id = fake_stripe.sessions and next(iter(fake_stripe.sessions))
    assert response["Location"] == f"https://checkout.stripe.test/c/pay/{session_id}"
    assert params["mode"] == "payment"
    assert params["currency"] == "vnd"
    items = sorted(
        (
            item["price_data"]["product_data"]["name"],
            item["price_data"]["currency"],
            item["price_data"]["unit_amount"],
            item["quantity"],
        )
        for item in params["line_items"]
    )
    assert items == [
        ("Chè Shan tuyết – Hộp 100 g", "vnd", "80000", "1"),
        ("Thảo quả khô – Túi 500 g", "vnd", "120000", "2"),
    ]
    ordered = sorted(orders, key=lambda o: o.pk)
    assert params["metadata"] == {
        "checkout_id": str(checkout_id),
        "order_ids": ",".join(str(o.pk) for o in ordered),
        "order_numbers": ",".join(o.number for o in ordered),
    }
    assert params["client_reference_id"] == str(checkout_id)
    page = f"http://testserver/orders/{ordered[0].token}/"
    assert params["success_url"] == page + "?paid=1"
    assert params["cancel_url"] == page + "?cancelled=1"
    assert params["customer_email"] == "lan@example.com"
    # Stripe's limits (30 min to 24 h); the order's own deadline is 24 h by default.
    lifetime = int(params["expires_at"]) - time.time()
    assert 30 * 60 < lifetime < 24 * 60 * 60
    assert fake_stripe.sessions[session_id]["amount_total"] == 2 * 120000 + 80000
    assert {o.stripe_session_id for o in Order.objects.filter(checkout_id=checkout_id)} == {session_id}


def test_the_session_ends_with_the_orders_deadline(client, fake_stripe, place, pay_cardamom):
    order = place({pay_cardamom: 1}, payment_method="stripe")[0]
    deadline = timezone.now() + timezone.timedelta(hours=2)
    Order.objects.filter(pk=order.pk).update(expires_at=deadline)
    allow(client, order.checkout_id)

    client.get(reverse("payments:stripe_checkout", args=[order.checkout_id]))

    assert abs(int(fake_stripe.posts()[0].params["expires_at"]) - deadline.timestamp()) <= 1


def test_a_second_click_reuses_the_open_session(client, fake_stripe, place, pay_cardamom):
    order = place({pay_cardamom: 1}, payment_method="stripe")[0]
    allow(client, order.checkout_id)
    url = reverse("payments:stripe_checkout", args=[order.checkout_id])

    first = client.post(url)
    second = client.post(url)

    assert first["Location"] == second["Location"]
    assert len(fake_stripe.posts()) == 1


def test_only_the_buyer_who_placed_the_checkout_may_pay_it(client, fake_stripe, pay_order):
    url = reverse("payments:stripe_checkout", args=[pay_order.checkout_id])
    assert client.post(url).status_code == 404
    assert client.post(url + "?token=wrong").status_code == 404
    assert not fake_stripe.requests
    # From the order page (its secret token), on another device.
    assert client.post(url, {"token": pay_order.token}).status_code == 303


def test_an_unknown_checkout_is_404(client, db, fake_stripe):
    checkout_id = uuid.uuid4()
    allow(client, checkout_id)
    assert client.get(reverse("payments:stripe_checkout", args=[checkout_id])).status_code == 404


def test_without_stripe_keys_the_view_is_404(client, settings, pay_order):
    settings.STRIPE_SECRET_KEY = ""
    allow(client, pay_order.checkout_id)
    assert client.get(reverse("payments:stripe_checkout", args=[pay_order.checkout_id])).status_code == 404


def test_a_paid_checkout_is_not_sent_to_stripe_again(client, fake_stripe, pay_order):
    from orders.services import record_payment

    record_payment(order=pay_order, method="vietqr", amount=240000, provider_reference="FT1", source="bank")
    allow(client, pay_order.checkout_id)

    response = client.get(reverse("payments:stripe_checkout", args=[pay_order.checkout_id]))

    assert response.status_code == 200
    # In the language the order was placed in (Vietnamese, the default).
    assert "đã được thanh toán" in response.content.decode()
    assert not fake_stripe.requests


def test_a_stripe_refusal_is_a_plain_page_not_a_500(client, fake_stripe, pay_order):
    fake_stripe.fail_with = (400, "invalid_request_error", "Currency vnd is not supported")
    allow(client, pay_order.checkout_id)

    response = client.get(reverse("payments:stripe_checkout", args=[pay_order.checkout_id]))

    assert response.status_code == 502
    assert "VietQR" in response.content.decode()
    pay_order.refresh_from_db()
    assert pay_order.stripe_session_id == ""


def test_stripe_out_of_reach_is_a_plain_page_not_a_500(client, settings, pay_order):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: nothing listens there
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
    allow(client, pay_order.checkout_id)

    response = client.get(reverse("payments:stripe_checkout", args=[pay_order.checkout_id]))

    assert response.status_code == 502


# --- webhook: signatures ---------------------------------------------------------------------


def test_a_valid_completed_event_pays_the_order(client, stripe_keys, card_order):
    response = deliver(client, session_event([card_order]))

    assert response.status_code == 200
    assert response.json()["outcome"] == "paid"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.method, payment.amount) == ("stripe", 240000)
    assert payment.provider_reference == f"pi_test_123:{card_order.pk}"
    assert card_order.events.filter(to_status="paid", source="stripe").exists()
    assert StripeEvent.objects.get().order == card_order


def test_one_session_pays_every_order_of_the_checkout(client, stripe_keys, place, pay_cardamom, pay_tea):
    orders = place({pay_cardamom: 1, pay_tea: 1}, payment_method="stripe")
    response = deliver(client, session_event(orders, payment_intent=None, id="cs_test_multi"))

    assert response.json()["outcome"] == "paid"
    assert {o.status for o in Order.objects.filter(checkout_id=orders[0].checkout_id)} == {OrderStatus.PAID}
    assert {p.provider_reference for p in Payment.objects.all()} == {f"cs_test_multi:{o.pk}" for o in orders}


def test_a_forged_signature_is_refused_and_nothing_stored(client, stripe_keys, card_order):
    response = deliver(client, session_event([card_order]), secret="whsec_forged")

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def test_a_missing_signature_is_refused(client, stripe_keys, card_order):
    assert deliver(client, session_event([card_order]), signature="").status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_signed_body_that_was_changed_is_refused(client, stripe_keys, card_order):
    event = session_event([card_order])
    header = stripe_signature(json.dumps(event))
    event["data"]["object"]["amount_total"] = 1
    assert deliver(client, event, signature=header).status_code == 400


def test_a_stale_signature_is_refused(client, stripe_keys, card_order):
    response = deliver(client, session_event([card_order]), timestamp=int(time.time()) - 301)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def test_a_signature_just_inside_the_tolerance_is_accepted(client, stripe_keys, card_order):
    assert deliver(client, session_event([card_order]), timestamp=int(time.time()) - 250).status_code == 200


def test_without_a_webhook_secret_nothing_is_accepted(client, settings, card_order):
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert deliver(client, session_event([card_order]), secret="").status_code == 503
    assert not StripeEvent.objects.exists()


def test_malformed_json_with_a_valid_signature_is_400(client, stripe_keys):
    payload = "{not json"
    response = client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=stripe_signature(payload)
    )
    assert response.status_code == 400


# --- webhook: delivered twice, late, out of order --------------------------------------------


def test_a_replayed_event_has_one_effect(client, stripe_keys, card_order):
    event = session_event([card_order], event_id="evt_same")

    first = deliver(client, event)
    second = deliver(client, event)

    assert first.json() == {"event": "evt_same", "outcome": "paid", "duplicate": False}
    assert second.status_code == 200
    assert second.json() == {"event": "evt_same", "outcome": "duplicate", "duplicate": True}
    assert Payment.objects.count() == 1
    assert StripeEvent.objects.count() == 1
    assert card_order.events.filter(to_status="paid").count() == 1


def test_completed_then_async_succeeded_for_the_same_payment_counts_once(client, stripe_keys, card_order):
    deliver(client, session_event([card_order]))
    response = deliver(client, session_event([card_order], "checkout.session.async_payment_succeeded"))

    assert response.json()["outcome"] == "already_recorded"
    assert Payment.objects.count() == 1


def test_unpaid_completion_leaves_the_order_waiting(client, stripe_keys, card_order):
    response = deliver(client, session_event([card_order], payment_status="unpaid"))

    assert response.status_code == 200
    assert response.json()["outcome"] == "not_paid:unpaid"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_a_delayed_payment_that_succeeds_pays_the_order(client, stripe_keys, card_order):
    deliver(client, session_event([card_order], payment_status="unpaid"))
    response = deliver(client, session_event([card_order], "checkout.session.async_payment_succeeded"))

    assert response.json()["outcome"] == "paid"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PAID


def test_a_delayed_payment_that_fails_leaves_the_order_waiting(client, stripe_keys, card_order):
    response = deliver(
        client, session_event([card_order], "checkout.session.async_payment_failed", payment_status="unpaid")
    )

    assert response.json()["outcome"] == "payment_failed"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert StripeEvent.objects.get().outcome == "payment_failed"


def test_an_amount_that_differs_from_the_orders_does_not_pay(client, stripe_keys, card_order):
    response = deliver(client, session_event([card_order], amount_total=1000))
    assert response.json()["outcome"] == "amount_mismatch"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def test_expired_session_cancels_the_order_and_releases_stock(client, stripe_keys, card_order, pay_cardamom):
    pay_cardamom.refresh_from_db()
    assert pay_cardamom.stock == 8

    response = deliver(
        client, session_event([card_order], "checkout.session.expired", payment_status="unpaid")
    )

    assert response.json()["outcome"] == "cancelled"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.CANCELLED
    pay_cardamom.refresh_from_db()
    assert pay_cardamom.stock == 10
    assert card_order.events.filter(to_status="cancelled", source="stripe").exists()


def test_expired_after_completed_is_ignored(client, stripe_keys, card_order, pay_cardamom):
    deliver(client, session_event([card_order]))
    response = deliver(
        client, session_event([card_order], "checkout.session.expired", payment_status="unpaid")
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PAID
    pay_cardamom.refresh_from_db()
    assert pay_cardamom.stock == 8


def test_completed_after_expired_never_reopens_the_order(client, stripe_keys, card_order):
    deliver(client, session_event([card_order], "checkout.session.expired", payment_status="unpaid"))
    response = deliver(client, session_event([card_order]))

    assert response.status_code == 200
    assert response.json()["outcome"] == "order_closed"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.CANCELLED
    assert not Payment.objects.exists()
    assert StripeEvent.objects.filter(outcome="order_closed", order=card_order).exists()


def test_completed_after_the_order_expired_unpaid_is_kept_for_review(client, stripe_keys, card_order):
    change_status(order=card_order, to_status=OrderStatus.CANCELLED, note="expired", source="expiry")
    assert deliver(client, session_event([card_order])).json()["outcome"] == "order_closed"


def test_an_older_session_expiring_does_not_cancel_a_newer_one(client, stripe_keys, card_order):
    Order.objects.filter(pk=card_order.pk).update(stripe_session_id="cs_test_newer")
    response = deliver(
        client,
        session_event([card_order], "checkout.session.expired", id="cs_test_abc", payment_status="unpaid"),
    )
    assert response.json()["outcome"] == "superseded"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def test_an_order_paid_by_transfer_meanwhile_is_flagged_not_paid_twice(client, stripe_keys, card_order):
    from orders.services import record_payment

    record_payment(order=card_order, method="vietqr", amount=240000, provider_reference="FT1", source="bank")
    response = deliver(client, session_event([card_order]))

    assert response.json()["outcome"] == "already_paid"
    assert Payment.objects.count() == 1


def test_unknown_event_types_are_acknowledged_and_ignored(client, stripe_keys, card_order):
    event = session_event([card_order], "customer.created")
    response = deliver(client, event)
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def test_a_session_of_no_order_of_ours_is_recorded(client, stripe_keys, card_order):
    event = session_event([card_order])
    event["data"]["object"]["metadata"] = {}
    event["data"]["object"]["id"] = "cs_test_someone_else"
    assert deliver(client, event).json()["outcome"] == "unknown_session"
    assert not Payment.objects.exists()


def test_the_webhook_is_post_only(client, db, stripe_keys):
    assert client.get(WEBHOOK_URL).status_code == 405
