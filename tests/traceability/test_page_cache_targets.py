"""What each change makes stale in the page cache (website/page_cache.py), seen by anonymous
visitors: the next request shows the change on every cached page that shows it (trace pages,
the catalogue, the home page), and pages that do not show it stay cached. A cached trace page
costs one query (counting the scan), a cached catalogue or home page none."""

import datetime

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Collection

from growers.factories import GrowingAreaFactory
from growers.services import change_status
from orders.services import reserve_stock
from products.factories import ProductPageFactory, ProductVariantFactory
from traceability.factories import TraceEventFactory
from traceability.recall import recall_batch
from website import page_cache
from website.money import format_vnd

pytestmark = pytest.mark.django_db


def visit(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def trace_url(batch) -> str:
    return f"/t/{batch.short_code}"


def assert_cached(client, *urls):
    """Each address answered from the cache: a trace page with its one query (the scan), any
    other page with none."""
    for url in urls:
        _, queries = visit(client, url)
        assert queries == (1 if url.startswith("/t/") else 0), f"{url} was rendered again ({queries} queries)"


def text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def buy_section(html: str) -> str:
    found = BeautifulSoup(html, "html.parser").select_one("ul.buy-packs")
    return " ".join(found.get_text(" ", strip=True).split()) if found else ""


def tea_card(html: str):
    cards = BeautifulSoup(html, "html.parser").select("li.card")
    return next(item for item in cards if "Chè Shan tuyết" in item.get_text())


def card(html: str, title: str) -> str:
    for item in BeautifulSoup(html, "html.parser").select("li.card"):
        if title in item.get_text():
            return " ".join(item.get_text(" ", strip=True).split())
    return ""


@pytest.fixture
def tea(coop2):
    """Another cooperative's product, in stock, with a batch of its own."""
    product = ProductPageFactory(parent=coop2, title="Chè Shan tuyết", ocop_stars=3)
    ProductVariantFactory(page=product, gtin="8931234567880", price=180_000, stock=20)
    return product


@pytest.fixture
def tea_area(coop2):
    return GrowingAreaFactory(code="VN-SLL-0002", village="Tả Phìn", commune="Sì Lở Lầu", cooperative=coop2)


@pytest.fixture
def tea_batch(make_batch, tea, tea_area, registry):
    return make_batch(parent=tea, areas=[tea_area], lot="CHE2026-01")


@pytest.fixture
def pages(client, home, shop, batch, tea_batch, product, tea):
    """Every cached page of the site visited once by an anonymous visitor, so that the cache
    holds them all: both batches' trace pages, the catalogue and the home page."""
    urls = {
        "batch": trace_url(batch),
        "tea_batch": trace_url(tea_batch),
        "shop": "/shop/",
        "home": "/",
    }
    for url in urls.values():
        visit(client, url)
    assert_cached(client, *urls.values())
    return urls


def test_a_sale_that_leaves_the_pack_in_stock_leaves_every_cached_page_cached(client, pages, product):
    """The trace page and the catalogue show whether a pack is in stock, not how many: a sale
    that leaves some leaves them as they are. The product page, which says how many, is never
    kept."""
    variant = product.variants.get()

    reserve_stock(variant_id=variant.pk, quantity=1)

    assert_cached(client, *pages.values())
    product_page, _ = visit(client, product.url)
    assert "Còn 9" in text(product_page)


def test_a_pack_sold_out_shows_at_once_on_its_trace_page_product_page_and_catalogue(
    client, pages, product, batch
):
    variant = product.variants.get()
    assert "Túi 500 g" in buy_section(visit(client, pages["batch"])[0])

    reserve_stock(variant_id=variant.pk, quantity=variant.stock)

    trace, _ = visit(client, pages["batch"])
    assert buy_section(trace) == "" and "Mua sản phẩm này" not in trace
    assert "Hết hàng" in card(visit(client, pages["shop"])[0], "Thảo quả khô")
    assert "Hết hàng" in card(visit(client, pages["home"])[0], "Thảo quả khô")
    assert "Hết hàng" in visit(client, product.url)[0]
    # Another product's batch does not show this one.
    assert_cached(client, pages["tea_batch"])


def test_a_new_price_shows_at_once_and_only_where_the_product_is_shown(client, pages, product):
    variant = product.variants.get()

    variant.price = 135_000
    variant.save()

    new_price = " ".join(format_vnd(135_000).split())
    assert new_price in buy_section(visit(client, pages["batch"])[0])
    assert new_price in card(visit(client, pages["shop"])[0], "Thảo quả khô")
    assert new_price in text(visit(client, product.url)[0])
    assert_cached(client, pages["tea_batch"])


def test_a_revoked_code_shows_at_once_on_the_trace_and_registry_pages_of_its_batches_only(
    client, pages, area, officer
):
    registry_page = f"/growing-areas/{area.code}/"
    visit(client, registry_page)

    change_status(area=area, to_status="revoked", reason="Sai vị trí", user=officer)

    # Revoked after the harvest: the verdict stands and says since when (issue 18).
    assert "mã bị thu hồi ngày" in visit(client, pages["batch"])[0]
    assert "Đã thu hồi" in visit(client, registry_page)[0]
    assert_cached(client, pages["tea_batch"], pages["shop"], pages["home"])


def test_a_code_shared_with_another_cooperative_changes_only_its_batches(client, pages, tea_area, coop1):
    """A batch citing a code registered to another cooperative is warned about, until the
    officer shares the code with the batch's cooperative."""
    tea_area.shared_with.add(coop1)

    assert_cached(client, pages["batch"], pages["shop"])
    visit(client, pages["tea_batch"])
    assert_cached(client, pages["tea_batch"])


def test_a_recall_shows_at_once_on_that_batch_only(client, pages, batch, make_batch, officer):
    sibling = make_batch(lot="TQ2026-02")  # the same product's other batch
    visit(client, trace_url(sibling))

    recall_batch(batch=batch, recalled_on=datetime.date(2026, 11, 1), reason="Nấm mốc", user=officer)

    assert "đã bị thu hồi" in visit(client, pages["batch"])[0]
    assert_cached(client, trace_url(sibling), pages["tea_batch"], pages["shop"], pages["home"])


def test_a_cooperatives_published_change_shows_on_its_pages_and_lists_only(client, pages, coop2):
    coop2.title = "HTX Chè cổ thụ Sì Lở Lầu"
    coop2.save_revision().publish()

    assert "HTX Chè cổ thụ Sì Lở Lầu" in visit(client, pages["tea_batch"])[0]
    assert "HTX Chè cổ thụ Sì Lở Lầu" in card(visit(client, pages["shop"])[0], "Chè Shan tuyết")
    assert "HTX Chè cổ thụ Sì Lở Lầu" in visit(client, pages["home"])[0]
    assert_cached(client, pages["batch"])


def test_a_products_published_change_leaves_other_products_batches_cached(client, pages, tea):
    tea.title = "Chè Shan tuyết cổ thụ"
    tea.save_revision().publish()

    assert "Chè Shan tuyết cổ thụ" in visit(client, pages["tea_batch"])[0]
    assert "Chè Shan tuyết cổ thụ" in visit(client, pages["shop"])[0]
    assert_cached(client, pages["batch"])


def test_a_new_product_appears_in_the_catalogue_at_once(client, pages, coop1):
    honey = ProductPageFactory(parent=coop1, title="Mật ong bạc hà")
    ProductVariantFactory(page=honey, price=95_000, stock=3)
    honey.save_revision().publish()

    assert "Mật ong bạc hà" in visit(client, pages["shop"])[0]
    assert_cached(client, pages["batch"], pages["tea_batch"])


def test_a_new_image_leaves_the_cache_alone(client, pages):
    wagtail_factories.ImageFactory(collection=Collection.get_first_root_node())

    assert_cached(client, *pages.values())


def test_an_image_deleted_changes_the_pages_showing_it_only(client, home, shop, batch, tea_batch, tea):
    photo = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node())
    tea.image = photo
    tea.save_revision().publish()
    urls = [trace_url(batch), trace_url(tea_batch), "/shop/"]
    for url in urls:
        visit(client, url)
    assert tea_card(visit(client, "/shop/")[0]).select_one(".noimg") is None

    photo.delete()

    assert tea_card(visit(client, "/shop/")[0]).select_one(".noimg") is not None
    # The tea's photo beside its batch's verdict goes too (issue 18); the other batch stays kept.
    assert 'class="verdict-photo"' not in visit(client, trace_url(tea_batch))[0]
    assert_cached(client, trace_url(batch))


def test_an_event_photo_edited_changes_its_batchs_trace_page_only(client, pages, batch):
    photo = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node(), title="Phơi khô")
    TraceEventFactory(batch=batch, photo=photo)
    batch.save_revision().publish()
    before = visit(client, pages["batch"])[0]
    assert_cached(client, pages["batch"])

    photo.focal_point_x, photo.focal_point_y, photo.focal_point_width, photo.focal_point_height = 1, 1, 1, 1
    photo.save()

    after = visit(client, pages["batch"])[0]

    def photo(page):
        return BeautifulSoup(page, "html.parser").select_one("ol.events img")["src"]

    assert photo(before) != photo(after)  # a new rendition for the new focal point
    assert_cached(client, pages["tea_batch"], pages["shop"])


def test_site_settings_change_every_cached_page(client, pages, home):
    from website.models import SiteSettings

    settings = SiteSettings.for_site(home.get_site())
    settings.sample_data_notice = "Dữ liệu mẫu."
    settings.save()

    for url in pages.values():
        assert "Dữ liệu mẫu." in visit(client, url)[0]


def test_a_version_lost_from_the_cache_counts_as_a_change(client, pages, batch, tea):
    """Redis may evict any key under memory pressure: an entry whose record of what it depends on
    is gone is rendered afresh, never served as current."""
    from django.core.cache import cache

    cache.delete(page_cache.tag_key(page_cache.page_tag(batch)))
    tea_pack = tea.variants.get()
    tea_pack.price = 190_000
    tea_pack.save()  # some other change since the page was kept

    _, queries = visit(client, pages["batch"])

    assert queries > 1
    assert_cached(client, pages["batch"])


def test_a_recall_made_while_its_trace_page_was_being_rendered_is_not_hidden(
    client, batch, officer, monkeypatch
):
    """The page learns which batch it shows from the batch it reads: a recall committed after
    that read must not leave the page it was rendering kept as current."""
    from traceability import views

    read_everything = views.trace_context

    def recall_after_reading(*args, **kwargs):
        context = read_everything(*args, **kwargs)
        monkeypatch.setattr(views, "trace_context", read_everything)
        recall_batch(batch=batch, recalled_on=datetime.date(2026, 11, 1), reason="Nấm mốc", user=officer)
        return context

    monkeypatch.setattr(views, "trace_context", recall_after_reading)
    during, _ = visit(client, trace_url(batch))
    after, _ = visit(client, trace_url(batch))

    assert "đã bị thu hồi" not in during
    assert "đã bị thu hồi" in after


def test_a_cancelled_order_that_puts_a_sold_out_pack_back_on_sale_shows_at_once(
    client, home, shop, batch, product, tea_batch
):
    import uuid

    from orders.models import OrderStatus
    from orders.services import Buyer, place_orders
    from orders.services import change_status as change_order_status

    pack = product.variants.get()
    type(pack).objects.filter(pk=pack.pk).update(stock=3)
    buyer = Buyer(
        name="Lan",
        phone="0912345678",
        email="",
        delivery_method="pickup",
        delivery_address="",
        note="",
        payment_method="vietqr",
    )
    [order] = place_orders(items={pack.pk: 3}, buyer=buyer, checkout_id=uuid.uuid4())
    for url in (trace_url(batch), trace_url(tea_batch), "/shop/"):
        visit(client, url)
    assert buy_section(visit(client, trace_url(batch))[0]) == ""

    change_order_status(order=order, to_status=OrderStatus.CANCELLED, note="Khách hủy")

    assert "Túi 500 g" in buy_section(visit(client, trace_url(batch))[0])
    assert "Còn hàng" in card(visit(client, "/shop/")[0], "Thảo quả khô")
    assert_cached(client, trace_url(tea_batch))


def test_pages_kept_by_the_release_before_are_neither_served_nor_an_error(client, home, shop, batch):
    """Deployed over a Redis that still holds what the release before kept, (generation, page)
    under "pagecache:<kind>:<language>:<day>:<address>", every page renders as usual."""
    import hashlib

    from django.core.cache import cache
    from django.utils import timezone

    def kept_before(kind, path, language="vi"):
        address = hashlib.sha256(f"testserver{path}".encode()).hexdigest()[:32]
        return f"pagecache:{kind}:{language}:{timezone.localdate().isoformat()}:{address}"

    stale = "A page the release before kept"
    cache.set("pagecache:generation", 1, timeout=None)
    cache.set(kept_before("page", "/shop/"), (1, stale), timeout=None)
    trace = {"batch_id": batch.pk, "package_count": 1, "report_contact": "", "html": stale}
    cache.set(kept_before("trace", trace_url(batch)), (1, trace), timeout=None)

    for url in ("/shop/", trace_url(batch)):
        html, _ = visit(client, url)
        assert stale not in html
        assert_cached(client, url)
