"""The catalogue served from the page cache (website/page_cache.py): a repeat visit skips the
catalogue's queries and rendering, each address (filters) and language has its own page, and a
published change or a sale that sells a pack out shows at once (what else changes and what
stays cached: tests/traceability/test_page_cache_targets.py)."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.services import reserve_stock
from products.factories import ProductPageFactory, ProductVariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(coop1, shop, spices):
    made = []
    for number, title in enumerate(["Thảo quả khô", "Sâm Lai Châu", "Mật ong rừng"], start=1):
        product = ProductPageFactory(parent=coop1, title=title, category=spices)
        ProductVariantFactory(page=product, price=100_000 * number, stock=1)
        made.append(product)
    return made


def visit(client, url="/shop/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_repeat_visit_is_served_from_the_cache(client, products):
    first, fresh_queries = visit(client)
    second, cached_queries = visit(client)

    assert second == first
    assert fresh_queries > 8
    # Answered before Wagtail finds the site, the locale and the page: the database is not asked.
    assert cached_queries == 0


def test_each_filter_and_language_has_its_own_page(client, products):
    everything, _ = visit(client)
    honey, _ = visit(client, "/shop/?q=mat+ong")
    english, _ = visit(client, "/en/shop/")

    assert "Sâm Lai Châu" in everything and "Sâm Lai Châu" not in honey
    assert '<html lang="en">' in english and '<html lang="vi">' in everything


def test_a_published_change_shows_at_once(client, products):
    visit(client)
    products[0].title = "Thảo quả sấy gác bếp"
    products[0].save_revision().publish()

    page, _ = visit(client)

    assert "Thảo quả sấy gác bếp" in page


def test_a_sale_that_empties_the_stock_shows_at_once(client, products):
    visit(client, "/shop/?in_stock=on")
    variant = products[1].variants.get()

    reserve_stock(variant_id=variant.pk, quantity=1)
    page, _ = visit(client, "/shop/?in_stock=on")

    assert "Sâm Lai Châu" not in page


def test_a_visitor_with_a_session_gets_a_fresh_page(client, products):
    visit(client)
    variant = products[0].variants.get()
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1, "next": "/shop/"})

    page, queries = visit(client)

    assert "cart-count" in page
    assert queries > 8


def test_the_home_page_is_served_from_the_cache_too(client, home, products):
    first, fresh_queries = visit(client, "/")
    second, cached_queries = visit(client, "/")

    assert second == first and "Thảo quả khô" in first
    assert fresh_queries > 0 and cached_queries == 0


def test_what_every_cached_page_shows_beside_the_pages_changes_at_once(client, home, products, spices):
    from website.models import SiteSettings

    visit(client, "/")
    visit(client, "/shop/")

    settings = SiteSettings.for_site(home.get_site())
    settings.sample_data_notice = "Dữ liệu mẫu, không phải hàng thật."
    settings.save()
    spices.name = "Gia vị núi rừng"
    spices.save()

    for url in ("/", "/shop/"):
        assert "Dữ liệu mẫu, không phải hàng thật." in visit(client, url)[0]
    assert "Gia vị núi rừng" in visit(client, "/shop/")[0]


def test_a_change_made_while_the_page_was_being_rendered_is_not_hidden(client, products, monkeypatch):
    """A sale committed while a visitor's page is rendered: that page shows the old stock, and
    must not then be kept as the current page (a change during its rendering leaves it
    unkept)."""
    from products.models import ShopPage

    variant = products[1].variants.get()
    render_context = ShopPage.get_context

    def sale_during_rendering(self, request, *args, **kwargs):
        context = render_context(self, request, *args, **kwargs)
        monkeypatch.setattr(ShopPage, "get_context", render_context)
        reserve_stock(variant_id=variant.pk, quantity=1)
        return context

    monkeypatch.setattr(ShopPage, "get_context", sale_during_rendering)
    during, _ = visit(client, "/shop/?in_stock=on")
    after, queries = visit(client, "/shop/?in_stock=on")

    assert "Sâm Lai Châu" in during
    assert "Sâm Lai Châu" not in after
    assert queries > 0


def count_cache_calls(monkeypatch) -> list[str]:
    from website import page_cache

    calls, real_cache = [], page_cache.cache

    class CountingCache:
        def __getattr__(self, name):
            method = getattr(real_cache, name)
            return lambda *args, **kwargs: calls.append(name) or method(*args, **kwargs)

    monkeypatch.setattr(page_cache, "cache", CountingCache())
    return calls


def test_a_cached_page_costs_one_round_trip_to_the_cache(client, products, monkeypatch):
    """With Redis, each round trip costs about as much as a bare Django view (bench/): the page
    and the version of the last change anywhere are read together."""
    visit(client)
    calls = count_cache_calls(monkeypatch)

    page, queries = visit(client)

    assert calls == ["get_many"]
    assert queries == 0 and "Sâm Lai Châu" in page


def test_after_a_change_elsewhere_a_cached_page_costs_two_round_trips(client, products, monkeypatch):
    """Something the catalogue does not show changed: the page, then the versions of what it
    shows, are read; it is still served from the cache."""
    from growers.factories import GrowingAreaFactory

    visit(client)
    area = GrowingAreaFactory(code="VN-SLL-0099")
    area.name = "Đồi Sì Choang"
    area.save()
    calls = count_cache_calls(monkeypatch)

    page, queries = visit(client)

    assert calls == ["get_many", "get_many"]
    assert queries == 0 and "Sâm Lai Châu" in page
