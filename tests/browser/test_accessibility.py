"""WCAG 2.2 AA on the public pages: axe-core (pinned in tests/browser/package.json, installed by
`npm ci` in tests/browser) runs inside Chromium on each page and may report no serious or
critical violation."""

import os
import re
from pathlib import Path

import pytest

from growers.models import GrowingArea
from products.models import ProductPage
from tests.browser.conftest import CHROMIUM, PHONE, order_from_trace_page
from tests.browser.test_buyer_flow import LOT
from traceability.models import BatchPage
from traceability.unit_services import units_for_printing

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.exists():
    reason = f"{AXE} is missing: run `npm ci` in tests/browser (axe-core is pinned in its package.json)"
    print(f"Skipping accessibility tests: {reason}")
    pytest.skip(reason, allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    """conftest's phone, but with the pages' Content-Security-Policy bypassed: axe-core goes in as
    an inline script, which the site's policy rightly refuses (test_content_security_policy.py
    checks the policy itself)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


RUN_AXE = (
    "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})"
)
BLOCKING = {"serious", "critical"}


def axe_violations(page):
    """axe-core's serious and critical violations on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(RUN_AXE)
    return [v for v in results["violations"] if v.get("impact") in BLOCKING]


def describe(url, violations):
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"      {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:300]}")
    return "\n".join(lines)


def test_public_pages_have_no_serious_or_critical_axe_violation(demo, phone):
    page = phone
    base = demo.url
    batch = BatchPage.objects.get(lot=LOT)
    product = ProductPage.objects.live().first()
    area = GrowingArea.objects.order_by("pk").first()
    found = {}

    def check(path):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, f"{path}: HTTP {response.status}"
        violations = axe_violations(page)
        if violations:
            found[path] = violations

    check("/")
    check("/shop/")
    check(product.relative_url(product.get_site()))
    check(f"/t/{batch.short_code}")
    check("/growing-areas/")
    check(f"/growing-areas/{area.code}")
    check("/commune/")
    check("/growing-areas/apply/")
    # A serialised package's page (its history and PIN form) and /check/'s answers for a batch's
    # short code and for a package's serial (the PIN form again).
    pack = batch.product.variants.filter(is_active=True).order_by("pk").first()
    unit = units_for_printing(batch, pack, 1)[0]
    check(f"/t/{batch.short_code}/{unit.serial}")
    check(f"/check/?code={batch.short_code}")
    check(f"/check/?code={unit.serial}")

    # The cart and the checkout form with an item in them, bought from the trace page as a buyer
    # would; then the order page of the order placed.
    order_from_trace_page(page, base, batch.short_code, check)
    page.get_by_role("link", name=re.compile("Xem đơn và thanh toán")).first.click()
    page.wait_for_url(re.compile(r"/orders/"))
    check(page.url.removeprefix(base))

    assert not found, "axe-core found serious or critical WCAG violations:\n" + "\n".join(
        describe(url, violations) for url, violations in found.items()
    )
