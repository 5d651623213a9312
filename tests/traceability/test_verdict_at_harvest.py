"""Issue 18, item 5: the verdict is judged at the batch's harvest. "Valid at harvest" means valid
on every day from harvest_start to harvest_end (a code suspended on the second day of a
three-day harvest was not valid at harvest). A batch harvested while its code was valid stays
"Registered origin confirmed" after a later suspension, revocation or expiry, and says so with
both dates and the reason; a batch harvested under a code not valid then, or recalled, says so
first, and is not offered for sale on its trace page."""

import datetime
import gzip

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Collection

from growers.factories import GrowingAreaFactory, change_area_status, revoke, suspend
from growers.models import GrowingAreaStatus
from tests.traceability.conftest import pictograms
from traceability.recall import recall_batch

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}
REASON = "Phát hiện dư lượng thuốc bảo vệ thực vật vượt mức."


def trace(client, batch, **headers):
    response = client.get(f"/t/{batch.short_code}", **headers)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def verdict(soup):
    return soup.select_one("section.verdict")


def headline(soup) -> str:
    return words(verdict(soup).h2)


def d(day) -> str:
    return f"{day:%d/%m/%Y}"


def harvest_of(batch) -> str:
    return f"{d(batch.harvest_start)}–{d(batch.harvest_end)}"


def can_buy(soup) -> bool:
    return bool(soup.select("form[action*=cart], ul.buy-packs")) or any(
        "Mua sản phẩm này" in a.get_text() or "Buy this product" in a.get_text() for a in soup.find_all("a")
    )


def days(n):
    return datetime.timedelta(days=n)


# Judged at harvest ----------------------------------------------------------------------------


def test_code_suspended_after_harvest_keeps_the_good_verdict_with_both_dates_and_reason(client, batch, area):
    assert headline(trace(client, batch)) == "Đúng nguồn gốc đã đăng ký"  # kept in the page cache

    suspend(area, reason=REASON)  # today, weeks after the harvest

    soup = trace(client, batch)
    assert headline(soup) == "Đúng nguồn gốc đã đăng ký"
    assert (
        f"Thu hoạch ngày {harvest_of(batch)} khi mã VN-SLL-0001 còn hiệu lực; "
        f"mã bị tạm đình chỉ từ ngày {d(TODAY)}: {REASON}"
    ) in words(verdict(soup))
    assert pictograms(verdict(soup))[0] == "valid"
    assert can_buy(soup)

    english = trace(client, batch, **EN)
    assert headline(english) == "Registered origin confirmed"
    assert (
        f"Harvested {harvest_of(batch)} while code VN-SLL-0001 was valid; "
        f"the code was suspended on {d(TODAY)}:"
    ) in words(verdict(english))


def test_code_suspended_before_harvest_is_not_valid_at_harvest(client, make_batch, area, registry):
    suspend(area, reason=REASON, effective_date=TODAY - days(60))
    batch = make_batch()

    soup = trace(client, batch)

    assert headline(soup) == "Cảnh báo: mã số vùng trồng không còn hiệu lực khi thu hoạch"
    text = words(verdict(soup))
    assert f"VN-SLL-0001 không có hiệu lực khi thu hoạch lô hàng này ({harvest_of(batch)})" in text
    assert f"bị tạm đình chỉ từ ngày {d(TODAY - days(60))}. Lý do: {REASON}" in text
    assert pictograms(verdict(soup))[0] == "warning"
    english = trace(client, batch, **EN)
    assert headline(english) == "Warning: the growing-area code was not valid at harvest"


def test_code_suspended_on_a_middle_day_of_the_harvest_was_not_valid_at_harvest(
    client, make_batch, area, registry
):
    """Every harvest day counts, not only the first and the last."""
    batch = make_batch(harvest_start=TODAY - days(40), harvest_end=TODAY - days(30))
    suspend(area, reason=REASON, effective_date=TODAY - days(35))
    change_area_status(area, GrowingAreaStatus.ACTIVE, "Đã khắc phục.", effective_date=TODAY - days(32))

    soup = trace(client, batch)

    assert headline(soup) == "Cảnh báo: mã số vùng trồng không còn hiệu lực khi thu hoạch"
    assert f"bị tạm đình chỉ từ ngày {d(TODAY - days(35))}" in words(verdict(soup))


def test_code_suspended_then_reinstated_before_harvest_is_fine(client, make_batch, area, registry):
    """(A revoked code cannot be reinstated: revoking is final, growers/services.py.)"""
    suspend(area, reason=REASON, effective_date=TODAY - days(90))
    change_area_status(area, GrowingAreaStatus.ACTIVE, "Đã khắc phục.", effective_date=TODAY - days(70))
    batch = make_batch()

    soup = trace(client, batch)

    assert headline(soup) == "Đúng nguồn gốc đã đăng ký"
    assert "VN-SLL-0001 đã đăng ký, còn hiệu lực đến" in words(verdict(soup))


def test_code_revoked_after_harvest_keeps_the_good_verdict(client, batch, area):
    revoke(area, reason="Vùng trồng đã chuyển sang cây khác.")

    soup = trace(client, batch)

    assert headline(soup) == "Đúng nguồn gốc đã đăng ký"
    assert (
        f"khi mã VN-SLL-0001 còn hiệu lực; mã bị thu hồi ngày {d(TODAY)}: Vùng trồng đã chuyển sang cây khác."
    ) in words(verdict(soup))


def test_code_expired_after_harvest_keeps_the_good_verdict(client, make_batch, registry, coop1):
    expired = GrowingAreaFactory(
        code="VN-SLL-0009", cooperative=coop1, issued_on=TODAY - days(700), valid_until=TODAY - days(10)
    )
    batch = make_batch(areas=[expired])

    soup = trace(client, batch)

    assert headline(soup) == "Đúng nguồn gốc đã đăng ký"
    assert (
        f"Thu hoạch ngày {harvest_of(batch)} khi mã VN-SLL-0009 còn hiệu lực; mã đã hết hạn từ ngày "
        f"{d(TODAY - days(10))}."
    ) in words(verdict(soup))


def test_code_expired_before_harvest_is_not_valid_at_harvest(client, make_batch, registry, coop1):
    expired = GrowingAreaFactory(
        code="VN-SLL-0009", cooperative=coop1, issued_on=TODAY - days(700), valid_until=TODAY - days(50)
    )
    soup = trace(client, make_batch(areas=[expired]))

    assert headline(soup) == "Cảnh báo: mã số vùng trồng không còn hiệu lực khi thu hoạch"
    assert f"đã hết hạn từ ngày {d(TODAY - days(50))}." in words(verdict(soup))
    assert not can_buy(soup)


def test_code_issued_after_harvest_is_not_valid_at_harvest(client, make_batch, registry, coop1):
    later = GrowingAreaFactory(code="VN-SLL-0010", cooperative=coop1, issued_on=TODAY - days(20))

    soup = trace(client, make_batch(areas=[later]))

    assert headline(soup) == "Cảnh báo: mã số vùng trồng không còn hiệu lực khi thu hoạch"
    assert f"đến ngày {d(TODAY - days(20))} mới được cấp." in words(verdict(soup))


def test_recall_comes_first_whatever_the_codes(client, make_batch, area, registry):
    suspend(area, reason=REASON, effective_date=TODAY - days(60))
    batch = make_batch(recalled_on=TODAY, recall_reason="Nấm mốc.")

    soup = trace(client, batch)

    assert headline(soup) == "Lô hàng này đã bị thu hồi"
    assert pictograms(verdict(soup))[0] == "recalled"
    assert headline(trace(client, batch, **EN)) == "This batch has been recalled"


# Headline, pictogram, photo ---------------------------------------------------------------------


def test_each_kind_has_its_own_large_pictogram_with_a_text_alternative(
    client, make_batch, area, registry, coop2
):
    batches = {
        "valid": make_batch(lot="OK"),
        "recalled": make_batch(lot="RC", recalled_on=TODAY, recall_reason="Nấm mốc."),
        "foreign": make_batch(lot="FO", areas=[GrowingAreaFactory(code="VN-SLL-0202", cooperative=coop2)]),
        "no-area": make_batch(lot="NA", areas=[]),
    }
    headlines = {
        "foreign": "Cảnh báo: mã số vùng trồng không được đăng ký cho nhà sản xuất này",
        "no-area": "Lô hàng này không ghi mã số vùng trồng",
    }
    shapes = {}
    for kind, batch in batches.items():
        mark = verdict(trace(client, batch)).select_one("svg.pictogram")
        assert mark["role"] == "img" and mark["aria-label"], kind
        assert int(mark["width"]) >= 48 and int(mark["height"]) >= 48
        shapes[kind] = pictograms(mark.parent)[0]
        if kind in headlines:
            assert headline(trace(client, batch)) == headlines[kind]
    suspend(area, effective_date=TODAY - days(60))
    shapes["invalid"] = pictograms(
        verdict(trace(client, batches["valid"])).select_one("svg.pictogram").parent
    )[0]

    assert shapes == {
        "valid": "valid",
        "recalled": "recalled",
        "foreign": "not-registered",
        "no-area": "unknown",
        "invalid": "warning",
    }


def test_product_photo_beside_the_verdict_is_small_lazy_and_sized(client, batch, product):
    product.image = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node(), title="Gói")
    product.save_revision().publish()

    soup = trace(client, batch)

    photo = verdict(soup).select_one("figure.verdict-photo img")
    assert photo["loading"] == "lazy"
    assert 0 < int(photo["width"]) <= 160 and 0 < int(photo["height"]) <= 160
    assert photo["alt"] == "Ảnh sản phẩm Thảo quả khô"
    assert "Hãy so ảnh này với gói hàng" in words(verdict(soup))


def test_without_a_product_photo_the_verdict_is_just_words(client, batch):
    soup = trace(client, batch)

    assert verdict(soup).find("img") is None and verdict(soup).find("figure") is None
    assert headline(soup) == "Đúng nguồn gốc đã đăng ký"


# Buying -----------------------------------------------------------------------------------------


def test_batch_not_valid_at_harvest_offers_no_buy_link_nor_cart_and_says_why(
    client, make_batch, area, registry
):
    suspend(area, effective_date=TODAY - days(60))

    soup = trace(client, make_batch())

    assert not can_buy(soup)
    assert soup.find("input", attrs={"name": "variant"}) is None
    assert "Không bán ở đây: mã số vùng trồng của lô hàng này không có hiệu lực khi thu hoạch." in words(soup)


def test_a_recall_removes_the_buy_form_on_the_next_request(client, batch, django_user_model):
    assert can_buy(trace(client, batch))  # and the page is now cached
    officer = django_user_model.objects.create_superuser("officer", password="pw")

    recall_batch(batch=batch, recalled_on=TODAY, reason="Nấm mốc.", user=officer)

    soup = trace(client, batch)
    assert not can_buy(soup)
    assert "Không bán ở đây: lô hàng này đã bị thu hồi." in words(soup)
    english = trace(client, batch, **EN)
    assert "Not for sale here: this batch has been recalled." in words(english)


# Budget (DESIGN §5) -----------------------------------------------------------------------------


def test_verdict_with_photo_and_history_keeps_the_budget_and_constant_queries(
    client, make_batch, make_events, product, registry, coop1, django_assert_num_queries
):
    product.image = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node(), title="Gói")
    product.save_revision().publish()
    areas = [GrowingAreaFactory(code=f"VN-SLL-00{n}1", cooperative=coop1) for n in range(3)]
    for area in areas:  # a long history on each: suspended and reinstated, then suspended after harvest
        suspend(area, effective_date=TODAY - days(300))
        change_area_status(area, GrowingAreaStatus.ACTIVE, "Đã khắc phục.", effective_date=TODAY - days(200))
        suspend(area, reason=REASON)
    one, three = make_batch(lot="ONE", areas=areas[:1]), make_batch(lot="THREE", areas=areas)
    make_events(one, 1)
    make_events(three, 30)

    # A session cookie: rendered afresh each time, not served from the page cache.
    fresh = {"HTTP_COOKIE": "sessionid=x"}
    client.get(f"/t/{one.short_code}", **fresh)  # renditions and the day's scan row made once
    connection.queries_log.clear()  # the set-up above filled the log (9,000 queries at most)
    with CaptureQueriesContext(connection) as queries:
        response_one = client.get(f"/t/{one.short_code}", **fresh)
    assert response_one.status_code == 200
    queries_one = len(queries)
    print(f"trace page queries, rendered afresh: {queries_one}")
    client.get(f"/t/{three.short_code}", **fresh)
    connection.queries_log.clear()
    with django_assert_num_queries(queries_one):
        response_three = client.get(f"/t/{three.short_code}", **fresh)

    assert headline(BeautifulSoup(response_three.content, "html.parser")) == "Đúng nguồn gốc đã đăng ký"
    size = len(gzip.compress(response_three.content))
    print(f"trace page, 3 suspended-after-harvest codes, photo, 30 events: {size} bytes gzip")
    assert size <= 14_000
    assert b"<script" not in response_three.content
