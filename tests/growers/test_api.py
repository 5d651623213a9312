"""GET /api/v1/growing-areas/<code> (DESIGN §4): a code's public record as JSON, for apps and
other registers. Public data only: the number of households, never who they are."""

import datetime
import json
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from growers.factories import (
    GrowingAreaCertificationFactory,
    GrowingAreaFactory,
    GrowingAreaIndexPageFactory,
    HouseholdFactory,
    InspectionFactory,
    area_with_status,
    square_boundary,
)

TODAY = timezone.localdate()
URL = "/api/v1/growing-areas/{}"


@pytest.fixture
def area(home, coop1):
    GrowingAreaIndexPageFactory(parent=home)
    area = GrowingAreaFactory(
        code="LC-PT-SLL-001",
        name="Vùng thảo quả Sì Lở Lầu",
        cooperative=coop1,
        village="Sì Lở Lầu",
        crop_name="Thảo quả",
        crop_scientific_name="Amomum tsao-ko",
        area_hectares=Decimal("18.50"),
        latitude=Decimal("22.620000"),
        longitude=Decimal("103.270000"),
        boundary=square_boundary(),
        issuing_authority="Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu",
        decision_number="45/QĐ-TTBVTV",
        issued_on=datetime.date(2025, 3, 1),
        valid_until=TODAY + datetime.timedelta(days=400),
    )
    HouseholdFactory(area=area, head_name="Giàng A Páo", phone="0912345001")
    HouseholdFactory(area=area, head_name="Lò Mỳ Chừ", phone="0912345002")
    GrowingAreaCertificationFactory(
        area=area,
        scheme="vietgap",
        number="VG-LC-2024-0112",
        issuer="Chi cục Trồng trọt và BVTV Lai Châu",
        valid_until=datetime.date(2027, 6, 30),
    )
    InspectionFactory(area=area, date=TODAY - datetime.timedelta(days=300), inspector="Nguyễn Văn Cũ")
    InspectionFactory(
        area=area, date=TODAY - datetime.timedelta(days=10), inspector="Lò Văn Hùng", result="remarks"
    )
    return area


def get_json(client, code, status=200):
    response = client.get(URL.format(code))
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content.decode("utf-8"))


def test_active_code_as_json(client, area, coop1):
    data = get_json(client, "LC-PT-SLL-001")

    assert data["code"] == "LC-PT-SLL-001"
    assert data["name"] == "Vùng thảo quả Sì Lở Lầu"
    assert data["status"] == "active"
    assert data["issued_on"] == "2025-03-01"
    assert data["valid_until"] == area.valid_until.isoformat()
    assert data["authority"] == "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu"
    assert data["decision_number"] == "45/QĐ-TTBVTV"
    assert data["crop"] == {"name": "Thảo quả", "scientific_name": "Amomum tsao-ko"}
    assert data["area_hectares"] == 18.5 and isinstance(data["area_hectares"], float)
    assert (data["village"], data["commune"], data["district"], data["province"]) == (
        "Sì Lở Lầu",
        "Sì Lở Lầu",
        "Phong Thổ",
        "Lai Châu",
    )
    assert data["location"]["latitude"] == 22.62 and data["location"]["longitude"] == 103.27
    assert data["location"]["boundary"]["type"] == "Polygon"
    assert data["location"]["boundary"]["coordinates"][0][0] == [103.268, 22.618]
    assert data["certifications"] == [
        {
            "scheme": "vietgap",
            "scheme_label": "VietGAP",
            "number": "VG-LC-2024-0112",
            "issuer": "Chi cục Trồng trọt và BVTV Lai Châu",
            "valid_until": "2027-06-30",
        }
    ]
    assert data["latest_inspection"] == {
        "date": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "inspector": "Lò Văn Hùng",
        "result": "remarks",
    }
    assert data["households_count"] == 2
    assert data["cooperative"]["name"] == coop1.title
    assert data["cooperative"]["url"].endswith(coop1.url)
    assert data["url"].endswith("/growing-areas/LC-PT-SLL-001/")
    updated_at = datetime.datetime.fromisoformat(data["updated_at"])
    assert updated_at.tzinfo is not None


def test_json_keeps_vietnamese_letters_readable(client, area):
    assert "Thảo quả".encode() in client.get(URL.format("LC-PT-SLL-001")).content


def test_json_never_names_households(client, area):
    body = client.get(URL.format("LC-PT-SLL-001")).content.decode()

    for private in ["Giàng A Páo", "Lò Mỳ Chừ", "0912345001", "0912345002"]:
        assert private not in body


def test_code_without_boundary_inspection_or_cooperative(client, db):
    GrowingAreaFactory(code="LC-PT-SLL-009", boundary=None, crop_scientific_name="")

    data = get_json(client, "LC-PT-SLL-009")

    assert data["location"]["boundary"] is None
    assert data["latest_inspection"] is None
    assert data["certifications"] == []
    assert data["cooperative"] is None
    assert data["crop"]["scientific_name"] is None
    assert data["households_count"] == 0
    assert data["url"] is None  # no registry page published yet


@pytest.mark.parametrize("status", ["active", "suspended", "revoked", "expired"])
def test_status_is_the_one_a_buyer_sees(client, db, status):
    area_with_status(status, code="LC-PT-SLL-005")

    assert get_json(client, "LC-PT-SLL-005")["status"] == status


@pytest.mark.parametrize("typed", ["lc-pt-sll-001", "LCPTSLL001", "lc%20pt%20sll%20001", "LC-PT-SLL-001/"])
def test_lookup_forgives_case_spaces_dashes_and_a_trailing_slash(client, area, typed):
    assert get_json(client, typed)["code"] == "LC-PT-SLL-001"


@pytest.mark.parametrize("typed", ["LC-PT-XYZ", "%00", "a/b/c", "漢字", "A" * 3000])
def test_unknown_code_is_a_json_404(client, area, typed):
    data = get_json(client, typed, status=404)

    assert data["error"] == "not_found"
    assert isinstance(data["code"], str)
    assert len(data["code"]) <= 64


def test_json_404_repeats_the_code_asked_for(client, db):
    assert get_json(client, "LC-PT-XYZ", status=404) == {"error": "not_found", "code": "LC-PT-XYZ"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_and_head_are_allowed(client, area, method):
    response = getattr(client, method)(URL.format("LC-PT-SLL-001"))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert json.loads(response.content)["error"] == "method_not_allowed"


def test_head_answers_like_get(client, area):
    response = client.head(URL.format("LC-PT-SLL-001"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_queries_do_not_grow_with_certifications_inspections_or_households(client, area):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            get_json(client, "LC-PT-SLL-001")
        return len(captured)

    get_json(client, "LC-PT-SLL-001")
    before = queries()
    for number in range(5):
        GrowingAreaCertificationFactory(area=area)
        InspectionFactory(area=area, date=TODAY - datetime.timedelta(days=number + 20))
        HouseholdFactory(area=area)

    assert queries() == before
