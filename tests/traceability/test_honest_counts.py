"""Honest counts (issue 18, item 4): a scan is a person opening the trace page, not a page load.
Link-preview fetchers and crawlers, HEAD and prefetches get the page with the current totals and
are not counted; one browser reopening the page the same day counts once (its cookie); the next
day it counts again. The copied-label warning needs many people AND many places for the batch's
packages (selectors.scan_summary), so a lot shared in a few Zalo groups does not warn and a label
copied and sold in many markets does. A batch printed as units is judged unit by unit
(selectors.suspicious_units), and its cooperative sees which serials, on the admin dashboard."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.test import Client
from django.utils import timezone

from traceability.models import CheckChannel, ScanDay, ScanPlace, Unit, UnitCheck
from traceability.selectors import suspicious_units
from traceability.units import new_pin_seed, new_serial, pin_for, pin_hash
from traceability.visitors import SEEN_COOKIE

from .conftest import COUNTED_SCAN_QUERIES

pytestmark = pytest.mark.django_db

COPIED_LABELS = "Có thể có nhãn bị sao chép"
BROWSER = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
ZALO_BROWSER = f"{BROWSER} Zalo android/12100601 ZaloTheme/light ZaloLanguage/vn"
PREVIEW_FETCHERS = ["Zalo", "facebookexternalhit/1.1", "TelegramBot (like TwitterBot)", "WhatsApp/2.23.20.0"]


def people(batch) -> int:
    return sum(ScanDay.objects.filter(batch=batch).values_list("count", flat=True))


def places(batch) -> int:
    return ScanPlace.objects.filter(batch=batch).count()


def on_day(day: datetime.date):
    """Every local date the site reads (the count's day, the cookie's day) is `day`."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def opened_by(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(
        soup.find("dt", string="Số người đã mở trang này").find_next_sibling("dd").get_text().split()
    )


def client_get(client, batch, *, agent=BROWSER, address="198.51.100.20", **headers):
    response = client.get(f"/t/{batch.short_code}", HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **headers)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("agent", PREVIEW_FETCHERS)
def test_a_link_preview_fetch_gets_the_page_and_is_not_counted(client, batch, agent):
    client_get(client, batch)  # the person who shared it

    response = client_get(Client(), batch, agent=agent)

    assert "Thảo quả" in response.content.decode()
    assert SEEN_COOKIE not in response.cookies
    assert (people(batch), places(batch)) == (1, 1)


def test_zalos_in_app_browser_is_a_person(batch):
    client_get(Client(), batch, agent=ZALO_BROWSER)

    assert people(batch) == 1


def test_head_and_prefetch_are_not_counted(client, batch):
    assert client.head(f"/t/{batch.short_code}", HTTP_USER_AGENT=BROWSER).status_code == 200
    client_get(Client(), batch, HTTP_SEC_PURPOSE="prefetch")
    client_get(Client(), batch, HTTP_SEC_PURPOSE="prefetch;prerender")
    client_get(Client(), batch, HTTP_PURPOSE="prefetch")

    assert people(batch) == 0 and places(batch) == 0


def test_a_reload_with_the_cookie_is_not_counted_and_a_new_browser_is(client, batch):
    first = client_get(client, batch)
    client_get(client, batch)
    client_get(client, batch)
    assert people(batch) == 1
    assert first.cookies[SEEN_COOKIE]["httponly"]

    someone_else = client_get(Client(), batch)

    assert people(batch) == 2
    assert opened_by(someone_else).startswith("2 người")  # counting themselves
    assert opened_by(client_get(client, batch)).startswith("2 người")


def test_the_next_day_the_same_browser_counts_again(client, batch):
    today = timezone.localdate()
    client_get(client, batch)
    client_get(client, batch)

    with on_day(today + datetime.timedelta(days=1)):
        client_get(client, batch)
        client_get(client, batch)

    assert sorted(ScanDay.objects.filter(batch=batch).values_list("count", flat=True)) == [1, 1]
    assert places(batch) == 1  # the same place both days


def test_the_cookie_is_per_batch(client, batch, make_batch):
    other = make_batch(lot="OTHER-1")
    client_get(client, batch)

    client_get(client, other)

    assert (people(batch), people(other)) == (1, 1)


def test_the_cached_page_and_the_fresh_page_count_the_same(batch):
    # /t/ is served from the page cache after its first render; the batch's own URL always fresh.
    for url in (f"/t/{batch.short_code}", batch.url):
        ScanDay.objects.all().delete()
        one, two = Client(), Client()
        for client in (one, one, two, one, two):
            response = client.get(url, HTTP_USER_AGENT=BROWSER)
            assert response.status_code == 200
        Client().get(url, HTTP_USER_AGENT="facebookexternalhit/1.1")
        assert people(batch) == 2, url


def test_the_seen_cookie_never_goes_into_the_cached_page(client, batch):
    client_get(client, batch)  # rendered and kept
    stranger = client_get(Client(), batch)  # served from the cache

    assert SEEN_COOKIE in stranger.cookies  # counted: its own cookie, on its own response
    assert stranger.cookies[SEEN_COOKIE].value != ""
    assert stranger.cookies[SEEN_COOKIE].value not in stranger.content.decode()


def test_query_counts_of_a_counted_and_an_uncounted_cached_scan(client, batch, django_assert_num_queries):
    client_get(client, batch)  # rendered and kept

    with django_assert_num_queries(COUNTED_SCAN_QUERIES):  # a new person: counted, place kept
        client_get(Client(), batch, address="203.0.113.5")
    with django_assert_num_queries(1):  # the same browser again: the totals read, nothing more
        client_get(client, batch)
    with django_assert_num_queries(1):  # a link preview: the same
        client_get(Client(), batch, agent="facebookexternalhit/1.1")

    assert (people(batch), places(batch)) == (2, 2)


def test_a_lot_shared_in_zalo_groups_does_not_warn(make_batch, registry):
    """146 loads of a 45-pack lot: 3 people (two in one village, one in town) over 2 days,
    reloading, and Zalo's and Facebook's previews of every share."""
    batch = make_batch(lot="ZALO-45", package_count=45)
    village, town = "203.0.113.10", "198.51.100.77"
    people_here = [(Client(), village), (Client(), village), (Client(), town)]
    today = timezone.localdate()
    loads = 0
    for day in (today - datetime.timedelta(days=1), today):
        with on_day(day):
            for n in range(73):
                client, address = people_here[n % 3]
                agent = PREVIEW_FETCHERS[n % 4] if n % 5 == 0 else ZALO_BROWSER
                html = client_get(client, batch, agent=agent, address=address).content.decode()
                loads += 1

    assert loads == 146
    assert (people(batch), places(batch)) == (6, 2)
    assert COPIED_LABELS not in html


def test_a_copied_label_sold_in_many_places_warns_and_says_what_to_do(make_batch, registry):
    """200 people from 60 places over 10 days for a 45-pack lot."""
    batch = make_batch(lot="COPY-45", package_count=45)
    today = timezone.localdate()
    for n in range(200):
        with on_day(today - datetime.timedelta(days=9 - n % 10)):
            client_get(Client(), batch, address=f"100.64.{n % 60}.{n // 60 + 1}")

    html = client_get(Client(), batch, agent="facebookexternalhit/1.1").content.decode()

    assert (people(batch), places(batch)) == (200, 60)
    assert COPIED_LABELS in html
    warning = " ".join(BeautifulSoup(html, "html.parser").find("p", role="note").get_text().split())
    assert "200 người mở tại 60 nơi" in warning
    assert "giữ lại gói hàng" in warning and "báo cho" in warning


def make_units(batch, count: int) -> list[Unit]:
    units = []
    for _ in range(count):
        seed, serial = new_pin_seed(), new_serial()
        units.append(
            Unit.objects.create(
                batch=batch, serial=serial, pin_seed=seed, pin_hash=pin_hash(serial, pin_for(seed))
            )
        )
    return units


def checked(unit, *, place: str, days_ago: int = 0, channel=CheckChannel.QR, pin_ok=None):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    UnitCheck.objects.create(unit=unit, at=at, channel=channel, pin_ok=pin_ok, place=place)


def test_a_unit_batch_does_not_warn_as_a_whole(make_batch, registry):
    batch = make_batch(lot="UNITS-2", package_count=2)
    make_units(batch, 2)
    for n in range(20):
        client_get(Client(), batch, address=f"100.64.{n}.1")

    html = client_get(Client(), batch).content.decode()

    assert people(batch) == 21 and places(batch) == 21
    assert COPIED_LABELS not in html


def test_suspicious_units_are_those_checked_from_many_places_or_on_many_days(make_batch, registry):
    batch = make_batch(lot="UNITS-5", package_count=5)
    home_and_shop, travelled, pin_every_week, wrong_pins, quiet = make_units(batch, 5)
    checked(home_and_shop, place="shop")
    checked(home_and_shop, place="home", channel=CheckChannel.WEB, pin_ok=True)
    for place in ("a", "b", "c"):
        checked(travelled, place=place)
    for week in range(3):
        checked(pin_every_week, place="home", days_ago=7 * week, channel=CheckChannel.SMS, pin_ok=True)
    for place in ("a", "b", "c", "d"):  # wrong PINs and PIN-less typing prove nothing
        checked(wrong_pins, place=place, channel=CheckChannel.WEB, pin_ok=False)
        checked(wrong_pins, place=place, channel=CheckChannel.WEB)
    checked(quiet, place="home", days_ago=1, pin_ok=True, channel=CheckChannel.WEB)
    checked(quiet, place="home", pin_ok=True, channel=CheckChannel.WEB)

    found = {unit.serial: (unit.places, unit.pin_days) for unit in suspicious_units(batch)}

    assert found == {travelled.serial: (3, 0), pin_every_week.serial: (1, 3)}


def test_suspicious_unit_limits_follow_the_settings(make_batch, registry, settings):
    settings.TRACE_UNIT_PLACES = 1
    batch = make_batch(lot="UNITS-1", package_count=1)
    (unit,) = make_units(batch, 1)
    checked(unit, place="shop")
    checked(unit, place="home")

    assert list(suspicious_units(batch)) == [unit]


@pytest.fixture
def copied_unit(make_batch, registry):
    batch = make_batch(lot="UNITS-COPY", package_count=3)
    copied, fine, _ = make_units(batch, 3)
    for place in ("a", "b", "c", "d"):
        checked(copied, place=place)
    checked(fine, place="a")
    return copied


def dashboard(client, user=None):
    if user is not None:
        client.force_login(user)
    return client.get("/admin/")


def test_the_cooperative_sees_which_units_were_copied(client, copied_unit, coop1_editor):
    html = dashboard(client, coop1_editor).content.decode()

    panel = BeautifulSoup(html, "html.parser").find(
        "section", attrs={"aria-labelledby": "suspicious-scans-heading"}
    )
    assert panel is not None
    assert [tag.get_text() for tag in panel.select(".suspicious-serial")] == [copied_unit.serial]
    assert "UNITS-COPY" in panel.get_text()
    assert pin_for(copied_unit.pin_seed) not in html
    assert copied_unit.pin_hash not in html


def test_other_cooperatives_and_anonymous_do_not_see_the_units(client, copied_unit, coop2_editor):
    assert dashboard(client).status_code == 302  # to the login page
    html = dashboard(client, coop2_editor).content.decode()

    assert "suspicious-scans-heading" not in html
    assert copied_unit.serial not in html
    assert list(suspicious_units(coop2_editor)) == []


def test_other_cooperatives_do_not_see_a_suspicious_batch(
    client, make_batch, registry, coop1_editor, coop2_editor
):
    batch = make_batch(lot="COPIED-2", package_count=2)
    ScanDay.objects.create(batch=batch, day=timezone.localdate(), count=7)
    ScanPlace.objects.bulk_create(
        [ScanPlace(batch=batch, place=f"p{n}", first_day=timezone.localdate()) for n in range(3)]
    )

    assert "COPIED-2" in dashboard(client, coop1_editor).content.decode()
    client.logout()
    html = dashboard(client, coop2_editor).content.decode()
    assert "COPIED-2" not in html and "suspicious-scans-heading" not in html


ROBOTS = [
    "Zalo",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0 A",
    "TelegramBot (like TwitterBot)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) Discordbot/2.0",
    "curl/8.5.0",
]
PEOPLE = [
    BROWSER,
    ZALO_BROWSER,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile Safari/604.1",
    "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/119.0 Mobile [FB_IAB/FB4A;FBAV/442.0]",
    "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 [FBAN/MessengerForiOS;FBAV/440.0]",
    "",  # no User-Agent at all: counted (the trace rate limit bounds what a script adds)
]


@pytest.mark.parametrize("agent", ROBOTS)
def test_robots_are_not_people(rf, agent):
    from traceability.visitors import counts_as_person

    assert not counts_as_person(rf.get("/t/X", HTTP_USER_AGENT=agent))


@pytest.mark.parametrize("agent", PEOPLE)
def test_browsers_in_apps_are_people(rf, agent):
    from traceability.visitors import counts_as_person

    assert counts_as_person(rf.get("/t/X", HTTP_USER_AGENT=agent))
