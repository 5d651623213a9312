"""The buyer's flow in English, in a browser whose language is English (Accept-Language: en-US):
scan a label (the language-neutral /t/ URL) → the trace page in English → "Buy" → the product page
under /en/ → add to cart → checkout → the order page with its VietQR code, every page in English
and every address under /en/.

Words are checked page by page and gathered, so one run names every page still showing
Vietnamese interface words, not only the first; the steps of the flow themselves (a page that
does not load, an order not placed) stop the test at once."""

import os
import re

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.browser.conftest import CHROMIUM, PHONE, screenshot
from tests.browser.test_buyer_flow import LOT
from traceability.models import BatchPage

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

# Per page: English words the page must show (regular expressions, any case), and Vietnamese
# interface words (as the Vietnamese pages print them) it must no longer show. Product, cooperative
# and place names stay Vietnamese where no translation exists: they are not looked at.
PAGES = {
    "trace": (
        [r"\bbuy\b", r"\bharvest\b", r"\blot\b", r"\bgrowing[- ]area\b"],
        [
            "Thông tin lô hàng",
            "Hành trình",
            "Nơi sản xuất",
            "Mua sản phẩm này",
            "Thêm vào giỏ",
            "Báo sản phẩm",
        ],
    ),
    "product": (
        [r"\badd to cart\b", r"\bprice\b"],
        ["Giá và quy cách", "Quy cách", "Thêm vào giỏ", "Tình trạng", "Hết hàng"],
    ),
    "cart": (
        [r"\bcart\b", r"\btotal\b", r"\bquantity\b"],
        ["Giỏ hàng", "Tổng cộng", "Đơn giá", "Thành tiền", "Cập nhật", "Đặt hàng"],
    ),
    "checkout": (
        [r"\bname\b", r"\bphone\b", r"\bpick ?up\b|\bcollect\b"],
        ["Họ và tên", "Số điện thoại", "Thông tin nhận hàng", "Cách nhận hàng", "Đặt hàng"],
    ),
    "placed": ([r"\border\b", r"\bpay"], ["Đã đặt hàng", "Xem đơn và thanh toán"]),
    "order": (
        [r"\border\b", r"\bpay", r"\btotal\b|\bamount\b", r"\bbank\b"],
        ["Đơn hàng", "Thanh toán", "Số tiền", "Tổng cộng", "Tải ảnh mã QR", "Hoặc chuyển khoản"],
    ),
}


class Findings:
    """What is wrong with the English pages, gathered over the whole flow."""

    def __init__(self, page, base):
        self.page, self.base, self.items = page, base, []

    def check_page(self, name, *, under_en=True):
        page = self.page
        url = page.url.removeprefix(self.base)
        if under_en and not url.startswith("/en/"):
            self.items.append(f"[address] {name}: {url} is not under /en/")
        lang = page.locator("html").get_attribute("lang")
        if lang != "en":
            self.items.append(f'[lang] {name}: <html lang="{lang}">, not "en"')
        text = page.locator("body").inner_text()
        english, vietnamese = PAGES[name]
        for pattern in english:
            if not re.search(pattern, text, re.IGNORECASE):
                self.items.append(f"[missing English] {name} ({url}): no /{pattern}/")
        for words in vietnamese:
            if words.casefold() in text.casefold():
                self.items.append(f'[Vietnamese left] {name} ({url}): "{words}"')

    def problem(self, text):
        self.items.append(text)


def test_english_reader_scans_buys_and_pays_in_english(demo, browser):
    base = demo.url
    batch = BatchPage.objects.get(lot=LOT)
    # A phone whose language is English: Playwright sends Accept-Language: en-US.
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    findings = Findings(page, base)
    try:
        # The label's URL carries no language: the browser's language chooses English.
        response = page.goto(f"{base}/t/{batch.short_code}")
        assert response.status == 200, response.status
        expect(page.locator("dd.code", has_text=batch.short_code)).to_be_visible()
        findings.check_page("trace", under_en=False)
        screenshot(page, "trace-en.png")

        buy = page.get_by_role("link", name=re.compile(r"\bbuy\b", re.IGNORECASE))
        if not buy.count():
            findings.problem('[missing English] trace: no "Buy" link; following the shop button instead')
            buy = page.locator("article.trace a.button:not([href^='tel:'])")
        buy.first.click()
        page.wait_for_load_state()
        expect(page.locator("form.add-to-cart").first).to_be_visible()
        findings.check_page("product")

        page.locator("form.add-to-cart button[type=submit]").first.click()
        page.wait_for_load_state()
        page.locator("a.cart-link").click()
        page.wait_for_url(re.compile(r"/cart/$"))
        expect(page.locator("table.cart-lines tbody tr")).to_have_count(1)
        findings.check_page("cart")

        page.locator("main a.button[href$='/checkout/']").click()
        page.wait_for_url(re.compile(r"/checkout/$"))
        findings.check_page("checkout")
        form = page.locator("form.checkout-form")
        form.locator("input[name=name]").fill("Jane Doe")
        form.locator("input[name=phone]").fill("0912345678")
        form.locator("input[name=delivery_method][value=pickup]").check()
        with page.expect_response(lambda r: r.request.method == "POST" and "/checkout/" in r.url) as placed:
            form.locator("button[type=submit]").click()
        assert placed.value.status == 303, f"the checkout was refused (HTTP {placed.value.status})"

        page.wait_for_url(re.compile(r"/checkout/done/"))
        findings.check_page("placed")
        page.locator("main a.button[href*='/orders/']").first.click()
        page.wait_for_url(re.compile(r"/orders/[^/]+/$"))
        qr = page.locator("figure.vietqr svg")
        expect(qr).to_be_visible()
        order = Order.objects.get()
        expect(page.locator(".pay-box").get_by_text(order.payment_reference).first).to_be_visible()
        findings.check_page("order")
        if order.language != "en":
            findings.problem(
                f'[order] the order was placed in English but recorded language "{order.language}"'
            )

        assert not findings.items, "the English buyer flow:\n  " + "\n  ".join(findings.items)
    finally:
        context.close()
