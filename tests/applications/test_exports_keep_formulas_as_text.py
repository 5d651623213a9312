"""What an applicant types on the public form ends up in the officer's spreadsheets: the queue's
export (CSV, XLSX) and, once granted, the monthly report (village, crop). A name or village that
starts like a formula stays text there, never a formula the officer's spreadsheet would run."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from django.urls import reverse

from applications.models import ApplicantKind
from growers.factories import GrowingAreaFactory

from .queue_fixtures import make_application

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com/x","Bấm vào đây")'


def download(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_queue_export_keeps_an_applicants_formula_as_text(client, officer):
    make_application(applicant_name=FORMULA, village=FORMULA, applicant_kind=ApplicantKind.HOUSEHOLD)
    client.force_login(officer)

    text = download(client, reverse("code_applications:index"), {"export": "csv"}).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    typed = [cell for cell in rows[1] if FORMULA in cell]  # the name and the village
    assert typed == ["'" + FORMULA, "'" + FORMULA]

    book = openpyxl.load_workbook(
        io.BytesIO(download(client, reverse("code_applications:index"), {"export": "xlsx"}))
    )
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_the_monthly_report_keeps_a_village_formula_as_text(client, officer, coop1):
    GrowingAreaFactory(code="VN-SLL-0101", cooperative=coop1, village=FORMULA, area_hectares=Decimal("2"))
    client.force_login(officer)
    book = openpyxl.load_workbook(io.BytesIO(download(client, reverse("commune_report_xlsx"), {})))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" for cell in cells)


@pytest.mark.parametrize(
    "village", ["Bản <Nậm Xe", 'Bản <link href="http://example.com">Xe</link>', "Pa & Vây"]
)
def test_the_monthly_reports_pdf_takes_any_village_as_written(client, officer, coop1, village):
    GrowingAreaFactory(code="VN-SLL-0101", cooperative=coop1, village=village, area_hectares=Decimal("2"))
    client.force_login(officer)
    response = client.get(reverse("commune_report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"http://example.com" not in response.content  # no link made from what was typed
