"""What buyers and cooperatives read on the order screens: a pay button one can read, every time
in the site's time zone (Asia/Ho_Chi_Minh, UTC+7), an unpaid order said in words, and a note
typed on the order desk kept whichever status button is pressed."""

import datetime as dt
import re

import pytest
import soupsieve
from bs4 import BeautifulSoup

from django.urls import reverse

from orders.models import Order, OrderStatus

PLACED_UTC = dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC)  # 14:30 in Hà Nội


def desk_url(name, order):
    return reverse(f"order_desk:{name}", args=[order.pk])


@pytest.fixture
def as_user(client, desk_users):
    def login(role):
        client.force_login(desk_users[role])
        return client

    return login


# Contrast, computed from the page's own inlined stylesheet --------------------------------------

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
STATE = re.compile(r":(hover|focus|focus-visible|focus-within|active|visited)\b|::")


def css_rules(css: str):
    """(selector, declarations, order) of every plain rule, those inside @media included (a
    phone may match any of them)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)  # unwrap: the inner rules stay, the closing } is skipped
    rules = []
    for order, (selectors, body) in enumerate(RULE.findall(css)):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.replace("!important", "").strip()
        for selector in selectors.split(","):
            selector = selector.strip().lstrip("}").strip()
            if selector and not selector.startswith("@"):
                rules.append((selector, declarations, order))
    return rules


def specificity(selector: str) -> tuple[int, int, int]:
    ids = len(re.findall(r"#[\w-]+", selector))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]+\]|:(?!:)[\w-]+", selector))
    types = len(re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", selector))
    return ids, classes, types


def computed(element, prop, rules, variables):
    """The value of `prop` on `element` by the cascade (specificity, then source order)."""
    best = None
    for selector, declarations, order in rules:
        if prop not in declarations or STATE.search(selector):
            continue
        try:
            matches = soupsieve.match(selector, element)
        except soupsieve.SelectorSyntaxError:
            continue
        if matches:
            rank = (specificity(selector), order)
            if best is None or rank >= best[0]:
                best = (rank, declarations[prop])
    if best is None:
        return None
    value = best[1]
    while "var(" in value:
        value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value)
    return value


def colour_of(element, rules, variables):
    while element is not None and element.name:
        value = computed(element, "color", rules, variables)
        if value:
            return value
        element = element.parent
    return "#000"


def background_of(element, rules, variables):
    while element is not None and element.name:
        value = computed(element, "background-color", rules, variables) or computed(
            element, "background", rules, variables
        )
        if value and value not in ("transparent", "none"):
            return value
        element = element.parent
    return "#fff"


def rgb(value: str) -> tuple[int, int, int]:
    match = re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", value)
    assert match, f"not a colour this test reads: {value}"
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def luminance(colour) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def button_contrasts(html: str) -> dict[str, float]:
    soup = BeautifulSoup(html, "html.parser")
    css = "".join(style.get_text() for style in soup.find_all("style"))
    variables = dict(re.findall(r"(--[\w-]+):([^;}]+)", css))
    rules = css_rules(css)
    found = {}
    for button in soup.select(".button, button"):
        text = " ".join(button.get_text().split()) or str(button)[:40]
        found[text] = contrast(
            rgb(colour_of(button, rules, variables)), rgb(background_of(button, rules, variables))
        )
    return found


def test_contrast_helper_finds_the_low_contrast_of_the_screenshot():
    # Dark text (#1b1b1b) on the dark green (#1d5c2e): about 2.1:1, as the finding measured.
    assert 2.0 < contrast(rgb("#1b1b1b"), rgb("#1d5c2e")) < 2.3


def test_buyer_can_read_the_see_order_and_pay_button_after_ordering(cardamom, add_to_cart, checkout, client):
    add_to_cart(cardamom)
    done = client.get(checkout()["Location"])
    order = Order.objects.get()
    contrasts = button_contrasts(done.content.decode())
    assert any("See the order and pay" in text or "Xem đơn" in text for text in contrasts), contrasts
    for text, ratio in contrasts.items():
        assert ratio >= 4.5, f"{text}: {ratio:.2f}:1"
    # The sibling buttons of the same class on the order page and the cart.
    for page in (client.get(order.get_absolute_url()), client.get("/cart/")):
        for text, ratio in button_contrasts(page.content.decode()).items():
            assert ratio >= 4.5, f"{text}: {ratio:.2f}:1"


# Times in the site's time zone -----------------------------------------------------------------


def text_of(response) -> str:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(soup.get_text(" ").split())


def test_cooperative_sees_placed_deadline_and_paid_times_in_vietnam_time(as_user, desk_orders):
    order = desk_orders["coop1"]
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.PAID,
        created_at=PLACED_UTC,
        expires_at=PLACED_UTC + dt.timedelta(hours=24),
        paid_at=PLACED_UTC + dt.timedelta(minutes=9),
    )
    order.events.update(created_at=PLACED_UTC)
    client = as_user("coop1")
    page = text_of(client.get(desk_url("inspect", order)))

    assert "14:30" in page  # placed, and the timeline's first step
    assert "14:39" in page  # paid
    assert "07:30" not in page and "07:39" not in page

    export = client.get(reverse("order_desk:index"), {"export": "csv"})
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "14:30" in csv and "14:39" in csv
    assert "07:30" not in csv and "+00:00" not in csv


def test_unpaid_order_says_not_paid_yet_instead_of_none(as_user, desk_orders):
    page = text_of(as_user("coop1").get(desk_url("inspect", desk_orders["coop1"])))
    assert "None" not in page
    assert "Chưa thanh toán" in page


# The note typed on the order desk ---------------------------------------------------------------


def test_every_status_button_on_the_order_desk_sends_the_typed_note(as_user, desk_orders):
    order = desk_orders["coop1"]
    soup = BeautifulSoup(as_user("coop1").get(desk_url("inspect", order)).content.decode(), "html.parser")
    section = soup.find(id="order-actions-heading").find_parent("section")
    controls = section.select("a, button")
    assert len(controls) >= 2  # "transfer received" and "cancel order"
    for control in controls:
        assert control.name == "button", f"{control.get_text(strip=True)} does not submit the note"
        form = control.find_parent("form")
        assert form is not None and form.find("textarea", attrs={"name": "note"}) is not None


def test_transfer_received_from_the_order_page_keeps_the_typed_note(as_user, desk_orders):
    order = desk_orders["coop1"]
    client = as_user("coop1")
    note = "Khách chuyển từ tài khoản của chồng"
    form_page = client.post(desk_url("transfer", order), {"note": note})
    assert form_page.status_code == 200
    assert note in form_page.content.decode()
    assert not form_page.context["form"].errors  # the first step shows the form, no error yet

    received = {"bank_reference": "FT26341001", "amount": order.total, "note": note}
    client.post(desk_url("transfer", order), received)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert note in order.events.get(to_status=OrderStatus.PAID).note


def test_status_change_posted_with_a_note_stores_the_note(as_user, desk_orders):
    order = desk_orders["coop1"]
    cancel = {"to_status": OrderStatus.CANCELLED, "note": "Khách hủy"}
    as_user("coop1").post(desk_url("transition", order), cancel)
    assert order.events.get(to_status=OrderStatus.CANCELLED).note == "Khách hủy"
