"""GET /api/v1/batches/<short-code>/epcis: the batch's story as an EPCIS 2.0 JSON-LD document."""

import datetime
import re

import pytest

from django.utils import timezone

from traceability.epcis import EPCIS_CONTEXT, EVENT_MAPPING
from traceability.factories import TraceEventFactory
from traceability.models import BatchPage, TraceEventType

from .conftest import GTIN_8

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
OFFSET = re.compile(r"^[+-]\d\d:\d\d$")
CBV_BIZ_STEPS = {"commissioning", "packing", "inspecting", "shipping", "other"}
CBV_DISPOSITIONS = {"active", "in_transit", "recalled"}
REQUIRED = {
    "ObjectEvent": {"type", "eventTime", "eventTimeZoneOffset", "action", "epcList", "quantityList"},
    "TransformationEvent": {
        "type",
        "eventTime",
        "eventTimeZoneOffset",
        "inputQuantityList",
        "outputQuantityList",
    },
}
BASE = "https://cho.example.vn"


@pytest.fixture(autouse=True)
def site_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"


def story(batch, *types, zone="Asia/Ho_Chi_Minh"):
    start = datetime.datetime(2025, 10, 20, 0, 0, tzinfo=datetime.UTC)
    for n, event_type in enumerate(types):
        TraceEventFactory(
            batch=batch,
            sort_order=n,
            event_type=event_type,
            occurred_at=start + datetime.timedelta(days=n),
            time_zone=zone,
            place=f"Nơi {n}",
        )


def document(client, batch) -> dict:
    response = client.get(f"/api/v1/batches/{batch.short_code.lower()}/epcis")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


ALL_TYPES = ("planting", "harvest", "processing", "packing", "inspection", "shipping", "other")


def test_document_envelope(client, batch):
    story(batch, *ALL_TYPES)

    doc = document(client, batch)

    assert doc["@context"][0] == EPCIS_CONTEXT
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    assert ISO_WITH_OFFSET.match(doc["creationDate"])
    assert len(doc["epcisBody"]["eventList"]) == len(ALL_TYPES)


def test_every_event_has_its_required_keys_times_and_cbv_values(client, batch):
    story(batch, *ALL_TYPES)

    for event in document(client, batch)["epcisBody"]["eventList"]:
        assert REQUIRED[event["type"]] <= set(event), event
        assert ISO_WITH_OFFSET.match(event["eventTime"]) and OFFSET.match(event["eventTimeZoneOffset"])
        assert event["eventTime"].endswith(event["eventTimeZoneOffset"])
        assert event["bizStep"] in CBV_BIZ_STEPS
        assert event.get("disposition", "active") in CBV_DISPOSITIONS
        assert event["eventID"].startswith("urn:uuid:")
        if event["type"] == "ObjectEvent":
            assert event["action"] in {"ADD", "OBSERVE", "DELETE"}
        for key in ("quantityList", "inputQuantityList", "outputQuantityList"):
            for element in event.get(key, []):
                assert element["epcClass"]
                assert ("uom" not in element) or isinstance(element["quantity"], float)


def test_event_types_map_to_epcis_events_and_business_steps(client, batch):
    story(batch, *ALL_TYPES)

    events = document(client, batch)["epcisBody"]["eventList"]

    got = [
        (e["cm:eventType"], e["type"], e.get("action"), e["bizStep"], e.get("disposition")) for e in events
    ]
    assert got == [
        ("planting", "ObjectEvent", "OBSERVE", "other", None),
        ("harvest", "ObjectEvent", "ADD", "commissioning", "active"),
        ("processing", "TransformationEvent", None, "commissioning", "active"),
        ("packing", "ObjectEvent", "OBSERVE", "packing", "active"),
        ("inspection", "ObjectEvent", "OBSERVE", "inspecting", None),
        ("shipping", "ObjectEvent", "OBSERVE", "shipping", "in_transit"),
        ("other", "ObjectEvent", "OBSERVE", "other", None),
    ]
    assert set(EVENT_MAPPING) == set(TraceEventType.values)


def test_processing_transforms_the_harvested_lot_into_the_lot_as_sold(client, batch):
    story(batch, "harvest", "processing", "packing")
    lot = f"{BASE}/01/{GTIN_8.zfill(14)}/10/TQ2026-01"
    harvested = f"urn:cho.example.vn:harvest:{batch.short_code}"

    harvest, processing, packing = document(client, batch)["epcisBody"]["eventList"]

    assert harvest["quantityList"] == [{"epcClass": harvested}]
    assert processing["inputQuantityList"] == [{"epcClass": harvested}]
    assert processing["outputQuantityList"] == [{"epcClass": lot, "quantity": 250.0, "uom": "KGM"}]
    assert packing["quantityList"] == [{"epcClass": lot, "quantity": 500}]


def test_a_second_processing_step_observes_the_lot(client, batch):
    story(batch, "harvest", "processing", "processing")

    _, first, second = document(client, batch)["epcisBody"]["eventList"]

    assert first["type"] == "TransformationEvent"
    assert (second["type"], second["action"], second["bizStep"]) == ("ObjectEvent", "OBSERVE", "other")


def test_without_processing_harvest_commissions_the_lot_itself(client, batch):
    story(batch, "harvest", "packing")

    harvest, _ = document(client, batch)["epcisBody"]["eventList"]

    lot = f"{BASE}/01/{GTIN_8.zfill(14)}/10/TQ2026-01"
    assert harvest["quantityList"] == [{"epcClass": lot, "quantity": 250.0, "uom": "KGM"}]


def test_lot_without_gtin_is_a_urn_of_the_site(client, make_batch, product, registry):
    product.variants.update(gtin=None)
    batch = make_batch(lot="TQ2026-09")
    story(batch, "packing")

    [packing] = document(client, batch)["epcisBody"]["eventList"]

    assert packing["quantityList"][0]["epcClass"] == f"urn:cho.example.vn:lot:{batch.short_code}"


def test_lot_characters_are_percent_encoded_in_the_digital_link(client, make_batch, registry):
    batch = make_batch(lot="A/1+2")
    story(batch, "packing")

    [packing] = document(client, batch)["epcisBody"]["eventList"]

    assert packing["quantityList"][0]["epcClass"] == f"{BASE}/01/{GTIN_8.zfill(14)}/10/A%2F1%2B2"


def test_times_are_told_in_each_events_own_zone(client, batch):
    story(batch, "harvest")
    story(batch, "shipping", zone="UTC")

    harvest, shipping = document(client, batch)["epcisBody"]["eventList"]

    assert (harvest["eventTime"], harvest["eventTimeZoneOffset"]) == ("2025-10-20T07:00:00+07:00", "+07:00")
    assert (shipping["eventTime"], shipping["eventTimeZoneOffset"]) == ("2025-10-20T00:00:00+00:00", "+00:00")


def test_places_are_the_growing_area_and_the_cooperative(client, batch, area):
    story(batch, "harvest", "packing")

    harvest, packing = document(client, batch)["epcisBody"]["eventList"]

    assert harvest["bizLocation"] == {"id": f"{BASE}/growing-areas/{area.code}/"}
    assert (
        packing["bizLocation"]["id"].startswith(f"{BASE}/") and "htx-thao-qua" in packing["bizLocation"]["id"]
    )
    assert packing["cm:place"] == "Nơi 1"


def test_recalled_batch_ends_with_a_recalled_disposition(client, batch):
    story(batch, "harvest", "packing")
    BatchPage.objects.filter(pk=batch.pk).update(recalled_on=timezone.localdate(), recall_reason="Nấm mốc")

    *_, recall = document(client, batch)["epcisBody"]["eventList"]

    assert recall["disposition"] == "recalled" and recall["cm:reason"] == "Nấm mốc"
    assert recall["eventTime"] == f"{timezone.localdate().isoformat()}T00:00:00+07:00"


def test_event_ids_are_stable_between_exports(client, batch):
    story(batch, "harvest", "packing")

    first = [e["eventID"] for e in document(client, batch)["epcisBody"]["eventList"]]
    second = [e["eventID"] for e in document(client, batch)["epcisBody"]["eventList"]]

    assert first == second and len(set(first)) == 2


def test_trailing_slash_is_forgiven(client, batch):
    assert client.get(f"/api/v1/batches/{batch.short_code}/epcis/").status_code == 200
