"""Fuzzing the public, anonymous surface: whatever a phone, a scanner, a crawler or a prankster
sends, the answer is never a server error.

(a) Schemathesis generates requests from website/openapi.yaml (the JSON API) and sends them to the
    Django application in-process (WSGI): no 5xx, and every answer conforms to the document
    (status code, content type, headers, body schema).
(b) Hypothesis sends arbitrary text as the query parameters of the catalogue and the registry,
    as trace and registry codes in paths, and as the cart forms' fields.

Each test runs in one database transaction rolled back at its end (pytest-django's `db`);
examples are few enough for the file to run in about two minutes on two cores."""

from pathlib import Path
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from traceability.models import BatchPage

from .conftest import World

OPENAPI = Path(__file__).resolve().parents[2] / "website" / "openapi.yaml"
SHORT_CODE = "ACDEFGHJ"  # the example in website/openapi.yaml

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=False,
    database=None,
)


@pytest.fixture
def api_world(world: World) -> World:
    """The world, with batch A's short code set to the one the OpenAPI examples use."""
    BatchPage.objects.filter(pk=world.batch_a.pk).update(short_code=SHORT_CODE)
    world.batch_a.refresh_from_db()
    return world


@pytest.fixture
def in_process_wsgi(db):
    """Django's real WSGI handler, in this test's transaction: like Django's test client, keep
    the handler from closing the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# (a) Schemathesis over the OpenAPI description --------------------------------------------------

schema = schemathesis.openapi.from_path(OPENAPI)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_openapi_description(case, api_world, in_process_wsgi):
    case.call_and_validate(checks=CHECKS, app=in_process_wsgi)


@pytest.mark.parametrize("code", ["a%0Ab", "%0A", "VN-SLL-0001%0A"])
def test_the_growing_area_api_answers_json_for_a_code_with_a_line_feed(client, db, code):
    response = client.get(f"/api/v1/growing-areas/{code}")
    # The API's own answer, never the site's HTML 404: a JSON 404 for a code it cannot find, or
    # the record when a registered code comes with a stray line feed (lookups forgive spaces).
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code in (200, 404)


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/api/v1/growing-areas/VN-SLL-0001", "application/json"),
        ("/api/v1/growing-areas/vn sll 0001", "application/json"),
        (f"/api/v1/batches/{SHORT_CODE}", "application/json"),
        (f"/api/v1/batches/{SHORT_CODE.lower()}/", "application/json"),
        (f"/api/v1/batches/{SHORT_CODE}/epcis", "application/ld+json"),
    ],
)
def test_the_real_records_conform_to_the_openapi_description(api_world, in_process_wsgi, path, media_type):
    """The fuzzer mostly sends codes that are not found: check the found records' shapes here."""
    from growers.factories import (
        GrowingAreaCertificationFactory,
        HouseholdFactory,
        InspectionFactory,
        square_boundary,
    )
    from growers.models import GrowingArea

    GrowingArea.objects.filter(pk=api_world.area.pk).update(boundary=square_boundary())
    InspectionFactory(area=api_world.area)
    GrowingAreaCertificationFactory(area=api_world.area)
    HouseholdFactory(area=api_world.area)
    from werkzeug.test import Client as WSGIClient

    response = WSGIClient(in_process_wsgi).get(quote(path))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media_type)
    template = {
        "growing-areas": "/api/v1/growing-areas/{code}",
        "epcis": "/api/v1/batches/{code}/epcis",
    }
    key = "epcis" if path.endswith("epcis") else ("growing-areas" if "growing-areas" in path else None)
    operation = schema[template.get(key, "/api/v1/batches/{code}")]["GET"]
    operation.validate_response(response)


# (b) Hypothesis over the public pages --------------------------------------------------------

# Arbitrary text, weighted towards what breaks parsers: digits, signs, separators, huge numbers.
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789-+.,eE ₫đ%/\\'\"<>&;\x00", max_size=25),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", " ", "NaN", "inf", "-1", "0", "1e309", "9" * 400, "%00", "\x00", "on", "off"]),
)


def server_error_free(response):
    assert response.status_code < 500, response.status_code


SHOP_PARAMS = (
    "q",
    "category",
    "cooperative",
    "certification",
    "ocop",
    "min_price",
    "max_price",
    "in_stock",
    "ordering",
    "page",
)
SHOP_VALID = {
    "category": st.sampled_from(["gia-vi", "che", ""]),
    "cooperative": st.sampled_from(["htx-thao-qua", "htx-che-shan-tuyet"]),
    "certification": st.sampled_from(["vietgap", "gacp-who", "organic", "ocop", "other"]),
    "ocop": st.sampled_from(["3", "4", "5"]),
    "ordering": st.sampled_from(["featured", "price", "-price", "name", "newest"]),
    "in_stock": st.sampled_from(["on", ""]),
}


def query(params: tuple, valid: dict):
    return st.fixed_dictionaries(
        {},
        optional={name: st.one_of(ANY_TEXT, valid[name]) if name in valid else ANY_TEXT for name in params},
    )


@FUZZ
@given(params=query(SHOP_PARAMS, SHOP_VALID))
def test_shop_query_parameters_never_cause_a_server_error(client, world, params):
    server_error_free(client.get("/shop/", params))


@FUZZ
@given(params=query(SHOP_PARAMS, SHOP_VALID))
def test_shop_in_english_never_causes_a_server_error(client, world, params):
    server_error_free(client.get("/en/shop/", params))


REGISTRY_PARAMS = ("q", "status", "crop", "village")
REGISTRY_VALID = {
    "status": st.sampled_from(["active", "suspended", "revoked", "expired"]),
    "crop": st.sampled_from(["Thảo quả"]),
    "village": st.sampled_from(["Sì Lở Lầu"]),
}


@FUZZ
@given(params=query(REGISTRY_PARAMS, REGISTRY_VALID))
def test_registry_query_parameters_never_cause_a_server_error(client, world, params):
    server_error_free(client.get("/growing-areas/", params))


# Codes as typed or scanned: any text, percent-encoded into the path (slashes both kept and
# encoded), plus near-misses of the real ones.
CODES = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet="ACDEFGHJKMNPQRTWXY34679acdefghjk- ./", min_size=1, max_size=20),
    st.sampled_from(["VN-SLL-0001", "vn sll 0001", "VN-SLL-0001/", "..", ".", "%", "%2F", "\x00", "A" * 500]),
)
PATH_SAFE = st.sampled_from(["", "/"])


@FUZZ
@given(code=CODES, safe=PATH_SAFE)
def test_registry_code_pages_never_cause_a_server_error(client, world, code, safe):
    server_error_free(client.get(f"/growing-areas/{quote(code, safe=safe)}/"))


@FUZZ
@given(code=CODES, safe=PATH_SAFE)
def test_trace_short_codes_never_cause_a_server_error(client, world, code, safe):
    server_error_free(client.get(f"/t/{quote(code, safe=safe)}"))


GTINS = st.one_of(
    st.text(alphabet="0123456789", min_size=0, max_size=20),
    st.text(max_size=20),
    st.sampled_from(["96385074", "00000000", "8931234567897", "0" * 14]),
)
LOTS = st.one_of(
    st.text(max_size=30),
    st.text(
        alphabet="!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
        max_size=22,
    ),
    st.sampled_from(["TQ2026-01", "CH2026-01"]),
)


@FUZZ
@given(gtin=GTINS, lot=LOTS, safe=PATH_SAFE, ai17=st.one_of(st.none(), ANY_TEXT))
def test_digital_links_never_cause_a_server_error(client, world, gtin, lot, safe, ai17):
    url = f"/01/{quote(gtin, safe=safe)}/10/{quote(lot, safe=safe)}"
    server_error_free(client.get(url, {"17": ai17} if ai17 is not None else {}))


def variant_values(world: World):
    return st.one_of(ANY_TEXT, st.sampled_from([str(world.variant_a.pk), str(world.variant_b.pk)]))


QUANTITIES = st.one_of(ANY_TEXT, st.integers(min_value=-5, max_value=60).map(str))


@FUZZ
@given(data=st.data())
def test_cart_forms_never_cause_a_server_error(client, world, data):
    form = data.draw(st.sampled_from(["add", "update", "remove"]))
    fields = {
        "variant": data.draw(variant_values(world)),
        "quantity": data.draw(QUANTITIES),
        # Addresses only (a word without "/" or "." is the bug tested below).
        "next": data.draw(
            st.one_of(
                st.none(),
                st.text(max_size=30).map(lambda text: "/" + text),
                st.sampled_from(["/shop/", "//evil.example/", "https://evil.example/", "", "."]),
            )
        ),
    }
    fields = {name: value for name, value in fields.items() if value is not None}
    response = client.post(f"/cart/{form}/", fields)
    server_error_free(response)
    assert response.status_code in (302, 303), response.status_code
    server_error_free(client.get("/cart/"))


@pytest.mark.parametrize("next_url", ["0", "cart", "x"])
def test_the_add_to_cart_form_with_a_word_as_next_is_not_a_server_error(client, world, next_url):
    response = client.post("/cart/add/", {"variant": world.variant_a.pk, "quantity": 1, "next": next_url})
    assert response.status_code == 303
