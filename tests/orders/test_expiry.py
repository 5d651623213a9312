"""Unpaid orders past their deadline are cancelled and their stock released, by
`manage.py expire_orders` and by orders.tasks.expire_orders_task."""

import datetime
from io import StringIO

import pytest

from django.core.management import call_command
from django.utils import timezone

from orders.models import Order, OrderStatus, PaymentMethod
from orders.services import record_payment
from orders.tasks import expire_orders_task


def overdue(order, hours=1):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=hours))


def status_of(order):
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def stock_of(variant):
    variant.refresh_from_db()
    return variant.stock


@pytest.fixture
def three_orders(place, pay_cardamom):
    """An overdue unpaid order (2 units), a fresh unpaid one (1), an overdue paid one (3).
    All of one phone: the paid one is placed and paid first, as the buyer may hold at most
    5 of these 10 units unpaid (ORDER_SHARE_FLOOR)."""
    paid = place({pay_cardamom: 3})[0]
    record_payment(
        order=paid, method=PaymentMethod.VIETQR, amount=paid.total, provider_reference="FT-EXP", source="bank"
    )
    stale, fresh = place({pay_cardamom: 2})[0], place({pay_cardamom: 1})[0]
    overdue(stale)
    overdue(paid)
    return stale, fresh, paid


def run_command():
    out = StringIO()
    call_command("expire_orders", stdout=out)
    return out.getvalue()


def test_command_cancels_overdue_unpaid_orders_and_releases_their_stock(three_orders, pay_cardamom):
    stale, fresh, paid = three_orders
    assert stock_of(pay_cardamom) == 4
    assert "1 unpaid order(s) expired." in run_command()
    assert status_of(stale) == OrderStatus.CANCELLED
    assert stock_of(pay_cardamom) == 6
    assert status_of(fresh) == OrderStatus.PENDING_PAYMENT
    assert status_of(paid) == OrderStatus.PAID
    event = stale.events.last()
    assert (event.from_status, event.to_status, event.source) == (
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.CANCELLED,
        "expiry",
    )


def test_second_run_changes_nothing(three_orders, pay_cardamom):
    run_command()
    assert "0 unpaid order(s) expired." in run_command()
    assert stock_of(pay_cardamom) == 6
    assert three_orders[0].events.count() == 2


def test_command_is_quiet_at_verbosity_zero(three_orders):
    out = StringIO()
    call_command("expire_orders", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert status_of(three_orders[0]) == OrderStatus.CANCELLED


def test_task_expires_the_same_orders(three_orders, pay_cardamom):
    stale, fresh, paid = three_orders
    result = expire_orders_task.enqueue()
    assert result.return_value == 1
    assert [status_of(order) for order in three_orders] == [
        OrderStatus.CANCELLED,
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.PAID,
    ]
    assert stock_of(pay_cardamom) == 6


def test_help_documents_the_cron_line():
    from orders.management.commands.expire_orders import Command

    assert "*/5 * * * *" in Command.help
