"""The shop's filters work without JavaScript: a plain GET form, in a browser with script off."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, PHONE, screenshot

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser


def titles(page):
    return [t.strip() for t in page.locator("ul.cards .card-title").all_inner_texts()]


def test_shop_filters_without_javascript(demo, browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{demo.url}/shop/")
        everything = titles(page)
        assert len(everything) >= 5, everything

        # Without diacritics, as people type on a phone: "thao qua" finds "Thảo quả".
        page.locator("form.filters input[name=q]").fill("thao qua")
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url(re.compile(r"[?&]q=thao\+qua"))
        found = titles(page)
        assert found and all("Thảo quả" in t for t in found), found
        assert len(found) < len(everything)

        # Clear the search, open the details (native, no script) and choose a category.
        page.locator("form.filters input[name=q]").fill("")
        if not page.locator("form.filters details[open]").count():
            page.locator("form.filters summary").click()
        page.locator("form.filters select[name=category]").select_option(label="Dược liệu")
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url(re.compile(r"[?&]category=duoc-lieu"))
        found = titles(page)
        assert sorted(found) == ["Sâm Lai Châu", "Đương quy khô"], found
        expect(page.locator("p.count")).to_have_text("2 sản phẩm")
        screenshot(page, "shop.png")
    finally:
        context.close()
