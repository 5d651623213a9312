"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium, never a
downloaded browser) against pytest-django's live server, with the demo data from `seed_demo`."""

import io
import os
import re
from pathlib import Path

import pytest

from django.core.management import call_command

from tests.conftest import ensure_wagtail_base_rows

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an asyncio event loop in the test's thread; Django then refuses
# synchronous ORM calls from that thread (SynchronousOnlyOperation), although the test only
# reads the database between browser steps and no coroutine touches it. Allow them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo site (`seed_demo`) in the live server's database. Transactional tests empty every
    table when they end, so restore Wagtail's default locale, root page and collection before seeding."""
    ensure_wagtail_base_rows()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    return live_server


def fresh_page(browser, viewport, timeout_ms):
    """A page in a fresh browser context (its own cookies, so its own cart), closed afterwards."""
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (360 × 740)."""
    yield from fresh_page(browser, PHONE, 10_000)


@pytest.fixture
def desktop(browser):
    """A desktop-sized page (1280 × 900), for the admin."""
    yield from fresh_page(browser, DESKTOP, 15_000)


def order_from_trace_page(page, base_url, short_code, visit):
    """A buyer's purchase from a trace page: add the first pack to the cart, `visit` the cart and
    the checkout form (the caller checks each page), then place a pickup order by VietQR. Ends on
    the confirmation page."""
    page.goto(f"{base_url}/t/{short_code}")
    page.locator("form.add-to-cart button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/t/{re.escape(short_code)}$"))
    visit("/cart/")
    visit("/checkout/")
    page.get_by_label("Họ và tên").fill("Giàng Thị Mai")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.locator("input[name=delivery_method][value=pickup]").check()
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url(re.compile(r"/checkout/done/"))


def screenshot(page, name, *, full_page=False):
    """Save what the phone shows (the viewport, not the whole page: the README shows what a buyer
    sees first) as a small PNG: 256 colours are plenty for a page of text and flat colours."""
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(full_page=full_page)
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(SCREENSHOTS / name, optimize=True)


def admin_login(page, base_url, username):
    """Sign in to the Wagtail admin as a demo user (password `demo-<username>`, see seed_demo),
    through the login form as a person would. Fields by id: the labels are translated."""
    page.goto(f"{base_url}/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(f"demo-{username}")
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/admin/")


def page_errors(page):
    """The error messages a Wagtail admin form shows after a refused submission, for the test's
    failure message."""
    texts = page.locator(".messages .error, .error-message").all_inner_texts()
    return list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))
