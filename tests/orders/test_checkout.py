"""Checkout: one order per cooperative, prices from the database, a double submit placing once,
shortages and bad input refused with nothing written, and the confirmation page kept private."""

import uuid

import pytest

from django.test import Client

from orders.forms import normalise_phone
from orders.models import Order, OrderLine
from products.models import ProductVariant

from .conftest import CHECKOUT_FORM

pytestmark = pytest.mark.django_db


def stock_of(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock


def test_checkout_with_two_cooperatives_places_two_orders(client, cardamom, tea, add_to_cart, checkout):
    add_to_cart(cardamom, 2)
    add_to_cart(tea, 1)
    response = checkout(note="Gọi trước khi giao")
    checkout_id = Order.objects.values_list("checkout_id", flat=True).first()
    assert response.status_code == 303
    assert response["Location"] == f"/checkout/done/{checkout_id}/"

    orders = {order.cooperative_id: order for order in Order.objects.all()}
    assert len(orders) == 2
    first, second = orders[cardamom.page.get_parent().pk], orders[tea.page.get_parent().pk]
    assert (first.total, second.total) == (240000, 80000)
    assert first.buyer_phone == "0912345678"  # normalised
    assert first.note == "Gọi trước khi giao"
    assert (stock_of(cardamom), stock_of(tea)) == (3, 2)
    line = OrderLine.objects.get(order=first)
    assert (
        line.product_title,
        line.pack_label,
        line.sku,
        line.unit_price,
        line.quantity,
        line.line_total,
    ) == (
        "Thảo quả khô",
        "Túi 500 g",
        cardamom.sku,
        120000,
        2,
        240000,
    )
    assert "cart" not in client.session
    assert client.session.get("cart_count") is None

    done = client.get(response["Location"])
    html = done.content.decode()
    assert done.status_code == 200
    assert first.number in html and second.number in html
    assert first.get_absolute_url() in html and second.get_absolute_url() in html
    assert done["Cache-Control"] == "private, no-store"


def test_prices_posted_with_the_form_are_ignored(client, cardamom, add_to_cart, checkout):
    add_to_cart(cardamom, 2)
    client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 1, "price": 1, "unit_price": 1})
    checkout(price="1", total="1", unit_price="1", subtotal="1", **{f"price_{cardamom.pk}": "1"})
    order = Order.objects.get()
    assert order.total == 3 * 120000
    assert order.lines.get().unit_price == 120000


def test_a_price_changed_after_adding_is_charged_at_the_current_price(
    client, cardamom, add_to_cart, checkout
):
    add_to_cart(cardamom, 1)
    ProductVariant.objects.filter(pk=cardamom.pk).update(price=150000)
    checkout()
    assert Order.objects.get().total == 150000


def test_double_submit_places_one_set_of_orders(client, cardamom, tea, add_to_cart):
    add_to_cart(cardamom, 1)
    add_to_cart(tea, 1)
    client.get("/checkout/")
    data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"]}
    first = client.post("/checkout/", data)
    second = client.post("/checkout/", data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 2
    assert (stock_of(cardamom), stock_of(tea)) == (4, 2)


def test_out_of_stock_at_checkout_shows_the_form_again_and_writes_nothing(
    client, cardamom, tea, add_to_cart, checkout
):
    add_to_cart(cardamom, 1)
    add_to_cart(tea, 3)
    ProductVariant.objects.filter(pk=tea.pk).update(stock=1)  # someone else bought meanwhile
    response = checkout()
    assert response.status_code == 200
    assert "Chỉ còn 1" in response.content.decode()
    assert Order.objects.count() == 0
    assert (stock_of(cardamom), stock_of(tea)) == (5, 1)
    assert client.session["cart"] == {str(cardamom.pk): 1, str(tea.pk): 3}


def test_a_shortage_found_by_the_stock_reservation_rolls_everything_back(
    client, cardamom, tea, add_to_cart, checkout, monkeypatch
):
    """The race the page cannot see: stock taken between the check and the reservation."""
    from orders.services import placing

    add_to_cart(cardamom, 1)
    add_to_cart(tea, 2)
    original = placing.reserve_stock

    def reserve_then_lose_the_race(*, variant_id, quantity):
        if variant_id == tea.pk:
            ProductVariant.objects.filter(pk=tea.pk).update(stock=1)
        return original(variant_id=variant_id, quantity=quantity)

    monkeypatch.setattr(placing, "reserve_stock", reserve_then_lose_the_race)
    response = checkout()
    assert response.status_code == 200
    assert "Chưa đặt được hàng" in response.content.decode()
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0
    assert stock_of(cardamom) == 5
    assert client.session["cart"] == {str(cardamom.pk): 1, str(tea.pk): 2}


def test_shipping_needs_an_address(client, cardamom, add_to_cart, checkout):
    add_to_cart(cardamom, 1)
    response = checkout(delivery_method="shipping", delivery_address="  ")
    assert response.status_code == 200
    assert "Hãy nhập địa chỉ" in response.content.decode()
    assert Order.objects.count() == 0
    response = checkout(delivery_method="shipping", delivery_address="Bản Sì Lở Lầu, Phong Thổ, Lai Châu")
    assert response.status_code == 303
    assert Order.objects.get().delivery_address == "Bản Sì Lở Lầu, Phong Thổ, Lai Châu"


@pytest.mark.parametrize(
    "typed, normalised",
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0389-123-456", "0389123456"),
    ],
)
def test_good_phone_numbers_are_normalised(typed, normalised):
    assert normalise_phone(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "091234567", "09123456789", "1912345678", "+1 912 345 678", "0912abc678", "+840912345678"],
)
def test_bad_phone_numbers_are_refused(client, cardamom, add_to_cart, checkout, typed):
    assert normalise_phone(typed) == ""
    add_to_cart(cardamom, 1)
    response = checkout(phone=typed)
    assert response.status_code == 200
    assert Order.objects.count() == 0


def test_card_is_offered_only_with_a_stripe_key(client, cardamom, add_to_cart, checkout, settings):
    add_to_cart(cardamom, 1)
    settings.STRIPE_SECRET_KEY = ""
    assert 'value="stripe"' not in client.get("/checkout/").content.decode()
    response = checkout(payment_method="stripe")
    assert response.status_code == 200 and Order.objects.count() == 0
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert 'value="stripe"' in client.get("/checkout/").content.decode()


def test_card_checkout_goes_to_the_card_payment_or_the_confirmation(
    client, cardamom, add_to_cart, checkout, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    add_to_cart(cardamom, 1)
    response = checkout(payment_method="stripe")
    order = Order.objects.get()
    assert order.payment_method == "stripe"
    assert response.status_code == 303
    assert str(order.checkout_id) in response["Location"]


def test_empty_cart_goes_back_to_the_cart(client, cardamom):
    response = client.get("/checkout/")
    assert response.status_code == 303 and response["Location"] == "/cart/"


def test_a_checkout_id_not_given_to_this_session_places_nothing(
    client, cardamom, add_to_cart, place, pay_cardamom
):
    someone_elses = place({pay_cardamom: 1})[0]
    add_to_cart(cardamom, 1)
    client.get("/checkout/")
    response = client.post("/checkout/", {**CHECKOUT_FORM, "checkout_id": str(someone_elses.checkout_id)})
    assert response.status_code == 200
    assert someone_elses.token not in response.content.decode()
    assert Order.objects.count() == 1


def test_confirmation_page_only_for_the_session_that_placed_it(client, cardamom, add_to_cart, checkout):
    add_to_cart(cardamom, 1)
    location = checkout()["Location"]
    assert client.get(location).status_code == 200
    assert Client().get(location).status_code == 404
    assert client.get(f"/checkout/done/{uuid.uuid4()}/").status_code == 404
    assert client.get("/checkout/done/not-a-uuid/").status_code == 404


def test_checkout_post_without_csrf_token_is_refused(cardamom):
    client = Client(enforce_csrf_checks=True)
    client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    response = client.post("/checkout/", {**CHECKOUT_FORM, "checkout_id": str(uuid.uuid4())})
    assert response.status_code == 403
    assert Order.objects.count() == 0


def test_card_checkout_goes_to_stripe_when_the_card_payment_url_exists(
    client, cardamom, add_to_cart, checkout, settings
):
    from django.urls import NoReverseMatch, reverse

    settings.STRIPE_SECRET_KEY = "sk_test_x"
    add_to_cart(cardamom, 1)
    response = checkout(payment_method="stripe")
    order = Order.objects.get()
    try:
        expected = reverse("payments:stripe_checkout", args=[order.checkout_id])
    except NoReverseMatch:
        expected = f"/checkout/done/{order.checkout_id}/"
    assert response["Location"] == expected
    html = client.get(order.get_absolute_url()).content.decode()
    if expected.startswith("/checkout/stripe/"):
        assert f"{expected}?token={order.token}" in html
