"""The buyer's order page, reached only by its token: status, lines, and while unpaid the
VietQR for the exact amount and reference, the same data as text, and a PNG."""

import datetime

import pytest

from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.services import change_status
from orders.vietqr import vietqr_payload
from traceability.qr import qr_png, qr_svg

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place, cardamom):
    return place({cardamom: 2})[0]


def test_order_page_shows_number_lines_total_and_timeline(client, order):
    response = client.get(f"/orders/{order.token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert order.number in html
    assert "Thảo quả khô" in html and "Túi 500 g" in html
    assert "240.000" in html
    # The status in words, after its pictogram (website/icons/expired.svg, an hourglass).
    assert '<p class="order-status status-box"><svg class="icon"' in html
    assert "<strong>Chờ thanh toán</strong>" in html


def test_private_headers(client, order):
    response = client.get(f"/orders/{order.token}/")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("token", ["nope", "x" * 43, "1"])
def test_unknown_token_is_a_404_page(client, order, token):
    response = client.get(f"/orders/{token}/")
    assert response.status_code == 404
    assert order.number not in response.content.decode()


def test_wrong_token_png_is_404(client, order):
    assert client.get("/orders/nope/vietqr.png").status_code == 404


def test_pending_order_shows_the_vietqr_and_the_transfer_details(client, order):
    html = client.get(f"/orders/{order.token}/").content.decode()
    assert '<figure class="vietqr"' in html and "<path" in html
    assert "VietinBank" in html
    assert "0011001932418" in html
    assert "HTX THAO QUA SI LO LAU" in html
    assert "240000" in html  # amount as typed into a bank app
    assert order.payment_reference in html
    assert f"/orders/{order.token}/vietqr.png" in html
    assert "Không sửa số tiền và nội dung" in html
    assert "Hạn thanh toán" in html


def transfer_of(order) -> str:
    """What a bank app must read for this order: a one-time transfer of its total (240.000 ₫) to
    coop1's account (VietinBank 970415, 0011001932418), noted with the order's reference."""
    return vietqr_payload(
        bin="970415", account="0011001932418", amount=240000, reference=order.payment_reference
    )


def test_png_is_the_qr_of_the_exact_payload(client, order):
    response = client.get(f"/orders/{order.token}/vietqr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == qr_png(transfer_of(order))
    # What a bank app reads from the PNG is the exact payload for this order.
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar/libzbar is needed to read the QR")
    from io import BytesIO

    from PIL import Image

    (decoded,) = pyzbar.decode(Image.open(BytesIO(response.content)))
    assert decoded.data.decode() == transfer_of(order)


def test_the_page_qr_is_for_the_order_amount_reference_and_account(client, order):
    html = client.get(f"/orders/{order.token}/").content.decode()
    assert qr_svg(transfer_of(order)) in html


def test_paid_order_shows_no_qr_and_the_paid_step(client, order):
    change_status(order=order, to_status=OrderStatus.PAID, source="admin", note="FT123")
    html = client.get(f"/orders/{order.token}/").content.decode()
    assert 'class="vietqr"' not in html
    assert "Đã thanh toán" in html
    assert client.get(f"/orders/{order.token}/vietqr.png").status_code == 404


def test_overdue_order_says_do_not_pay(client, order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    html = client.get(f"/orders/{order.token}/").content.decode()
    assert 'class="vietqr"' not in html
    assert "quá hạn thanh toán" in html


def test_cooperative_without_bank_account_gives_a_phone_to_call(client, order, coop1):
    type(coop1).objects.filter(pk=coop1.pk).update(bank_account_number="", phone="0213 3888 999")
    html = client.get(f"/orders/{order.token}/").content.decode()
    assert 'class="vietqr"' not in html
    assert "chưa có tài khoản ngân hàng" in html
    assert "0213 3888 999" in html


def test_order_page_queries_stay_few(client, order, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(f"/orders/{order.token}/")
