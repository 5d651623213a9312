"""The order mails cannot be turned into a spam relay: a stranger may type anyone's address and
any name, so the confirmation mails to one recipient, and those one client asks for, are limited;
the orders themselves always go through (the buyer keeps the order page's link). The subjects
carry no text the buyer typed."""

import pytest

from django.core.cache import cache
from django.test import override_settings

from orders.models import Order

from .conftest import CHECKOUT_FORM

VICTIM = "victim@example.com"
LIMITS = {"checkout": (100, 60), "order_mail_recipient": (2, 3600), "order_mail_client": (3, 3600)}


@pytest.fixture
def limits_on(db):
    cache.clear()
    with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS):
        yield
    cache.clear()


@pytest.fixture
def order_as_stranger(client, cardamom, django_capture_on_commit_callbacks, desk_users):
    """Put a pack in the cart and check out from `address` with the given form fields."""

    def order(address="203.0.113.5", **fields):
        client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 1}, REMOTE_ADDR=address)
        client.get("/checkout/", REMOTE_ADDR=address)
        data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"], **fields}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/checkout/", data, REMOTE_ADDR=address)
        assert response.status_code == 303
        return response

    return order


def buyer_mails(outbox, address):
    return [message for message in outbox if message.to == [address]]


def test_many_orders_with_one_email_mail_it_only_up_to_the_limit(limits_on, order_as_stranger, mailoutbox):
    for n in range(4):
        order_as_stranger(address=f"198.51.100.{n}", email=VICTIM)  # a new address each time

    assert Order.objects.filter(buyer_email=VICTIM).count() == 4  # no order lost
    assert len(buyer_mails(mailoutbox, VICTIM)) == 2


def test_one_client_gets_only_so_many_confirmation_mails_sent(limits_on, order_as_stranger, mailoutbox):
    for n in range(5):
        order_as_stranger(email=f"target{n}@example.com")

    assert Order.objects.count() == 5
    sent = [m for m in mailoutbox if m.to[0].startswith("target")]
    assert len(sent) == 3
    # The cooperative still hears of every order.
    assert len(buyer_mails(mailoutbox, "coop1-editor@example.org")) == 5


def test_buyers_mail_subject_holds_nothing_the_buyer_typed(order_as_stranger, mailoutbox):
    typed = {
        "name": "Thuoc gia re tai spam.example",
        "delivery_method": "shipping",
        "delivery_address": "Click http://spam.example now",
        "note": "Win money spam.example",
    }
    order_as_stranger(email=VICTIM, **typed)

    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) == 2  # the buyer's and the cooperative's
    for subject in subjects:
        assert "spam" not in subject.lower()
        for value in typed.values():
            assert value not in subject
