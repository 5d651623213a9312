"""The Content-Security-Policy header (website/csp.py, policies in config/settings/base.py): the
strict policy on every public page, fresh or from the page cache, allowing exactly the stylesheet
the page inlines; the admin's own policy under /admin/. tests/browser/test_content_security_policy.py
checks the same pages in Chromium."""

import base64
import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

from growers.factories import GrowingAreaFactory
from orders.models import Order
from products.factories import ProductPageFactory, ProductVariantFactory
from tests.orders.conftest import CHECKOUT_FORM
from traceability.factories import BatchPageFactory
from website import page_cache

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Content-Security-Policy"
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)
STRIPE_CHECKOUT = "https://checkout.stripe.com"


def policy(response) -> dict[str, list[str]]:
    """The header as {directive: [sources]}; fails if it is missing."""
    assert HEADER in response, f"no {HEADER} header"
    directives = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} twice"
        directives[name] = sources
    return directives


def expected(directives: dict) -> dict[str, list[str]]:
    return {name: list(sources) for name, sources in directives.items() if sources is not True}


def inline_style_hash(html: str) -> str:
    """The CSP hash source of the page's one <style> element, from its exact text."""
    styles = STYLE_ELEMENT.findall(html)
    assert len(styles) == 1, f"{len(styles)} <style> elements"
    digest = hashlib.sha256(styles[0].encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def assert_strict(response):
    html = response.content.decode()
    found = policy(response)
    wanted = expected(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    # The stylesheet the page inlines, and nothing else inline.
    assert found.pop("style-src") == ["'self'", inline_style_hash(html)]
    wanted.pop("style-src")
    assert found == wanted
    assert found["script-src"] == ["'self'"]
    assert found["default-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["form-action"] == ["'self'", STRIPE_CHECKOUT]
    assert "upgrade-insecure-requests" not in found  # production only
    assert "unsafe" not in response[HEADER]
    # What the policy would block is not on the page.
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    assert not soup.select("[style]")
    assert not [tag.name for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)]


# A small shop: product with a pack in stock, a growing area, a batch citing it -----------------


@pytest.fixture
def area(db):
    return GrowingAreaFactory(code="VN-SLL-0001", village="Sì Lở Lầu", commune="Sì Lở Lầu")


@pytest.fixture
def variant(coop1):
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô", slug="thao-qua-kho")
    return ProductVariantFactory(page=product, pack_label="Túi 500 g", price=120000, stock=5)


@pytest.fixture
def batch(variant, area, registry):
    batch = BatchPageFactory(parent=variant.page, lot="TQ2026-01")
    batch.growing_areas.set([area])
    batch.save_revision().publish()
    batch.refresh_from_db()
    return batch


def place_order(client, variant) -> Order:
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    client.get("/checkout/")
    response = client.post(
        "/checkout/",
        {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"]},
    )
    assert response.status_code == 303, response.content.decode()[:500]
    return Order.objects.get()


# Public pages --------------------------------------------------------------------------------


def test_every_public_page_sends_the_strict_policy_allowing_its_own_stylesheet(
    client, home, shop, batch, area, variant
):
    paths = [
        "/",
        "/en/",
        "/shop/",
        "/shop/?q=thao&in_stock=1",
        "/cooperatives/",
        variant.page.url,
        f"/t/{batch.short_code}",
        "/growing-areas/",
        f"/growing-areas/{area.code}/",
        # The application form for a code and an application's status page.
        "/growing-areas/apply/",
        "/en/growing-areas/apply/2026-0001/",
        "/no-such-page/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_strict(response)

    order = place_order(client, variant)
    for path in ["/cart/", "/checkout/", f"/orders/{order.token}/"]:
        # Checkout with an empty cart redirects; put a pack back for it.
        client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)


def test_the_hash_is_that_of_the_stylesheet_file(client, home, shop):
    """Edit website/static/website/site.css and the policy follows, on every page."""
    with open(finders.find("website/site.css"), encoding="utf-8") as handle:
        digest = hashlib.sha256(handle.read().encode("utf-8")).digest()
    file_hash = f"'sha256-{base64.b64encode(digest).decode()}'"
    for path in ["/", "/shop/", "/nope/"]:
        response = client.get(path)
        assert policy(response)["style-src"] == ["'self'", file_hash]
        assert inline_style_hash(response.content.decode()) == file_hash


def test_pages_served_from_the_page_cache_carry_the_strict_policy(client, home, shop, batch, monkeypatch):
    hits = []
    real_lookup = page_cache.lookup

    def lookup(kind, request):
        entry = real_lookup(kind, request)
        hits.append(entry is not None)
        return entry

    monkeypatch.setattr(page_cache, "lookup", lookup)
    for path in [f"/t/{batch.short_code}", "/shop/", "/shop/?in_stock=1"]:
        hits.clear()
        first, second = client.get(path), client.get(path)
        assert hits[-1], f"{path} was not served from the page cache"
        assert second.content.decode().count("<style>") == 1
        assert_strict(first)
        assert_strict(second)
        assert policy(second) == policy(first)


def test_an_absolute_media_url_is_allowed_for_images_and_audio(client, home):
    with override_settings(MEDIA_URL="https://media.example.org/media/"):
        found = policy(client.get("/"))
    assert "https://media.example.org" in found["img-src"]
    assert "https://media.example.org" in found["media-src"]
    assert "https://media.example.org" not in found["script-src"] + found["style-src"]


# The admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("csp-admin", "csp-admin@example.com", "pw-csp-admin")
    client.force_login(user)
    return client


def assert_admin_policy(response):
    found = policy(response)
    assert found == expected(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
    # A hash beside 'unsafe-inline' would switch 'unsafe-inline' off and break the admin.
    assert not [source for source in found["style-src"] if source.startswith("'sha256-")]
    assert found["frame-ancestors"] == ["'self'"]  # the preview panel frames the admin's preview


def test_the_login_page_gets_the_admin_policy(client, home):
    assert_admin_policy(client.get("/admin/login/"))


def test_admin_pages_get_the_admin_policy(admin_client, home, batch, area, variant):
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{variant.page.pk}/edit/",
        "/admin/images/",
        "/admin/images/chooser/",
        "/admin/growing-areas/",
        f"/admin/growing-areas/edit/{area.pk}/",
        f"/admin/batches/{batch.pk}/labels/",
    ]:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_admin_policy(response)


def test_a_preview_of_a_public_page_gets_the_admin_policy(admin_client, home, variant):
    """Wagtail renders a preview through the middleware with a made-up request for the page's own
    address; the header must be the admin's, so the admin can frame it."""
    response = admin_client.get(f"/admin/pages/{variant.page.pk}/view_draft/")
    assert response.status_code == 200
    assert "<style>" in response.content.decode()
    assert_admin_policy(response)


# Production ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("ssl_redirect", "upgrade"), [("1", "True"), ("0", "None")])
def test_production_upgrades_insecure_requests_on_both_policies_behind_tls(ssl_redirect, upgrade):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests'), "
        "s.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES'].get('upgrade-insecure-requests'))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        SECURE_SSL_REDIRECT=ssl_redirect,
        DATABASE_URL="sqlite:////nonexistent/commune-market-never-opened.sqlite3",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [upgrade, upgrade]
    assert not settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("upgrade-insecure-requests")
