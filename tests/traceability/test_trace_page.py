"""What the trace page shows (Circular 02/2024/TT-BKHCN Art. 6), the verdict on top, and its
budget (DESIGN §5): one request, no script, CSS inline, ≤ 14,000 bytes gzip, a constant
number of queries, lazy images with their size set."""

import datetime
import gzip

import wagtail_factories
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Collection

from growers.factories import GrowingAreaFactory, area_with_status, revoke, suspend
from tests.traceability.conftest import pictograms
from traceability.models import BatchCertification, LabTest

TODAY = timezone.localdate()
GZIP_BUDGET = 14_000


def get_trace(client, batch):
    response = client.get(f"/t/{batch.short_code}")
    assert response.status_code == 200
    return response


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def verdict_text(response):
    return " ".join(soup_of(response).select_one("section.verdict").get_text().split())


def link_reading(soup, words):
    """The link whose text (beside its pictogram) is `words`."""
    return next((a for a in soup.find_all("a") if a.get_text(" ", strip=True) == words), None)


# What the page shows --------------------------------------------------------------------------


def test_trace_page_shows_what_circular_02_2024_requires(client, batch, coop1, area, make_events):
    coop1.phone = "0213 3890 111"
    coop1.save_revision().publish()
    make_events(batch, 2, photos=False)
    BatchCertification.objects.create(batch=batch, scheme="vietgap", number="VG-77", issuer="Sở NN&PTNT")

    html = get_trace(client, batch).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text(" ", strip=True)

    assert "Thảo quả khô" in soup.h1.get_text()
    assert "HTX Thảo quả Sì Lở Lầu" in text
    assert "Xã Sì Lở Lầu, huyện Phong Thổ, tỉnh Lai Châu" in text
    assert "0213 3890 111" in text
    area_link = soup.select_one('a[href="/growing-areas/VN-SLL-0001/"]')
    assert area_link.get_text() == "VN-SLL-0001"
    assert "bản Sì Lở Lầu, xã Sì Lở Lầu" in text
    assert batch.lot in text and batch.short_code in text
    assert batch.best_before.strftime("%d/%m/%Y") in text
    assert "VietGAP số VG-77" in text
    assert soup.select_one(f'time[datetime="{batch.best_before.isoformat()}"]')


def test_each_event_shows_its_local_time_and_zone_place_responsible_notes_and_pictogram(
    client, batch, make_events
):
    event = make_events(batch, 1, photos=False)[0]
    event.event_type = "processing"
    event.occurred_at = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    event.time_zone = "Asia/Ho_Chi_Minh"
    event.responsible = "Tổ sấy bản Sì Lở Lầu"
    event.save()

    item = soup_of(get_trace(client, batch)).select_one("ol.events li")

    time = item.find("time")
    assert time["datetime"] == "2026-03-01T08:30+0700"
    assert time.get_text() == "01/03/2026 08:30"
    assert "giờ Việt Nam" in item.get_text()
    assert "Bản Sì Lở Lầu" in item.get_text() and "Tổ sấy bản Sì Lở Lầu" in item.get_text()
    assert "Bước 1" in item.get_text()
    pictogram = item.h3.find("svg")
    assert pictogram["aria-hidden"] == "true"
    assert pictograms(item.h3) == ["processing"]
    assert item.h3.get_text(" ", strip=True) == "Sấy, chế biến"


def test_event_recorded_in_utc_is_shown_in_utc(client, batch, make_events):
    event = make_events(batch, 1, photos=False)[0]
    event.occurred_at = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    event.time_zone = "UTC"
    event.save()

    time = soup_of(get_trace(client, batch)).select_one("ol.events time")

    assert time.get_text() == "01/03/2026 01:30"
    assert time["datetime"] == "2026-03-01T01:30+0000"


def test_lab_test_links_to_its_document(client, batch):
    document = wagtail_factories.DocumentFactory(collection=Collection.get_first_root_node())
    LabTest.objects.create(batch=batch, title="Dư lượng thuốc BVTV", result="Đạt", document=document)

    soup = soup_of(get_trace(client, batch))

    assert "Dư lượng thuốc BVTV" in soup.get_text()
    assert soup.select_one(f'a[href="{document.url}"]')


def test_buy_link_shown_only_when_a_pack_is_in_stock(client, batch, product):
    soup = soup_of(get_trace(client, batch))
    buy = link_reading(soup, "Mua sản phẩm này")
    assert buy["href"] == product.url
    assert buy.find("svg")  # the cart pictogram beside the words

    for variant in product.variants.all():  # as the page editor saves them
        variant.stock = 0
        variant.save()
    assert link_reading(soup_of(get_trace(client, batch)), "Mua sản phẩm này") is None


def test_batch_page_url_renders_the_same_trace_page(rf, batch):
    from traceability.views import serve_batch_page

    response = serve_batch_page(batch, rf.get(batch.url), [], {})

    assert response.status_code == 200
    assert b'class="status-box verdict box-valid"' in response.content


# The verdict ------------------------------------------------------------------------------------


def test_valid_code_verdict_says_registered_and_valid_until(client, batch, area):
    text = verdict_text(get_trace(client, batch))

    until = f"{area.valid_until:%d/%m/%Y}"
    assert (
        text
        == f"Đúng nguồn gốc đã đăng ký Mã số vùng trồng VN-SLL-0001 đã đăng ký, còn hiệu lực đến {until}."
    )
    assert pictograms(soup_of(get_trace(client, batch)).select_one("section.verdict")) == ["valid", "valid"]


def before_harvest(batch, days=5):
    return batch.harvest_start - datetime.timedelta(days=days)


def test_suspended_code_shows_warning_on_trace_page(client, batch, area):
    suspend(area, effective_date=before_harvest(batch))

    response = get_trace(client, batch)
    text = verdict_text(response)

    assert "Cảnh báo: mã số vùng trồng không còn hiệu lực khi thu hoạch" in text
    assert "Mã số vùng trồng VN-SLL-0001 không có hiệu lực khi thu hoạch lô hàng này" in text
    assert f"bị tạm đình chỉ từ ngày {before_harvest(batch):%d/%m/%Y}" in text
    verdict = soup_of(response).select_one("section.verdict")
    assert pictograms(verdict) == ["warning", "suspended"]


def test_revoked_code_shows_warning_on_trace_page(client, batch, area):
    revoke(area, effective_date=before_harvest(batch))

    text = verdict_text(get_trace(client, batch))

    assert "Cảnh báo" in text
    assert f"VN-SLL-0001 không có hiệu lực khi thu hoạch lô hàng này ({batch.harvest_start:%d/%m/%Y}" in text
    assert (
        f"bị thu hồi ngày {before_harvest(batch):%d/%m/%Y}. Lý do: Vùng trồng đã chuyển sang cây khác."
        in text
    )


def test_expired_code_shows_warning_with_its_end_date(client, make_batch, registry):
    expired = area_with_status("expired", code="VN-SLL-0009", valid_until=TODAY - datetime.timedelta(days=60))
    batch = make_batch(areas=[expired])

    text = verdict_text(get_trace(client, batch))

    assert "Cảnh báo" in text
    assert "VN-SLL-0009 không có hiệu lực khi thu hoạch lô hàng này" in text
    assert f"đã hết hạn từ ngày {expired.valid_until:%d/%m/%Y}" in text


def test_recalled_batch_verdict_comes_first_with_date_and_reason(client, make_batch, area, registry):
    suspend(area)
    batch = make_batch(recalled_on=TODAY, recall_reason="Phát hiện nấm mốc khi kiểm tra kho.")

    soup = soup_of(get_trace(client, batch))

    verdict = soup.select_one("section.verdict")
    assert verdict.h2.get_text(" ", strip=True) == "Lô hàng này đã bị thu hồi"
    assert pictograms(verdict)[0] == "recalled"
    assert (
        f"Thu hồi từ ngày {TODAY:%d/%m/%Y}. Lý do: Phát hiện nấm mốc khi kiểm tra kho." in verdict.get_text()
    )
    # The code suspended since (after the harvest) is still told, after the recall.
    assert "mã bị tạm đình chỉ từ ngày" in verdict.get_text()
    # The verdict is the first thing after the page's title.
    assert soup.h1.find_next_sibling() is verdict


def test_one_bad_code_among_several_gives_a_warning_naming_it(client, make_batch, area, registry):
    revoked = revoke(
        GrowingAreaFactory(code="VN-SLL-0002"), effective_date=TODAY - datetime.timedelta(days=90)
    )
    batch = make_batch(areas=[area, revoked])

    text = verdict_text(get_trace(client, batch))

    assert "Cảnh báo" in text
    assert "VN-SLL-0002 không có hiệu lực khi thu hoạch" in text and "bị thu hồi ngày" in text
    assert "VN-SLL-0001" not in text
    # Both codes are still listed as the place of production, each with its status in words.
    places = soup_of(get_trace(client, batch)).find("h2", string="Nơi sản xuất").find_next("ul").get_text()
    assert "VN-SLL-0001" in places and "Còn hiệu lực" in places
    assert "VN-SLL-0002" in places and "Đã thu hồi" in places


def test_batch_citing_another_cooperatives_code_is_not_called_registered(client, make_batch, registry, coop2):
    """A batch recorded before the rule that a batch cites only its own cooperative's codes."""
    foreign = GrowingAreaFactory(code="VN-SLL-0202", cooperative=coop2)
    batch = make_batch(areas=[foreign])

    response = get_trace(client, batch)
    text = verdict_text(response)

    assert "đã đăng ký, còn hiệu lực" not in text
    assert "Cảnh báo: mã số vùng trồng không được đăng ký cho nhà sản xuất này" in text
    assert "mã số vùng trồng VN-SLL-0202 được đăng ký cho một nhà sản xuất khác" in text
    assert pictograms(soup_of(response).select_one("section.verdict"))[0] == "not-registered"
    api = client.get(f"/api/v1/batches/{batch.short_code}").json()
    assert api["verdict"]["status"] == "warning"
    assert [w["reason"] for w in api["verdict"]["warnings"]] == ["growing_area_not_registered_to_producer"]


def test_batch_citing_a_code_shared_with_its_cooperative_is_registered_and_valid(
    client, make_batch, registry, coop1, coop2
):
    shared = GrowingAreaFactory(code="VN-SLL-0202", cooperative=coop2)
    batch = make_batch(areas=[shared])
    get_trace(client, batch)  # cached with its warning

    shared.shared_with.add(coop1)

    assert "VN-SLL-0202 đã đăng ký, còn hiệu lực" in verdict_text(get_trace(client, batch))


def test_batch_without_code_says_so(client, make_batch, registry):
    batch = make_batch(areas=[])

    assert "Lô hàng này không ghi mã số vùng trồng" in verdict_text(get_trace(client, batch))


def test_verdict_icons_are_hidden_from_screen_readers_and_never_alone(client, batch, area):
    suspend(area)

    verdict = soup_of(get_trace(client, batch)).select_one("section.verdict")

    for icon in verdict.select('[aria-hidden="true"]'):
        assert icon.parent.get_text(strip=True) != icon.get_text(strip=True)


# The budget (DESIGN §5) --------------------------------------------------------------------------


def test_trace_page_is_one_request_with_inline_css_and_no_script(client, batch, make_events):
    make_events(batch, 3)

    soup = soup_of(get_trace(client, batch))

    assert soup.find("script") is None
    assert soup.find("link", rel="stylesheet") is None
    assert soup.find("style") is not None
    for tag in soup.find_all(src=True):
        assert tag["src"].startswith("/"), tag
        assert not tag["src"].startswith("//"), tag


def test_trace_page_with_30_photographed_events_stays_within_14000_gzip_bytes(client, batch, make_events):
    make_events(batch, 30)

    response = get_trace(client, batch)
    size = len(gzip.compress(response.content))

    print(f"trace page with 30 events: {len(response.content)} bytes, {size} bytes gzip")
    assert size <= GZIP_BUDGET


def test_event_photos_are_lazy_with_width_and_height(client, batch, make_events):
    make_events(batch, 3)

    images = soup_of(get_trace(client, batch)).select("ol.events img")

    assert len(images) == 3
    for image in images:
        assert image["loading"] == "lazy"
        assert int(image["width"]) > 0 and int(image["height"]) > 0


def count_trace_queries(client, batch) -> int:
    get_trace(client, batch)  # renditions and the day's scan row are made on the first view
    with CaptureQueriesContext(connection) as queries:
        get_trace(client, batch)
    return len(queries)


def test_trace_page_makes_the_same_number_of_queries_for_1_and_30_events(
    client, make_batch, make_events, registry, django_assert_num_queries
):
    one, thirty = make_batch(lot="ONE"), make_batch(lot="THIRTY")
    make_events(one, 1)
    make_events(thirty, 30)
    for extra in (thirty,):
        BatchCertification.objects.create(batch=extra, scheme="organic", number="O-1")
        LabTest.objects.create(batch=extra, title="Độ ẩm")

    queries_for_one = count_trace_queries(client, one)
    print(f"trace page queries: {queries_for_one}")

    get_trace(client, thirty)
    with django_assert_num_queries(queries_for_one):
        get_trace(client, thirty)


def test_gs1_link_makes_a_constant_number_of_queries(client, make_batch, make_events, registry):
    one, thirty = make_batch(lot="ONE"), make_batch(lot="THIRTY")
    make_events(one, 1)
    make_events(thirty, 30)
    counts = []
    for batch in (one, thirty):
        client.get(f"/01/96385074/10/{batch.lot}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/01/96385074/10/{batch.lot}").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_trace_page_is_readable_without_css_semantic_headings_lists_and_times(client, batch, make_events):
    make_events(batch, 2, photos=False)

    soup = soup_of(get_trace(client, batch))

    assert len(soup.find_all("h1")) == 1
    headings = [h.get_text(" ", strip=True) for h in soup.find_all("h2")]
    assert {"Thông tin lô hàng", "Nơi sản xuất", "Hành trình của lô hàng"} <= set(headings)
    assert len(soup.select("ol.events > li")) == 2
    assert len(soup.select("ol.events time[datetime]")) == 2


# The registry's page for a code lists the batches citing it ----------------------------------------


def batches_listed(response):
    heading = soup_of(response).find("h2", string="Các lô hàng ghi mã số này")
    return heading.find_next_sibling()


def test_registry_page_lists_published_batches_citing_the_code_with_trace_links(client, batch, make_batch):
    draft = make_batch(lot="DRAFT-1")
    draft.unpublish()

    listed = batches_listed(client.get("/growing-areas/VN-SLL-0001/"))

    links = [a["href"] for a in listed.find_all("a")]
    assert links == [f"/t/{batch.short_code}"]
    assert batch.lot in listed.get_text()
    assert batch.harvest_start.strftime("%d/%m/%Y") in listed.get_text()


def test_registry_page_says_when_no_batch_cites_the_code(client, area, registry):
    listed = batches_listed(client.get("/growing-areas/VN-SLL-0001/"))

    assert listed.get_text() == "Chưa có lô hàng nào ghi mã số này."


def test_registry_page_queries_do_not_grow_with_the_batches(client, batch, make_batch):
    client.get("/growing-areas/VN-SLL-0001/")
    with CaptureQueriesContext(connection) as one:
        client.get("/growing-areas/VN-SLL-0001/")
    for n in range(4):
        make_batch(lot=f"MORE-{n}")
    with CaptureQueriesContext(connection) as five:
        response = client.get("/growing-areas/VN-SLL-0001/")

    assert len(batches_listed(response).find_all("li")) == 5
    assert len(five) == len(one)
