"""Uploads, CSRF and the buyer's order token.

- Images: only real JPEG/PNG/WebP/AVIF files within WAGTAILIMAGES_MAX_UPLOAD_SIZE are accepted;
  a renamed text, HTML or SVG file, an SVG, or an oversize file is refused with an error on the
  file field, and nothing is stored.
- Documents: only WAGTAILDOCS_EXTENSIONS; an .html, .svg or .exe is refused. Those that may hold
  markup are downloaded, never shown inline.
- The growing-area import takes only CSV and XLSX content.
- CSRF: every public POST form answers 403 without its token and works with it; the webhooks
  (and the read-only JSON APIs, so that a POST is told 405) are the only csrf_exempt views,
  and the webhooks require their signatures.
- Order tokens: 256 random bits from `secrets` (43 URL-safe characters), unique; any other
  string, however close, is "not found"."""

import hashlib
import hmac
import io
import json
import re
import struct
import time
import zlib

import pytest
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from growers import import_views
from growers.models import GrowingArea
from growers.selectors import cooperative_collection
from orders import models as order_models
from orders.models import BankNotification, Order
from orders.services import place_orders

from .conftest import BUYER, World, login

Image = get_image_model()
Document = get_document_model()


def png_bytes(size=(8, 8), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb's header)."""
    data = bytearray(png_bytes((1, 1)))
    # The IHDR chunk: length (4), type (4), width (4), height (4), ...; its CRC after 13 bytes.
    start = 8 + 8
    data[start : start + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : 12 + 4 + 13])) & 0xFFFFFFFF
    data[12 + 4 + 13 : 12 + 4 + 13 + 4] = struct.pack(">I", crc)
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


# Images ------------------------------------------------------------------------------------


def upload_image(client, world: World, name: str, content: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh thử",
            "file": SimpleUploadedFile(name, content),
            "collection": cooperative_collection(world.coop_a).pk,
            "tags": "",
        },
    )


def assert_refused_on_file_field(response):
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    assert form.errors.get("file"), form.errors
    assert all(str(message).strip() for message in form.errors["file"])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("photo.jpg", b"this is not an image at all", id="text-named-jpg"),
        pytest.param("photo.jpg", HTML, id="html-named-jpg"),
        pytest.param("photo.png", SVG, id="svg-named-png"),
        pytest.param("logo.svg", SVG, id="svg"),
        pytest.param("page.html", HTML, id="html"),
        pytest.param("photo.gif", png_bytes(fmt="GIF"), id="gif-not-allowed"),
        pytest.param("photo.png", png_bytes(fmt="GIF"), id="gif-named-png"),
        pytest.param("photo.jpg", png_bytes(), id="png-named-jpg"),
        pytest.param("bomb.png", png_claiming(100_000, 100_000), id="too-many-pixels"),
        pytest.param(
            "big.png",
            png_bytes() + b"\0" * (settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 1),
            id="over-max-upload-size",
        ),
    ],
)
def test_image_uploads_that_are_not_allowed_images_are_refused(client, world, name, content):
    login(client, world, "editor_a")
    before = Image.objects.count()
    assert_refused_on_file_field(upload_image(client, world, name, content))
    assert Image.objects.count() == before


def test_a_real_image_is_accepted(client, world):
    login(client, world, "editor_a")
    response = upload_image(client, world, "photo.png", png_bytes())
    assert response.status_code == 302
    assert Image.objects.filter(title="Ảnh thử").count() == 1


# Documents ---------------------------------------------------------------------------------


def upload_document(client, world: World, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Tài liệu",
            "file": SimpleUploadedFile(name, content),
            "collection": cooperative_collection(world.coop_a).pk,
            "tags": "",
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("page.htm", HTML),
        ("drawing.svg", SVG),
        ("setup.exe", b"MZ\x90\x00" + b"\0" * 60),
        ("script.js", b"alert(1)"),
        ("archive.pdf.html", HTML),
    ],
)
def test_documents_outside_the_allowed_extensions_are_refused(client, world, name, content):
    login(client, world, "editor_a")
    before = Document.objects.count()
    assert_refused_on_file_field(upload_document(client, world, name, content))
    assert Document.objects.count() == before


@pytest.mark.parametrize("name", ["areas.kml", "areas.geojson", "list.csv"])
def test_documents_that_may_hold_markup_are_downloaded_not_shown(client, world, name):
    login(client, world, "editor_a")
    assert upload_document(client, world, name, b"<kml><script>alert(1)</script></kml>").status_code == 302
    document = Document.objects.get(title="Tài liệu")
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment"), response["Content-Disposition"]
    assert not response["Content-Type"].startswith(("text/html", "image/svg", "application/xhtml"))


def test_a_pdf_document_is_accepted(client, world):
    login(client, world, "editor_a")
    assert upload_document(client, world, "cert.pdf", b"%PDF-1.4\n%%EOF\n").status_code == 302


# The growing-area import -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("areas.exe", b"MZ\x90\x00"),
        ("areas.html", HTML),
        ("areas.svg", SVG),
        ("areas.csv", png_bytes()),
        ("areas.csv", b"\xff\xfe\x00\x00binary\x00\x01"),
        ("areas.xlsx", HTML),
        ("areas.xlsx", b"PK\x03\x04 not a workbook"),
        ("areas.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ],
)
def test_the_import_refuses_what_is_not_a_csv_or_xlsx_spreadsheet(client, world, name, content):
    login(client, world, "officer")
    before = GrowingArea.objects.count()
    response = client.post(reverse("growers_import"), {"file": SimpleUploadedFile(name, content)})
    assert_refused_on_file_field(response)
    assert import_views.SESSION_KEY not in client.session
    assert GrowingArea.objects.count() == before


def test_the_import_takes_a_csv_spreadsheet_to_its_preview(client, world):
    from .test_permission_matrix import CSV_FILE

    login(client, world, "officer")
    response = client.post(reverse("growers_import"), {"file": SimpleUploadedFile("vung.csv", CSV_FILE)})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/growing-area-import/")


# CSRF --------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def csrf_token(client, url="/cart/") -> str:
    """The token as a browser has it after showing one of the site's forms."""
    response = client.get(url)
    assert response.status_code in (200, 302, 303)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def public_posts(world: World):
    """Each public POST form, with valid data; (url, data) pairs."""
    return {
        "cart-add": ("/cart/add/", {"variant": world.variant_a.pk, "quantity": 1}),
        "cart-update": ("/cart/update/", {"variant": world.variant_a.pk, "quantity": 2}),
        "cart-remove": ("/cart/remove/", {"variant": world.variant_a.pk}),
        "checkout": (
            "/checkout/",
            {
                "name": "Nguyễn Văn An",
                "phone": "0912 345 678",
                "delivery_method": "pickup",
                "delivery_address": "",
                "email": "",
                "note": "",
                "payment_method": "vietqr",
            },
        ),
        "en-cart-add": ("/en/cart/add/", {"variant": world.variant_a.pk, "quantity": 1}),
    }


FORMS = ["cart-add", "cart-update", "cart-remove", "checkout", "en-cart-add"]


def with_cart(client, world: World):
    """A cart holding coop A's pack, so that every form has something to act on."""
    token = csrf_token(client, world.product_a.get_url())
    response = client.post(
        "/cart/add/", {"variant": world.variant_a.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 303
    return token


@pytest.mark.parametrize("form", FORMS)
def test_public_post_forms_without_the_token_are_refused(csrf_client, world, form):
    with_cart(csrf_client, world)
    url, data = public_posts(world)[form]
    if form == "checkout":
        csrf_client.get("/checkout/")
        data = {**data, "checkout_id": csrf_client.session["checkout_id"]}
    orders_before, cart_before = Order.objects.count(), dict(csrf_client.session.get("cart", {}))
    response = csrf_client.post(url, data)
    assert response.status_code == 403
    assert Order.objects.count() == orders_before
    assert dict(csrf_client.session.get("cart", {})) == cart_before


@pytest.mark.parametrize("form", FORMS)
def test_public_post_forms_with_the_token_work(csrf_client, world, form):
    token = with_cart(csrf_client, world)
    url, data = public_posts(world)[form]
    if form == "checkout":
        csrf_client.get("/checkout/")
        data = {**data, "checkout_id": csrf_client.session["checkout_id"]}
    response = csrf_client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code in (302, 303), response.status_code
    if form == "checkout":
        assert Order.objects.count() == 3


def test_a_token_from_another_session_is_refused(csrf_client, world):
    other = Client(enforce_csrf_checks=True)
    token = csrf_token(other, world.product_a.get_url())
    csrf_token(csrf_client, world.product_a.get_url())
    csrf_client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    response = csrf_client.post(
        "/cart/add/", {"variant": world.variant_a.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 403


def test_the_language_switch_is_a_get_link(csrf_client, db):
    response = csrf_client.get("/language/en/", {"next": "/shop/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/shop/"


def test_admin_login_needs_the_token(csrf_client, world):
    user = world.users["editor_a"]
    data = {"username": user.username, "password": "pass-word-123"}
    assert csrf_client.post(reverse("wagtailadmin_login"), data).status_code == 403
    token = csrf_token(csrf_client, reverse("wagtailadmin_login"))
    response = csrf_client.post(reverse("wagtailadmin_login"), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_admin_forms_need_the_token_even_when_logged_in(csrf_client, world):
    login(csrf_client, world, "officer")
    url = reverse("growing_areas:suspend", args=[world.area.pk])
    data = {"reason": "Kiểm tra không đạt", "effective_date": "2026-01-01"}
    assert csrf_client.post(url, data).status_code == 403
    assert GrowingArea.objects.get(pk=world.area.pk).status == "active"
    token = csrf_token(csrf_client, url)
    assert csrf_client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert GrowingArea.objects.get(pk=world.area.pk).status == "suspended"


def csrf_exempt_views() -> set[str]:
    """Every view of the URL configuration marked csrf_exempt, as module.name."""
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                if getattr(callback, "csrf_exempt", False):
                    view = getattr(callback, "view_class", None) or callback
                    found.add(f"{view.__module__}.{view.__qualname__}")

    walk(get_resolver().url_patterns)
    return found


def test_only_the_webhooks_and_the_read_only_apis_are_csrf_exempt():
    assert csrf_exempt_views() == {
        "orders.webhooks.bank_webhook",
        "orders.webhooks.stripe_webhook",
        "sms.webhooks.sms_webhook",
        "growers.api_views.growing_area_detail",
        "traceability.api_views.batch_detail",
        "traceability.api_views.batch_epcis",
        # Wagtail's admin API (Django REST framework): exempt from the middleware, but its
        # SessionAuthentication checks the token itself (next test).
        "growers.wagtail_hooks.CooperativesStayPagesAdminAPIViewSet",
        "growers.wagtail_hooks.VisibleDocumentsAdminAPIViewSet",
        "growers.wagtail_hooks.VisibleImagesAdminAPIViewSet",
    }


def test_the_admin_api_page_actions_need_the_token(csrf_client, world):
    login(csrf_client, world, "admin")
    url = f"/admin/api/main/pages/{world.product_b.pk}/action/unpublish/"
    assert csrf_client.post(url, {}, content_type="application/json").status_code == 403
    assert type(world.product_b).objects.get(pk=world.product_b.pk).live
    token = csrf_token(csrf_client, reverse("wagtailadmin_home"))
    response = csrf_client.post(url, {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content[:300]
    assert not type(world.product_b).objects.get(pk=world.product_b.pk).live


def test_the_read_only_apis_answer_a_post_with_405(client, world):
    for url in (
        f"/api/v1/growing-areas/{world.area.code}",
        f"/api/v1/batches/{world.batch_a.short_code}",
        f"/api/v1/batches/{world.batch_a.short_code}/epcis",
    ):
        response = client.post(url, {"x": "1"})
        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD"


BANK_SECRET = "bank-test-secret"
STRIPE_SECRET = "whsec_test_secret"


def bank_notice(world: World) -> bytes:
    return json.dumps(
        {
            "transaction_id": "FT26001000001",
            "amount": world.order_a.total,
            "description": world.order_a.payment_reference,
            "account": world.coop_a.bank_account_number,
            "occurred_at": "2026-01-05T10:00:00+07:00",
        }
    ).encode()


@pytest.mark.parametrize(
    ("signature", "status"),
    [
        (None, 401),
        ("", 401),
        ("0" * 64, 401),
        ("other-secret", 401),
        ("other-body", 401),
    ],
)
def test_the_bank_webhook_refuses_unsigned_or_wrongly_signed_notices(
    client, world, settings, signature, status
):
    settings.BANK_WEBHOOK_SECRET = BANK_SECRET
    body = bank_notice(world)
    headers = {}
    if signature == "other-secret":
        headers["HTTP_X_SIGNATURE"] = hmac.new(b"guess", body, hashlib.sha256).hexdigest()
    elif signature == "other-body":
        headers["HTTP_X_SIGNATURE"] = hmac.new(BANK_SECRET.encode(), body + b" ", hashlib.sha256).hexdigest()
    elif signature is not None:
        headers["HTTP_X_SIGNATURE"] = signature
    response = client.post("/webhooks/bank/", body, content_type="application/json", **headers)
    assert response.status_code == status
    assert not BankNotification.objects.exists()
    assert Order.objects.get(pk=world.order_a.pk).status == "pending_payment"


def test_the_bank_webhook_takes_a_signed_notice_and_is_off_without_a_secret(client, world, settings):
    body = bank_notice(world)
    signature = hmac.new(BANK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    settings.BANK_WEBHOOK_SECRET = ""
    response = client.post(
        "/webhooks/bank/", body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )
    assert response.status_code == 503
    settings.BANK_WEBHOOK_SECRET = BANK_SECRET
    response = client.post(
        "/webhooks/bank/", body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )
    assert response.status_code == 200
    assert Order.objects.get(pk=world.order_a.pk).status == "paid"


def stripe_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signed}"


@pytest.mark.parametrize("case", ["missing", "wrong-secret", "stale", "other-body"])
def test_the_stripe_webhook_refuses_unsigned_wrongly_signed_or_stale_events(client, db, settings, case):
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "ping", "data": {"object": {}}}).encode()
    now = int(time.time())
    headers = {
        "missing": {},
        "wrong-secret": {"HTTP_STRIPE_SIGNATURE": stripe_signature(payload, "whsec_guess", now)},
        "stale": {"HTTP_STRIPE_SIGNATURE": stripe_signature(payload, STRIPE_SECRET, now - 301)},
        "other-body": {"HTTP_STRIPE_SIGNATURE": stripe_signature(payload + b" ", STRIPE_SECRET, now)},
    }[case]
    response = client.post("/webhooks/stripe/", payload, content_type="application/json", **headers)
    assert response.status_code == 400


def test_the_stripe_webhook_takes_a_signed_event(client, db, settings):
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "ping", "data": {"object": {}}}).encode()
    signature = stripe_signature(payload, STRIPE_SECRET, int(time.time()))
    response = client.post(
        "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 200


# Order tokens ------------------------------------------------------------------------------

URL_SAFE = re.compile(r"^[A-Za-z0-9_-]{43,}$")


def test_order_tokens_are_256_random_bits_from_secrets(monkeypatch):
    calls = []
    real = order_models.secrets.token_urlsafe

    def spy(nbytes=None):
        calls.append(nbytes)
        return real(nbytes)

    monkeypatch.setattr(order_models.secrets, "token_urlsafe", spy)
    token = order_models.new_order_token()
    assert calls and calls[0] >= 32
    assert URL_SAFE.match(token)
    assert Order._meta.get_field("token").unique


def test_every_order_gets_its_own_long_url_safe_token(world):
    orders = [world.order_a, world.order_b]
    for _ in range(10):
        orders += place_orders(
            items={world.variant_a.pk: 1, world.variant_b.pk: 1},
            buyer=BUYER,
            checkout_id=__import__("uuid").uuid4(),
        )
    tokens = [order.token for order in orders]
    assert len(set(tokens)) == len(tokens) == 22
    assert all(URL_SAFE.match(token) for token in tokens)
    # Not derived from the number, the reference or the time: no two share a prefix.
    assert len({token[:8] for token in tokens}) == len(tokens)


def wrong_tokens(order: Order, other: Order) -> dict:
    token = order.token
    return {
        "shortened": token[:-1],
        "half": token[:22],
        "longer": token + "A",
        "case-changed": token.swapcase(),
        "one-character-changed": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "number": order.number,
        "payment-reference": order.payment_reference,
        "pk": str(order.pk),
        "sql": "' OR '1'='1",
        "like": token[:10] + "%",
        "wildcard": "_" * len(token),
        "empty-ish": " ",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "shortened",
        "half",
        "longer",
        "case-changed",
        "one-character-changed",
        "number",
        "payment-reference",
        "pk",
        "sql",
        "like",
        "wildcard",
        "empty-ish",
    ],
)
def test_a_wrong_token_is_not_found(client, world, kind):
    token = wrong_tokens(world.order_a, world.order_b)[kind]
    from urllib.parse import quote

    assert client.get(f"/orders/{quote(token, safe='')}/").status_code == 404
    assert client.get(f"/orders/{quote(token, safe='')}/vietqr.png").status_code == 404


def test_each_token_opens_its_own_order_only(client, world):
    page_a = client.get(f"/orders/{world.order_a.token}/")
    page_b = client.get(f"/orders/{world.order_b.token}/")
    assert page_a.status_code == page_b.status_code == 200
    assert page_a.context["order"].pk == world.order_a.pk
    assert page_b.context["order"].pk == world.order_b.pk
    assert world.order_a.number not in page_b.content.decode()
