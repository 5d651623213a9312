"""Every public page reflows at 320 CSS px (a small phone, or a desktop window zoomed to 400%)
and at 200% zoom with no sideways scrolling, and every link and button of the header, the
language switcher, the footer and the pagination is a 44 × 44 px tap target. Chromium drives the
demo site (`seed_demo`), whose long Vietnamese names are the real test of wrapping."""

import re

import pytest

from growers.models import CooperativePage, GrowingArea
from products.models import ProductPage
from traceability.models import BatchPage

# The browser and the demo site come from tests/browser/conftest.py: one Playwright instance for
# the whole run (a second sync_playwright() in the same thread fails: "Sync API inside the asyncio
# loop").


# (name, viewport, device scale): 320 px wide; a 1280 × 800 window at 200% zoom is 640 × 400 CSS px.
SCREENS = [("320 px", {"width": 320, "height": 640}, 1), ("200% zoom", {"width": 640, "height": 400}, 2)]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !e.closest('.skip, .visually-hidden');
  }).slice(0, 5).map(e => e.tagName.toLowerCase()
                      + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                      + ' right=' + Math.round(e.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth - width, wide};
}"""

SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.site-header a, .site-header button, .languages a, .site-footer a, .pagination a, .pagination button, '
    + '.site-header input, .pagination input')]
  .filter(e => !e.closest('.skip, .visually-hidden'))
  .map(e => ({text: e.textContent.trim().slice(0, 30), box: e.getBoundingClientRect()}))
  .filter(t => t.box.width < 44 || t.box.height < 44)
  .map(t => `${t.text}: ${Math.round(t.box.width)}×${Math.round(t.box.height)}`)"""

NOT_FOUND = "/en/khong-co-trang-nay/"
HEADER_PARTS = ".site-header .brand, .site-header nav a, .site-header .cart-link, .languages a"


def public_pages(page, base):
    batch = BatchPage.objects.live().order_by("pk").first()
    product = ProductPage.objects.live().order_by("pk").first()
    cooperative = CooperativePage.objects.live().order_by("pk").first()
    area = GrowingArea.objects.order_by("pk").first()
    # A pack in the cart, so the cart page shows its lines and the header its count.
    page.goto(f"{base}/t/{batch.short_code}")
    page.locator("form.add-to-cart button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/t/{re.escape(batch.short_code)}$"))
    return [
        "/",
        "/en/",
        "/hmn/",
        "/shop/",
        "/en/shop/",
        "/shop/?page=2",
        "/cooperatives/",
        cooperative.relative_url(cooperative.get_site()),
        product.relative_url(product.get_site()),
        "/en" + product.relative_url(product.get_site()),
        f"/t/{batch.short_code}",
        "/growing-areas/",
        f"/growing-areas/{area.code}/",
        "/commune/",
        "/en/commune/",
        "/cart/",
        "/hmn/cart/",
        "/checkout/",
        "/en/checkout/",
        NOT_FOUND,
    ]


@pytest.mark.parametrize(("screen", "viewport", "scale"), SCREENS, ids=[s[0] for s in SCREENS])
def test_public_pages_reflow_and_have_big_tap_targets(demo, browser, screen, viewport, scale):
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    try:
        for path in public_pages(page, demo.url):
            response = page.goto(f"{demo.url}{path}")
            if response.status != (404 if path == NOT_FOUND else 200):
                problems.append(f"{path}: HTTP {response.status}")
                continue
            overflow = page.evaluate(OVERFLOW)
            if overflow["scroll"] > 0:
                problems.append(f"{path}: scrolls sideways by {overflow['scroll']} px: {overflow['wide']}")
            small = page.evaluate(SMALL_TARGETS)
            if small:
                problems.append(f"{path}: tap targets under 44 × 44 px: {small}")
            # The header wraps rather than pushing the cart or the languages off the screen.
            for part in page.locator(HEADER_PARTS).all():
                box = part.bounding_box()
                if box is None or box["x"] < 0 or box["x"] + box["width"] > viewport["width"] + 1:
                    problems.append(f"{path}: {part.inner_text()!r} is outside the screen: {box}")
    finally:
        context.close()

    assert not problems, f"at {screen}:\n" + "\n".join(problems)
