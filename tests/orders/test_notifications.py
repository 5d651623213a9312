"""Emails on a new order and on payment (orders/notifications.py), sent by a django-tasks task
once the transaction has committed (orders/signal_handlers.py)."""

import uuid

import pytest

from orders.models import PaymentMethod
from orders.services import Buyer, place_orders, record_payment

from .conftest import PAY_BUYER

ORDER_PAGE_PREFIX = "http://testserver/orders/"


@pytest.fixture
def editors(desk_users):
    return desk_users


@pytest.fixture
def outbox(editors, mailoutbox):
    """pytest-django's mailoutbox, taken after the database is set up: Django's test case
    set-up replaces django.core.mail.outbox, so a mailoutbox taken earlier stays empty."""
    return mailoutbox


def place_committed(capture, items, **buyer):
    with capture(execute=True):
        buyer = Buyer(**{**PAY_BUYER.__dict__, **buyer})
        return place_orders(
            items={variant.pk: quantity for variant, quantity in items.items()},
            buyer=buyer,
            checkout_id=uuid.uuid4(),
        )


def to(outbox, address):
    return [message for message in outbox if message.to == [address]]


def test_new_order_mails_buyer_and_cooperative(django_capture_on_commit_callbacks, outbox, pay_cardamom):
    (order,) = place_committed(django_capture_on_commit_callbacks, {pay_cardamom: 2})
    assert len(outbox) == 2
    (buyer_mail,) = to(outbox, "lan@example.com")
    (coop_mail,) = to(outbox, "coop1-editor@example.org")
    assert not to(outbox, "coop2-editor@example.org")
    for message in (buyer_mail, coop_mail):
        assert order.number in message.subject
        for text in (order.number, order.payment_reference, "240.000", "Thảo quả khô", "Túi 500 g"):
            assert text in message.body
        assert f"{ORDER_PAGE_PREFIX}{order.token}/" in message.body
    assert f"http://testserver/admin/orders/inspect/{order.pk}/" in coop_mail.body
    assert "/admin/" not in buyer_mail.body


def test_new_order_without_buyer_email_mails_only_the_cooperative(
    django_capture_on_commit_callbacks, outbox, pay_cardamom
):
    place_committed(django_capture_on_commit_callbacks, {pay_cardamom: 1}, email="")
    assert [message.to for message in outbox] == [["coop1-editor@example.org"]]


def test_checkout_across_cooperatives_mails_each_its_own_order(
    django_capture_on_commit_callbacks, outbox, pay_cardamom, pay_tea
):
    orders = place_committed(django_capture_on_commit_callbacks, {pay_cardamom: 1, pay_tea: 1})
    by_coop = {order.cooperative_id: order for order in orders}
    (coop1_mail,) = to(outbox, "coop1-editor@example.org")
    (coop2_mail,) = to(outbox, "coop2-editor@example.org")
    assert by_coop[pay_cardamom.page.get_parent().pk].number in coop1_mail.body
    assert by_coop[pay_tea.page.get_parent().pk].number not in coop1_mail.body
    assert by_coop[pay_tea.page.get_parent().pk].number in coop2_mail.body
    assert len(to(outbox, "lan@example.com")) == 2


def test_nothing_is_sent_before_commit(outbox, pay_cardamom, place):
    place({pay_cardamom: 1})
    assert outbox == []


def test_payment_mails_buyer_and_cooperative(django_capture_on_commit_callbacks, outbox, pay_order):
    with django_capture_on_commit_callbacks(execute=True):
        record_payment(
            order=pay_order,
            method=PaymentMethod.VIETQR,
            amount=pay_order.total,
            provider_reference="FT-NOTIFY-1",
            source="bank",
        )
    assert len(outbox) == 2
    (buyer_mail,) = to(outbox, "lan@example.com")
    (coop_mail,) = to(outbox, "coop1-editor@example.org")
    for message in (buyer_mail, coop_mail):
        assert pay_order.number in message.subject
        assert "240.000" in message.body
        assert f"{ORDER_PAGE_PREFIX}{pay_order.token}/" in message.body
    assert "FT-NOTIFY-1" in coop_mail.body


def test_same_payment_seen_twice_mails_once(django_capture_on_commit_callbacks, outbox, pay_order):
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            record_payment(
                order=pay_order,
                method=PaymentMethod.VIETQR,
                amount=pay_order.total,
                provider_reference="FT-NOTIFY-2",
                source="bank",
            )
    assert len(outbox) == 2


def test_inactive_editors_and_editors_without_address_get_nothing(
    django_capture_on_commit_callbacks, editors, outbox, pay_cardamom
):
    from website.factories import UserFactory

    group = editors["coop1"].groups.get()
    UserFactory(username="gone", email="gone@example.org", is_active=False).groups.add(group)
    UserFactory(username="no-mail", email="").groups.add(group)
    place_committed(django_capture_on_commit_callbacks, {pay_cardamom: 1}, email="")
    assert [message.to for message in outbox] == [["coop1-editor@example.org"]]


def test_with_a_worker_the_checkout_only_queues_its_mail_and_the_worker_sends_it(
    outbox, pay_cardamom, place, task_queue
):
    (order,) = place({pay_cardamom: 2})

    # The buyer's request is over without waiting for the mail relay: the mail is queued.
    assert outbox == []
    assert task_queue.waiting() == ["orders.tasks.send_new_order_emails_task"]

    task_queue.work()

    assert sorted(message.to for message in outbox) == [["coop1-editor@example.org"], ["lan@example.com"]]
    assert all(order.number in message.subject for message in outbox)
    assert task_queue.waiting() == []
    assert task_queue.statuses("orders.tasks.send_new_order_emails_task") == ["SUCCESSFUL"]
