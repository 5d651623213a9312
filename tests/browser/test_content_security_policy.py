"""The Content-Security-Policy in Chromium: not one violation on the public pages (strict policy)
or on the admin pages editors use (the admin's policy), and the pages really styled, so a
stylesheet blocked by a stale hash fails here even though nothing else would notice.

Violations are caught twice: `securitypolicyviolation` events, recorded in every frame by a
script the browser context runs first, and Chromium's console messages (a refused framing is
reported only there)."""

import os
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from growers.models import GrowingArea
from tests.browser.conftest import CHROMIUM, admin_login, order_from_trace_page
from tests.browser.test_buyer_flow import LOT
from traceability.models import BatchPage

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "?"} on ${event.documentURI}` +
    (event.sample ? ` (${event.sample})` : "") + (event.sourceFile ? ` from ${event.sourceFile}` : "")
  );
});
"""
# What site.css sets on <body> (a browser's own default is an 8px margin and a serif font).
PUBLIC_BODY_STYLE = "() => { const s = getComputedStyle(document.body); return [s.marginTop, s.fontFamily]; }"
# The admin's sidebar is laid out by Wagtail's stylesheet (unstyled, it would be a plain block).
ADMIN_SIDEBAR_POSITION = "() => getComputedStyle(document.querySelector('.sidebar')).position"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


class Violations:
    """Collects the violations of every frame of a page and the console's CSP messages."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def take(self) -> list[str]:
        """Everything recorded since the last call (after a moment for late loads)."""
        self.page.wait_for_timeout(300)
        found = []
        for frame in self.page.frames:
            try:
                found += frame.evaluate(
                    "() => { const v = window.__cspViolations || []; window.__cspViolations = []; return v; }"
                )
            except Exception:  # a frame gone or navigating meanwhile
                continue
        found += self.console
        self.console = []
        return found


def unstyled(page) -> str:
    """Why the page is not styled by site.css ("" when it is)."""
    margin, font = page.evaluate(PUBLIC_BODY_STYLE)
    if margin == "0px" and "system-ui" in font:
        return ""
    return f"not styled by site.css (body margin {margin}, font {font}): its inline <style> was blocked?"


def report(found: dict) -> str:
    return "Content-Security-Policy violations:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(seen) for where, seen in found.items()
    )


@pytest.fixture
def demo_batch(demo):
    """The demo's batch LOT, its product and the first growing-area code."""
    batch = BatchPage.objects.get(lot=LOT)
    return batch, batch.get_parent().specific, GrowingArea.objects.order_by("pk").first()


def test_public_pages_raise_no_violation_and_are_styled(demo, demo_batch, phone):
    page, base = phone, demo.url
    violations, found = Violations(page), {}
    batch, product, area = demo_batch

    def check(path, status=200):
        response = page.goto(f"{base}{path}")
        assert response.status == status, f"{path}: HTTP {response.status}"
        assert "'sha256-" in response.headers["content-security-policy"]
        seen = violations.take() + [problem for problem in [unstyled(page)] if problem]
        if seen:
            found[path] = seen

    check("/")
    check("/en/")
    check("/shop/")
    check("/shop/?in_stock=1")  # again, from the page cache
    check("/shop/?in_stock=1")
    check(product.relative_url(product.get_site()))  # with its spoken description (audio)
    check(f"/t/{batch.short_code}")
    check(f"/t/{batch.short_code}")  # from the page cache
    check("/growing-areas/")
    check(f"/growing-areas/{area.code}/")
    check("/commune/")
    check("/no-such-page/", status=404)

    order_from_trace_page(page, base, batch.short_code, check)
    if seen := violations.take():
        found["/checkout/done/"] = seen
    page.get_by_role("link", name=re.compile("Xem đơn và thanh toán")).first.click()
    page.wait_for_url(re.compile(r"/orders/"))
    check(page.url.removeprefix(base))  # the VietQR drawn inline as SVG

    assert not found, report(found)


def test_admin_pages_raise_no_violation(demo, demo_batch, desktop, tmp_path):
    page, base = desktop, demo.url
    violations, found = Violations(page), {}
    batch, product, area = demo_batch

    def record(what, problem=""):
        if seen := violations.take() + ([problem] if problem else []):
            found[what] = seen

    def check(path):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, f"{path}: HTTP {response.status}"
        assert "'unsafe-inline'" in response.headers["content-security-policy"]  # the admin's policy
        page.wait_for_load_state("networkidle")
        position = page.evaluate(ADMIN_SIDEBAR_POSITION)
        record(path, "" if position != "static" else "the sidebar is not styled: Wagtail's CSS blocked?")

    page.goto(f"{base}/admin/login/")
    record("/admin/login/")
    admin_login(page, base, "admin")
    record("/admin/ (dashboard)")
    check("/admin/")
    check("/admin/pages/")
    check(f"/admin/pages/{product.get_parent().pk}/")
    check("/admin/images/")
    check("/admin/growing-areas/")
    check(f"/admin/growing-areas/edit/{area.pk}/")
    check(f"/admin/batches/{batch.pk}/labels/")

    # A product in the page editor: StreamField, the image chooser, the preview panel.
    check(f"/admin/pages/{product.pk}/edit/")
    page.locator("#id_image-chooser .chosen [data-w-dropdown-target=toggle]").click()
    page.locator("#id_image-chooser .chosen [data-chooser-action-choose]").click()
    chooser = page.locator(".modal [data-chooser-modal-choice]").first
    chooser.wait_for()  # the chooser's images are listed: its script ran
    record("image chooser (opened from the product's image field)")
    page.keyboard.press("Escape")
    page.locator("button.c-sf-add-button:visible").first.click()
    page.locator(".w-combobox [role=option]").first.wait_for()  # StreamField's block menu
    record("StreamField block menu")
    page.keyboard.press("Escape")
    page.locator("[data-side-panel-toggle=preview]").first.click()
    preview = page.frame_locator("#w-preview-iframe")
    preview.locator("main").wait_for()
    margin = preview.locator("body").evaluate("body => getComputedStyle(body).marginTop")
    record("preview panel", "" if margin == "0px" else "the preview is not styled by site.css")

    # Uploading images shows thumbnails drawn from blob: URLs.
    check("/admin/images/multiple/add/")
    upload = tmp_path / "csp-upload.png"
    upload.write_bytes(TINY_PNG)
    page.locator("#fileupload").set_input_files(str(upload))
    try:
        page.locator("#upload-list li.upload-complete").wait_for(timeout=10_000)
        record("image upload")
    except PlaywrightTimeout:
        record("image upload", "the upload never finished (its thumbnail is drawn from a blob: URL)")

    # The public pages with the admin's user bar on them (still the public policy).
    for path in ["/", f"/t/{batch.short_code}"]:
        page.goto(f"{base}{path}")
        page.locator("wagtail-userbar").wait_for(state="attached")
        record(f"{path} with the user bar", unstyled(page))

    assert not found, report(found)
