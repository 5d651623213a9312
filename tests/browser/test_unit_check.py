"""A buyer holding a serialised package, in a real browser at phone width with script off: open the
unit's QR URL (/t/<short-code>/<serial>), read the batch's verdict and the package's own history,
type the secret PIN into the page's form → "genuine, first check"; a second phone (no cookies)
typing the same PIN is told it was already checked once, and on which day; the footer's check
form takes a batch's short code typed in lower case with spaces. No page scrolls sideways."""

import os
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from tests.browser.conftest import CHROMIUM, PHONE
from traceability.models import BatchPage, UnitCheck
from traceability.unit_services import units_for_printing
from traceability.units import printable_pin

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

LOT = "TQ2026-01"
SIDEWAYS = "document.documentElement.scrollWidth"


@contextmanager
def phone_without_script(browser):
    """A fresh phone (its own cookies) with JavaScript off: every step is a plain form."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        context.close()


def assert_no_sideways_scroll(page):
    width = page.evaluate(SIDEWAYS)
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def type_pin(page, pin):
    """Type the PIN into the unit's form and send it: one POST to /check/, answered at once."""
    page.get_by_label("Mã PIN bí mật (6 chữ số, dưới lớp cào)").fill(pin)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/check/")) as sent:
        page.locator("form[method=post][action='/check/']").get_by_role("button", name="Kiểm tra").click()
    assert sent.value.status == 200
    assert pin not in page.url, "the PIN must never be in a URL"


def test_buyer_checks_a_unit_by_its_qr_and_pin_and_a_copy_is_told_apart(demo, browser):
    batch = BatchPage.objects.get(lot=LOT)
    pack = batch.product.variants.filter(is_active=True).order_by("pk").first()
    units = units_for_printing(batch, pack, 3)
    unit = units[1]
    pin = printable_pin(unit)
    assert pin and len(pin) == 6
    unit_url = f"{demo.url}/t/{batch.short_code}/{unit.serial}"
    today = timezone.localdate().strftime("%d/%m/%Y")

    with phone_without_script(browser) as page:
        response = page.goto(unit_url)
        assert response.status == 200
        # The batch's verdict first, as on its trace page, then this package's own history.
        expect(page.locator(".verdict .headline")).to_have_text("Đúng nguồn gốc đã đăng ký")
        package = page.locator("section[aria-labelledby=unit-heading]")
        expect(package.locator("#unit-heading")).to_contain_text(f"Gói {unit.serial}")
        expect(package).to_contain_text(f"Mở lần đầu ngày {today}; đã có 1 người mở.")
        expect(package).to_contain_text("Mã PIN của gói chưa từng được kiểm tra.")
        assert_no_sideways_scroll(page)

        type_pin(page, pin)
        answer = page.locator("section[role=status]")
        expect(answer.locator("#answer-heading")).to_have_text(
            re.compile(r"\s*Đúng nguồn gốc: đây là lần kiểm tra đầu tiên của gói này\s*$")
        )
        expect(answer).to_contain_text(f"Kiểm tra lần đầu ngày {today}")
        expect(answer).to_contain_text(f"Lô {LOT}.")
        assert_no_sideways_scroll(page)

    first = UnitCheck.objects.get(unit=unit, pin_ok=True)
    first_day = timezone.localtime(first.at).strftime("%d/%m/%Y")

    # Another phone (no cookies of the first) opens the same QR and types the same PIN: a copy.
    with phone_without_script(browser) as page:
        page.goto(unit_url)
        package = page.locator("section[aria-labelledby=unit-heading]")
        expect(package).to_contain_text(f"Mã PIN đã được kiểm tra 1 lần, lần đầu ngày {first_day}.")
        type_pin(page, pin)
        answer = page.locator("section[role=status]")
        heading = answer.locator("#answer-heading")
        expect(heading).to_contain_text("Cảnh báo: gói này đã được kiểm tra trước đây")
        expect(answer).to_contain_text(f"Đã được kiểm tra 1 lần, lần đầu ngày {first_day}.")
        expect(page.get_by_role("heading", name="Báo sản phẩm đáng ngờ")).to_be_visible()
        assert_no_sideways_scroll(page)
    assert UnitCheck.objects.filter(unit=unit, pin_ok=True).count() == 2
    # The neighbours were not touched by these checks.
    assert not UnitCheck.objects.filter(unit__in=[units[0], units[2]]).exists()


def test_footer_check_form_takes_a_short_code_as_people_type_it(demo, browser):
    batch = BatchPage.objects.get(lot=LOT)
    code = batch.short_code
    typed = f" {code[:4].lower()} {code[4:].lower()} "

    with phone_without_script(browser) as page:
        page.goto(f"{demo.url}/")
        footer = page.locator("footer.site-footer")
        footer.get_by_label("Kiểm tra mã").fill(typed)
        footer.get_by_role("button", name="Kiểm tra").click()
        page.wait_for_url(re.compile(r"/check/\?code="))
        answer = page.locator("section[role=status]")
        expect(answer.locator("#answer-heading")).to_contain_text(
            "Lô hàng có trong hồ sơ, mã số vùng trồng còn hiệu lực"
        )
        expect(answer.locator(".code", has_text=code)).to_be_visible()
        expect(answer).to_contain_text(LOT)
        assert_no_sideways_scroll(page)

        # Its link leads to the batch's trace page.
        answer.get_by_role("link", name=re.compile("trang truy xuất")).click()
        page.wait_for_url(re.compile(rf"/t/{re.escape(code)}$"))
        expect(page.locator(".verdict .headline")).to_have_text("Đúng nguồn gốc đã đăng ký")
