"""Scan counts: each person opening a trace page counts once, per batch per local day (the
browser's cookie; tests/traceability/test_honest_counts.py for who counts), with no lost updates
under concurrent scans; past a multiple of the package count, from more places than packages,
copied labels are suspected, on the page and for the cooperative in the admin."""

import datetime
import threading

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.utils import timezone

from traceability.models import BatchPage, ScanDay, ScanPlace
from traceability.selectors import batches_with_suspicious_scans
from traceability.services import count_scan, record_scan
from website.factories import UserFactory

TODAY = timezone.localdate()
COPIED_LABELS = "Có thể có nhãn bị sao chép"


def total_scans(batch) -> int:
    return sum(ScanDay.objects.filter(batch=batch).values_list("count", flat=True))


def scanned_from(batch, places: int, people: int | None = None, day=TODAY) -> None:
    """`people` (default: as many as places) opened the batch's page from `places` places."""
    ScanDay.objects.create(batch=batch, day=day, count=places if people is None else people)
    ScanPlace.objects.bulk_create(
        [ScanPlace(batch=batch, place=f"place{n:011d}", first_day=day) for n in range(places)]
    )


def test_each_person_opening_the_trace_page_counts_once(client, batch):
    client.get(f"/t/{batch.short_code}")
    client.cookies.clear()  # another person
    client.get(f"/01/96385074/10/{batch.lot}")

    assert list(ScanDay.objects.filter(batch=batch).values_list("day", "count")) == [(TODAY, 2)]


def test_head_request_is_not_counted(client, batch):
    assert client.head(f"/t/{batch.short_code}").status_code == 200

    assert not ScanDay.objects.filter(batch=batch).exists()


def test_unknown_code_counts_nothing(client, batch):
    client.get("/t/ACDEFG34")

    assert not ScanDay.objects.exists()


def test_view_of_the_batch_page_url_shows_the_trace_page_and_counts_too(client, batch):
    response = client.get(batch.url)

    assert "traceability/trace_page.html" in [t.name for t in response.templates]
    assert total_scans(batch) == 1


def test_admin_preview_of_a_batch_is_not_counted(client, batch):
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))

    assert client.get(f"/admin/pages/{batch.pk}/view_draft/").status_code == 200
    assert not ScanDay.objects.exists()


def test_scans_are_kept_one_row_per_batch_per_day(batch, make_batch):
    other = make_batch(lot="OTHER")
    yesterday = TODAY - datetime.timedelta(days=1)

    record_scan(batch_id=batch.pk, day=yesterday)
    record_scan(batch_id=batch.pk, day=yesterday)
    record_scan(batch_id=batch.pk)
    record_scan(batch_id=other.pk)

    assert list(ScanDay.objects.filter(batch=batch).values_list("day", "count")) == [
        (yesterday, 2),
        (TODAY, 1),
    ]
    assert total_scans(other) == 1


def test_a_scan_counts_today_and_reads_the_total_of_every_day(batch, django_assert_num_queries):
    yesterday = TODAY - datetime.timedelta(days=1)
    record_scan(batch_id=batch.pk, day=yesterday)
    record_scan(batch_id=batch.pk, day=yesterday)
    record_scan(batch_id=batch.pk)

    with django_assert_num_queries(1):
        shown = count_scan(batch_id=batch.pk, package_count=10)  # no place: nothing to add

    assert (shown["total"], shown["first_day"]) == (4, yesterday)
    counts = ScanDay.objects.filter(batch=batch).values_list("day", "count")
    assert list(counts) == [(yesterday, 2), (TODAY, 2)]


def test_page_shows_the_scan_count_and_first_scan_date(client, batch):
    record_scan(batch_id=batch.pk, day=datetime.date(2026, 1, 15))

    soup = BeautifulSoup(client.get(f"/t/{batch.short_code}").content, "html.parser")
    scans = soup.find("dt", string="Số người đã mở trang này").find_next_sibling("dd")

    assert " ".join(scans.get_text().split()) == "2 người, lần đầu ngày 15/01/2026"
    assert scans.time["datetime"] == "2026-01-15"


def test_copied_label_warning_needs_more_people_than_the_multiple_and_more_places_than_packages(
    client, make_batch, registry
):
    # Changed on purpose (issue 18): scans alone used to warn; now places must pass the packages too.
    batch = make_batch(package_count=2)
    scanned_from(batch, places=2, people=5)

    # The 6th person, from a 3rd place: 3 × 2 packages, not more.
    assert (
        COPIED_LABELS not in client.get(f"/t/{batch.short_code}", REMOTE_ADDR="198.51.100.9").content.decode()
    )
    client.cookies.clear()
    html = client.get(f"/t/{batch.short_code}", REMOTE_ADDR="198.51.100.9").content.decode()
    assert COPIED_LABELS in html
    assert "đã được 7 người mở tại 3 nơi" in html


def test_many_people_from_few_places_do_not_warn(client, make_batch, registry):
    batch = make_batch(package_count=2)
    scanned_from(batch, places=1, people=50)  # with this one, 2 places: not more than 2 packages

    assert COPIED_LABELS not in client.get(f"/t/{batch.short_code}").content.decode()


def test_warning_multiple_follows_the_setting(client, make_batch, registry, settings):
    settings.TRACE_SCAN_WARNING_MULTIPLE = 1
    batch = make_batch(package_count=2)
    scanned_from(batch, places=3)

    assert COPIED_LABELS in client.get(f"/t/{batch.short_code}").content.decode()


def test_batch_without_package_count_never_warns(client, make_batch, registry):
    batch = make_batch(package_count=0)
    scanned_from(batch, places=1000)

    assert COPIED_LABELS not in client.get(f"/t/{batch.short_code}").content.decode()


def test_admin_selector_lists_suspicious_batches_only_to_their_editors(batch, make_batch):
    quiet = make_batch(lot="QUIET", package_count=10)
    crowded = make_batch(lot="CROWDED", package_count=10)  # many people, few places
    scanned_from(batch, places=batch.package_count + 1, people=batch.package_count * 3 + 1)
    scanned_from(quiet, places=5)
    scanned_from(crowded, places=3, people=500)
    admin = UserFactory(username="boss", is_superuser=True, is_staff=True)
    stranger = UserFactory(username="stranger")

    suspicious = list(batches_with_suspicious_scans(admin))

    assert suspicious == [BatchPage.objects.get(pk=batch.pk)]
    assert suspicious[0].total_scans == batch.package_count * 3 + 1
    assert suspicious[0].total_places == batch.package_count + 1
    assert list(batches_with_suspicious_scans(stranger)) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent scans need PostgreSQL; SQLite serialises writers (set DATABASE_URL to run this)",
)
def test_concurrent_scans_are_never_lost_and_each_buyer_sees_their_own(home, coop1):
    from products.factories import ProductPageFactory
    from traceability.factories import BatchPageFactory

    batch = BatchPageFactory(parent=ProductPageFactory(parent=coop1))
    yesterday = TODAY - datetime.timedelta(days=1)
    ScanDay.objects.create(batch=batch, day=yesterday, count=5)
    record_scan(batch_id=batch.pk)  # today's row exists, as after the day's first scan
    threads_count, scans_each = 8, 25
    barrier = threading.Barrier(threads_count)
    errors, shown = [], []

    def scan():
        try:
            barrier.wait()
            for _ in range(scans_each):
                # What the trace page does: count this scan and read the totals it shows.
                shown.append(count_scan(batch_id=batch.pk, package_count=batch.package_count))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own; CONN_MAX_AGE would keep it open

    threads = [threading.Thread(target=scan) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    scans = threads_count * scans_each
    assert list(ScanDay.objects.filter(batch=batch).order_by("day").values_list("count", flat=True)) == [
        5,
        1 + scans,
    ]
    # Every scan is counted in what its buyer sees, and no two buyers see the same total.
    assert sorted(totals["total"] for totals in shown) == list(range(5 + 1 + 1, 5 + 1 + scans + 1))
    assert {totals["first_day"] for totals in shown} == {yesterday}


def test_cooperative_sees_the_copied_label_warning_on_the_admin_dashboard(client, batch):
    people, places = batch.package_count * 3 + 1, batch.package_count + 1
    scanned_from(batch, places=places, people=people)
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))

    html = client.get("/admin/").content.decode()

    assert "suspicious-scans-heading" in html
    assert f"(lô {batch.lot}): {people} người tại {places} nơi / {batch.package_count} gói" in html
    assert "Có thể có nhãn bị sao chép đang lưu hành" in html and "⚠" not in html
