"""The page cache is bounded (website/page_cache.py): only the query parameters the catalogue
understands make a distinct cached copy, each only with a value from its vocabulary. A stranger
adding made-up parameters, reordering them or trying values that do not exist gets a correct
page but does not fill the cache; searches and prices (values without end) are answered fresh
and not kept."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import soup
from tests.page_cache_keys import record_cache_keys

KHO = "Thảo quả khô"
RUNG = "Thảo quả rừng già"
SAM = "Sâm Lai Châu"
CHE = "Chè Shan tuyết cổ thụ"
MAT = "Mật ong bạc hà"
FEATURED = [RUNG, KHO, MAT, SAM, CHE]

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def cache_keys(settings):
    return record_cache_keys(settings).keys_written


def visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    listed = [title.get_text(strip=True) for title in soup(response).select(".cards .card-title")]
    return response.content.decode(), listed, len(queries)


def test_fifty_made_up_parameters_share_the_catalogues_one_copy(client, cache_keys):
    plain, listed, fresh_queries = visit(client, "/shop/")
    kept_after_one_visit = set(cache_keys)

    for number in range(50):
        html, _, queries = visit(client, f"/shop/?x={number}&utm_source=zalo{number}&ocop[]={number}")
        assert queries == 0, number  # the plain catalogue's copy
        assert html == plain

    assert listed == FEATURED and fresh_queries > 0
    assert cache_keys == kept_after_one_visit


def test_a_copy_rendered_for_made_up_parameters_does_not_show_them_to_others(client):
    visit(client, "/shop/?utm_source=zalo&tracking=abc123")

    html, listed, queries = visit(client, "/shop/")

    assert queries == 0
    assert listed == FEATURED
    # Not in the language switcher's links, the pagination or the filter form.
    assert "zalo" not in html and "abc123" not in html
    assert '<details class="more">' in html  # the refinements stay folded: none is used


def test_reordered_repeated_and_empty_parameters_share_a_copy(client, cache_keys):
    _, listed, _ = visit(client, "/shop/?category=gia-vi&ordering=price")
    kept = set(cache_keys)

    for url in [
        "/shop/?ordering=price&category=gia-vi",
        "/shop/?category=che&category=gia-vi&ordering=price",  # the page reads the last value
        # As the filter form sends it: every field, most of them empty.
        "/shop/?q=&category=gia-vi&cooperative=&certification=&ocop=&min_price=&max_price=&ordering=price",
    ]:
        _, listed_again, queries = visit(client, url)
        assert queries == 0, url
        assert listed_again == listed == [KHO, RUNG]
    assert cache_keys == kept


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("category=che", [CHE]),
        ("cooperative=htx-che-shan-tuyet", [MAT, CHE]),
        ("certification=organic", [RUNG]),
        ("ocop=4", [RUNG, KHO]),
        ("in_stock=on", [KHO, MAT, SAM, CHE]),
        ("ordering=-price", [SAM, RUNG, CHE, KHO, MAT]),
        ("page=2", [MAT, SAM]),
        ("ordering=price&in_stock=on&page=2", [CHE, SAM]),
    ],
)
def test_each_known_parameter_has_its_own_cached_copy(client, settings, parameter, expected):
    settings.CATALOGUE_PAGE_SIZE = 2 if "page=" in parameter else 12
    visit(client, "/shop/")

    _, first, fresh_queries = visit(client, f"/shop/?{parameter}")
    _, again, cached_queries = visit(client, f"/shop/?{parameter}&junk=1")

    assert first == again == expected
    assert fresh_queries > 0 and cached_queries == 0


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("category=khong-co", FEATURED),
        ("cooperative=khong-co", FEATURED),
        ("certification=khong-co", FEATURED),
        ("ocop=9", FEATURED),
        ("ordering=cheapest", FEATURED),
        ("in_stock=maybe", [KHO, MAT, SAM, CHE]),  # ticked, but not as the form sends it
        ("page=abc", [RUNG, KHO]),  # the first page
        ("page=99", [CHE]),  # the last page
        ("page=01", [RUNG, KHO]),
    ],
)
def test_a_value_outside_its_vocabulary_is_answered_but_not_kept(
    client, settings, cache_keys, parameter, expected
):
    settings.CATALOGUE_PAGE_SIZE = 2 if "page=" in parameter else 12
    visit(client, "/shop/")
    kept = set(cache_keys)

    for attempt in range(3):
        _, listed, queries = visit(client, f"/shop/?{parameter}")
        assert listed == expected, attempt
        assert queries > 0, attempt  # rendered afresh each time

    assert cache_keys == kept


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("q=mat+ong", [MAT]),
        ("q=thao+qua&category=gia-vi", [RUNG, KHO]),
        ("min_price=150000", [RUNG, SAM, CHE]),
        ("max_price=100.000", [MAT]),
        ("min_price=abc", FEATURED),
    ],
)
def test_searches_and_prices_are_answered_but_not_kept(client, cache_keys, parameter, expected):
    visit(client, "/shop/")
    kept = set(cache_keys)

    for attempt in range(3):
        _, listed, queries = visit(client, f"/shop/?{parameter}")
        assert listed == expected, attempt
        assert queries > 0, attempt

    assert cache_keys == kept


def test_made_up_parameters_on_the_home_page_share_its_copy(client, cache_keys):
    plain, _, _ = visit(client, "/")
    kept = set(cache_keys)

    for number in range(20):
        html, _, queries = visit(client, f"/?fbclid={number}")
        assert queries == 0 and html == plain, number
    visit(client, "/?category=che")  # the catalogue's parameter means nothing here

    assert cache_keys == kept
