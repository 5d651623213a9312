"""GET /api/v1/batches/<short-code>: a published batch's public record as JSON (DESIGN §4)."""

import datetime
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from growers.factories import area_with_status, suspend
from traceability.factories import TraceEventFactory
from traceability.models import BatchCertification, BatchPage, LabTest

from .conftest import GTIN_8

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def api(client, path, **kwargs):
    return client.get(f"/api/v1/batches/{path}", **kwargs)


def test_record_has_every_field_with_its_type(client, batch, area, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://cho.example.vn"
    BatchCertification.objects.create(batch=batch, scheme="vietgap", number="VG-1", issuer="Chi cục")
    LabTest.objects.create(batch=batch, title="Dư lượng thuốc BVTV", result="Đạt")
    TraceEventFactory(
        batch=batch,
        event_type="harvest",
        occurred_at=datetime.datetime(2026, 1, 10, 1, 30, tzinfo=datetime.UTC),
        place="Bản Sì Lở Lầu",
    )

    response = api(client, batch.short_code)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["short_code"] == batch.short_code and data["lot"] == "TQ2026-01"
    assert data["product"]["title"] == "Thảo quả khô"
    assert data["product"]["gtins"] == [GTIN_8.zfill(14)]
    assert data["product"]["url"].startswith("http://testserver/")
    assert data["cooperative"]["name"] == "HTX Thảo quả Sì Lở Lầu" and data["cooperative"]["address"]
    assert data["harvest"] == {"start": batch.harvest_start.isoformat(), "end": batch.harvest_end.isoformat()}
    assert data["quantity_kg"] == 250.0 and data["package_count"] == 500
    assert data["packed_on"] == batch.packed_on.isoformat()
    assert data["best_before"] == batch.expiry_date.isoformat()
    [cited] = data["growing_areas"]
    assert cited["code"] == area.code and cited["status"] == "active"
    assert cited["village"] == "Sì Lở Lầu" and cited["commune"] == "Sì Lở Lầu"
    assert cited["url"] == f"http://testserver/growing-areas/{area.code}/"
    assert cited["api_url"] == f"http://testserver/api/v1/growing-areas/{area.code}"
    assert data["certifications"][0]["number"] == "VG-1"
    assert data["lab_tests"][0] == {
        "title": "Dư lượng thuốc BVTV",
        "laboratory": "",
        "tested_on": None,
        "result": "Đạt",
        "document_url": None,
    }
    assert data["recall"] is None
    assert data["verdict"] == {"status": "ok", "warnings": []}
    [event] = data["events"]
    assert event["type"] == "harvest" and event["epcis_biz_step"] == "commissioning"
    # Told in the event's own zone, with its offset.
    assert event["occurred_at"] == "2026-01-10T08:30:00+07:00"
    assert event["time_zone"] == "Asia/Ho_Chi_Minh" and event["place"] == "Bản Sì Lở Lầu"
    assert data["trace_url"] == f"http://testserver/t/{batch.short_code}"
    assert data["digital_link"] == f"https://cho.example.vn/01/{GTIN_8.zfill(14)}/10/TQ2026-01"
    assert data["epcis_url"] == f"http://testserver/api/v1/batches/{batch.short_code}/epcis"
    assert data["updated_at"]


def test_no_digital_link_without_a_gtin(client, make_batch, product, registry):
    product.variants.update(gtin=None)
    batch = make_batch(lot="TQ2026-02")

    data = api(client, batch.short_code).json()

    assert data["digital_link"] is None and data["product"]["gtins"] == []


def test_code_is_case_insensitive_and_trailing_slash_optional(client, batch):
    for typed in [batch.short_code.lower(), batch.short_code + "/", batch.short_code.lower() + "/"]:
        response = api(client, typed)
        assert response.status_code == 200, typed
        assert response.json()["short_code"] == batch.short_code


@pytest.mark.parametrize("typed", ["NOPE", "AAAAAAAA", "x" * 500, "%00", "a/b/c", ""])
def test_unknown_codes_get_a_json_404(client, batch, typed):
    response = api(client, typed)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["error"] == "not_found"


def test_unpublished_batches_are_not_found(client, batch):
    batch.unpublish()

    assert api(client, batch.short_code).status_code == 404
    assert api(client, f"{batch.short_code}/epcis").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_and_head(client, batch, method):
    for path in [batch.short_code, f"{batch.short_code}/epcis"]:
        response = getattr(client, method)(f"/api/v1/batches/{path}")
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD"
    assert client.head(f"/api/v1/batches/{batch.short_code}").status_code == 200


def test_reading_the_api_counts_no_scan(client, batch):
    api(client, batch.short_code)

    assert not batch.scan_days.exists()


def test_warnings_list_every_reason(client, make_batch, area, registry):
    other = area_with_status("active", code="VN-SLL-0777")
    batch = make_batch(lot="TQ2026-03", areas=[area, other])
    suspend(other)
    BatchPage.objects.filter(pk=batch.pk).update(recalled_on=timezone.localdate(), recall_reason="Nấm mốc")

    data = api(client, batch.short_code).json()

    assert data["verdict"]["status"] == "warning"
    assert [w["reason"] for w in data["verdict"]["warnings"]] == ["recalled", "growing_area_suspended"]
    assert data["verdict"]["warnings"][1]["growing_area"] == "VN-SLL-0777"
    assert data["recall"] == {"recalled_on": timezone.localdate().isoformat(), "reason": "Nấm mốc"}
    statuses = {a["code"]: a["status"] for a in data["growing_areas"]}
    assert statuses == {area.code: "active", "VN-SLL-0777": "suspended"}


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("suffix", ["", "/epcis"])
def test_same_number_of_queries_for_1_and_20_events(client, make_batch, make_events, registry, suffix):
    one, twenty = make_batch(lot="TQ2026-04"), make_batch(lot="TQ2026-05")
    make_events(one, 1)
    make_events(twenty, 20)
    for batch in (one, twenty):
        BatchCertification.objects.create(batch=batch, scheme="vietgap", number="VG-1")
    queries_for(client, f"/api/v1/batches/{one.short_code}{suffix}")  # warm Wagtail's site cache

    assert queries_for(client, f"/api/v1/batches/{one.short_code}{suffix}") == queries_for(
        client, f"/api/v1/batches/{twenty.short_code}{suffix}"
    )
    assert len(client.get(f"/api/v1/batches/{twenty.short_code}").json()["events"]) == 20


def test_event_times_carry_their_offsets(client, batch, make_events):
    make_events(batch, 7, photos=False)

    for event in api(client, batch.short_code).json()["events"]:
        assert ISO_WITH_OFFSET.match(event["occurred_at"]), event
        assert event["occurred_at"].endswith("+07:00")
