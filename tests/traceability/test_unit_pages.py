"""The page of a serialised unit (/t/<short-code>/<serial>, /01/<gtin>/10/<lot>/21/<serial>):
its batch's trace page with the unit's history and a PIN form, counted once per person per day,
within the trace page's budget (DESIGN §5)."""

import gzip

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from traceability.checks import check_code
from traceability.models import ScanDay, UnitCheck

from .conftest import GTIN_8

pytestmark = pytest.mark.django_db
GZIP_BUDGET = 14_000
BROWSER = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"


def person(address="203.0.113.7", agent=BROWSER):
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent, HTTP_ACCEPT_LANGUAGE="en")


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    return " ".join(soup_of(response).get_text(" ").split())


def short_url(unit):
    return f"/t/{unit.batch.short_code}/{unit.serial}"


def gs1_url(unit):
    return f"/01/{GTIN_8}/10/{unit.batch.lot}/21/{unit.serial}"


def qr_opens(unit) -> int:
    return UnitCheck.objects.filter(unit=unit, channel="qr", pin_ok=None).count()


@pytest.mark.parametrize("url_of", [short_url, gs1_url])
def test_unit_page_shows_the_trace_page_the_unit_and_a_pin_form(unit, url_of):
    response = person().get(url_of(unit))

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find(id="verdict-heading") is not None  # the batch's trace page
    text = text_of(response)
    assert f"Package {unit.serial}" in text
    assert f"First opened on {timezone.localdate():%d/%m/%Y}; opened by 1 visitor." in text
    assert "Its PIN has never been checked." in text
    form = soup.find("input", attrs={"name": "pin"}).find_parent("form")
    assert form["method"] == "post" and form["action"] == "/check/"
    assert form.find("input", attrs={"name": "code"})["value"] == unit.serial
    assert soup.find("script") is None
    assert unit.pin not in response.content.decode()


def test_unit_page_says_when_the_pin_was_first_checked(unit):
    check_code(unit.serial, unit.pin, channel="sms")

    text = text_of(person().get(short_url(unit)))

    assert f"Its PIN was checked 1 time, first on {timezone.localdate():%d/%m/%Y}." in text


def test_opening_counts_once_per_visitor_per_day(unit):
    visitor = person()
    visitor.get(short_url(unit))
    visitor.get(short_url(unit))
    visitor.get(gs1_url(unit))
    assert qr_opens(unit) == 1

    person("198.51.100.9").get(short_url(unit))
    assert qr_opens(unit) == 2
    assert "opened by 3 visitors" in text_of(person("192.0.2.1").get(short_url(unit)))  # with this one


def test_a_zalo_preview_and_head_do_not_count(unit):
    assert person(agent="Zalo").get(short_url(unit)).status_code == 200
    assert person().head(short_url(unit)).status_code == 200
    assert person(agent="facebookexternalhit/1.1").get(short_url(unit)).status_code == 200

    assert qr_opens(unit) == 0


def test_the_batch_scan_is_counted_as_its_trace_page_counts_it(unit):
    person().get(short_url(unit))

    assert ScanDay.objects.get(batch=unit.batch).count >= 1


def test_a_void_unit_says_so_at_the_top(unit):
    unit.voided_at = timezone.now()
    unit.save()

    response = person().get(short_url(unit))
    soup = soup_of(response)
    first_heading = soup.find("main").find("h2")
    assert "Withdrawn by the producer" in first_heading.get_text()
    assert soup.find("input", attrs={"name": "pin"}) is None
    assert qr_opens(unit) == 0


def test_unknown_serial_of_a_known_batch_is_the_not_found_page(batch, unit):
    for url in (f"/t/{batch.short_code}/ACDEFGHJK", f"/01/{GTIN_8}/10/{batch.lot}/21/ACDEFGHJK"):
        response = person().get(url)
        assert response.status_code == 404, url
        assert "not in our records" in text_of(response)


def test_a_serial_of_another_batch_is_not_found(make_batch, unit):
    other = make_batch(lot="OTHER-1")

    assert person().get(f"/t/{other.short_code}/{unit.serial}").status_code == 404
    assert person().get(f"/01/{GTIN_8}/10/{other.lot}/21/{unit.serial}").status_code == 404


def test_a_lot_with_slash_21_still_reaches_its_batch(make_batch, registry):
    batch = make_batch(lot="A/21/B")

    response = person().get(f"/01/{GTIN_8}/10/A/21/B")

    assert response.status_code == 200
    assert batch.short_code in response.content.decode()


def test_batch_urls_are_unchanged(batch):
    assert person().get(f"/t/{batch.short_code}").status_code == 200
    assert person().get(f"/t/{batch.short_code}/").status_code == 200
    assert person().get(f"/01/{GTIN_8}/10/{batch.lot}").status_code == 200


def test_unit_page_of_an_unpublished_batch_is_not_found(batch, unit):
    batch.unpublish()

    assert person().get(short_url(unit)).status_code == 404


def test_unit_page_stays_within_the_budget_with_30_photographed_events(batch, unit, make_events):
    make_events(batch, 30)
    for n in range(5):
        check_code(unit.serial, unit.pin, channel="web", place=f"p{n}")

    response = person().get(short_url(unit))
    size = len(gzip.compress(response.content))

    print(f"unit page with 30 events: {len(response.content)} bytes, {size} bytes gzip")
    assert size <= GZIP_BUDGET


def count_queries(url) -> int:
    client = person()
    client.get(url)  # renditions and the day's scan row are made on the first view
    with CaptureQueriesContext(connection) as queries:
        assert person("198.51.100.77").get(url).status_code == 200
    return len(queries)


def test_unit_page_makes_a_constant_number_of_queries(make_batch, make_events, make_unit, registry):
    one, thirty = make_batch(lot="ONE"), make_batch(lot="THIRTY")
    make_events(one, 1)
    make_events(thirty, 30)
    few, many = make_unit(one), make_unit(thirty)
    for n in range(20):
        UnitCheck.objects.create(unit=many, channel="qr", place=f"p{n}")
        check_code(many.serial, many.pin, channel="web", counted=True)

    counts = [count_queries(short_url(few)), count_queries(short_url(many))]
    print(f"unit page queries: {counts}")
    assert counts[0] == counts[1]
    assert count_queries(gs1_url(few)) == count_queries(gs1_url(many))


def test_a_unit_of_a_recalled_batch_says_the_recall_before_its_own_history(batch, unit):
    """Issue 18 §5: a recalled batch "says so first", on a unit's page too."""
    batch.recalled_on = timezone.localdate()
    batch.recall_reason = "Độ ẩm cao"
    batch.save_revision().publish()

    soup = soup_of(person().get(short_url(unit)))

    first_box = soup.find("section", class_="status-box")
    assert " ".join(first_box.get_text(" ").split()).startswith("This batch has been recalled")
