"""What an unpaid order may hold: its stock only until a short deadline the buyer is shown, freed
for the next buyer as soon as it passes (no cron needed), and never more of a pack than a fair
share for one buyer (one order, or one phone's unpaid orders together)."""

import datetime
from unittest import mock

import pytest

from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from orders.models import Order, OrderLine, OrderStatus
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductVariant

from .conftest import CHECKOUT_FORM

pytestmark = pytest.mark.django_db


def stock_of(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock


def buy(client, variant, quantity, **form):
    """A buyer's whole path: the add form, the checkout page, "Place order"."""
    client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity})
    client.get("/checkout/")
    data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"], **form}
    return client.post("/checkout/", data)


def shown_deadline(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def test_buyer_is_shown_a_pay_before_deadline_two_hours_ahead_in_local_time(client, cardamom):
    before = timezone.now()
    response = buy(client, cardamom, 1)
    after = timezone.now()
    order = Order.objects.get()
    assert response.status_code == 303

    html = client.get(f"/orders/{order.token}/").content.decode()
    assert "Hạn thanh toán" in html
    # Two hours after ordering, in Vietnam's time (UTC+7), the way the buyer's clock shows it.
    assert any(shown_deadline(moment + datetime.timedelta(hours=2)) in html for moment in (before, after)), (
        html
    )


def test_a_card_order_without_a_bank_account_still_shows_its_deadline(client, place, cardamom, coop1):
    type(coop1).objects.filter(pk=coop1.pk).update(bank_account_number="")
    (order,) = place({cardamom: 1}, payment_method="stripe")

    html = client.get(f"/orders/{order.token}/").content.decode()
    assert shown_deadline(order.expires_at) in html


@pytest.mark.parametrize("payment_method", ["vietqr", "stripe"])
def test_after_the_deadline_another_buyer_gets_the_units_without_cron(place, cardamom, payment_method):
    # The first buyer takes the whole stock (5 units: no more than anyone may take) and never pays.
    (unpaid,) = place({cardamom: 5}, payment_method=payment_method)
    assert stock_of(cardamom) == 0
    Order.objects.filter(pk=unpaid.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    second = Client()
    response = buy(second, cardamom, 3, phone="0987 654 321")

    assert response.status_code == 303
    bought = Order.objects.get(buyer_phone="0987654321")
    assert bought.lines.get().quantity == 3
    assert Order.objects.get(pk=unpaid.pk).status == OrderStatus.CANCELLED
    assert stock_of(cardamom) == 2


def test_after_the_deadline_the_product_page_offers_the_units_again_without_cron(place, cardamom):
    (unpaid,) = place({cardamom: 5})
    add_form = f'name="variant" value="{cardamom.pk}"'
    assert add_form not in Client().get(cardamom.page.url).content.decode()  # sold out
    Order.objects.filter(pk=unpaid.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    html = Client().get(cardamom.page.url).content.decode()

    assert add_form in html
    assert Order.objects.get(pk=unpaid.pk).status == OrderStatus.CANCELLED
    assert stock_of(cardamom) == 5


def test_a_deadline_not_yet_passed_keeps_the_units_held(place, cardamom):
    place({cardamom: 5})

    response = buy(Client(), cardamom, 1, phone="0987 654 321")

    assert response.status_code == 303  # back to the cart, which says it is sold out
    assert not Order.objects.filter(buyer_phone="0987654321").exists()
    assert stock_of(cardamom) == 0


@pytest.fixture
def honey(coop1):
    page = ProductPageFactory(parent=coop1, title="Mật ong bạc hà", slug="mat-ong")
    return ProductVariantFactory(page=page, pack_label="Chai 500 ml", price=150000, stock=20)


def test_one_order_cannot_take_more_than_half_of_a_large_stock(client, honey):
    """The add form already lowers the cart to one buyer's share, and says so (test_cart.py):
    the order placed holds that share, never more."""
    added = client.post("/cart/add/", {"variant": honey.pk, "quantity": 11}, follow=True)
    client.get("/checkout/")
    response = client.post("/checkout/", {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"]})

    assert "Mỗi người mua chỉ được tối đa 10 Mật ong bạc hà (Chai 500 ml)" in added.content.decode()
    assert response.status_code == 303
    assert [line.quantity for line in OrderLine.objects.all()] == [10]
    assert stock_of(honey) == 10


def test_a_phone_with_an_unpaid_order_cannot_take_the_rest_with_a_second_order(client, honey):
    assert buy(client, honey, 10).status_code == 303  # half of 20: allowed

    html = buy(client, honey, 5, name="Người khác").content.decode()

    assert "Tối đa 10 Mật ong bạc hà (Chai 500 ml)" in html
    assert "đã giữ 10" in html
    assert Order.objects.count() == 1
    assert stock_of(honey) == 10
    # Another buyer (another phone, elsewhere) can still buy up to half of what is left.
    assert buy(Client(REMOTE_ADDR="198.51.100.9"), honey, 5, phone="0987 654 321").status_code == 303
    assert stock_of(honey) == 5


def test_a_few_units_can_all_go_to_one_buyer(client, cardamom):
    assert buy(client, cardamom, 5).status_code == 303
    assert stock_of(cardamom) == 0


def test_a_card_payment_started_near_the_deadline_keeps_the_units_while_stripe_may_take_the_money(
    client, fake_stripe, place, cardamom
):
    # Stripe's payment page stays open at least 30 minutes; the order must not expire (and its
    # units go to someone else) while the buyer can still pay on it.
    (order,) = place({cardamom: 2}, payment_method="stripe")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() + datetime.timedelta(minutes=10))
    session = client.session
    session["placed_checkouts"] = [str(order.checkout_id)]
    session.save()

    response = client.get(f"/checkout/stripe/{order.checkout_id}/")

    assert response.status_code == 303
    stripe_ends = datetime.datetime.fromtimestamp(
        int(fake_stripe.posts()[0].params["expires_at"]), tz=datetime.UTC
    )
    order.refresh_from_db()
    assert order.expires_at >= stripe_ends
    html = client.get(f"/orders/{order.token}/").content.decode()
    assert shown_deadline(order.expires_at) in html


def test_one_address_with_a_new_phone_each_checkout_cannot_take_more_than_the_share(honey):
    # An anonymous buyer behind one address types another (unverified) phone number each time.
    address = "203.0.113.7"
    first = Client(REMOTE_ADDR=address)
    assert buy(first, honey, 10, phone="0911 111 111").status_code == 303  # half of 20: allowed

    html = buy(Client(REMOTE_ADDR=address), honey, 5, phone="0922 222 222").content.decode()

    assert "Tối đa 10 Mật ong bạc hà (Chai 500 ml)" in html
    assert "đã giữ 10" in html
    assert Order.objects.count() == 1
    assert stock_of(honey) == 10
    # A buyer elsewhere can still buy up to half of what is left.
    assert buy(Client(REMOTE_ADDR="198.51.100.20"), honey, 5, phone="0933 333 333").status_code == 303
    assert stock_of(honey) == 5


def test_the_buyers_address_is_kept_only_as_a_keyed_hash(client, honey):
    address = "203.0.113.7"
    buy(Client(REMOTE_ADDR=address), honey, 1)

    kept = Order.objects.values_list("buyer_client", flat=True).get()
    assert len(kept) == 64
    assert address not in kept


@pytest.fixture
def expiry_fails(place, cardamom):
    """An unpaid order past its deadline holds 2 units, and putting them back fails with a
    database error that is no deadlock (a full disk, a lost connection)."""
    (unpaid,) = place({cardamom: 2})
    Order.objects.filter(pk=unpaid.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with mock.patch("orders.services.expiry.lock_variants", side_effect=OperationalError("disk I/O error")):
        yield unpaid


def test_a_product_page_is_shown_when_putting_back_overdue_holds_fails(client, cardamom, expiry_fails):
    response = client.get(cardamom.page.url)

    assert response.status_code == 200
    assert "Thảo quả khô" in response.content.decode()
    assert Order.objects.get(pk=expiry_fails.pk).status == OrderStatus.PENDING_PAYMENT  # left for later


def test_the_cart_is_shown_and_takes_a_pack_when_putting_back_overdue_holds_fails(
    client, cardamom, expiry_fails
):
    added = client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    response = client.get("/cart/")

    assert added.status_code == 303
    assert response.status_code == 200
    assert "Thảo quả khô" in response.content.decode()
