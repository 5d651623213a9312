"""Cart, checkout, the order page and the order e-mails in the buyer's language, seen from the
outside: English at /en/…, the order remembering the language it was placed in, the buyer's
e-mails in it and the cooperative's in Vietnamese, product titles from a live translation,
Hmong falling back to Vietnamese, pictograms instead of emoji, and constant query counts."""

import re
from pathlib import Path

import polib
import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import orders
from orders.models import Order, OrderStatus
from orders.services import change_status
from products.factories import ProductPageFactory, ProductVariantFactory
from tests.helpers import soup, translate
from website.templatetags.site_tags import ICONS_DIR

from .conftest import CHECKOUT_FORM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_locale_ids")]

ORDERS_DIR = Path(orders.__file__).resolve().parent
BUYER_EMAIL = "an@example.com"
COOP_EMAIL = "coop1-editor@example.org"


def main_text(response) -> str:
    return soup(response).select_one("main").get_text(" ", strip=True)


def lang(response) -> str:
    return soup(response).html["lang"]


def place_through_the_pages(client, capture, prefix="", **overrides):
    """The buyer's way, under a language prefix: the checkout form, then its post; the e-mails
    are sent once the transaction has committed (captured and run here)."""
    client.get(f"{prefix}/checkout/")
    data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"], **overrides}
    with capture(execute=True):
        return client.post(f"{prefix}/checkout/", data)


def mails_to(outbox, address):
    return [message for message in outbox if message.to == [address]]


# English at /en/ ------------------------------------------------------------------------------


def test_english_cart_checkout_and_order_page(
    client, cardamom, desk_users, django_capture_on_commit_callbacks, mailoutbox
):
    added = client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 2})
    assert added["Location"] == "/en/cart/"

    cart = client.get("/en/cart/")
    assert lang(cart) == "en"
    words = main_text(cart)
    for english in ("Cart", "Unit price", "Quantity", "Line total", "Total:", "Checkout", "Update", "Remove"):
        assert english in words
    for vietnamese in ("Giỏ hàng", "Đơn giá", "Tổng cộng", "Đặt hàng", "Cập nhật"):
        assert vietnamese not in words
    page = soup(cart)
    assert page.select_one("main a.button")["href"] == "/en/checkout/"
    assert {form["action"] for form in page.select("main form")} == {"/en/cart/update/", "/en/cart/remove/"}

    form = client.get("/en/checkout/")
    assert lang(form) == "en"
    words = main_text(form)
    for english in ("Checkout", "You are buying", "Delivery details", "Full name", "Phone number"):
        assert english in words
    assert "How you pay" in words and "Bank transfer (scan the VietQR code)" in words
    assert "Place order" in words and "Họ và tên" not in words
    assert soup(form).select_one("form.checkout-form")["action"] == "/en/checkout/"

    placed = place_through_the_pages(
        client, django_capture_on_commit_callbacks, "/en", email=BUYER_EMAIL, name="Anna Smith"
    )
    order = Order.objects.get()
    assert order.language == "en"
    assert placed.status_code == 303
    assert placed["Location"] == f"/en/checkout/done/{order.checkout_id}/"

    done = client.get(placed["Location"])
    assert lang(done) == "en"
    assert "Order placed" in main_text(done) and "Open your order to pay for it." in main_text(done)
    order_link = soup(done).select_one("main li a.button")["href"]
    assert order_link == f"/en/orders/{order.token}/"

    detail = client.get(order_link)
    assert lang(detail) == "en"
    words = main_text(detail)
    for english in (
        "Waiting for payment",
        "Payment",
        "Amount:",
        "Open your bank app and scan this code.",
        "Or transfer by hand",
        "Account number",
        "Pay before:",
        "Pick up at HTX Thảo quả Sì Lở Lầu",
        "What happened to the order",
    ):
        assert english in words, english
    assert " on " in soup(detail).select_one("main time").get_text()
    assert "Chờ thanh toán" not in words and "Hạn thanh toán" not in words
    qr = soup(detail).select_one("figure.vietqr")
    assert qr["aria-label"] == f"VietQR code to transfer 240000 đồng, note {order.payment_reference}"

    # The buyer's e-mail in English, with the English page's address; the cooperative's in Vietnamese.
    (buyer_mail,) = mails_to(mailoutbox, BUYER_EMAIL)
    assert buyer_mail.subject == f"Your order {order.number} has been received"
    assert buyer_mail.body.startswith("Hello Anna Smith,")
    assert f"HTX Thảo quả Sì Lở Lầu has received your order {order.number}." in buyer_mail.body
    assert "Delivery: Pick up at the cooperative" in buyer_mail.body
    assert f"http://testserver/en/orders/{order.token}/" in buyer_mail.body
    assert "Xin chào" not in buyer_mail.body and "Tổng cộng" not in buyer_mail.body
    (coop_mail,) = mails_to(mailoutbox, COOP_EMAIL)
    assert coop_mail.subject.startswith(f"Đơn hàng mới {order.number}")
    assert "Người mua: Anna Smith" in coop_mail.body and "Hello" not in coop_mail.body
    assert 'bấm "Đã nhận chuyển khoản" trong trang quản trị' in coop_mail.body


def test_vietnamese_is_the_default_language_of_orders_and_their_emails(
    client, cardamom, add_to_cart, desk_users, django_capture_on_commit_callbacks, mailoutbox
):
    add_to_cart(cardamom, 1)
    response = place_through_the_pages(client, django_capture_on_commit_callbacks, email=BUYER_EMAIL)
    order = Order.objects.get()
    assert order.language == "vi"
    assert response["Location"] == f"/checkout/done/{order.checkout_id}/"
    detail = client.get(order.get_absolute_url())
    assert lang(detail) == "vi" and "Chờ thanh toán" in main_text(detail)
    (buyer_mail,) = mails_to(mailoutbox, BUYER_EMAIL)
    assert buyer_mail.subject == f"Đơn hàng {order.number} đã được ghi nhận"
    assert buyer_mail.body.startswith("Xin chào Nguyễn Văn An,")
    assert "Giao hàng: Đến lấy tại hợp tác xã" in buyer_mail.body
    assert f"http://testserver/orders/{order.token}/" in buyer_mail.body
    assert "Hello" not in buyer_mail.body


def test_the_payment_email_follows_the_order_language(
    client, cardamom, desk_users, django_capture_on_commit_callbacks, mailoutbox
):
    from orders.services import record_payment

    client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    place_through_the_pages(client, django_capture_on_commit_callbacks, "/en", email=BUYER_EMAIL)
    order = Order.objects.get()
    mailoutbox.clear()
    # Recorded by a webhook or the order desk, in whatever language that request had.
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        record_payment(
            order=order, method="vietqr", amount=order.total, provider_reference="FT-EN-1", source="bank"
        )
    (buyer_mail,) = mails_to(mailoutbox, BUYER_EMAIL)
    assert buyer_mail.subject == f"Payment received for order {order.number}"
    assert "The order is being prepared." in buyer_mail.body
    assert f"http://testserver/en/orders/{order.token}/" in buyer_mail.body
    (coop_mail,) = mails_to(mailoutbox, COOP_EMAIL)
    assert coop_mail.subject.startswith(f"Đơn hàng {order.number} đã thanh toán")
    assert "Hãy đóng gói và gửi hàng." in coop_mail.body


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "/en",
            [
                "Enter your name.",
                "This phone number is not right",
                "Enter the address the cooperative should send the goods to.",
                "This email address is not right.",
            ],
        ),
        (
            "",
            [
                "Hãy nhập tên của bạn.",
                "Số điện thoại chưa đúng",
                "Hãy nhập địa chỉ để hợp tác xã gửi hàng.",
                "Địa chỉ email chưa đúng.",
            ],
        ),
    ],
)
def test_checkout_form_errors_in_the_page_language(client, cardamom, prefix, expected):
    client.post(f"{prefix}/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    client.get(f"{prefix}/checkout/")
    data = {
        **CHECKOUT_FORM,
        "checkout_id": client.session["checkout_id"],
        "name": "",
        "phone": "12345",
        "delivery_method": "shipping",
        "delivery_address": " ",
        "email": "not-an-address",
    }
    response = client.post(f"{prefix}/checkout/", data)
    assert response.status_code == 200
    errors = [p.get_text(" ", strip=True) for p in soup(response).select("main .field p.error")]
    assert len(errors) == len(expected)
    for error, words in zip(errors, expected, strict=True):
        assert words in error
    assert not Order.objects.exists()


def test_cart_messages_in_the_page_language(client, cardamom):
    from django.contrib.messages import get_messages

    def last_message(response) -> str:
        return [str(message) for message in get_messages(response.wsgi_request)][-1]

    response = client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 9})
    assert last_message(response) == "Only 5 of Thảo quả khô (Túi 500 g) left."
    response = client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 2})
    assert last_message(response) == "Added 2 × Thảo quả khô (Túi 500 g) to the cart."
    response = client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 4})
    assert last_message(response) == "Only 5 of Thảo quả khô (Túi 500 g) left; your cart already has 2."
    response = client.post("/cart/update/", {"variant": cardamom.pk, "quantity": 3})
    assert last_message(response) == "Đã đổi số lượng Thảo quả khô (Túi 500 g): 3."
    response = client.post("/en/cart/remove/", {"variant": cardamom.pk})
    assert last_message(response) == "The product was taken out of your cart."


def test_hmong_falls_back_to_vietnamese_words(client, cardamom):
    client.post("/hmn/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    cart = client.get("/hmn/cart/")
    assert lang(cart) == "hmn"
    words = main_text(cart)
    assert "Giỏ hàng" in words and "Đơn giá" in words and "Tổng cộng:" in words
    assert soup(cart).select_one("main a.button")["href"] == "/hmn/checkout/"


# Product titles from a live translation --------------------------------------------------------


def test_cart_order_page_and_emails_show_the_translated_title(
    client, cardamom, english, desk_users, django_capture_on_commit_callbacks, mailoutbox
):
    translated = translate(cardamom.page, english, title="Dried black cardamom", copy_parents=True)
    client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    cart = client.get("/en/cart/")
    link = soup(cart).select_one("main .cart-lines th a")
    assert link.get_text() == "Dried black cardamom"
    assert link["href"] == translated.url
    assert link["href"].startswith("/en/")
    assert "Dried black cardamom" in main_text(client.get("/en/checkout/"))

    place_through_the_pages(client, django_capture_on_commit_callbacks, "/en", email=BUYER_EMAIL)
    order = Order.objects.get()
    # The line keeps what was bought, in the original's words; pages show the translation.
    assert order.lines.get().product_title == "Thảo quả khô"
    assert "Dried black cardamom" in main_text(client.get(f"/en/orders/{order.token}/"))
    vietnamese_page = main_text(client.get(f"/orders/{order.token}/"))
    assert "Thảo quả khô" in vietnamese_page and "Dried black cardamom" not in vietnamese_page
    assert "- Dried black cardamom (Túi 500 g) x 1" in mails_to(mailoutbox, BUYER_EMAIL)[0].body
    assert "- Thảo quả khô (Túi 500 g) x 1" in mails_to(mailoutbox, COOP_EMAIL)[0].body


def test_an_untranslated_product_keeps_its_vietnamese_title_and_a_prefixed_link(client, cardamom, english):
    client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    link = soup(client.get("/en/cart/")).select_one("main .cart-lines th a")
    assert link.get_text() == "Thảo quả khô"
    assert link["href"] == "/en" + cardamom.page.url


def test_a_draft_translation_is_not_shown(client, cardamom, english):
    draft = cardamom.page.copy_for_translation(english, copy_parents=True)
    draft.title = "Draft title"
    draft.save_revision()
    client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    assert "Draft title" not in main_text(client.get("/en/cart/"))


# Stripe keeps the buyer's language -------------------------------------------------------------


def test_stripe_returns_the_buyer_to_the_order_page_in_their_language(client, fake_stripe, cardamom):
    from django.urls import reverse

    client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    client.get("/en/checkout/")
    data = {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"], "payment_method": "stripe"}
    placed = client.post("/en/checkout/", data)
    order = Order.objects.get()
    assert order.language == "en"
    # The card payment URL carries no language; the buyer's comes from the order.
    assert placed["Location"] == reverse("payments:stripe_checkout", args=[order.checkout_id])
    response = client.post(placed["Location"], HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 303
    params = fake_stripe.posts()[-1].params
    page = f"http://testserver/en/orders/{order.token}/"
    assert params["success_url"] == page + "?paid=1"
    assert params["cancel_url"] == page + "?cancelled=1"
    assert params["locale"] == "en"
    # The order page offers card payment from the English page too, and its refusal is English.
    change_status(order=order, to_status=OrderStatus.CANCELLED, source="admin")
    refused = client.get(placed["Location"])
    assert 'lang="en"' in refused.content.decode()
    assert "Nothing left to pay" in refused.content.decode()
    assert f'href="{page}"' in refused.content.decode()


# Pictograms, not emoji --------------------------------------------------------------------------

EMOJI = re.compile("[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f]")


def test_no_emoji_left_in_the_templates():
    for template in (ORDERS_DIR / "templates").rglob("*.*"):
        # "→" after "Checkout" is a plain arrow of every phone font, and hidden from screen readers.
        found = set(EMOJI.findall(template.read_text(encoding="utf-8"))) - {"→"}
        assert not found, (template.name, found)


@pytest.mark.parametrize(
    ("status", "icon", "english", "vietnamese"),
    [
        (OrderStatus.PAID, "valid", "Paid", "Đã thanh toán"),
        (OrderStatus.CANCELLED, "revoked", "Cancelled", "Đã hủy"),
    ],
)
def test_each_status_has_its_pictogram_beside_its_words(
    client, place, cardamom, status, icon, english, vietnamese
):
    def drawn(svg, name) -> bool:
        paths = re.findall(r'd="([^"]+)"', (ICONS_DIR / f"{name}.svg").read_text(encoding="utf-8"))
        return svg is not None and [path["d"] for path in svg.select("path")] == paths

    order = place({cardamom: 1})[0]
    change_status(order=order, to_status=status, source="admin")
    for prefix, words in (("/en", english), ("", vietnamese)):
        page = soup(client.get(f"{prefix}/orders/{order.token}/"))
        current = page.select_one("main .order-status")
        assert current.select_one("strong").get_text() == words
        assert drawn(current.select_one("svg.icon[aria-hidden=true]"), icon)
        waiting, changed = page.select("main .order-timeline li")
        assert drawn(waiting.select_one("svg.icon"), "expired")
        assert drawn(changed.select_one("svg.icon"), icon)
        assert words in changed.get_text()


def test_every_status_has_a_pictogram():
    from orders.views import STATUS_ICONS

    assert set(STATUS_ICONS) == set(OrderStatus)
    assert all((ICONS_DIR / f"{name}.svg").is_file() for name in STATUS_ICONS.values())


def test_figures_are_big(client, cardamom, place):
    order = place({cardamom: 2})[0]
    page = soup(client.get(f"/en/orders/{order.token}/"))
    figures = [node.get_text(strip=True) for node in page.select("main .figure")]
    assert "240.000\xa0₫" in figures and "120.000\xa0₫" in figures and "2" in figures


# The catalogue --------------------------------------------------------------------------------


def test_the_vietnamese_catalogue_is_complete_and_is_what_the_site_says():
    po = polib.pofile(str(ORDERS_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100
    assert not [entry.msgid for entry in po if "fuzzy" in entry.flags]
    # Apps listed before orders in INSTALLED_APPS win for a msgid they share: none may say it
    # differently (a short word that differs must get a context).
    with translation.override("vi"):
        for entry in po:
            if entry.msgid_plural:
                said = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
                    if (entry.msgctxt)
                    else translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                )
                assert said == entry.msgstr_plural[0], entry.msgid
            elif entry.msgctxt:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


# Query counts stay constant in every language ---------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_cart_and_order_page_queries_do_not_grow_with_lines(client, coop1, english, place, prefix):
    variants = []
    for number in range(4):
        page = ProductPageFactory(parent=coop1, title=f"Sản phẩm {number}", slug=f"san-pham-{number}")
        variants.append(ProductVariantFactory(page=page, price=10000, stock=10))
    translate(variants[0].page, english, title="Product 0", copy_parents=True)
    translate(variants[2].page, english, title="Product 2", copy_parents=True)

    client.post(f"{prefix}/cart/add/", {"variant": variants[0].pk, "quantity": 1})
    count_queries(client, f"{prefix}/cart/")  # the first request fills the caches (site, locales)
    one_line = count_queries(client, f"{prefix}/cart/")
    for variant in variants[1:]:
        client.post(f"{prefix}/cart/add/", {"variant": variant.pk, "quantity": 1})
    assert count_queries(client, f"{prefix}/cart/") == one_line

    small = place({variants[0]: 1})[0]
    large = place(dict.fromkeys(variants, 1))[0]
    count_queries(client, f"{prefix}/orders/{small.token}/")
    assert count_queries(client, f"{prefix}/orders/{small.token}/") == count_queries(
        client, f"{prefix}/orders/{large.token}/"
    )
    if prefix:
        titles = main_text(client.get(f"{prefix}/orders/{large.token}/"))
        assert "Product 0" in titles and "Sản phẩm 1" in titles and "Product 2" in titles


# The order desk ---------------------------------------------------------------------------------


def test_the_order_desk_says_in_vietnamese_which_language_the_buyer_ordered_in(client, cardamom, desk_users):
    from django.urls import reverse

    client.post("/en/cart/add/", {"variant": cardamom.pk, "quantity": 1})
    client.get("/en/checkout/")
    client.post("/en/checkout/", {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"]})
    order = Order.objects.get()
    client.force_login(desk_users["coop1"])
    page = soup(client.get(reverse("order_desk:inspect", args=[order.pk]))).get_text(" ", strip=True)
    assert "Tiếng Anh" in page  # the buyer's language, named in the admin's
    assert "Chờ thanh toán" in page and "Người mua, khi đặt hàng" in page
    assert "Waiting for payment" not in page
