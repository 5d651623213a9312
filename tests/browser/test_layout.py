"""Layout for people on small, cheap phones and for people who zoom (WCAG 2.2 AA, measured in
Chromium on the public pages a buyer meets: home, shop, a product, a trace page, the registry and
a code's page, the cart):

- 1.4.10 Reflow: at 320 CSS px wide nothing scrolls sideways.
- 1.4.4 Resize text: at 200% zoom of a 1280 px window (the same layout as a 640 px viewport)
  nothing scrolls sideways and the page's main heading is on screen.
- Tap targets (2.5.8, held to the 44 px of 2.5.5, since the buyers use cheap touch phones): every
  visible link, button, input, select and summary in the header, the navigation and the main
  content is at least 44 × 44 px, except an inline link inside a sentence (see TARGETS_TOO_SMALL).
- 1.4.1 Use of colour: every status word on the trace page and in the registry comes with its own
  pictogram (an inline SVG), and no emoji stands in for one.

It also saves the phone-width screenshots of the home, product and registry pages for the README."""

import os
import re

import pytest
from playwright.sync_api import expect

from growers.models import GrowingArea, GrowingAreaStatus
from products.models import ProductPage
from tests.browser.conftest import CHROMIUM, PHONE, screenshot
from traceability.models import BatchPage

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

LOT = "TQ2026-01"  # its growing-area code is valid
LOT_OF_A_SUSPENDED_CODE = "TQ2026-02"  # LC-PT-SLL-006, suspended after the harvest

# The widest element(s) sticking out to the right: what makes the page scroll sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    culprits: [...document.body.querySelectorAll('*')]
      .filter(e => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 6).map(e => `${describe(e)} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`),
  };
}"""

# The tap targets that are too small, by this rule:
# - looked at: a[href], button, input (not hidden), select, textarea, summary inside the header,
#   any nav, and main; not the ones nobody can see or tap (display:none, visibility:hidden, inside
#   a closed <details>, or visually hidden to be read by screen readers only: 1 × 1 px);
# - a radio button or checkbox is measured with its <label>, which is tappable too;
# - a link is exempt, as WCAG 2.5.8 allows for targets "in a sentence", when it is laid out
#   inline (display: inline) and its block (p, li, dd, dt, td, th, figcaption, caption,
#   blockquote) holds words besides the link: a link alone in a list item, a table cell or a
#   navigation bar is a target of its own and must be 44 × 44 px;
# - anything else must measure at least 44 × 44 CSS px (half a pixel of rounding allowed).
TARGETS_TOO_SMALL = """() => {
  const MIN = 44 - 0.5;
  const BLOCKS = 'p, li, dd, dt, td, th, figcaption, caption, blockquote';
  const found = [];
  const seen = new Set();
  const describe = e => {
    const text = (e.innerText || e.value || e.getAttribute('aria-label') || e.name || '').trim()
      .replace(/\\s+/g, ' ').slice(0, 40);
    return e.tagName.toLowerCase() + (e.type && e.tagName !== 'A' ? `[type=${e.type}]` : '')
      + (e.name ? `[name=${e.name}]` : '') + (text ? ` "${text}"` : '');
  };
  const inSentence = a => {
    if (getComputedStyle(a).display !== 'inline') return false;
    const block = a.parentElement && a.parentElement.closest(BLOCKS);
    if (!block) return false;
    const rest = block.textContent.replace(a.textContent, '');
    return /[\\p{L}\\p{N}]/u.test(rest);
  };
  const scopes = document.querySelectorAll('header, nav, main');
  for (const scope of scopes) {
    for (const e of scope.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      if (seen.has(e)) continue;
      seen.add(e);
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      let box = e.getBoundingClientRect();
      if (box.width * box.height <= 1) continue;
      if (e.closest('.visually-hidden')) continue;
      if (e.tagName === 'A' && inSentence(e)) continue;
      if (e.type === 'radio' || e.type === 'checkbox') {
        const label = e.closest('label') || (e.id && document.querySelector(`label[for="${e.id}"]`));
        if (label) {
          const l = label.getBoundingClientRect();
          box = {width: Math.max(box.width, l.width), height: Math.max(box.height, l.height)};
        }
      }
      if (box.width < MIN || box.height < MIN) {
        found.push(`${describe(e)}: ${Math.round(box.width)} × ${Math.round(box.height)} px`);
      }
    }
  }
  return found;
}"""

# Status words and the SVG pictogram beside each. `selector` names elements that must each hold
# an <svg> and words; emoji (which basic phones draw differently or not at all) must not be used.
STATUS_WITHOUT_PICTOGRAM = """(selector) => {
  const EMOJI = /[\\u2300-\\u23ff\\u2600-\\u27bf\\u2b00-\\u2bff\\u{1f000}-\\u{1faff}]/u;
  return [...document.querySelectorAll(selector)].flatMap(e => {
    const words = e.textContent.replace(/\\s+/g, ' ').trim();
    const problems = [];
    if (!e.querySelector('svg')) problems.push('no pictogram');
    if (!/\\p{L}/u.test(words)) problems.push('no words');
    if (EMOJI.test(words)) problems.push('an emoji');
    return problems.length ? [`${selector} "${words.slice(0, 60)}": ${problems.join(', ')}`] : [];
  });
}"""


@pytest.fixture
def public_pages(demo):
    """The pages a buyer meets, by name: path."""
    batch = BatchPage.objects.get(lot=LOT)
    product = ProductPage.objects.live().filter(locale__language_code="vi").get(slug="thao-qua-kho")
    area = batch.growing_areas.get()
    return {
        "home": "/",
        "shop": "/shop/",
        "product": product.relative_url(product.get_site()),
        "trace": f"/t/{batch.short_code}",
        "registry": "/growing-areas/",
        "registry code": f"/growing-areas/{area.code}/",
        "cart": "/cart/",
        "commune": "/commune/",
        "application form": "/growing-areas/apply/",
    }


def put_a_pack_in_the_cart(page, base):
    """Buy the first pack from the trace page, as a buyer would, so the cart has a line."""
    code = BatchPage.objects.get(lot=LOT).short_code
    page.goto(f"{base}/t/{code}")
    page.locator("form.add-to-cart button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/t/{re.escape(code)}$"))


def open_page(page, base, path):
    response = page.goto(f"{base}{path}")
    assert response.status == 200, f"{path}: HTTP {response.status}"


def new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_no_sideways_scrolling_at_320_px(demo, browser, public_pages):
    context, page = new_page(browser, {"width": 320, "height": 640})
    try:
        put_a_pack_in_the_cart(page, demo.url)
        found = {}
        for name, path in public_pages.items():
            open_page(page, demo.url, path)
            result = page.evaluate(OVERFLOWING)
            if result["scrollWidth"] > 320:
                found[f"{name} ({path})"] = result
        assert not found, "pages that scroll sideways at 320 px:\n" + "\n".join(
            f"  {page}: {r['scrollWidth']} px wide; {', '.join(r['culprits'])}" for page, r in found.items()
        )
    finally:
        context.close()


def test_at_200_percent_zoom_no_sideways_scrolling_and_the_heading_is_on_screen(demo, browser, public_pages):
    # A 1280 × 900 window zoomed to 200% lays pages out in 640 × 450 CSS px, at two device
    # pixels per CSS pixel: the same as this viewport.
    context, page = new_page(browser, {"width": 640, "height": 450}, device_scale_factor=2)
    try:
        put_a_pack_in_the_cart(page, demo.url)
        found = []
        for name, path in public_pages.items():
            open_page(page, demo.url, path)
            result = page.evaluate(OVERFLOWING)
            if result["scrollWidth"] > 640:
                found.append(
                    f"{name} ({path}): {result['scrollWidth']} px wide; {', '.join(result['culprits'])}"
                )
            heading = page.locator("main h1").first
            expect(heading).to_be_visible()
            box = heading.bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > 640 + 0.5:
                found.append(f"{name} ({path}): the main heading runs off the screen: {box}")
        assert not found, "at 200% zoom:\n  " + "\n  ".join(found)
    finally:
        context.close()


def test_tap_targets_are_at_least_44_px_at_phone_width(demo, browser, public_pages):
    context, page = new_page(browser, PHONE)
    try:
        put_a_pack_in_the_cart(page, demo.url)
        found = {}
        for name, path in public_pages.items():
            open_page(page, demo.url, path)
            if name in ("home", "product", "registry code"):
                screenshot(page, {"registry code": "registry.png"}.get(name, f"{name}.png"))
            if name == "shop":
                # The filters' <details> is open on wide screens only; open it as a buyer would.
                summary = page.locator("form.filters summary")
                if summary.count() and not page.locator("form.filters details[open]").count():
                    summary.click()
            too_small = page.evaluate(TARGETS_TOO_SMALL)
            if too_small:
                found[f"{name} ({path})"] = too_small
        assert not found, "tap targets smaller than 44 × 44 px:\n" + "\n".join(
            f"  {page}:\n" + "\n".join(f"    {item}" for item in items) for page, items in found.items()
        )
    finally:
        context.close()


def test_every_status_word_has_its_pictogram(demo, phone):
    page, base = phone, demo.url
    suspended = GrowingArea.objects.filter(status=GrowingAreaStatus.SUSPENDED).order_by("code").first()
    checks = {
        # Trace pages: one whose code is valid, one whose code was suspended after the harvest.
        # The verdict's headline has its large pictogram beside it (.verdict-top), not inside.
        f"/t/{BatchPage.objects.get(lot=LOT).short_code}": (
            ".verdict .verdict-top",
            ".verdict-line",
            ".status",
            "ol.events h3",
        ),
        f"/t/{BatchPage.objects.get(lot=LOT_OF_A_SUSPENDED_CODE).short_code}": (
            ".verdict .verdict-top",
            ".verdict-line",
            ".status",
            "ol.events h3",
        ),
        # The registry lists every status (valid, suspended, revoked, expired).
        "/growing-areas/": (".status",),
        f"/growing-areas/{suspended.code}/": (".status",),
    }
    found = []
    for path, selectors in checks.items():
        open_page(page, base, path)
        for selector in selectors:
            assert page.locator(selector).count(), f"{path}: nothing matches {selector}"
            found += [f"{path}: {problem}" for problem in page.evaluate(STATUS_WITHOUT_PICTOGRAM, selector)]
    # The registry shows all four statuses, so each one's pictogram was looked at.
    open_page(page, base, "/growing-areas/")
    for status in ("active", "suspended", "revoked", "expired"):
        assert page.locator(f".status.status-{status}").count(), f"no {status} code in the demo registry"
    assert not found, "status words without their pictogram:\n  " + "\n  ".join(found)
