"""The order desk's spreadsheet export (CSV and XLSX) as a cooperative's editor downloads it:
what a buyer typed must arrive as text, never as a formula the spreadsheet would run."""

import csv
import io

import openpyxl
import pytest

from django.test import Client
from django.urls import reverse

from orders.models import Order

FORMULA_NAME = '=HYPERLINK("http://x","y")'
FORMULA_NOTE = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def buyers_order(add_to_cart, checkout, cardamom):
    """A buyer's order, placed through the cart and the checkout form with formulas as text."""
    add_to_cart(cardamom, 1)
    response = checkout(name=FORMULA_NAME, note=FORMULA_NOTE)
    assert response.status_code in (302, 303), response.content[:2000]
    return Order.objects.get()


def editors_download(user, export_format: str):
    editor = Client()
    editor.force_login(user)
    response = editor.get(reverse("order_desk:index"), {"export": export_format, "status": ""})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content


def test_cooperative_editor_downloads_a_buyers_formula_as_text_in_csv(buyers_order, desk_users):
    content = editors_download(desk_users["coop1"], "csv")

    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    (row,) = [row for row in rows if row["Người mua"] == "'" + FORMULA_NAME]
    assert row["Ghi chú"] == "'" + FORMULA_NOTE
    assert row["Số đơn hàng"] == buyers_order.number  # ordinary text stays as it was


def test_cooperative_editor_downloads_a_buyers_formula_as_text_in_xlsx(buyers_order, desk_users):
    content = editors_download(desk_users["coop1"], "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    # Exactly what the buyer typed, no apostrophe shown in the cell, and a string, not a formula.
    for typed in (FORMULA_NAME, FORMULA_NOTE):
        assert typed in cells, list(cells)
        assert cells[typed].data_type == "s"
    assert "'" + FORMULA_NAME not in cells
    assert buyers_order.number in cells
