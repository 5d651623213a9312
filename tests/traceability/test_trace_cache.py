"""The trace page served from the page cache (website/page_cache.py): a repeat scan costs one
query (two for a new person on SQLite: their place) and no rendering, every person is still
counted and shown, and what must show at once (a revoked code, a recall, a published change,
stock) does."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from growers.services import change_status
from traceability.models import ScanDay
from traceability.recall import recall_batch

from .conftest import COUNTED_SCAN_QUERIES

pytestmark = pytest.mark.django_db


def trace(client, batch, *, new_browser=False, **headers):
    if new_browser:  # another person: without the cookie that remembers who was counted today
        client.cookies.clear()
    response = client.get(f"/t/{batch.short_code}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def scans_shown(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for term in soup.select("dl.facts dt"):
        if "Số người" in term.get_text() or "Opened by" in term.get_text():
            return " ".join(term.find_next_sibling("dd").get_text().split())
    return ""


def without_per_request_parts(html: str) -> str:
    """The page less what differs on every request: the scan count and the (masked) CSRF token."""
    html = re.sub(r"(<dt>Số người đã mở trang này</dt><dd>).*?(</dd>)", r"\1\2", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_repeat_scan_is_served_from_the_cache_and_still_counted(client, batch, django_assert_num_queries):
    first = trace(client, batch)

    with django_assert_num_queries(COUNTED_SCAN_QUERIES):  # count and read the totals: no lookup, no render
        second = trace(client, batch, new_browser=True)
    with django_assert_num_queries(1):  # the same browser again: the totals read, nothing counted
        again = trace(client, batch)

    assert scans_shown(first).startswith("1 người")
    assert scans_shown(second).startswith("2 người")
    assert scans_shown(again).startswith("2 người")
    assert without_per_request_parts(second) == without_per_request_parts(first)
    assert ScanDay.objects.get(batch=batch).count == 2


def test_every_scan_is_counted_and_shown_while_cached(client, batch):
    for _ in range(5):
        html = trace(client, batch, new_browser=True)

    assert ScanDay.objects.get(batch=batch).count == 5
    assert scans_shown(html).startswith("5 người")


def test_the_gs1_address_is_cached_too(client, batch, product):
    gtin = product.variants.exclude(gtin=None).first().gtin
    url = f"/01/{gtin}/10/{batch.lot}"
    client.get(url)
    client.cookies.clear()

    response = client.get(url)

    assert response.status_code == 200
    assert ScanDay.objects.get(batch=batch).count == 2


def test_a_revoked_code_shows_at_once(client, batch, area, django_user_model):
    trace(client, batch)
    officer = django_user_model.objects.create_superuser("officer", password="pw")

    change_status(area=area, to_status="revoked", reason="Sai vị trí", user=officer)

    # Revoked after the harvest: the verdict stands, and now says when and why (issue 18).
    html = trace(client, batch)
    assert "Đúng nguồn gốc đã đăng ký" in html
    assert "mã bị thu hồi ngày" in html and "Sai vị trí" in html


def test_a_recall_shows_at_once(client, batch, django_user_model):
    trace(client, batch)
    officer = django_user_model.objects.create_superuser("officer", password="pw")

    recall_batch(batch=batch, recalled_on=datetime.date(2026, 11, 1), reason="Nấm mốc", user=officer)

    assert "đã bị thu hồi" in trace(client, batch)


def test_a_published_change_of_the_product_shows_at_once(client, batch, product):
    trace(client, batch)
    product.title = "Thảo quả sấy gác bếp"
    product.save_revision().publish()

    assert "Thảo quả sấy gác bếp" in trace(client, batch)


def test_each_language_has_its_own_cached_page(client, batch):
    vietnamese = trace(client, batch)
    english = trace(client, batch, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="vi">' in vietnamese
    assert '<html lang="en">' in english


def cart_form(html: str) -> dict:
    form = BeautifulSoup(html, "html.parser").select_one("form.add-to-cart")
    fields = {field["name"]: field["value"] for field in form.select("input[name][value]")}
    return {**fields, "quantity": 1, "next": "/cart/"}


def test_the_cached_forms_carry_each_visitors_own_csrf_token(batch):
    Client().get(f"/t/{batch.short_code}")  # someone else's scan fills the cache
    buyer = Client(enforce_csrf_checks=True)

    response = buyer.post("/cart/add/", cart_form(trace(buyer, batch)))

    assert response.status_code in (302, 303)
    assert buyer.session.get("cart_count") == 1


def test_a_cached_page_masks_the_same_secret_for_a_returning_visitor_and_no_other(batch):
    Client().get(f"/t/{batch.short_code}")
    buyer, stranger = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first_visit = cart_form(trace(buyer, batch))  # served from the cache: a new secret
    secret = buyer.cookies["csrftoken"].value
    second_visit = cart_form(trace(buyer, batch))  # from the cache again, with their cookie
    trace(stranger, batch)
    refused = stranger.post("/cart/add/", first_visit)  # someone else's token
    accepted = buyer.post("/cart/add/", first_visit)

    tokens = [first_visit["csrfmiddlewaretoken"], second_visit["csrfmiddlewaretoken"]]
    assert buyer.cookies["csrftoken"].value == secret != stranger.cookies["csrftoken"].value
    assert tokens[0] != tokens[1]  # each page masks the secret anew
    assert all(len(token) == 64 and re.fullmatch(r"[A-Za-z0-9]+", token) for token in tokens)
    assert len(secret) == 32 and re.fullmatch(r"[A-Za-z0-9]+", secret)
    assert refused.status_code == 403
    assert accepted.status_code in (302, 303) and buyer.session.get("cart_count") == 1


def test_a_visitor_with_a_cart_gets_a_fresh_page(client, batch, django_assert_max_num_queries):
    trace(client, batch)
    html = trace(client, batch)
    variant = BeautifulSoup(html, "html.parser").select_one("form.add-to-cart input[name=variant]")["value"]
    client.post("/cart/add/", {"variant": variant, "quantity": 1, "next": "/cart/"})

    html = trace(client, batch)

    assert "cart-count" in html  # their own cart count, which a shared page could not show


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_cache_can_be_switched_off(client, batch):
    trace(client, batch)

    with CaptureQueriesContext(connection) as queries:
        trace(client, batch)

    assert len(queries) > 5  # looked up and rendered afresh


def test_a_batch_made_private_stops_being_served_from_the_cache(client, batch):
    trace(client, batch)

    PageViewRestriction.objects.create(
        page=batch, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert client.get(f"/t/{batch.short_code}").status_code == 404
