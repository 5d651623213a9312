"""The agriculture officer reads the order desk for the commune's statistics: counts and amounts,
never the people (Decree 13/2023 on personal data). No buyer's name, phone, email, address or
note reaches the officer in any view of the desk: list, search, export, order page, timeline,
bank notices. The cooperative's editor still sees their own buyers; a superuser sees all."""

import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from orders.models import BankNotification, BankNotificationOutcome, Order
from orders.services import change_status

BUYER = {
    "buyer_name": "Lò Thị Mây",
    "buyer_phone": "0987654321",
    "buyer_email": "may.lo@example.com",
    "delivery_address": "Bản Nậm Cáy, xã Sì Lở Lầu",
    "note": "Gọi trước khi giao, nhà cạnh trường",
}
CARRIER_NOTE = "Đã gọi chị Mây 0987654321"


@pytest.fixture
def buyers_order(desk_orders):
    order = desk_orders["coop1"]
    Order.objects.filter(pk=order.pk).update(delivery_method="shipping", **BUYER)
    order.refresh_from_db()
    change_status(order=order, to_status="cancelled", note=CARRIER_NOTE, source="admin")
    BankNotification.objects.create(
        transaction_id="TX-MAY",
        amount=5,
        description="LO THI MAY 0987654321 chuyen tien",
        raw_body="{}",
        outcome=BankNotificationOutcome.WRONG_AMOUNT,
        order=order,
    )
    return order


def everything_reachable(client, order) -> str:
    index = reverse("order_desk:index")
    pages = [
        client.get(index),
        client.get(reverse("order_desk:index_results")),
        client.get(reverse("order_desk:inspect", args=[order.pk])),
        client.get(reverse("order_desk:bank_notices")),
        client.get(index, {"export": "csv"}),
        client.get(index, {"export": "xlsx"}),
    ]
    texts = []
    for response in pages:
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            sheet = load_workbook(io.BytesIO(content)).active
            texts.append(" ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row))
        else:
            texts.append(content.decode("utf-8-sig"))
    return "\n".join(texts)


def personal_data_in(text: str) -> list[str]:
    shown = [value for value in (*BUYER.values(), CARRIER_NOTE, "LO THI MAY") if value in text]
    return shown + (["phone"] if "0987654321" in text else [])


def test_officer_sees_orders_and_amounts_but_no_buyer(client, desk_users, buyers_order):
    client.force_login(desk_users["officer"])
    text = everything_reachable(client, buyers_order)

    assert buyers_order.number in text
    assert "240.000" in text
    assert personal_data_in(text) == []


@pytest.mark.parametrize("query", [BUYER["buyer_phone"], BUYER["buyer_name"], "0987654"])
def test_officer_cannot_find_an_order_by_the_buyers_phone_or_name(client, desk_users, buyers_order, query):
    client.force_login(desk_users["officer"])
    for name in ("index", "index_results"):
        page = client.get(reverse(f"order_desk:{name}"), {"q": query, "status": ""}).content.decode()
        assert buyers_order.number not in page
    export = client.get(reverse("order_desk:index"), {"q": query, "export": "csv"})
    assert buyers_order.number not in b"".join(export.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("role", ["coop1", "admin"])
def test_cooperative_editor_and_superuser_still_see_the_buyer(client, desk_users, buyers_order, role):
    client.force_login(desk_users[role])
    text = everything_reachable(client, buyers_order)
    for value in (*BUYER.values(), CARRIER_NOTE):
        assert value in text
    found = client.get(reverse("order_desk:index"), {"q": BUYER["buyer_phone"], "status": ""})
    assert buyers_order.number in found.content.decode()
