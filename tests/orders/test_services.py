"""The order rules every door goes through: stock never oversold, prices from the database,
one checkout placed once, only allowed status moves, payments counted once."""

import dataclasses
import datetime
import threading
import uuid

import pytest

from django.db import connection
from django.utils import timezone

from orders.exceptions import InvalidTransition, OrderError, OutOfStock, PaymentMismatch
from orders.models import Order, OrderStatus, Payment
from orders.services import (
    Buyer,
    change_status,
    expire_unpaid_orders,
    place_orders,
    record_payment,
)
from products.factories import ProductPageFactory, ProductVariantFactory

BUYER = Buyer(
    name="Nguyễn Thị Lan",
    phone="0912345678",
    email="",
    delivery_method="pickup",
    delivery_address="",
    note="",
    payment_method="vietqr",
)


@pytest.fixture
def cardamom(coop1):
    return ProductVariantFactory(page=ProductPageFactory(parent=coop1), price=120000, stock=5)


@pytest.fixture
def tea(coop2):
    return ProductVariantFactory(page=ProductPageFactory(parent=coop2), price=80000, stock=3)


def place(items, checkout_id=None):
    return place_orders(items=items, buyer=BUYER, checkout_id=checkout_id or uuid.uuid4())


def test_a_cart_from_two_cooperatives_becomes_one_order_each(cardamom, tea, coop1, coop2):
    orders = place({cardamom.pk: 2, tea.pk: 1})

    assert {o.cooperative_id for o in orders} == {coop1.pk, coop2.pk}
    by_coop = {o.cooperative_id: o for o in orders}
    assert by_coop[coop1.pk].total == 240000
    assert by_coop[coop2.pk].total == 80000
    cardamom.refresh_from_db()
    tea.refresh_from_db()
    assert (cardamom.stock, tea.stock) == (3, 2)
    assert len({o.checkout_id for o in orders}) == 1
    assert all(o.status == OrderStatus.PENDING_PAYMENT for o in orders)


def test_lines_keep_the_price_and_title_of_the_moment(cardamom):
    (order,) = place({cardamom.pk: 1})
    cardamom.price = 999000
    cardamom.save()

    line = order.lines.get()
    assert (line.unit_price, line.line_total, line.product_title) == (120000, 120000, cardamom.page.title)
    assert line.sku == cardamom.sku


def test_payment_reference_is_short_ascii_and_unique(cardamom):
    orders = [place({cardamom.pk: 1})[0] for _ in range(3)]
    references = {o.payment_reference for o in orders}
    assert len(references) == 3
    for reference in references:
        assert len(reference) <= 20
        assert reference.isascii() and reference.isalnum() and reference.isupper()


def test_placing_the_same_checkout_twice_creates_one_set_of_orders(cardamom):
    checkout_id = uuid.uuid4()
    first = place({cardamom.pk: 2}, checkout_id)
    second = place({cardamom.pk: 2}, checkout_id)

    assert [o.pk for o in first] == [o.pk for o in second]
    assert Order.objects.count() == 1
    cardamom.refresh_from_db()
    assert cardamom.stock == 3


def test_a_shortage_writes_nothing_and_reserves_nothing(cardamom, tea):
    with pytest.raises(OutOfStock, match="Chỉ còn 3 "):
        place({cardamom.pk: 1, tea.pk: 4})

    assert not Order.objects.exists()
    cardamom.refresh_from_db()
    tea.refresh_from_db()
    assert (cardamom.stock, tea.stock) == (5, 3)


@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_must_be_positive(cardamom, quantity):
    with pytest.raises(OrderError):
        place({cardamom.pk: quantity})
    assert not Order.objects.exists()


def test_inactive_or_unknown_variants_are_refused(cardamom):
    cardamom.is_active = False
    cardamom.save()
    with pytest.raises(OrderError):
        place({cardamom.pk: 1})
    with pytest.raises(OrderError):
        place({987654: 1})
    assert not Order.objects.exists()


def test_an_empty_cart_is_refused(db):
    with pytest.raises(OrderError):
        place({})


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["paid", "packed", "shipped", "delivered"], True),
        (["paid", "refunded"], True),
        (["cancelled"], True),
        (["packed"], False),
        (["paid", "pending_payment"], False),
        (["cancelled", "paid"], False),
        (["paid", "packed", "shipped", "delivered", "cancelled"], False),
    ],
)
def test_orders_move_only_along_the_allowed_paths(cardamom, path, allowed):
    (order,) = place({cardamom.pk: 1})
    if allowed:
        for status in path:
            change_status(order=order, to_status=status)
        order.refresh_from_db()
        assert order.status == path[-1]
        assert list(order.events.values_list("to_status", flat=True)) == ["pending_payment", *path]
    else:
        with pytest.raises(InvalidTransition):
            for status in path:
                change_status(order=order, to_status=status)


def test_cancelling_an_unpaid_order_releases_its_stock(cardamom):
    (order,) = place({cardamom.pk: 2})
    change_status(order=order, to_status="cancelled")
    cardamom.refresh_from_db()
    assert cardamom.stock == 5


def test_a_payment_for_the_exact_amount_marks_the_order_paid_once(cardamom):
    (order,) = place({cardamom.pk: 1})
    payment, created = record_payment(
        order=order, method="vietqr", amount=120000, provider_reference="FT123", source="bank"
    )
    again, created_again = record_payment(
        order=order, method="vietqr", amount=120000, provider_reference="FT123", source="bank"
    )

    assert created and not created_again and payment == again
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None
    assert Payment.objects.count() == 1
    assert order.events.filter(to_status="paid").count() == 1


@pytest.mark.parametrize("amount", [119999, 120001, 0])
def test_a_payment_with_another_amount_changes_nothing(cardamom, amount):
    (order,) = place({cardamom.pk: 1})
    with pytest.raises(PaymentMismatch):
        record_payment(order=order, method="vietqr", amount=amount, provider_reference="FT9", source="bank")
    order.refresh_from_db()
    assert order.status == "pending_payment"
    assert not Payment.objects.exists()


def test_unpaid_orders_past_their_deadline_expire_and_release_stock(cardamom):
    (late,) = place({cardamom.pk: 2})
    (fresh,) = place({cardamom.pk: 1})
    (paid,) = place({cardamom.pk: 1})
    record_payment(order=paid, method="vietqr", amount=120000, provider_reference="FT1", source="bank")
    Order.objects.filter(pk__in=[late.pk, paid.pk]).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert expire_unpaid_orders() == 1
    assert expire_unpaid_orders() == 0
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {late.pk: "cancelled", fresh.pk: "pending_payment", paid.pk: "paid"}
    cardamom.refresh_from_db()
    assert cardamom.stock == 5 - 1 - 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent checkouts need PostgreSQL; SQLite serialises writers",
)
def test_buyers_racing_for_the_last_units_never_oversell(coop1):
    variant = ProductVariantFactory(page=ProductPageFactory(parent=coop1), price=50000, stock=5)
    buyers = 12
    outcomes = []
    barrier = threading.Barrier(buyers)

    def buy(number):
        # Twelve different people (phones): one phone alone may not hold the whole stock.
        buyer = dataclasses.replace(BUYER, phone=f"09123456{number:02d}")
        barrier.wait()
        try:
            place_orders(items={variant.pk: 1}, buyer=buyer, checkout_id=uuid.uuid4())
            outcomes.append("bought")
        except OutOfStock:
            outcomes.append("sold out")
        finally:
            connection.close()  # each thread has its own; CONN_MAX_AGE would keep it open

    threads = [threading.Thread(target=buy, args=(number,)) for number in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    variant.refresh_from_db()
    assert outcomes.count("bought") == 5
    assert outcomes.count("sold out") == buyers - 5
    assert variant.stock == 0
    assert Order.objects.count() == 5


def test_cancelling_a_paid_order_before_packing_puts_its_units_back(cardamom):
    (order,) = place({cardamom.pk: 2})
    record_payment(order=order, method="vietqr", amount=240000, provider_reference="FT-C", source="bank")
    change_status(order=order, to_status="cancelled")
    cardamom.refresh_from_db()
    assert cardamom.stock == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="simultaneous submissions need PostgreSQL; SQLite serialises writers",
)
def test_the_same_checkout_submitted_at_the_same_moment_places_one_set_of_orders(coop1):
    variant = ProductVariantFactory(page=ProductPageFactory(parent=coop1), price=50000, stock=10)
    checkout_id = uuid.uuid4()
    copies = 4
    placed = []
    barrier = threading.Barrier(copies)

    def submit():
        barrier.wait()
        try:
            placed.append(tuple(o.pk for o in place({variant.pk: 1}, checkout_id)))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    variant.refresh_from_db()
    assert Order.objects.count() == 1
    assert variant.stock == 9
    assert len(set(placed)) == 1
