"""Bulk import of growing-area codes from officers' spreadsheets (issue 3, item 3): the reader and
checker (growers/importer/), the management command and the admin upload with its preview."""

import codecs
import csv
import datetime
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse

from wagtail.models import Locale, ModelLogEntry

from growers import import_views
from growers.factories import CooperativePageFactory, OfficerFactory
from growers.importer import (
    COLUMNS,
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    check_file,
    fold,
    import_growing_areas,
    template_headings,
)
from growers.models import GrowingArea, GrowingAreaStatus, Household
from website.factories import UserFactory

DATA = Path(__file__).parent / "data"
HEADING = {column.field: column.heading for column in COLUMNS}
FIELDS = (
    "code",
    "name",
    "village",
    "crop_name",
    "area_hectares",
    "latitude",
    "longitude",
    "decision_number",
    "issued_on",
    "valid_until",
    "households",
)
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[103.27, 22.62], [103.275, 22.62], [103.275, 22.625], [103.27, 22.625], [103.27, 22.62]]
    ],
}


def area_row(**overrides) -> dict:
    row = {
        "code": "VN-DTOR-0017",
        "name": "Vùng thảo quả Sì Lở Lầu",
        "village": "Sì Lở Lầu",
        "crop_name": "Thảo quả",
        "area_hectares": "12,5",
        "latitude": "22.62",
        "longitude": "103.27",
        "decision_number": "123/QĐ-TTBVTV",
        "issued_on": "01/03/2024",
        "valid_until": "01/03/2029",
        "households": "Lý A Dế; Vàng Thị Mỷ",
    }
    row.update(overrides)
    return row


def second_row(**overrides) -> dict:
    values = {
        "code": "VN-DTOR-0018",
        "name": "Vùng sâm Lai Châu Pa Vây Sử",
        "village": "Pa Vây Sử",
        "crop_name": "Sâm Lai Châu",
        "area_hectares": "3.25",
        "latitude": "22,6812",
        "longitude": "103,3025",
        "households": "Phùng Văn Chàn",
    }
    return area_row(**{**values, **overrides})


def csv_bytes(*rows: dict, fields=FIELDS, headings=None, bom=False, delimiter=",") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headings or [HEADING[name] for name in fields])
    for row in rows:
        writer.writerow([row.get(name, "") for name in fields])
    content = buffer.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + content if bom else content


def run(content: bytes, name="vung-trong.csv", **kwargs):
    return import_growing_areas(name=name, content=content, **kwargs)


def errors_by_row(report) -> dict[int, str]:
    return {row.row_number: " | ".join(row.errors) for row in report.rows if row.errors}


def make_area(**overrides) -> GrowingArea:
    fields = {
        "code": "VN-DTOR-0017",
        "name": "Vùng thảo quả Sì Lở Lầu",
        "village": "Sì Lở Lầu",
        "crop_name": "Thảo quả",
        "area_hectares": Decimal("12.50"),
        "latitude": Decimal("22.62"),
        "longitude": Decimal("103.27"),
        "decision_number": "123/QĐ-TTBVTV",
        "issued_on": datetime.date(2024, 3, 1),
        "valid_until": datetime.date(2029, 3, 1),
    }
    fields.update(overrides)
    return GrowingArea.objects.create(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
def test_valid_csv_creates_codes_and_keeps_vietnamese_letters_exactly(bom, officer):
    report = run(csv_bytes(area_row(), second_row(), bom=bom), user=officer)

    assert report.written and report.all_valid
    assert [(row.row_number, row.code, row.action) for row in report.rows] == [
        (2, "VN-DTOR-0017", CREATE),
        (3, "VN-DTOR-0018", CREATE),
    ]
    area = GrowingArea.objects.get(code="VN-DTOR-0017")
    assert (area.name, area.village, area.crop_name) == ("Vùng thảo quả Sì Lở Lầu", "Sì Lở Lầu", "Thảo quả")
    assert area.decision_number == "123/QĐ-TTBVTV"
    assert area.area_hectares == Decimal("12.50")
    assert area.status == GrowingAreaStatus.ACTIVE
    assert area.commune == "Sì Lở Lầu"  # the model's default where the file has no column
    assert list(area.households.order_by("sort_order").values_list("head_name", flat=True)) == [
        "Lý A Dế",
        "Vàng Thị Mỷ",
    ]
    other = GrowingArea.objects.get(code="VN-DTOR-0018")
    assert (other.latitude, other.longitude) == (Decimal("22.681200"), Decimal("103.302500"))
    assert other.village == "Pa Vây Sử"
    logged = ModelLogEntry.objects.filter(action="wagtail.create", user=officer)
    assert logged.count() == 2


@pytest.mark.django_db
def test_semicolon_separated_csv_with_decimal_commas_as_excel_writes_it():
    content = csv_bytes(area_row(area_hectares="12,5", latitude="22,62", longitude="103,27"), delimiter=";")

    report = run(content)

    assert report.written, errors_by_row(report)
    assert GrowingArea.objects.get().area_hectares == Decimal("12.5")


@pytest.mark.django_db
def test_headings_in_english_or_without_accents_in_any_case_and_order():
    headings = [
        "Valid until",
        "CODE",
        "Ten vung trong",
        "village",
        "Crop",
        "area_ha",
        "Latitude",
        "kinh do",
        "Decision number",
        "Issued",
        "STT",
    ]
    fields = (
        "valid_until",
        "code",
        "name",
        "village",
        "crop_name",
        "area_hectares",
        "latitude",
        "longitude",
        "decision_number",
        "issued_on",
        "households",  # under the unknown "STT" heading: ignored
    )

    report = run(csv_bytes(area_row(households="1"), fields=fields, headings=headings))

    assert report.written, errors_by_row(report)
    assert report.ignored_columns == ["STT"]
    assert GrowingArea.objects.get().households.count() == 0


def test_every_accepted_heading_means_one_column_only():
    seen = {}
    for column in COLUMNS:
        for heading in {fold(alias) for alias in (column.heading, column.field, *column.aliases)}:
            assert seen.setdefault(heading, column.field) == column.field, heading


def xlsx_bytes(rows: list[list], title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Ghi chú").append(["Mã số vùng trồng"])  # only the first sheet is read
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_valid_xlsx_with_date_cells_text_dates_and_numbers_under_a_title():
    headings = [HEADING[name] for name in FIELDS]
    rows = [
        headings,
        [
            "VN-DTOR-0017",
            "Vùng thảo quả Sì Lở Lầu",
            "Sì Lở Lầu",
            "Thảo quả",
            12.5,
            22.62,
            103.27,
            "123/QĐ-TTBVTV",
            datetime.datetime(2024, 3, 1),
            datetime.date(2029, 3, 1),
            "Lý A Dế",
        ],
        [
            "VN-DTOR-0018",
            "Vùng sâm",
            "Pa Vây Sử",
            "Sâm Lai Châu",
            "3,25",
            "22.6812",
            "103.3025",
            456,
            "15/03/2024",
            "2029-03-15",
            None,
        ],
    ]

    report = run(xlsx_bytes(rows, title="DANH SÁCH MÃ SỐ VÙNG TRỒNG"), name="Vùng trồng 2024.xlsx")

    assert report.written, errors_by_row(report)
    # Row 1 is the title, row 2 blank, row 3 the headings: data rows are 4 and 5.
    assert [row.row_number for row in report.rows] == [4, 5]
    first = GrowingArea.objects.get(code="VN-DTOR-0017")
    assert (first.issued_on, first.valid_until) == (datetime.date(2024, 3, 1), datetime.date(2029, 3, 1))
    assert first.area_hectares == Decimal("12.50")
    second = GrowingArea.objects.get(code="VN-DTOR-0018")
    assert (second.issued_on, second.valid_until) == (datetime.date(2024, 3, 15), datetime.date(2029, 3, 15))
    assert second.decision_number == "456"


@pytest.mark.django_db
def test_inline_geojson_and_a_kml_file_uploaded_alongside_give_boundaries():
    content = csv_bytes(
        area_row(boundary=json.dumps(SQUARE)),
        second_row(boundary="vung-thao-qua-17.kml"),
        fields=(*FIELDS, "boundary"),
    )
    kml = (DATA / "vung-thao-qua-17.kml").read_bytes()

    report = run(content, boundary_files={"vung-thao-qua-17.kml": kml})

    assert report.written, errors_by_row(report)
    assert GrowingArea.objects.get(code="VN-DTOR-0017").boundary == SQUARE
    assert GrowingArea.objects.get(code="VN-DTOR-0018").boundary["type"] == "Polygon"


@pytest.mark.django_db
def test_cooperative_column_is_matched_by_title_without_accents(coop1):
    content = csv_bytes(
        area_row(cooperative="htx thao qua si lo lau"),
        second_row(cooperative="HTX không có"),
        fields=(*FIELDS, "cooperative"),
    )

    report = check_file(name="a.csv", content=content)

    assert report.rows[0].is_valid
    assert "không có hợp tác xã nào tên “HTX không có”" in errors_by_row(report)[3]
    run(content, valid_only=True)
    assert GrowingArea.objects.get().cooperative_id == coop1.pk


# Invalid files and rows ---------------------------------------------------------------------


@pytest.mark.django_db
def test_each_bad_row_is_reported_with_its_row_number_and_reason_and_nothing_is_written():
    content = csv_bytes(
        area_row(),
        second_row(code="12/AB"),
        second_row(code="VN-A-3", issued_on="01/03/2025", valid_until="01/03/2024"),
        second_row(code="VN-A-4", area_hectares="0"),
        second_row(code="VN-A-5", latitude="48.85", longitude="2.35"),
        second_row(code="VN-A-6", issued_on="31/02/2024"),
        second_row(
            code="VN-A-7",
            boundary=json.dumps(
                {"type": "Polygon", "coordinates": [[[103.27, 22.62], [103.28, 22.62], [103.27, 22.62]]]}
            ),
        ),
        second_row(code="VN-A-8", boundary='{"type": "Point", "coordinates": [103.27, 22.62]}'),
        second_row(code="VN-A-9", area_hectares="mười"),
        second_row(code="VN-A-10", name=""),
        fields=(*FIELDS, "boundary"),
    )

    report = run(content)

    assert not report.written
    assert GrowingArea.objects.count() == 0 and Household.objects.count() == 0
    errors = errors_by_row(report)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    expected = {
        3: "Mã số vùng trồng: “12/AB” không phải là mã số vùng trồng",
        4: "Hiệu lực đến: Ngày hết hiệu lực phải sau ngày cấp.",
        5: "Diện tích (ha): Diện tích phải lớn hơn 0 ha.",
        6: "Vĩ độ: Điểm này nằm ngoài Việt Nam",
        7: "Ngày cấp: “31/02/2024” không phải là ngày",
        8: "Ranh giới: Đa giác 1, vòng 1 cần ít nhất 4 điểm",
        9: "Ranh giới: Ranh giới là một Point",
        10: "Diện tích (ha): “mười” không phải là số.",
        11: "Tên vùng trồng: ô này đang trống.",
    }
    for row_number, message in expected.items():
        assert message in errors[row_number], (row_number, errors[row_number])
    assert report.rows[0].is_valid


@pytest.mark.django_db
def test_partly_valid_file_writes_nothing_unless_valid_rows_only_are_asked_for():
    content = csv_bytes(area_row(), second_row(area_hectares="0"), area_row(code="VN-DTOR-0019"))

    refused = run(content)
    assert not refused.written and GrowingArea.objects.count() == 0

    report = run(content, valid_only=True)
    assert report.written
    assert set(GrowingArea.objects.values_list("code", flat=True)) == {"VN-DTOR-0017", "VN-DTOR-0019"}
    assert [row.row_number for row in report.invalid_rows] == [3]


@pytest.mark.django_db
def test_a_code_given_twice_in_one_file_is_refused_on_both_rows():
    report = run(csv_bytes(area_row(), second_row(), area_row(code="vn-dtor 0017", name="Khác")))

    errors = errors_by_row(report)
    assert set(errors) == {2, 4}
    assert "có ở các dòng 2, 4" in errors[2] and "có ở các dòng 2, 4" in errors[4]
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_missing_required_columns_are_one_file_level_error():
    content = csv_bytes(area_row(), fields=("code", "name", "village", "crop_name", "area_hectares"))

    with pytest.raises(ImportFileError) as caught:
        run(content)

    message = str(caught.value)
    for heading in ("Vĩ độ", "Kinh độ", "Số quyết định", "Ngày cấp", "Hiệu lực đến"):
        assert heading in message
    assert "Dòng 1 phải ghi tên các cột" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vung.pdf", b"%PDF-1.4", "không phải là bảng tính"),
        ("vung.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Không đọc được tệp Excel cũ (.xls)"),
        ("vung.csv", b"", "Tệp trống."),
        ("vung.csv", codecs.BOM_UTF8 + b"\r\n\r\n", "Tệp trống."),
        ("vung.csv", "Tên vùng,Bản\n".encode("cp1258", errors="replace"), "không ở dạng UTF-8"),
        ("vung.xlsx", b"PK\x03\x04 not really a zip", "Không đọc được tệp dưới dạng sổ làm việc Excel"),
        ("vung.xlsx", b"just text", "Không đọc được tệp dưới dạng sổ làm việc Excel"),
        ("vung.csv", csv_bytes(), "có tên cột nhưng không có dòng vùng trồng nào"),
    ],
    ids=["pdf", "xls", "empty", "bom-only", "cp1258", "broken-zip", "not-zip", "headings-only"],
)
def test_unreadable_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(content, name=name)


# Importing again ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_the_same_file_again_updates_and_reports_unchanged_rows(officer):
    run(csv_bytes(area_row(), second_row()))
    ids = dict(GrowingArea.objects.values_list("code", "pk"))

    again = run(csv_bytes(area_row(), second_row()), user=officer)
    assert [row.action for row in again.rows] == [UNCHANGED, UNCHANGED]
    assert not ModelLogEntry.objects.filter(action="wagtail.edit").exists()

    changed = run(csv_bytes(area_row(valid_until="01/03/2030"), second_row()), user=officer)

    assert [row.action for row in changed.rows] == [UPDATE, UNCHANGED]
    assert changed.rows[0].changes == ["Hiệu lực đến"]
    assert dict(GrowingArea.objects.values_list("code", "pk")) == ids
    assert GrowingArea.objects.get(code="VN-DTOR-0017").valid_until == datetime.date(2030, 3, 1)
    edits = ModelLogEntry.objects.filter(action="wagtail.edit")
    assert [(entry.object_id, entry.user) for entry in edits] == [(str(ids["VN-DTOR-0017"]), officer)]


@pytest.mark.django_db
def test_code_lookup_forgives_case_spaces_and_dashes():
    make_area(code="VN-DTOR-0017")

    report = run(csv_bytes(area_row(code="vn dtor 0017", name="Tên mới")))

    assert report.written, errors_by_row(report)
    row = report.rows[0]
    assert (row.action, row.code) == (UPDATE, "VN-DTOR-0017")
    assert "Khớp với mã số đã đăng ký VN-DTOR-0017." in row.notes
    assert GrowingArea.objects.get().name == "Tên mới"
    assert GrowingArea.objects.count() == 1


@pytest.mark.django_db
def test_a_new_code_is_shown_as_it_will_be_registered():
    report = check_file(name="a.csv", content=csv_bytes(area_row(code=" vn dtor 0019 ")))

    assert report.rows[0].code == "VNDTOR0019"
    assert report.rows[0].notes == ["Sẽ được đăng ký là VNDTOR0019."]


@pytest.mark.django_db
def test_update_keeps_the_status_and_the_details_of_households_still_listed():
    area = make_area(status=GrowingAreaStatus.SUSPENDED, crop_scientific_name="Amomum tsao-ko")
    Household.objects.create(area=area, head_name="Lý A Dế", phone="0912345678", sort_order=0)
    Household.objects.create(area=area, head_name="Hộ cũ", sort_order=1)

    report = run(csv_bytes(area_row(households="Vàng Thị Mỷ; Lý A Dế")))

    assert report.rows[0].action == UPDATE
    assert "Mã số đang ở trạng thái “tạm đình chỉ”; việc nhập không thay đổi trạng thái của mã số." in (
        report.rows[0].notes
    )
    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.SUSPENDED
    assert area.crop_scientific_name == "Amomum tsao-ko"  # no column in the file: left as it was
    households = list(area.households.order_by("sort_order").values_list("head_name", "phone"))
    assert households == [("Vàng Thị Mỷ", ""), ("Lý A Dế", "0912345678")]


@pytest.mark.django_db
def test_dry_run_checks_against_the_register_and_writes_nothing():
    make_area()

    report = run(csv_bytes(area_row(name="Tên mới"), second_row()), dry_run=True)

    assert [row.action for row in report.rows] == [UPDATE, CREATE]
    assert not report.written
    assert GrowingArea.objects.get().name == "Vùng thảo quả Sì Lở Lầu"


# The management command -------------------------------------------------------------------


def command(*args) -> str:
    out = io.StringIO()
    call_command("import_growing_areas", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_dry_run_prints_the_report_and_writes_nothing(tmp_path):
    path = tmp_path / "vung.csv"
    path.write_bytes(csv_bytes(area_row(), second_row(area_hectares="0")))

    output = command(str(path), "--dry-run")

    assert "Dòng    2  VN-DTOR-0017  mã số mới" in output
    assert "Dòng    3  VN-DTOR-0018  không nhập" in output
    assert "Diện tích (ha): Diện tích phải lớn hơn 0 ha." in output
    assert "Chạy thử: chưa ghi gì cả." in output
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_command_refuses_a_file_with_invalid_rows_and_writes_nothing(tmp_path):
    path = tmp_path / "vung.csv"
    path.write_bytes(csv_bytes(area_row(), second_row(issued_on="hôm qua")))

    with pytest.raises(CommandError, match="1 dòng không hợp lệ nên chưa ghi gì cả"):
        command(str(path))

    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_command_valid_only_imports_the_valid_rows_under_the_given_user(tmp_path, officer):
    path = tmp_path / "vung.csv"
    path.write_bytes(
        csv_bytes(
            area_row(boundary="vung-thao-qua-17.kml"),
            second_row(area_hectares="0"),
            fields=(*FIELDS, "boundary"),
        )
    )
    shutil.copy(DATA / "vung-thao-qua-17.kml", tmp_path)

    output = command(str(path), "--valid-only", "--user", "officer")

    assert "Đã bỏ qua các dòng không hợp lệ: 3." in output
    area = GrowingArea.objects.get()
    assert area.boundary["type"] == "Polygon"
    assert ModelLogEntry.objects.get(action="wagtail.create").user == officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "Không đọc được missing.csv"),
        (["{dir}/vung.txt"], "không phải là bảng tính"),
        (["{dir}/vung.csv", "--user", "nobody"], "Không có người dùng nào tên “nobody”"),
    ],
)
def test_command_errors(tmp_path, args, message):
    (tmp_path / "vung.txt").write_text("x")
    (tmp_path / "vung.csv").write_bytes(csv_bytes(area_row()))

    with pytest.raises(CommandError, match=message):
        command(*(arg.format(dir=tmp_path) for arg in args))


# The admin upload ---------------------------------------------------------------------------

UPLOAD_URL = "/admin/growing-area-import/"


def upload(client, content: bytes, name="vung.csv", **extra):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content), **extra})


def preview_token(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    return response.url.rstrip("/").rsplit("/", 1)[-1]


def confirm(client, token: str, mode: str = "all", sha256: str | None = None, **extra):
    if sha256 is None:
        sha256 = client.session[import_views.SESSION_KEY]["sha256"]
    return client.post(
        reverse("growers_import_confirm", kwargs={"token": token}), {"mode": mode, "sha256": sha256, **extra}
    )


@pytest.fixture
def plain_admin(db):
    user = UserFactory(username="plain-admin")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_admin_urls_are_the_ones_the_tests_use():
    assert reverse("growers_import") == UPLOAD_URL


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coop1_editor", "plain_admin"])
def test_users_without_the_officers_permissions_are_refused_and_change_nothing(request, client, who):
    client.force_login(request.getfixturevalue(who))
    dashboard = reverse("wagtailadmin_home")

    for response in (
        client.get(UPLOAD_URL),
        client.get(reverse("growers_import_template")),
        upload(client, csv_bytes(area_row())),
        client.get(reverse("growers_import_preview", kwargs={"token": "x"})),
        client.post(reverse("growers_import_confirm", kwargs={"token": "x"}), {"mode": "valid"}),
    ):
        assert (response.status_code, response.url) == (302, dashboard)
    assert import_views.SESSION_KEY not in client.session
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (client.get(UPLOAD_URL), upload(client, csv_bytes(area_row()))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_the_menu_item_is_shown_to_officers_only(officer, plain_admin):
    item = import_views.menu_item()
    request = RequestFactory().get("/admin/")
    request.user = officer
    assert item.is_shown(request)
    request.user = plain_admin
    assert not item.is_shown(request)


@pytest.mark.django_db
def test_officer_sees_the_upload_form_and_downloads_the_template(officer_client):
    page = officer_client.get(UPLOAD_URL)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b'name="csrfmiddlewaretoken"' in page.content
    assert "Mã số vùng trồng" in page.content.decode()

    template = officer_client.get(reverse("growers_import_template"))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.startswith(codecs.BOM_UTF8)
    assert template.content.decode("utf-8-sig").strip().split(",") == template_headings()


@pytest.mark.django_db
def test_upload_preview_then_import_all(officer_client, officer):
    token = preview_token(upload(officer_client, csv_bytes(area_row(), second_row())))
    assert GrowingArea.objects.count() == 0  # the preview writes nothing

    preview = officer_client.get(reverse("growers_import_preview", kwargs={"token": token}))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "VN-DTOR-0018" in html and "mã số mới" in html
    assert 'name="mode" value="all" class="button">' in html  # enabled
    assert 'value="valid"' not in html

    done = confirm(officer_client, token)

    assert done.status_code == 302
    assert set(GrowingArea.objects.values_list("code", flat=True)) == {"VN-DTOR-0017", "VN-DTOR-0018"}
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=officer).count() == 2
    assert import_views.SESSION_KEY not in officer_client.session
    # The same confirmation cannot be replayed.
    confirm(officer_client, token, sha256="x")
    assert GrowingArea.objects.count() == 2


DATES = ("01/03/2024", "01/03/2029")


@pytest.mark.django_db
def test_preview_with_bad_rows_disables_import_all_and_offers_the_valid_rows(officer_client):
    content = xlsx_bytes(
        [
            [HEADING[name] for name in FIELDS],
            ["VN-DTOR-0017", "Vùng A", "Sì Lở Lầu", "Thảo quả", 1, 22.62, 103.27, "1", *DATES],
            ["VN-DTOR-0018", "Vùng B", "Sì Lở Lầu", "Thảo quả", 0, 22.62, 103.27, "2", *DATES],
        ]
    )
    token = preview_token(upload(officer_client, content, name="vung.xlsx"))

    html = officer_client.get(reverse("growers_import_preview", kwargs={"token": token})).content.decode()
    assert 'name="mode" value="all" class="button" disabled' in html
    assert "Chỉ nhập 1 dòng hợp lệ" in html
    assert "Diện tích phải lớn hơn 0 ha." in html

    refused = confirm(officer_client, token, mode="all")
    assert refused.url == reverse("growers_import_preview", kwargs={"token": token})
    assert GrowingArea.objects.count() == 0

    confirm(officer_client, token, mode="valid")
    assert list(GrowingArea.objects.values_list("code", flat=True)) == ["VN-DTOR-0017"]


@pytest.mark.django_db
def test_the_confirmation_imports_only_the_file_that_was_previewed(officer_client, client, db):
    token = preview_token(upload(officer_client, csv_bytes(area_row())))
    sha256 = officer_client.session[import_views.SESSION_KEY]["sha256"]
    forged_file = SimpleUploadedFile("forged.csv", csv_bytes(area_row(code="VN-FORGED-1")))

    # A wrong token, a wrong digest, or another officer's session import nothing.
    confirm(officer_client, "not-the-token", sha256=sha256)
    confirm(officer_client, token, sha256="0" * 64)
    other = OfficerFactory(username="officer2")
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    other_client.post(
        reverse("growers_import_confirm", kwargs={"token": token}), {"mode": "all", "sha256": sha256}
    )
    assert GrowingArea.objects.count() == 0

    # A file sent with the confirmation is ignored: the kept one is imported.
    confirm(officer_client, token, sha256=sha256, file=forged_file)
    assert list(GrowingArea.objects.values_list("code", flat=True)) == ["VN-DTOR-0017"]


@pytest.mark.django_db
def test_a_later_upload_replaces_the_earlier_preview(officer_client):
    first = preview_token(upload(officer_client, csv_bytes(area_row())))
    preview_token(upload(officer_client, csv_bytes(second_row())))

    response = officer_client.get(reverse("growers_import_preview", kwargs={"token": first}))

    assert response.url == UPLOAD_URL
    confirm(officer_client, first)
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vung.pdf", b"%PDF-1.4", "không phải là bảng tính"),
        ("vung.csv", b"", "Tệp trống."),
        ("vung.xlsx", b"PK\x03\x04 broken", "Không đọc được tệp dưới dạng sổ làm việc Excel"),
        ("vung.csv", csv_bytes(area_row(), fields=("code", "name")), "Tệp không có cột"),
    ],
    ids=["wrong-type", "empty", "corrupt", "missing-columns"],
)
def test_upload_form_refuses_unreadable_files(officer_client, name, content, message):
    response = upload(officer_client, content, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert import_views.SESSION_KEY not in officer_client.session


@pytest.mark.django_db
def test_upload_form_refuses_a_file_over_the_size_limit(officer_client, monkeypatch):
    monkeypatch.setattr(import_views, "MAX_SPREADSHEET_BYTES", 100)

    response = upload(officer_client, csv_bytes(area_row(), second_row()))

    assert response.status_code == 200
    assert "mỗi lần chỉ nhập được tối đa 100" in response.content.decode()


@pytest.mark.django_db
def test_boundary_files_uploaded_with_the_spreadsheet_are_used(officer_client):
    content = csv_bytes(area_row(boundary="vung-thao-qua-17.kml"), fields=(*FIELDS, "boundary"))
    kml = SimpleUploadedFile("vung-thao-qua-17.kml", (DATA / "vung-thao-qua-17.kml").read_bytes())

    token = preview_token(upload(officer_client, content, boundary_files=[kml]))
    confirm(officer_client, token)

    assert GrowingArea.objects.get().boundary["type"] == "Polygon"


# A cooperative with translated copies ------------------------------------------------------


@pytest.fixture
def coop1_in_hmong(coop1):
    """coop1 translated with Wagtail's "Translate" action: the Hmong copy keeps the title."""
    hmong = Locale.objects.get_or_create(language_code="hmn")[0]
    copy = coop1.copy_for_translation(hmong, copy_parents=True)
    copy.save_revision().publish()
    return copy


@pytest.mark.django_db
def test_officer_imports_rows_naming_a_cooperative_that_has_a_translated_copy(
    officer_client, coop1, coop1_in_hmong
):
    assert coop1_in_hmong.title == coop1.title == "HTX Thảo quả Sì Lở Lầu"
    content = csv_bytes(
        area_row(cooperative="HTX Thảo quả Sì Lở Lầu"),
        second_row(cooperative="htx thao qua si lo lau"),
        fields=(*FIELDS, "cooperative"),
    )
    token = preview_token(upload(officer_client, content))

    html = officer_client.get(reverse("growers_import_preview", kwargs={"token": token})).content.decode()
    assert "không có hợp tác xã nào" not in html
    assert 'name="mode" value="all" class="button">' in html  # enabled

    confirm(officer_client, token)

    # The areas belong to the cooperative in the site's own language, not to its translation.
    assert list(GrowingArea.objects.values_list("cooperative_id", flat=True)) == [coop1.pk, coop1.pk]


@pytest.mark.django_db
def test_command_imports_rows_naming_a_cooperative_that_has_a_translated_copy(
    tmp_path, coop1, coop1_in_hmong
):
    spreadsheet = tmp_path / "vung.csv"
    spreadsheet.write_bytes(
        csv_bytes(area_row(cooperative="HTX Thảo quả Sì Lở Lầu"), fields=(*FIELDS, "cooperative"))
    )

    command(str(spreadsheet))

    assert GrowingArea.objects.get().cooperative_id == coop1.pk


@pytest.mark.django_db
def test_two_different_cooperatives_with_one_name_are_refused_as_ambiguous(coop1, cooperative_index):
    CooperativePageFactory(parent=cooperative_index, title=coop1.title, slug="htx-thao-qua-2")
    content = csv_bytes(area_row(cooperative=coop1.title), fields=(*FIELDS, "cooperative"))

    report = check_file(name="a.csv", content=content)

    assert "có từ hai hợp tác xã trở lên cùng tên" in errors_by_row(report)[2]


@pytest.mark.django_db
def test_officer_sees_small_error_icons_in_the_import_preview(officer_client):
    content = csv_bytes(area_row(cooperative="HTX không có"), fields=(*FIELDS, "cooperative"))
    token = preview_token(upload(officer_client, content))

    html = officer_client.get(reverse("growers_import_preview", kwargs={"token": token})).content.decode()
    problems = BeautifulSoup(html, "html.parser").select("li.error-message")

    assert problems, html
    for problem in problems:
        for icon in problem.select("svg"):
            # Sized by its own attributes: no stylesheet needed for it to stay the size of a letter.
            assert int(icon["width"]) <= 24 and int(icon["height"]) <= 24, icon


# Boundaries: large, crossing, hostile -------------------------------------------------------


def circle_ring(points: int, centre=(103.27, 22.62), radius=0.004) -> list[list[float]]:
    import math

    ring = [
        [
            round(centre[0] + radius * math.cos(2 * math.pi * k / points), 7),
            round(centre[1] + radius * math.sin(2 * math.pi * k / points), 7),
        ]
        for k in range(points)
    ]
    return [*ring, ring[0]]


def preview_html(client, content: bytes, **files) -> tuple[str, str]:
    token = preview_token(upload(client, content, **files))
    return token, client.get(reverse("growers_import_preview", kwargs={"token": token})).content.decode()


@pytest.mark.django_db
def test_officer_imports_a_boundary_of_5000_points_without_waiting(officer_client):
    import time

    ring = circle_ring(4999)
    geojson = json.dumps({"type": "Polygon", "coordinates": [ring]}).encode()
    content = csv_bytes(area_row(boundary="vung-lon.geojson"), fields=(*FIELDS, "boundary"))
    started = time.monotonic()

    token, html = preview_html(
        officer_client, content, boundary_files=[SimpleUploadedFile("vung-lon.geojson", geojson)]
    )
    confirm(officer_client, token)

    # Upload, preview and import each check the boundary; it once took 24 s per check.
    assert time.monotonic() - started < 10
    assert "mã số mới" in html
    assert GrowingArea.objects.get().boundary == {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.django_db
def test_officer_is_told_where_a_boundary_crosses_itself(officer_client):
    bow_tie = [[103.27, 22.62], [103.275, 22.625], [103.275, 22.62], [103.27, 22.625], [103.27, 22.62]]
    geojson = json.dumps({"type": "Polygon", "coordinates": [bow_tie]})
    content = csv_bytes(area_row(boundary=geojson), fields=(*FIELDS, "boundary"))

    _token, html = preview_html(officer_client, content)

    assert "Đa giác 1, vòng 1 tự cắt chính nó (cạnh 1 và cạnh 3)." in html
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_officer_is_told_when_a_hole_lies_outside_its_area(officer_client):
    shell = [[103.27, 22.62], [103.275, 22.62], [103.275, 22.625], [103.27, 22.625], [103.27, 22.62]]
    hole = [[103.28, 22.63], [103.281, 22.63], [103.281, 22.631], [103.28, 22.63]]
    geojson = json.dumps({"type": "Polygon", "coordinates": [shell, hole]})
    content = csv_bytes(area_row(boundary=geojson), fields=(*FIELDS, "boundary"))

    _token, html = preview_html(officer_client, content)

    assert "Đa giác 1 không phải là một vùng hợp lệ" in html
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_officer_is_told_when_the_polygons_of_a_boundary_overlap(officer_client):
    square = [[103.27, 22.62], [103.275, 22.62], [103.275, 22.625], [103.27, 22.625], [103.27, 22.62]]
    shifted = [[lon + 0.002, lat] for lon, lat in square]
    geojson = json.dumps({"type": "MultiPolygon", "coordinates": [[square], [shifted]]})
    content = csv_bytes(area_row(boundary=geojson), fields=(*FIELDS, "boundary"))

    _token, html = preview_html(officer_client, content)

    assert "Các đa giác của ranh giới chồng lên nhau" in html
    assert GrowingArea.objects.count() == 0


@pytest.mark.django_db
def test_a_large_boundary_crossing_itself_names_the_edges_even_with_repeated_points(officer_client):
    ring = circle_ring(2000)
    ring.insert(10, ring[10])  # a point given twice, as GPS tracks often do
    ring[500], ring[1500] = ring[1500], ring[500]  # two corners swapped: the outline crosses itself
    geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
    content = csv_bytes(area_row(boundary=geojson), fields=(*FIELDS, "boundary"))

    _token, html = preview_html(officer_client, content)

    assert "Đa giác 1, vòng 1 tự cắt chính nó (cạnh " in html
    assert GrowingArea.objects.count() == 0


ENTITY_BOMB_KML = b"""<?xml version="1.0"?>
<!DOCTYPE kml [
  <!ENTITY a "103.27,22.62,0 103.275,22.62,0 103.275,22.625,0 103.27,22.62,0 ">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs><LinearRing>
<coordinates>&d;</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"""
EXTERNAL_ENTITY_KML = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY corners SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs><LinearRing>
<coordinates>&corners;</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kml", [ENTITY_BOMB_KML, EXTERNAL_ENTITY_KML], ids=["entity-bomb", "external-entity"]
)
def test_officer_uploading_a_kml_with_xml_entities_is_refused_and_nothing_is_expanded(officer_client, kml):
    content = csv_bytes(area_row(boundary="vung.kml"), fields=(*FIELDS, "boundary"))

    _token, html = preview_html(officer_client, content, boundary_files=[SimpleUploadedFile("vung.kml", kml)])

    assert "Tệp KML khai báo thực thể XML" in html
    assert "root:" not in html
    assert GrowingArea.objects.count() == 0


# The register's export ----------------------------------------------------------------------

FORMULA_NAME = '=HYPERLINK("http://x","y")'


@pytest.mark.django_db
def test_officer_exports_imported_formulas_as_text(officer_client):
    content = csv_bytes(
        area_row(name=FORMULA_NAME, village="+Sì Lở Lầu", crop_name="-2+3", households=""),
        second_row(decision_number="@SUM(1+1)"),
    )
    confirm(officer_client, preview_token(upload(officer_client, content)))
    assert GrowingArea.objects.get(code="VN-DTOR-0017").name == FORMULA_NAME

    export = officer_client.get("/admin/growing-areas/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    workbook = officer_client.get("/admin/growing-areas/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    xlsx_cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}

    for typed in (FORMULA_NAME, "+Sì Lở Lầu", "-2+3", "@SUM(1+1)"):
        # CSV: the apostrophe that spreadsheet programs read as "this is text".
        assert "'" + typed in cells, (typed, cells)
        assert typed not in cells
        # XLSX: exactly what was typed, in a cell typed as a string (never a formula).
        assert typed in xlsx_cells, (typed, list(xlsx_cells))
        assert xlsx_cells[typed].data_type == "s"
        assert "'" + typed not in xlsx_cells
    assert "VN-DTOR-0017" in cells  # ordinary text stays as it was
    assert "VN-DTOR-0017" in xlsx_cells
