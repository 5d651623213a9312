"""The buyer's flow in a real browser at phone width: scan a label (open its short-code URL) →
trace page → add to cart → checkout → VietQR order page; and the trace page on a slow link."""

import os
import re

import pytest
from playwright.sync_api import expect

from django.test import Client

from orders.models import Order
from tests.browser.conftest import CHROMIUM, screenshot
from traceability.models import BatchPage

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

LOT = "TQ2026-01"


def record_requests(page):
    requests = []
    page.on("request", lambda request: requests.append(request))
    return requests


def test_scan_trace_buy_checkout_pay_by_vietqr(demo, phone):
    page = phone
    code = BatchPage.objects.get(lot=LOT).short_code

    requests = record_requests(page)
    response = page.goto(f"{demo.url}/t/{code}")
    assert response.status == 200
    verdict = page.locator(".verdict")
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text("còn hiệu lực")
    expect(page.locator("dd.code", has_text=code)).to_be_visible()
    # The label's page is one HTML document: no script, no stylesheet to fetch on a slow link.
    types = [r.resource_type for r in requests]
    assert types.count("document") == 1, types
    assert not {"script", "stylesheet"} & set(types), types
    screenshot(page, "trace.png")

    # Buy the first pack straight from the trace page; the form brings the buyer back there.
    page.locator("form.add-to-cart button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/t/{re.escape(code)}$"))

    page.goto(f"{demo.url}/cart/")
    expect(page.locator("table.cart-lines tbody tr")).to_have_count(1)
    expect(page.locator(".grand-total")).to_contain_text("₫")
    screenshot(page, "cart.png")

    page.get_by_role("link", name=re.compile("Đặt hàng")).click()
    page.wait_for_url(f"{demo.url}/checkout/")
    page.get_by_label("Họ và tên").fill("Giàng Thị Mai")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.locator("input[name=delivery_method][value=pickup]").check()
    screenshot(page, "checkout.png")
    with page.expect_response(lambda r: r.request.method == "POST" and "/checkout/" in r.url) as placed:
        page.get_by_role("button", name="Đặt hàng").click()
    assert placed.value.status == 303, "the checkout was refused"

    page.wait_for_url(re.compile(r"/checkout/done/"))
    expect(page.get_by_role("heading", name="Đã đặt hàng")).to_be_visible()
    page.get_by_role("link", name=re.compile("Xem đơn và thanh toán")).first.click()
    page.wait_for_url(re.compile(r"/orders/"))
    assert_vietqr_order_page(page)


def place_order_server_side(live_server, lot):
    """The same cart and checkout, through Django's test client (which skips the CSRF check)."""
    client = Client()
    variant = BatchPage.objects.get(lot=lot).product.variants.filter(stock__gt=0).first()
    response = client.post("/cart/add/", {"variant": variant.pk, "quantity": 1, "next": "/cart/"})
    assert response.status_code in (302, 303), response.status_code
    form = client.get("/checkout/").content.decode()
    checkout_id = re.search(r'name="checkout_id" value="([^"]+)"', form).group(1)
    response = client.post(
        "/checkout/",
        {
            "checkout_id": checkout_id,
            "name": "Giàng Thị Mai",
            "phone": "0912345678",
            "delivery_method": "pickup",
            "payment_method": "vietqr",
        },
    )
    assert response.status_code in (302, 303), response.content.decode()[:2000]
    return Order.objects.get()


def assert_vietqr_order_page(page):
    qr = page.locator("figure.vietqr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    expect(page.locator(".pay-box .big-figure")).to_contain_text(re.compile(r"Số tiền: [\d.]+\s?₫"))
    order = Order.objects.get()
    assert order.delivery_method == "pickup" and order.buyer_phone == "0912345678"
    expect(page.locator(".pay-box").get_by_text(order.payment_reference).first).to_be_visible()
    # What the buyer pays from: the payment box with the amount and the QR, scrolled to the top.
    page.locator(".pay-box").evaluate("box => box.scrollIntoView()")
    screenshot(page, "order.png")


def test_order_page_shows_vietqr_at_phone_width(demo, phone):
    order = place_order_server_side(demo, LOT)
    response = phone.goto(f"{demo.url}{order.get_absolute_url()}")
    assert response.status == 200
    assert_vietqr_order_page(phone)


def test_trace_page_complete_after_one_request_on_a_slow_link(demo, browser):
    code = BatchPage.objects.get(lot=LOT).short_code
    # A Vietnamese phone: the trace URL has no language, the browser's Accept-Language picks it.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        # 400 kbit/s each way, 400 ms round trip: a weak 3G link in the mountains.
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 400,
                "downloadThroughput": 400 * 1024 / 8,
                "uploadThroughput": 400 * 1024 / 8,
            },
        )
        requests = record_requests(page)
        response = page.goto(f"{demo.url}/t/{code}", wait_until="load", timeout=30_000)
        assert response.status == 200
        expect(page.locator(".verdict")).to_contain_text("còn hiệu lực")
        assert page.evaluate("document.readyState") == "complete"
        timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
        assert '"loadEventEnd":0' not in timing.replace(" ", "")
        # One request for the page; the only other fetch is the product's photo beside the verdict
        # (to compare with the package), lazy-loaded with its size set so nothing moves (DESIGN §5).
        types = [r.resource_type for r in requests]
        assert types[0] == "document" and set(types[1:]) <= {"image"}, types
        unsized = page.evaluate(
            "[...document.images].filter(i => i.loading !== 'lazy' || !i.getAttribute('width')"
            " || !i.getAttribute('height')).map(i => i.src)"
        )
        assert not unsized, unsized
    finally:
        context.close()
