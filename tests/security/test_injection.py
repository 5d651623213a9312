"""HTML and script typed into any field an editor, an officer or a buyer fills in is shown as text,
never run: on the public pages (product, cooperative, shop, trace page, registry, order page) and
in the admin's listings. Rich text goes through Wagtail's editor conversion, which keeps only
the features the block allows (no <script>, no on* attributes, no javascript: links).

Checked on the parsed page: no executable <script> holding the marker, no element with an on*
attribute or a javascript: link holding it, and the typed text readable as text. Wording is not
checked (the interface is being translated)."""

import json
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, rich_text

from growers.models import GrowingArea
from orders.models import Order
from products.models import Category, ProductPage
from tests.helpers import product_edit_data, variant_rows
from traceability.models import TraceEvent

from .conftest import World, login

MARKER = "alert(7331)"
# Closes a text node, an attribute in either quotes and a <textarea>/<title>, then tries both a
# script element and an event handler.
PAYLOAD = f"Thảo quả\"'></textarea></title><script>{MARKER}</script><img src=x onerror={MARKER}>"
# For fields of at most 60 characters (a pack's label), which PostgreSQL enforces.
SHORT_PAYLOAD = f"<script>{MARKER}</script><img src=x onerror={MARKER}>"
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def assert_inert(response, *, shown: str | None = PAYLOAD):
    """No live script or handler carries the marker; `shown` (if given) reads as text."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert f"<script>{MARKER}" not in body
    assert f"<img src=x onerror={MARKER}" not in body
    soup = BeautifulSoup(body, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type", "").lower() in EXECUTABLE_SCRIPT_TYPES:
            assert MARKER not in script.get_text(), str(script)[:300]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                assert MARKER not in value, str(tag)[:300]
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith("javascript:"), str(tag)[:300]
            assert MARKER not in name
    if shown is not None:
        assert shown in soup.get_text(), f"{shown!r} is not shown as text"
    return soup


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def injected(world: World):
    """The payload in every free-text field an editor or officer fills in and a buyer sees."""
    coop = world.coop_a
    coop.title = f"HTX {PAYLOAD}"
    coop.address = PAYLOAD
    coop = publish(coop)
    product = world.product_a
    product.title = f"SP {PAYLOAD}"
    product.summary = PAYLOAD
    product.description = [
        ("quote", {"text": PAYLOAD, "attribution": PAYLOAD}),
    ]
    product = publish(product)
    Category.objects.filter(pk=world.category.pk).update(name=PAYLOAD)
    GrowingArea.objects.filter(pk=world.area.pk).update(name=PAYLOAD, village=PAYLOAD, crop_name=PAYLOAD)
    TraceEvent.objects.filter(batch=world.batch_a).update(notes=PAYLOAD, place=PAYLOAD, responsible=PAYLOAD)
    world.variant_a.pack_label = SHORT_PAYLOAD
    world.variant_a.save()
    return world


def test_public_pages_show_injected_text_as_text(client, injected):
    w = injected
    product = ProductPage.objects.get(pk=w.product_a.pk)
    assert_inert(client.get(product.get_url()))
    assert_inert(client.get(w.coop_a.get_url()))
    assert_inert(client.get("/"), shown=None)
    assert_inert(client.get("/shop/"))
    assert_inert(client.get("/shop/?q=SP"))
    area = GrowingArea.objects.get(pk=w.area.pk)
    assert_inert(client.get("/growing-areas/"))
    assert_inert(client.get(f"/growing-areas/{area.code}/"))
    batch = w.batch_a
    batch.refresh_from_db()
    assert_inert(client.get(f"/t/{batch.short_code}"))
    assert_inert(client.get(batch.get_url()))


def test_recall_reason_and_boundary_title_on_the_trace_and_registry_pages(client, world):
    from growers.factories import square_boundary

    GrowingArea.objects.filter(pk=world.area.pk).update(name=PAYLOAD, boundary=square_boundary())
    batch = world.batch_a
    batch.recalled_on = timezone.localdate()
    batch.recall_reason = PAYLOAD
    publish(batch)
    assert_inert(client.get(f"/t/{batch.short_code}"))
    assert_inert(client.get(f"/growing-areas/{world.area.code}/"))


def hostile_contentstate() -> str:
    """What a tampered editor could post: hostile text, a javascript: link, an image entity with
    an event handler, and a block type the paragraph does not allow."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": f"{PAYLOAD} bấm đây",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": len(PAYLOAD) + 1, "length": 7, "key": 0}],
                    "data": {"onclick": MARKER},
                },
                {
                    "key": "d3e4f",
                    "type": "atomic",
                    "depth": 0,
                    "text": " ",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 1, "key": 1}],
                    "data": {},
                },
                {
                    "key": "g5h6i",
                    "type": "code-block",
                    "depth": 0,
                    "text": f"<script>{MARKER}</script>",
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                    "data": {},
                },
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": f"javascript:{MARKER}"}},
                "1": {
                    "type": "IMAGE",
                    "mutability": "IMMUTABLE",
                    "data": {"src": "x", "onerror": MARKER, "alt": PAYLOAD},
                },
            },
        }
    )


def product_edit_form(product: ProductPage, description: list) -> dict:
    variants = [{**row, "is_active": "on"} for row in variant_rows(product)]
    return product_edit_data(
        product, variants=variants, description=description, summary=PAYLOAD, comments=inline_formset([])
    )


def pasted_html() -> str:
    """HTML as the editor would receive it from a paste or an old database value, converted by
    Wagtail's own HTML-to-editor parser."""
    return rich_text(
        f"<p>{PAYLOAD.replace('&', '&amp;').replace('<', '&lt;')}</p><p>x<script>{MARKER}</script>"
        f'<img src="x" onerror="{MARKER}"/><a href="javascript:{MARKER}" onclick="{MARKER}">bấm</a></p>'
    )


@pytest.mark.parametrize(
    "paragraph", [hostile_contentstate, pasted_html], ids=["tampered-contentstate", "pasted-html"]
)
def test_rich_text_and_quote_typed_in_the_page_editor_are_made_harmless(client, world, paragraph):
    login(client, world, "editor_a")
    product = world.product_a
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]),
        product_edit_form(
            product,
            [("paragraph", paragraph()), ("quote", {"text": PAYLOAD, "attribution": PAYLOAD})],
        ),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    product = ProductPage.objects.get(pk=product.pk)
    assert product.summary == PAYLOAD
    stored = product.description.raw_data
    paragraph_html = next(block["value"] for block in stored if block["type"] == "paragraph")
    # What Wagtail stored keeps none of the markup: the text (escaped) and allowed elements only.
    fragment = BeautifulSoup(paragraph_html, "html.parser")
    assert fragment.find_all(["script", "img", "iframe", "object", "embed", "style"]) == []
    for tag in fragment.find_all(True):
        assert tag.name in ("p", "a", "b", "i", "ol", "ul", "li", "br"), tag.name
        assert not [name for name in tag.attrs if name.lower().startswith("on")], str(tag)
        assert not tag.get("href", "").strip().lower().startswith("javascript:"), str(tag)
    quote_block = next(block["value"] for block in stored if block["type"] == "quote")
    assert quote_block == {"text": PAYLOAD, "attribution": PAYLOAD}

    client.logout()
    soup = assert_inert(client.get(product.get_url()))
    assert soup.find("blockquote") is not None
    assert PAYLOAD in soup.find("blockquote").get_text()


def checkout_as_buyer(client, world: World) -> Order:
    assert client.post("/cart/add/", {"variant": world.variant_a.pk, "quantity": 1}).status_code == 303
    client.get("/checkout/")
    response = client.post(
        "/checkout/",
        {
            "name": PAYLOAD,
            "phone": "0912 345 678",
            "delivery_method": "shipping",
            "delivery_address": PAYLOAD,
            "email": "",
            "note": PAYLOAD,
            "payment_method": "vietqr",
            "checkout_id": client.session["checkout_id"],
        },
    )
    assert response.status_code in (302, 303), response.status_code
    order = Order.objects.exclude(pk__in=[world.order_a.pk, world.order_b.pk]).get()
    assert order.buyer_name == " ".join(PAYLOAD.split())
    return order


def test_buyer_details_typed_at_checkout_are_text_on_the_order_page_and_in_the_order_desk(client, world):
    order = checkout_as_buyer(client, world)
    shown_name = " ".join(PAYLOAD.split())
    done = client.get(reverse("orders:checkout_done", args=[order.checkout_id]))
    assert_inert(done, shown=None)
    assert_inert(client.get(f"/orders/{order.token}/"), shown=shown_name)

    client.logout()
    login(client, world, "editor_a")
    assert_inert(client.get(reverse("order_desk:index")), shown=shown_name)
    assert_inert(client.get(reverse("order_desk:index") + "?q=Th"), shown=shown_name)
    assert_inert(client.get(reverse("order_desk:inspect", args=[order.pk])), shown=shown_name)


def test_names_are_text_in_the_admin_listings(client, injected):
    w = injected
    login(client, w, "officer")
    assert_inert(client.get(reverse("growing_areas:index")))
    assert_inert(client.get(reverse("growing_areas:inspect", args=[w.area.pk])))
    assert_inert(client.get(reverse("growing_areas:edit", args=[w.area.pk])), shown=None)
    assert_inert(client.get(reverse("traceability_recall_batches")), shown=None)
    assert_inert(client.get(reverse("wagtailadmin_home")), shown=None)
    client.logout()
    login(client, w, "editor_a")
    assert_inert(client.get(reverse("wagtailadmin_explore", args=[w.coop_a.pk])))
    assert_inert(client.get(reverse("wagtailadmin_explore", args=[w.product_a.pk])), shown=None)
    assert_inert(client.get(reverse("wagtailadmin_pages:edit", args=[w.product_a.pk])), shown=None)
    assert_inert(client.get(reverse("traceability_batch_labels", args=[w.batch_a.pk])), shown=None)
    assert_inert(client.get(reverse("order_desk:index")), shown=None)
    client.logout()
    login(client, w, "admin")
    assert_inert(client.get(reverse("wagtailsnippets_products_category:list")))


# Reflected input: what a link or a typed address carries comes back as text ------------------

REFLECTED = [
    "/shop/?"
    + "&".join(
        f"{name}={quote(PAYLOAD)}"
        for name in (
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
    ),
    "/growing-areas/?" + "&".join(f"{name}={quote(PAYLOAD)}" for name in ("q", "status", "crop", "village")),
    "/growing-areas/" + quote(PAYLOAD, safe="") + "/",
    "/t/" + quote(PAYLOAD, safe=""),
    "/01/" + quote(PAYLOAD, safe="") + "/10/" + quote(PAYLOAD, safe=""),
    "/en/shop/?q=" + quote(PAYLOAD),
    "/cart/?next=" + quote(PAYLOAD),
]


@pytest.mark.parametrize("url", REFLECTED)
def test_reflected_input_is_never_live_markup(client, world, url):
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code
    response.status_code = 200  # a "not found" page is checked the same way
    assert_inert(response, shown=None)


def test_cart_messages_about_a_product_show_its_name_as_text(client, injected):
    w = injected
    # More than the stock: the message names the product and its pack.
    client.post("/cart/add/", {"variant": w.variant_a.pk, "quantity": 99})
    assert_inert(client.get("/cart/"), shown=None)
    client.post("/cart/add/", {"variant": w.variant_a.pk, "quantity": 1})
    assert_inert(client.get("/cart/"))


# Open redirects: a "next" address never leads off the site -----------------------------------

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/en//evil.example/",
    "/hmn//evil.example/",
    "/en/\\evil.example/",
]


def leaves_the_site(location: str) -> bool:
    normalised = location.replace("\\", "/").strip()
    return normalised.startswith("//") or ":" in normalised.split("/", 1)[0]


@pytest.mark.parametrize(
    ("language", "next_url"),
    [(language, url) for language in ("vi", "en") for url in OFF_SITE],
)
def test_language_switch_never_redirects_off_the_site(client, db, language, next_url):
    response = client.get(f"/language/{language}/", {"next": next_url})
    assert response.status_code == 302
    assert not leaves_the_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("next_url", list(OFF_SITE))
def test_cart_form_never_redirects_off_the_site(client, world, next_url):
    response = client.post("/cart/add/", {"variant": world.variant_a.pk, "quantity": 1, "next": next_url})
    assert response.status_code == 303
    assert not leaves_the_site(response["Location"]), response["Location"]
