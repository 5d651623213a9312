"""The columns of the officers' spreadsheet: their headings in the template, the other headings
accepted for each, and where each one is in an uploaded file."""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .reading import HEADING_SEARCH_ROWS, ImportFileError, Table, is_blank


def fold(text: str) -> str:
    """A heading or name as compared: no diacritics, lower case, words separated by one space
    ("Diện tích (ha)" -> "dien tich ha", "area_ha" -> "area ha")."""
    text = unicodedata.normalize("NFKD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[0-9a-z]+", text.casefold()))


@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # the heading written in the template
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS = (
    Column(
        "code",
        "Mã số vùng trồng",
        ("mã số vùng trồng", "mã vùng trồng", "mã số", "mã", "code", "growing area code", "area code"),
        required=True,
    ),
    Column("name", "Tên vùng trồng", ("tên vùng", "tên", "name", "area name"), required=True),
    Column("cooperative", "Hợp tác xã", ("htx", "cơ sở", "cooperative", "establishment")),
    Column("village", "Bản", ("thôn", "thôn bản", "village"), required=True),
    Column("commune", "Xã", ("commune",)),
    Column("district", "Huyện", ("district",)),
    Column("province", "Tỉnh", ("province",)),
    Column(
        "crop_name",
        "Cây trồng",
        ("loại cây trồng", "tên cây trồng", "crop", "crop name"),
        required=True,
    ),
    Column("crop_scientific_name", "Tên khoa học", ("scientific name",)),
    Column(
        "area_hectares",
        "Diện tích (ha)",
        ("diện tích", "area_ha", "area (ha)", "area", "hectares"),
        required=True,
    ),
    Column("latitude", "Vĩ độ", ("latitude", "lat"), required=True),
    Column("longitude", "Kinh độ", ("longitude", "lon", "lng", "long"), required=True),
    Column("issuing_authority", "Cơ quan cấp", ("cơ quan cấp mã", "authority", "issued by")),
    Column(
        "decision_number",
        "Số quyết định",
        ("số qđ", "quyết định số", "decision number", "decision no", "decision"),
        required=True,
    ),
    Column(
        "issued_on",
        "Ngày cấp",
        ("ngày cấp mã", "issued", "issued on", "issue date", "date issued"),
        required=True,
    ),
    Column(
        "valid_until",
        "Hiệu lực đến",
        ("có hiệu lực đến", "ngày hết hạn", "hết hạn", "valid until", "expires", "expiry date"),
        required=True,
    ),
    Column("households", "Hộ gia đình", ("các hộ", "danh sách hộ", "households", "member households")),
    Column("boundary", "Ranh giới", ("ranh giới geojson", "boundary", "geojson", "kml")),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
# Every way of writing a heading, folded, to its field; the model field's own name is accepted too.
HEADING_TO_FIELD = {
    fold(alias): column.field
    for column in COLUMNS
    for alias in (column.heading, column.field, *column.aliases)
}
# Model fields written by the import; households and the cooperative are handled apart.
TEXT_FIELDS = (
    "name",
    "village",
    "commune",
    "district",
    "province",
    "crop_name",
    "crop_scientific_name",
    "issuing_authority",
    "decision_number",
)
MODEL_FIELDS = (
    *TEXT_FIELDS,
    "cooperative",
    "area_hectares",
    "latitude",
    "longitude",
    "issued_on",
    "valid_until",
    "boundary",
)


def template_headings() -> list[str]:
    """The headings of the downloadable template, in order."""
    return [column.heading for column in COLUMNS]


def csv_template() -> bytes:
    """The headings as a CSV file that Excel opens with its Vietnamese letters intact (BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_headings())
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def describe_columns() -> Iterable[tuple[str, tuple[str, ...], bool]]:
    """(heading, other accepted headings, required) for each column, for help texts."""
    for column in COLUMNS:
        yield column.heading, column.aliases, column.required


@dataclass
class Layout:
    """Where each field's column is, and its heading as written in the file."""

    heading_row: int
    columns: dict[str, int]
    headings: dict[str, str]
    ignored: list[str]


def find_layout(table: Table) -> Layout:
    non_blank = [(number, row) for number, row in table.rows if not all(is_blank(cell) for cell in row)]
    if not non_blank:
        raise ImportFileError(_("The file is empty."))
    heading_number, heading_cells = non_blank[0]
    for number, row in non_blank[:HEADING_SEARCH_ROWS]:
        if any(HEADING_TO_FIELD.get(fold(cell)) == "code" for cell in row if not is_blank(cell)):
            heading_number, heading_cells = number, row
            break
    columns, headings, ignored = {}, {}, []
    for index, cell in enumerate(heading_cells):
        if is_blank(cell):
            continue
        heading = str(cell).strip()
        field_name = HEADING_TO_FIELD.get(fold(heading))
        if field_name is None:
            ignored.append(heading)
        elif field_name in columns:
            raise ImportFileError(
                _("Two columns, “%(first)s” and “%(second)s”, both give the %(what)s; keep one.")
                % {
                    "first": headings[field_name],
                    "second": heading,
                    "what": COLUMNS_BY_FIELD[field_name].heading,
                }
            )
        else:
            columns[field_name] = index
            headings[field_name] = heading
    missing = [column.heading for column in COLUMNS if column.required and column.field not in columns]
    if missing:
        raise ImportFileError(
            ngettext(
                "The file has no column “%(missing)s”. Row %(row)d must hold the column headings; "
                "download the template to see them.",
                "The file has no columns “%(missing)s”. Row %(row)d must hold the column headings; "
                "download the template to see them.",
                len(missing),
            )
            % {"missing": "”, “".join(missing), "row": heading_number}
        )
    return Layout(heading_row=heading_number, columns=columns, headings=headings, ignored=ignored)
