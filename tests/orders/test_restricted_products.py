"""A product hidden from the public (a password or login on its page or on a page above it, or a
page above it unpublished) is not for sale: its pack cannot be put in the cart by its id, a cart
that already holds it neither shows its title and price nor checks it out."""

import uuid

import pytest

from django.contrib.messages import get_messages

from wagtail.models import PageViewRestriction

from orders import services
from orders.exceptions import OrderError
from orders.models import Order
from orders.views import checkout_pages
from products.factories import ProductPageFactory, ProductVariantFactory
from products.models import ProductVariant

from .conftest import PAY_BUYER

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Sâm Lai Châu dự trữ"


@pytest.fixture
def hidden(coop1):
    page = ProductPageFactory(parent=coop1, title=SECRET_TITLE, slug="sam-du-tru")
    return ProductVariantFactory(page=page, pack_label="Hộp 50 g", price=4_321_000, stock=5)


def restrict_with_password(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")


def restrict_to_logged_in(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


HIDINGS = {
    "password on the product": lambda variant: restrict_with_password(variant.page),
    "login on the cooperative": lambda variant: restrict_to_logged_in(variant.page.get_parent()),
    "cooperative unpublished": lambda variant: (
        type(variant.page.get_parent()).objects.filter(pk=variant.page.get_parent().pk).update(live=False)
    ),
}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("hiding", HIDINGS)
def test_anonymous_buyer_cannot_add_a_hidden_products_pack_by_its_id(client, hidden, hiding):
    HIDINGS[hiding](hidden)

    response = client.post("/cart/add/", {"variant": hidden.pk, "quantity": 1})

    assert response.status_code == 303
    assert dict(client.session.get("cart", {})) == {}
    assert "Không tìm thấy sản phẩm" in messages_of(response)[-1]
    assert SECRET_TITLE not in " ".join(messages_of(response))


@pytest.mark.parametrize("hiding", HIDINGS)
def test_a_pack_hidden_after_it_was_put_in_the_cart_is_neither_shown_nor_sold(
    client, hidden, tea, add_to_cart, checkout, hiding
):
    add_to_cart(hidden)
    add_to_cart(tea)  # another cooperative's, still on sale
    assert SECRET_TITLE in client.get("/cart/").content.decode()  # on sale until now
    HIDINGS[hiding](hidden)

    cart = client.get("/cart/")
    page = cart.content.decode()
    assert SECRET_TITLE not in page and "4.321.000" not in page
    assert "Chè Shan tuyết" in page
    assert any("không còn bán" in message for message in messages_of(cart))

    checkout()
    assert not Order.objects.filter(lines__variant=hidden).exists()
    assert Order.objects.filter(lines__variant=tea).exists()


NO_LONGER_FOR_SALE = "Một số sản phẩm trong giỏ hàng đã ngừng bán"


@pytest.mark.parametrize("hiding", HIDINGS)
def test_placing_orders_for_a_hidden_products_pack_is_refused_and_changes_nothing(hidden, tea, hiding):
    """The service is the one place that writes orders: it refuses on its own, whatever the view
    checked before."""
    HIDINGS[hiding](hidden)

    with pytest.raises(OrderError, match=NO_LONGER_FOR_SALE):
        services.place_orders(items={hidden.pk: 1, tea.pk: 1}, buyer=PAY_BUYER, checkout_id=uuid.uuid4())

    assert not Order.objects.exists()
    assert ProductVariant.objects.get(pk=hidden.pk).stock == 5
    assert ProductVariant.objects.get(pk=tea.pk).stock == 3


@pytest.mark.parametrize("hiding", HIDINGS)
def test_a_pack_hidden_while_the_buyer_presses_place_order_is_not_sold(
    client, hidden, tea, add_to_cart, checkout, monkeypatch, hiding
):
    """The cooperative hides the product in the instant between the checkout page's own look at
    the cart and the orders being written: the checkout is refused as a whole."""
    add_to_cart(hidden)
    add_to_cart(tea)
    real_place_orders = checkout_pages.place_orders

    def hidden_meanwhile(**kwargs):
        HIDINGS[hiding](hidden)
        return real_place_orders(**kwargs)

    monkeypatch.setattr(checkout_pages, "place_orders", hidden_meanwhile)

    response = checkout()

    assert response.status_code == 200
    assert NO_LONGER_FOR_SALE in response.content.decode()
    assert not Order.objects.exists()
    assert ProductVariant.objects.get(pk=hidden.pk).stock == 5
