"""/commune/: the resolution's targets against the data, for anyone, without script, in three
languages, with no personal data, light and cached."""

import datetime
import gzip
import re
import socket
from contextlib import closing

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import ApplicationStatus
from commune import selectors, views
from products.factories import ProductPageFactory
from traceability.factories import BatchPageFactory
from traceability.models import ScanDay, Unit, UnitCheck

pytestmark = pytest.mark.django_db

GZIP_BUDGET = 14_000


def page_text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.fixture
def data(home, coop1, make_application, make_paid_order):
    """Applications in every state, two products (one translated), paid orders, scans."""
    apps = [
        make_application(status=ApplicationStatus.GRANTED, households=3, decided=timezone.localdate()),
        make_application(status=ApplicationStatus.GRANTED, decided=timezone.localdate()),
        make_application(status=ApplicationStatus.REFUSED, households=2, decided=timezone.localdate()),
        make_application(status=ApplicationStatus.RECEIVED, households=4),
        make_application(status=ApplicationStatus.INSPECTION_PLANNED),
    ]
    first = ProductPageFactory(parent=coop1, title="Thảo quả khô")
    ProductPageFactory(parent=coop1, title="Sâm Lai Châu")
    draft = ProductPageFactory(parent=coop1, title="Chè nháp")
    draft.unpublish()
    orders = [make_paid_order("vietqr"), make_paid_order("vietqr"), make_paid_order("stripe")]
    make_paid_order("vietqr", paid=False)
    batch = BatchPageFactory(parent=first)
    today = timezone.localdate()
    ScanDay.objects.create(batch=batch, day=today, count=7)
    if today.day > 1:
        ScanDay.objects.create(batch=batch, day=today.replace(day=1), count=2)
    # Last month's scans are not this month's.
    ScanDay.objects.create(batch=batch, day=today.replace(day=1) - datetime.timedelta(days=1), count=50)
    unit = Unit.objects.create(batch=batch, serial="S0001", pin_seed="x", pin_hash="y")
    for channel in ("qr", "qr", "web", "sms"):
        UnitCheck.objects.create(unit=unit, channel=channel)
    UnitCheck.objects.create(unit=unit, channel="qr", at=timezone.now() - datetime.timedelta(days=40))
    return {"applications": apps, "orders": orders, "batch": batch}


def expected_households(apps):
    return sum(max(1, app.households.count()) for app in apps)


def test_numbers_follow_the_data(client, data):
    apps = data["applications"]
    asked = expected_households(apps)
    granted = expected_households([a for a in apps if a.status == ApplicationStatus.GRANTED])
    waiting = expected_households([a for a in apps if a.is_open])
    refused = expected_households([a for a in apps if a.status == ApplicationStatus.REFUSED])
    response = client.get("/en/commune/")
    assert response.status_code == 200
    text = page_text(response)
    assert f"{granted} of the {asked} households that asked have a code ({len(apps)} applications)" in text
    assert f"{round(granted / asked * 100)}%" in text
    assert f"Households waiting for the officer's decision: {waiting}; refused: {refused}." in text
    assert "2 products are listed in this site's shop" in text
    assert "Marketplace feeds (Google, Facebook): not yet." in text
    paid = [o for o in data["orders"] if o.paid_at]
    assert f"{len(paid)} orders paid through this site" in text
    assert "2 by bank transfer (VietQR), 1 by card" in text
    assert "100%" in text
    assert "cash sales at the market" in text
    scans = sum(ScanDay.objects.filter(day__month=timezone.localdate().month).values_list("count", flat=True))
    assert f"{scans} visits" in text
    assert "4 packages checked: 2 by scanning its QR, 1 typed on the web, 1 by SMS" in text
    for target in ("Target: 100% of the households that ask.", "at least one signature product", "80%"):
        assert target in text


def test_nothing_yet_says_so_without_dividing_by_zero(client, home):
    text = page_text(client.get("/en/commune/"))
    assert "0 of the 0 households" in text
    assert "Nothing to count yet." in text


def test_no_personal_data(client, data):
    content = client.get("/en/commune/").content.decode()
    private_data = ("Giàng A Páo", "Vàng Seo", "+84912345678", "0987000111", "Nguyễn Thị Mua", "+84911222333")
    for private in private_data:
        assert private not in content


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("", "Tiến độ"), ("/en", "The commune's progress"), ("/hmn", "")],
)
def test_in_three_languages(client, data, prefix, words):
    response = client.get(f"{prefix}/commune/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.html["lang"] == (prefix.strip("/") or "vi")
    assert words in page_text(response)


def test_plain_html_with_svg_bars_and_their_words(client, data):
    response = client.get("/en/commune/")
    html = BeautifulSoup(response.content, "html.parser")
    assert not html.find_all("script")
    bars = html.select("svg.progress-bar")
    assert len(bars) == 3
    for svg in bars:
        assert svg["aria-hidden"] == "true"
        words = svg.find_next_sibling("p")
        assert re.search(r"\d+% reached, target (100|80)%|Nothing to count yet", words.get_text())
    assert 'name="viewport"' in response.content.decode()


def test_linked_from_the_footer(client, home):
    html = BeautifulSoup(client.get("/en/commune/").content, "html.parser")
    assert html.select_one('footer a[href="/en/commune/"]')


def test_within_the_byte_budget(client, data):
    response = client.get("/en/commune/")
    assert len(gzip.compress(response.content)) < GZIP_BUDGET


def queries_for_fresh_numbers() -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.progress()
    return len(captured)


def test_queries_do_not_grow_with_the_data(data, make_application, make_paid_order, coop1):
    before = queries_for_fresh_numbers()
    for _n in range(5):
        make_application(households=2)
        make_paid_order("stripe")
        ProductPageFactory(parent=coop1)
    assert queries_for_fresh_numbers() == before <= 6


def test_second_request_served_from_the_cache(client, data, make_application, monkeypatch):
    first = page_text(client.get("/en/commune/"))
    make_application(households=9)

    def recompute():
        raise AssertionError("the numbers were computed again")

    monkeypatch.setattr(selectors, "progress", recompute)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/en/commune/")
    # What is left is the page's frame (the site and its settings), not the numbers.
    assert not [q for q in captured if "applications_" in q["sql"] or "orders_" in q["sql"]]
    assert len(captured) <= 2
    assert page_text(response) == first
    assert "public" in response["Cache-Control"]
    assert f"max-age={views.cache_seconds()}" in response["Cache-Control"]
    assert "updated every 5 minutes" in first


def test_numbers_are_fresh_once_the_cache_lets_them_go(client, data, make_application):
    client.get("/en/commune/")
    make_application(households=9)
    from django.core.cache import cache

    cache.delete(views.CACHE_KEY)
    assert "12 households that asked" not in page_text(client.get("/en/commune/"))
    asked = expected_households(data["applications"]) + 9
    assert f"of the {asked} households that asked" in page_text(client.get("/en/commune/"))


def closed_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_redis_down_still_answers_with_fresh_numbers(client, data, settings, make_application):
    """The site's Redis cache (website/cache.py) with no Redis listening: every request computes
    the numbers afresh and the page answers, never a 500."""
    settings.CACHES = {
        "default": {
            "BACKEND": "website.cache.OutageTolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": 0},
        }
    }
    response = client.get("/en/commune/")
    assert response.status_code == 200
    asked = expected_households(data["applications"])
    assert f"of the {asked} households that asked" in page_text(response)
    make_application(households=2)
    assert f"of the {asked + 2} households that asked" in page_text(client.get("/en/commune/"))


def test_the_whole_page_costs_the_same_queries_whatever_the_data(client, data, make_application, coop1):
    from django.core.cache import cache

    def queries() -> int:
        cache.delete(views.CACHE_KEY)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/commune/").status_code == 200
        return len(captured)

    queries()  # the first request of a process also looks up the site and its languages
    before = queries()
    for _n in range(10):
        make_application(households=3)
        ProductPageFactory(parent=coop1)
    assert queries() == before


def test_a_post_is_not_allowed(client, home):
    assert client.post("/commune/").status_code == 405
