"""An attacker hammering a genuine batch's page to make its scan count say "labels may have been
copied": every address that counts a scan is limited as /t/ is, sharing one count per client, so
the count stops growing at the limit; other buyers still scan. The attacker here drops the "seen"
cookie on every request (as a script would): a browser keeping it is counted once a day anyway."""

import pytest

from django.test import override_settings

from traceability.models import ScanDay

LIMITS = {"trace": (5, 60), "trace_miss": (100, 600)}
ATTACKER = "203.0.113.77"


@pytest.fixture(autouse=True)
def limits_on(db):
    with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS):
        yield


def total_scans(batch) -> int:
    return sum(ScanDay.objects.filter(batch=batch).values_list("count", flat=True))


def fresh_get(client, url, **extra):
    """A request without the cookie that remembers what this browser was counted for today."""
    client.cookies.clear()
    return client.get(url, **extra)


@pytest.mark.parametrize("language", ["", "/en", "/hmn"])
def test_hammering_a_batch_page_is_refused_and_stops_counting_scans(client, batch, language):
    url = f"{language}{batch.url}"
    answers = [fresh_get(client, url, REMOTE_ADDR=ATTACKER).status_code for _ in range(12)]

    assert answers[:5] == [200] * 5
    assert set(answers[5:]) == {429}
    assert total_scans(batch) == 5


def test_hammering_through_every_scan_address_shares_one_limit(client, batch):
    urls = [batch.url, f"/t/{batch.short_code}", f"/01/96385074/10/{batch.lot}", f"/en{batch.url}"]
    answers = [fresh_get(client, urls[n % 4], REMOTE_ADDR=ATTACKER).status_code for n in range(12)]

    assert answers.count(200) == 5
    assert total_scans(batch) == 5


def test_a_buyer_elsewhere_still_scans_while_the_batch_page_is_hammered(client, batch):
    for _ in range(8):
        fresh_get(client, batch.url, REMOTE_ADDR=ATTACKER)

    buyer = fresh_get(client, batch.url, REMOTE_ADDR="198.51.100.20")

    assert buyer.status_code == 200
    assert total_scans(batch) == 6


def test_reading_a_batch_through_the_api_counts_no_scan(client, batch):
    assert client.get(f"/api/v1/batches/{batch.short_code}", REMOTE_ADDR=ATTACKER).status_code == 200

    assert total_scans(batch) == 0


def test_a_browser_keeping_its_cookie_is_counted_once_however_often_it_reloads(client, batch):
    answers = [client.get(batch.url, REMOTE_ADDR=ATTACKER).status_code for _ in range(5)]

    assert answers == [200] * 5
    assert total_scans(batch) == 1
