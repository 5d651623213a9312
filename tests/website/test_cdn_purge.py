"""What a CDN is asked to drop. Wagtail's frontend cache purges a published page's own URL;
beyond it, a CDN must drop what a growing-area code's status or a batch's recall changes
(website/cdn.py, growers/cdn.py, traceability/cdn.py, products/signal_handlers.py): the registry
in every language, the products citing a code and the API, once the change is committed. A
batch's trace pages count a scan on every view: no CDN may keep them, and none is asked to purge
them. Purges go to a recorded HTTP PURGE backend."""

import datetime
import re
from contextlib import contextmanager
from unittest import mock
from urllib.parse import quote

import pytest

from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from growers import cdn as growers_cdn
from growers.factories import GrowingAreaFactory, revoke, suspend
from products import signal_handlers as products_signal_handlers
from products.factories import ProductPageFactory, ProductVariantFactory
from traceability import cdn as traceability_cdn
from traceability.factories import BatchPageFactory
from traceability.recall import cancel_recall, recall_batch
from website import cdn

pytestmark = pytest.mark.django_db

HTTP_PURGE = {
    "http": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://cdn-purge.invalid:6081",
    }
}
# The test site's root URL (tests/conftest.py) and WAGTAILADMIN_BASE_URL (settings/test.py): what
# labels print. Language-neutral addresses are purged under both.
SITE = "http://localhost"
BASES = (SITE, "http://testserver")
GTIN_A, GTIN_B = "96385074", "8931234567897"
LANGUAGES = ("", "/en", "/hmn")


@contextmanager
def cdn_configured():
    """With a CDN configured: the list of URLs it is asked to purge. Used around the change
    alone, so that what the test builds beforehand (in the test's own transaction, which never
    commits) is not waiting to be purged with it."""
    urls = []

    def record(self, url):
        urls.append(url)

    with (
        override_settings(WAGTAILFRONTENDCACHE=HTTP_PURGE),
        mock.patch("wagtail.contrib.frontend_cache.backends.HTTPBackend.purge", record),
    ):
        yield urls


def test_publishing_a_page_purges_its_address_from_the_cdn(shop):
    with cdn_configured() as purged:
        shop.title = "Cửa hàng của xã"
        shop.save_revision().publish()

    assert any(url.endswith("/shop/") for url in purged), purged


def test_without_a_cdn_configured_publishing_purges_nothing(shop):
    with mock.patch("wagtail.contrib.frontend_cache.backends.HTTPBackend.purge") as purge:
        shop.save_revision().publish()

    purge.assert_not_called()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Around a change: a CDN configured, and the change's on-commit callbacks run at the end as
    when its transaction commits. Yields the purged URLs (filled as the block ends)."""

    @contextmanager
    def run():
        with cdn_configured() as urls, django_capture_on_commit_callbacks(execute=True):
            yield urls

    return run


@pytest.fixture
def product(coop1):
    product = ProductPageFactory(parent=coop1, slug="thao-qua-kho")
    ProductVariantFactory(page=product, gtin=GTIN_A)
    # A pack no longer on sale still has labels in circulation.
    ProductVariantFactory(page=product, gtin=GTIN_B, is_active=False)
    return product


@pytest.fixture
def area(db):
    return GrowingAreaFactory(code="VN-SLL-0001")


@pytest.fixture
def make_batch(product):
    def make(*areas, lot, parent=None):
        batch = BatchPageFactory(
            parent=parent or product, lot=lot, slug=re.sub(r"[^a-z0-9-]", "-", lot.lower())
        )
        batch.growing_areas.set(areas)
        batch.save_revision().publish()
        batch.refresh_from_db()
        return batch

    return make


def gtin14(gtin: str) -> str:
    return gtin.zfill(14)


def trace_urls(batch, gtins=(GTIN_A, GTIN_B)) -> set[str]:
    lot = quote(batch.lot, safe="")
    paths = [f"/t/{batch.short_code}", *(f"/01/{gtin14(gtin)}/10/{lot}" for gtin in gtins)]
    return {base + path for base in BASES for path in paths}


def api_urls(batch) -> set[str]:
    paths = [f"/api/v1/batches/{batch.short_code}", f"/api/v1/batches/{batch.short_code}/epcis"]
    return {base + path for base in BASES for path in paths}


def registry_urls(code: str) -> set[str]:
    return {
        SITE + prefix + path
        for prefix in LANGUAGES
        for path in ("/growing-areas/", f"/growing-areas/{code}/")
    } | {base + f"/api/v1/growing-areas/{code}" for base in BASES}


def in_every_language(page) -> set[str]:
    path = page.get_url()
    return {SITE + prefix + path for prefix in LANGUAGES}


def scan_counting_urls(batch) -> set[str]:
    """Where a view counts a scan of the batch: never kept by a CDN, so never purged."""
    return trace_urls(batch) | in_every_language(batch)


# A status change ---------------------------------------------------------------------------------


def test_suspending_a_code_purges_its_registry_pages_in_every_language_and_every_citing_batch(
    committed, registry, area, make_batch
):
    first = make_batch(area, lot="TQ2026-01")
    second = make_batch(area, GrowingAreaFactory(code="VN-SLL-0002"), lot="TQ/2026+02")
    other = make_batch(GrowingAreaFactory(code="VN-SLL-0003"), lot="TQ2026-03")

    with committed() as purged:
        suspend(area)
        assert purged == [], "purged before the commit: the CDN could fetch the old state again"

    assert registry_urls("VN-SLL-0001") <= set(purged)
    for batch in (first, second):
        assert api_urls(batch) <= set(purged)
        assert not scan_counting_urls(batch) & set(purged)
    assert not any(other.short_code in url or other.lot in url for url in purged)
    assert not any("VN-SLL-0002" in url for url in purged)
    # One purge request per address, however many times the transaction saved the area.
    assert len(purged) == len(set(purged))


def test_revoking_a_code_through_the_officers_admin_view_purges_it(
    client, committed, officer, registry, area, make_batch
):
    batch = make_batch(area, lot="TQ2026-01")
    client.force_login(officer)
    data = {
        "reason": "Vùng trồng đã bỏ hoang",
        "effective_date": timezone.localdate().isoformat(),
        "confirm": "on",
    }

    with committed() as purged:
        response = client.post(reverse("growing_areas:revoke", args=(area.pk,)), data)

    assert response.status_code == 302
    area.refresh_from_db()
    assert area.status == "revoked"
    assert registry_urls("VN-SLL-0001") | api_urls(batch) <= set(purged)


def test_products_citing_a_code_are_purged_with_it(committed, registry, area, product):
    product.origin_areas.add(area)
    product.save_revision().publish()

    with committed() as purged:
        suspend(area)

    assert in_every_language(product) <= set(purged)


def test_an_edit_of_a_code_purges_it_and_a_renamed_code_its_old_address(
    committed, registry, area, make_batch
):
    batch = make_batch(area, lot="TQ2026-01")

    with committed() as purged:
        area.valid_until = timezone.localdate() + datetime.timedelta(days=30)
        area.save()
    assert registry_urls("VN-SLL-0001") | api_urls(batch) <= set(purged)

    with committed() as purged:
        area.code = "VN-SLL-0100"
        area.save()
    assert registry_urls("VN-SLL-0001") | registry_urls("VN-SLL-0100") | api_urls(batch) <= set(purged)


def test_deleting_a_code_purges_it_and_the_batches_that_cited_it(committed, registry, area, make_batch):
    batch = make_batch(area, lot="TQ2026-01")

    with committed() as purged:
        area.delete()

    assert registry_urls("VN-SLL-0001") | api_urls(batch) <= set(purged)


def test_nothing_is_purged_when_the_transaction_rolls_back(committed, registry, area, make_batch):
    batch = make_batch(area, lot="TQ2026-01")

    with committed() as purged, pytest.raises(RuntimeError), transaction.atomic():
        suspend(area)
        raise RuntimeError("the officer's request failed after the change")
    assert purged == []

    # A later change, in the same connection, still purges.
    area.refresh_from_db()
    with committed() as purged:
        revoke(area)
    assert api_urls(batch) <= set(purged)


# A recall ----------------------------------------------------------------------------------------


def test_a_recall_and_its_cancellation_purge_the_batchs_trace_pages_and_api(
    committed, registry, area, make_batch, officer
):
    batch = make_batch(area, lot="TQ2026-01")
    other = make_batch(area, lot="TQ2026-02")
    expected = api_urls(batch)

    with committed() as purged:
        recall_batch(batch=batch, recalled_on=timezone.localdate(), reason="Nấm mốc", user=officer)
        assert not (expected & set(purged)), "purged before the commit"
    assert expected <= set(purged)
    assert not scan_counting_urls(batch) & set(purged)
    assert not any(other.short_code in url for url in purged)
    # The registry does not show recalls.
    assert not any("growing-areas" in url for url in purged)

    with committed() as purged:
        cancel_recall(batch=batch, reason="Kiểm nghiệm lại đạt", user=officer)
    assert expected <= set(purged)


def test_a_recall_of_a_batch_with_a_draft_in_progress_purges_too(
    committed, registry, area, make_batch, officer
):
    """The draft is not published (traceability/recall.py), so no page_published to hear."""
    batch = make_batch(area, lot="TQ2026-01")
    draft = type(batch).objects.get(pk=batch.pk)
    draft.title = "Tiêu đề nháp"
    draft.save_revision()

    with committed() as purged:
        recall_batch(batch=batch, recalled_on=timezone.localdate(), reason="Nấm mốc", user=officer)

    assert api_urls(batch) <= set(purged)


def test_publishing_a_batch_purges_its_api_and_none_of_its_trace_pages(committed, registry, area, make_batch):
    """A recall entered by the cooperative in the page editor reaches the CDN as a publish."""
    batch = make_batch(area, lot="TQ2026-01")

    with committed() as purged:
        batch.recalled_on, batch.recall_reason = timezone.localdate(), "Nấm mốc"
        batch.save_revision().publish()

    assert api_urls(batch) <= set(purged)
    # Not even Wagtail's own purge of a published page: its page counts scans too.
    assert not scan_counting_urls(batch) & set(purged)


def test_trace_pages_tell_every_cache_not_to_keep_them(client, registry, area, make_batch):
    """A CDN's copy would answer a scan without counting it."""
    batch = make_batch(area, lot="TQ2026-01")
    lot = quote(batch.lot, safe="")
    for url in (
        f"/t/{batch.short_code}",
        f"/t/{batch.short_code}",  # the second answer comes from the page cache
        f"/01/{gtin14(GTIN_A)}/10/{lot}",
        batch.get_url(),
        f"/en{batch.get_url()}",
        "/t/KHONGCO",  # an unknown code counts against the client's guesses
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}, url


# Without a CDN, and the cost ---------------------------------------------------------------------


def test_without_a_cdn_nothing_is_sent_nor_queried(
    registry, area, make_batch, officer, django_capture_on_commit_callbacks, django_assert_num_queries
):
    batch = make_batch(area, lot="TQ2026-01")
    with (
        mock.patch("wagtail.contrib.frontend_cache.backends.HTTPBackend.purge") as purge,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        suspend(area)
        recall_batch(batch=batch, recalled_on=timezone.localdate(), reason="Nấm mốc", user=officer)
        with django_assert_num_queries(0):
            growers_cdn.purge_growing_area_on_commit(area)
            traceability_cdn.purge_batch_on_commit(batch)
            growers_cdn.growing_area_before_save(type(area), area)
            traceability_cdn.growing_area_before_delete(type(area), area)
            products_signal_handlers.growing_area_before_delete(type(area), area)

    purge.assert_not_called()
    assert not [callback for callback in callbacks if getattr(callback, "__module__", "") == cdn.__name__]


def test_the_queries_do_not_grow_with_the_number_of_batches(
    registry, product, coop1, make_batch, django_capture_on_commit_callbacks
):
    one, several = GrowingAreaFactory(code="VN-SLL-0011"), GrowingAreaFactory(code="VN-SLL-0012")
    make_batch(one, lot="TQ2026-11")
    other_product = ProductPageFactory(parent=coop1)
    ProductVariantFactory(page=other_product, gtin="4006381333931")
    for n in range(4):
        make_batch(several, lot=f"TQ2026-2{n}", parent=product if n % 2 else other_product)

    def queries_on_commit(area) -> int:
        """Queries run on commit to gather the addresses a status change has made stale."""
        with django_capture_on_commit_callbacks() as callbacks:
            suspend(area)
        with CaptureQueriesContext(connection) as queries:
            for callback in callbacks:
                callback()
        return len(queries)

    with cdn_configured() as purged:
        # Site root paths and locale ids, cached after their first use.
        queries_on_commit(GrowingAreaFactory(code="VN-SLL-0010"))
        for_one = queries_on_commit(one)
        for_several = queries_on_commit(several)

    assert for_one == for_several > 0
    assert sum(url.endswith("/epcis") for url in purged) == 5 * len(BASES)
    assert not any("/t/" in url or "/01/" in url for url in purged)


# With a worker (BACKGROUND_TASKS=database) ---------------------------------------------------------


def test_with_a_worker_the_officer_waits_for_no_cdn_and_the_worker_purges(
    registry, area, make_batch, officer, task_queue
):
    batch = make_batch(area, lot="TQ2026-01")
    expected = api_urls(batch)

    with cdn_configured() as purged:
        recall_batch(batch=batch, recalled_on=timezone.localdate(), reason="Nấm mốc", user=officer)
        # The recall is committed and the officer has their answer; the CDN has not been asked yet.
        assert purged == []
        assert "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task" in task_queue.waiting()

        task_queue.work()

    assert expected <= set(purged)
    assert task_queue.waiting() == []
