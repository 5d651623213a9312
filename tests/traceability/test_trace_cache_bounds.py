"""The trace pages read no query parameter, so none makes a cached copy of its own
(website/page_cache.py): GS1 Digital Link attributes (?17=261231, the best-before a label may
carry) and made-up parameters are accepted and ignored, every scan is still counted, and a
stranger cannot fill the cache with one copy per query string."""

import pytest

from tests.page_cache_keys import record_cache_keys
from traceability.models import ScanDay

from .conftest import COUNTED_SCAN_QUERIES, GTIN_8

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_keys(settings):
    return record_cache_keys(settings).keys_written


def test_gs1_attributes_and_made_up_parameters_share_the_trace_pages_copy(
    client, batch, cache_keys, django_assert_num_queries
):
    client.get(f"/01/{GTIN_8}/10/{batch.lot}")
    client.cookies.clear()
    client.get(f"/t/{batch.short_code}")
    kept = set(cache_keys)

    for number in range(25):
        client.cookies.clear()  # a new person each time, counted
        with django_assert_num_queries(COUNTED_SCAN_QUERIES):  # counted, and served from the cache
            gs1 = client.get(f"/01/{GTIN_8}/10/{batch.lot}?17={261200 + number}&3103={number}")
        client.cookies.clear()
        with django_assert_num_queries(COUNTED_SCAN_QUERIES):
            short = client.get(f"/t/{batch.short_code}?junk={number}")
        assert gs1.status_code == short.status_code == 200

    assert cache_keys == kept
    assert ScanDay.objects.get(batch=batch).count == 52


def test_a_copy_rendered_for_a_query_does_not_show_it_to_others(client, batch, django_assert_num_queries):
    client.get(f"/t/{batch.short_code}?utm_source=zalo&tracking=abc123")

    with django_assert_num_queries(1):
        html = client.get(f"/t/{batch.short_code}").content.decode()

    # Not in the language switcher's links nor in the add-to-cart form's way back.
    assert "zalo" not in html and "abc123" not in html
    assert f'name="next" value="/t/{batch.short_code}"' in html
