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


@pytest.fixture
def honey(coop1):
    from products.factories import ProductPageFactory, ProductVariantFactory

    page = ProductPageFactory(parent=coop1, title="Mật ong bạc hà", slug="mat-ong")
    return ProductVariantFactory(page=page, pack_label="Chai 500 ml", price=150000, stock=20)


def checkout_from(client, address, variant, quantity, capture, **fields):
    """The add form, the checkout page and "Place order", all from `address`."""
    client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity}, REMOTE_ADDR=address)
    client.get("/checkout/", REMOTE_ADDR=address)
    data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"], **fields}
    with capture(execute=True):
        return client.post("/checkout/", data, REMOTE_ADDR=address)


def test_refused_checkouts_do_not_use_up_the_clients_confirmation_mails(
    limits_on, client, place, honey, tea, django_capture_on_commit_callbacks, mailoutbox
):
    place({honey: 10})  # this phone already holds its share of the honey, unpaid
    address = "203.0.113.5"
    for _attempt in range(4):  # one more than the client's mails (3): each refused
        response = checkout_from(
            client, address, honey, 5, django_capture_on_commit_callbacks, email="an@example.com"
        )
        assert response.status_code == 200
        assert "Tối đa 10 Mật ong bạc hà" in response.content.decode()
        client.post("/cart/remove/", {"variant": honey.pk}, REMOTE_ADDR=address)

    response = checkout_from(
        client, address, tea, 1, django_capture_on_commit_callbacks, email="an@example.com"
    )

    assert response.status_code == 303
    order = Order.objects.get(buyer_email="an@example.com")
    assert [message.subject for message in buyer_mails(mailoutbox, "an@example.com")] == [
        f"Đơn hàng {order.number} đã được ghi nhận"
    ]


def test_a_worker_without_the_web_cache_still_holds_the_mails_one_client_asked_too_many_of(
    limits_on, task_queue, order_as_stranger, mailoutbox
):
    for n in range(5):
        order_as_stranger(email=f"target{n}@example.com")
    queued = [path for path in task_queue.waiting() if path.startswith("orders.")]
    assert queued == ["orders.tasks.send_new_order_emails_task"] * 5

    cache.clear()  # the worker runs elsewhere, with a cache of its own
    task_queue.work()

    assert Order.objects.count() == 5
    assert len([m for m in mailoutbox if m.to[0].startswith("target")]) == 3
    assert len(buyer_mails(mailoutbox, "coop1-editor@example.org")) == 5
