"""The session cart: adding, changing and removing, and every bad input refused with a message,
the cart unchanged and never a server error."""

import pytest

from django.contrib.messages import get_messages
from django.test import Client

from products.factories import ProductVariantFactory

pytestmark = pytest.mark.django_db


def cart_of(client) -> dict:
    return dict(client.session.get("cart", {}))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_add_puts_the_variant_in_the_session_and_goes_back(client, cardamom, add_to_cart):
    response = client.post("/cart/add/", {"variant": cardamom.pk, "quantity": "2", "next": cardamom.page.url})
    assert response.status_code == 303
    assert response["Location"] == cardamom.page.url
    assert cart_of(client) == {str(cardamom.pk): 2}
    assert client.session["cart_count"] == 2
    assert "Đã thêm 2 × Thảo quả khô" in messages_of(response)[-1]
    add_to_cart(cardamom, 1)
    assert cart_of(client) == {str(cardamom.pk): 3}


def test_add_refuses_a_next_url_on_another_site(client, cardamom):
    response = client.post(
        "/cart/add/", {"variant": cardamom.pk, "quantity": 1, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/cart/"


@pytest.mark.parametrize(
    "quantity, message",
    [
        ("0", "ít nhất là 1"),
        ("-1", "ít nhất là 1"),
        ("abc", "số nguyên"),
        ("", "Hãy nhập số lượng"),
        ("1.5", "số nguyên"),
        ("6", "Chỉ còn 5"),
        ("99999999999999999999", "nhiều nhất"),
    ],
)
def test_add_refuses_bad_quantities_and_leaves_the_cart_alone(
    client, cardamom, add_to_cart, quantity, message
):
    add_to_cart(cardamom, 1)
    response = client.post("/cart/add/", {"variant": cardamom.pk, "quantity": quantity})
    assert response.status_code == 303
    assert message in messages_of(response)[-1]
    assert cart_of(client) == {str(cardamom.pk): 1}


def test_add_counts_what_the_cart_already_holds_against_stock(client, cardamom, add_to_cart):
    add_to_cart(cardamom, 4)
    response = add_to_cart(cardamom, 2)
    assert "Chỉ còn 5" in messages_of(response)[-1]
    assert cart_of(client) == {str(cardamom.pk): 4}


@pytest.mark.parametrize("variant", ["999999", "abc", "", "-3", "1 OR 1=1", str(2**64), "9" * 40])
def test_add_refuses_unknown_or_tampered_variant_ids(client, cardamom, variant):
    response = client.post("/cart/add/", {"variant": variant, "quantity": 1})
    assert response.status_code == 303
    assert "Không tìm thấy sản phẩm" in messages_of(response)[-1]
    assert cart_of(client) == {}


def test_add_refuses_an_inactive_or_sold_out_variant(client, cardamom):
    inactive = ProductVariantFactory(page=cardamom.page, sku="OFF", is_active=False, stock=9)
    sold_out = ProductVariantFactory(page=cardamom.page, sku="NONE", stock=0)
    response = client.post("/cart/add/", {"variant": inactive.pk, "quantity": 1})
    assert "Không tìm thấy sản phẩm" in messages_of(response)[-1]
    response = client.post("/cart/add/", {"variant": sold_out.pk, "quantity": 1})
    assert "hết hàng" in messages_of(response)[-1]
    assert cart_of(client) == {}


def test_add_refuses_a_variant_of_an_unpublished_product(client, cardamom):
    cardamom.page.unpublish()
    client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    assert cart_of(client) == {}


def test_cart_endpoints_refuse_get(client):
    for url in ["/cart/add/", "/cart/update/", "/cart/remove/"]:
        assert client.get(url).status_code == 405


def test_post_without_csrf_token_is_refused_and_changes_nothing(cardamom):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    assert response.status_code == 403
    assert "cart" not in client.session


def test_update_sets_the_quantity(client, cardamom, add_to_cart):
    add_to_cart(cardamom, 1)
    response = client.post("/cart/update/", {"variant": cardamom.pk, "quantity": 5})
    assert response.status_code == 303 and response["Location"] == "/cart/"
    assert cart_of(client) == {str(cardamom.pk): 5}


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "6"])
def test_update_refuses_bad_quantities(client, cardamom, add_to_cart, quantity):
    add_to_cart(cardamom, 2)
    response = client.post("/cart/update/", {"variant": cardamom.pk, "quantity": quantity})
    assert messages_of(response)
    assert cart_of(client) == {str(cardamom.pk): 2}


def test_update_of_a_variant_not_in_the_cart_adds_nothing(client, cardamom, tea, add_to_cart):
    add_to_cart(cardamom, 1)
    response = client.post("/cart/update/", {"variant": tea.pk, "quantity": 1})
    assert "không có trong giỏ" in messages_of(response)[-1]
    assert cart_of(client) == {str(cardamom.pk): 1}


def test_remove(client, cardamom, tea, add_to_cart):
    add_to_cart(cardamom, 1)
    add_to_cart(tea, 2)
    client.post("/cart/remove/", {"variant": cardamom.pk})
    assert cart_of(client) == {str(tea.pk): 2}
    assert client.session["cart_count"] == 2
    response = client.post("/cart/remove/", {"variant": "abc"})
    assert "không có trong giỏ" in messages_of(response)[-1]
    assert cart_of(client) == {str(tea.pk): 2}


def test_cart_page_groups_by_cooperative_with_prices_from_the_database(client, cardamom, tea, add_to_cart):
    add_to_cart(cardamom, 2)
    add_to_cart(tea, 1)
    type(cardamom).objects.filter(pk=cardamom.pk).update(price=130000)  # price changed since
    response = client.get("/cart/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HTX Thảo quả Sì Lở Lầu" in html and "HTX Chè Shan tuyết" in html
    assert "thanh toán riêng" in html
    assert "130.000" in html and "260.000" in html  # unit price and line total, from the DB now
    assert "120.000" not in html
    assert "340.000" in html  # 260.000 + 80.000
    assert 'action="/cart/update/"' in html and 'action="/cart/remove/"' in html


def test_cart_page_warns_when_stock_fell_below_the_cart(client, cardamom, add_to_cart):
    add_to_cart(cardamom, 4)
    type(cardamom).objects.filter(pk=cardamom.pk).update(stock=2)
    html = client.get("/cart/").content.decode()
    assert "Chỉ còn 2" in html
    assert 'href="/checkout/"' not in html


def test_a_tampered_session_cart_is_ignored_not_a_500(client, cardamom):
    session = client.session
    session["cart"] = {"abc": 1, str(cardamom.pk): "9", "999999": 2, "-1": -4, str(cardamom.pk + 1000): 1}
    session.save()
    response = client.get("/cart/")
    assert response.status_code == 200
    assert "Giỏ hàng của bạn đang trống" in response.content.decode()


def test_header_shows_the_cart_count(client, cardamom, add_to_cart):
    add_to_cart(cardamom, 3)
    html = client.get("/cart/").content.decode()
    assert 'class="cart-link"' in html and "(3<span" in html


def test_product_page_has_an_add_form_per_pack_in_stock(client, cardamom):
    ProductVariantFactory(page=cardamom.page, sku="NONE", pack_label="Túi 1 kg", stock=0)
    html = client.get(cardamom.page.url).content.decode()
    assert html.count('action="/cart/add/"') == 1
    assert f'name="variant" value="{cardamom.pk}"' in html
    assert "csrfmiddlewaretoken" in html


def test_trace_page_has_an_add_form_per_pack_in_stock_that_brings_the_buyer_back(client, cardamom):
    from traceability.factories import BatchPageFactory

    ProductVariantFactory(page=cardamom.page, sku="NONE", pack_label="Túi 1 kg", stock=0)
    batch = BatchPageFactory(parent=cardamom.page)
    url = f"/t/{batch.short_code}"
    html = client.get(url).content.decode()
    assert html.count('action="/cart/add/"') == 1
    assert f'name="next" value="{url}"' in html
    response = client.post("/cart/add/", {"variant": cardamom.pk, "quantity": 2, "next": url})
    assert response["Location"] == url
    assert cart_of(client) == {str(cardamom.pk): 2}


# One buyer's share of a pack (orders.services.order_share_limit): said and capped in the cart ----

SHARE_NOTICE = "Mỗi người mua chỉ được tối đa 10 Thảo quả khô (Túi 500 g) để người khác cũng có phần"


@pytest.fixture
def plenty(cardamom, settings):
    """20 in stock: one buyer may hold 10 (half of it, never fewer than 5)."""
    settings.ORDER_MAX_SHARE = 0.5
    settings.ORDER_SHARE_FLOOR = 5
    type(cardamom).objects.filter(pk=cardamom.pk).update(stock=20)
    cardamom.refresh_from_db()
    return cardamom


def test_adding_more_than_one_buyers_share_caps_the_cart_and_says_so(client, plenty):
    response = client.post("/cart/add/", {"variant": plenty.pk, "quantity": 15}, follow=True)

    assert cart_of(client) == {str(plenty.pk): 10}
    page = response.content.decode()
    assert f"{SHARE_NOTICE}; giỏ hàng của bạn giờ có 10." in page
    assert 'value="10"' in page  # the cart's quantity field


def test_adding_again_when_the_cart_holds_a_buyers_share_is_refused(client, plenty, add_to_cart):
    add_to_cart(plenty, 10)

    response = client.post("/cart/add/", {"variant": plenty.pk, "quantity": 1}, follow=True)

    assert cart_of(client) == {str(plenty.pk): 10}
    assert f"{SHARE_NOTICE}; giỏ hàng của bạn đã có 10." in response.content.decode()


def test_changing_a_cart_quantity_beyond_a_buyers_share_caps_it_and_says_so(client, plenty, add_to_cart):
    add_to_cart(plenty, 2)

    response = client.post("/cart/update/", {"variant": plenty.pk, "quantity": 18}, follow=True)

    assert cart_of(client) == {str(plenty.pk): 10}
    assert f"{SHARE_NOTICE}; giỏ hàng của bạn giờ có 10." in response.content.decode()


def test_cart_caps_a_line_that_became_more_than_a_buyers_share_before_checkout(client, plenty, add_to_cart):
    add_to_cart(plenty, 10)
    type(plenty).objects.filter(pk=plenty.pk).update(stock=16)  # one buyer may now hold 8

    response = client.get("/cart/")

    assert cart_of(client) == {str(plenty.pk): 8}
    page = response.content.decode()
    assert "Mỗi người mua chỉ được tối đa 8 Thảo quả khô (Túi 500 g)" in page
    assert 'value="8"' in page
    assert 'href="/checkout/"' in page  # nothing left to refuse at checkout


def test_product_page_add_form_says_how_many_one_buyer_may_take(client, plenty):
    html = client.get(plenty.page.url).content.decode()

    assert "Tối đa 10 mỗi người mua" in html
    assert 'max="10"' in html
