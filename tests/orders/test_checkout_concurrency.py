"""Many buyers checking out at the same moment, through the checkout form: carts spanning two
cooperatives never deadlock into an error page, stock is never sold twice, and a deadlock the
database reports anyway is retried (or, if it keeps coming, answered with a plain "try again")."""

import threading
from unittest import mock

import pytest

from django.db import OperationalError, connection
from django.test import Client

from orders.models import Order, OrderLine
from orders.services import placing, retries
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductVariant

from .conftest import CHECKOUT_FORM

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent checkouts need PostgreSQL (SQLite serialises writers): "
    "run with DATABASE_URL=postgres://...",
)


def stock_of(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock


def ready_to_pay(client, *variants, phone="0912345678"):
    """Fill the buyer's cart through the add form, in the order given, and open the checkout
    page; returns the form the buyer is about to post."""
    for variant in variants:
        client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    client.get("/checkout/")
    return {**CHECKOUT_FORM, "phone": phone, "checkout_id": client.session["checkout_id"]}


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_sixteen_buyers_of_two_cooperatives_check_out_at_once(coop1, coop2):
    # Primary keys interleave the cooperatives (coop1: a, d; coop2: b, c), so that reserving in
    # the order items are first met per cooperative locks d before b for some carts and b
    # before d for others.
    a = ProductVariantFactory(page=ProductPageFactory(parent=coop1, title="Thảo quả"), price=50000, stock=40)
    b = ProductVariantFactory(page=ProductPageFactory(parent=coop2, title="Chè"), price=60000, stock=12)
    ProductVariantFactory(page=ProductPageFactory(parent=coop2, title="Chè xanh"), price=60000, stock=5)
    d = ProductVariantFactory(page=ProductPageFactory(parent=coop1, title="Mật ong"), price=70000, stock=10)

    buyers = []
    for number in range(16):
        # A server error comes back as a 500 page, as a buyer would see it (the test client's
        # re-raising listens to a process-wide signal: one thread's error would reach them all).
        # Sixteen buyers, each from an address of their own (one address's unpaid orders count
        # together against one buyer's share).
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"198.51.100.{number + 1}")
        cart = (d, b, a) if number % 2 else (b, d)
        buyers.append((client, ready_to_pay(client, *cart, phone=f"09123450{number:02d}")))
    connection.close()

    outcomes = [None] * len(buyers)
    barrier = threading.Barrier(len(buyers))

    def check_out(index, client, form):
        barrier.wait()
        try:
            response = client.post("/checkout/", form)
            if response.status_code == 303:
                outcomes[index] = "order"
            elif response.status_code == 200 and "Chỉ còn 0 " in response.content.decode():
                outcomes[index] = "out of stock"
            else:
                outcomes[index] = f"HTTP {response.status_code}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=check_out, args=(index, client, form))
        for index, (client, form) in enumerate(buyers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    unexpected = [outcome for outcome in outcomes if outcome not in ("order", "out of stock")]
    assert unexpected == []
    # Every buyer wants one b and one d: d (10 units) runs out first.
    assert outcomes.count("order") == 10
    assert stock_of(d) == 0 and stock_of(b) == 2
    for variant, start in ((a, 40), (b, 12), (d, 10)):
        sold = sum(OrderLine.objects.filter(variant=variant).values_list("quantity", flat=True))
        assert start - stock_of(variant) == sold
    # One order per cooperative for each buyer served, none for the others.
    assert Order.objects.filter(status="pending_payment").count() == 2 * 10


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_during_checkout_is_retried_and_the_buyer_gets_one_order(coop1, coop2):
    import psycopg.errors

    cardamom = ProductVariantFactory(page=ProductPageFactory(parent=coop1), price=120000, stock=5)
    tea = ProductVariantFactory(page=ProductPageFactory(parent=coop2), price=80000, stock=3)
    client = Client()
    form = ready_to_pay(client, tea, cardamom)
    real_reserve = placing.reserve_stock
    calls = []

    def reserve_then_deadlock_once(**kwargs):
        real_reserve(**kwargs)  # the first attempt really takes the units...
        calls.append(kwargs)
        if len(calls) == 1:  # ...then the database picks it as a deadlock's victim
            raise OperationalError("deadlock detected") from psycopg.errors.DeadlockDetected()

    with mock.patch.object(placing, "reserve_stock", reserve_then_deadlock_once):
        response = client.post("/checkout/", form)

    assert response.status_code == 303
    assert len(calls) > 2  # the whole checkout ran again
    assert Order.objects.count() == 2
    assert (stock_of(cardamom), stock_of(tea)) == (4, 2)  # the failed attempt left nothing behind


@pytest.mark.django_db(transaction=True)
def test_a_checkout_that_keeps_deadlocking_asks_the_buyer_to_try_again(coop1):
    import psycopg.errors

    cardamom = ProductVariantFactory(page=ProductPageFactory(parent=coop1), price=120000, stock=5)
    client = Client()
    form = ready_to_pay(client, cardamom)
    real_reserve = placing.reserve_stock

    def always_deadlock(**kwargs):
        real_reserve(**kwargs)
        raise OperationalError("deadlock detected") from psycopg.errors.DeadlockDetected()

    with (
        mock.patch.object(placing, "reserve_stock", always_deadlock),
        mock.patch.object(retries.time, "sleep"),
    ):
        response = client.post("/checkout/", form)

    assert response.status_code == 503
    assert "thử lại" in response.content.decode()  # "please try again", in Vietnamese
    assert not Order.objects.exists()
    assert stock_of(cardamom) == 5
    # The cart is kept: the buyer can press "Place order" again.
    assert client.session["cart"] == {str(cardamom.pk): 1}
