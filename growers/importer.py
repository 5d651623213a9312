"""Bulk import of growing-area codes from the spreadsheets officers keep (CSV or XLSX).

The file is read into rows, each row is checked by the model's own rules (``full_clean``, the
same as in the admin) plus the importer's (a code given twice in the file, cells that cannot
be read), and the result is an :class:`ImportReport` with one line per row, numbered as the
officer sees it in the spreadsheet. Writing is all or nothing unless the caller asks for the
valid rows only. A code already registered is matched by its lookup key ("vn dtor 0017"
finds VN-DTOR-0017) and updated, never duplicated; its status is never touched.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.log_actions import log
from wagtail.models import Locale

from .codes import lookup_key, normalise_code
from .geometry import GeometryError, boundary_from_file, boundary_from_kml, validate_boundary
from .models import CooperativePage, GrowingArea, GrowingAreaStatus, Household

MAX_ROWS = 5000
# An .xlsx file is a zip archive; refuse one that would unpack into more than this.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# The heading row may sit under a title ("DANH SÁCH MÃ SỐ VÙNG TRỒNG…"): look this far down.
HEADING_SEARCH_ROWS = 10
BOUNDARY_FILE_SUFFIXES = (".geojson", ".json", ".kml")

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, unreadable, no rows, missing
    columns); the message says what to do, for the officer."""


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


# Reading the file --------------------------------------------------------------------------


@dataclass
class Table:
    """The cells of the first sheet, as read: rows numbered as the spreadsheet shows them."""

    rows: list[tuple[int, list]]


def read_table(name: str, content: bytes) -> Table:
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".xls" or content[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError(
            _(
                "Old Excel files (.xls) cannot be read. In Excel choose “Save As” → “Excel Workbook "
                "(.xlsx)” or “CSV UTF-8”, and upload that file."
            )
        )
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(
            _("“%(name)s” is not a spreadsheet: upload a .csv or .xlsx file.") % {"name": name}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if suffix == ".xlsx":
        return _read_xlsx(content)
    if content[:4] == b"PK\x03\x04":
        raise ImportFileError(
            _("This file is an Excel workbook although its name ends in .csv; rename it to .xlsx.")
        )
    return _read_csv(content)


def _read_csv(content: bytes) -> Table:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated.
        text = content.decode("utf-16")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _(
                    "The file is not in UTF-8, so its Vietnamese letters would be garbled. In Excel "
                    "choose “Save As” → “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file "
                    "itself."
                )
            ) from error
    lines = text.splitlines()
    first_line = next((line for line in lines if line.strip()), "")
    # The heading line decides the separator: Excel writes ";" where the decimal mark is ",".
    # csv.Sniffer guesses from the data too, where commas in decimals and names mislead it.
    delimiter = max(",;\t", key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for number, row in enumerate(reader, start=1):
            rows.append((number, row))
            if number > MAX_ROWS + HEADING_SEARCH_ROWS:
                raise ImportFileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    return Table(rows=rows)


def _read_xlsx(content: bytes) -> Table:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(_("The workbook is too large to import; split it into smaller files."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # openpyxl raises many kinds of error on a damaged file (KeyError, ValueError, XML errors…);
    # whichever it is, the officer's answer is the same.
    except Exception as error:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheet."))
        rows = []
        for number, row in enumerate(workbook.worksheets[0].iter_rows(min_row=1, values_only=True), start=1):
            rows.append((number, list(row)))
            if number > MAX_ROWS + HEADING_SEARCH_ROWS:
                raise ImportFileError(_("The sheet has more than %(max)d rows.") % {"max": MAX_ROWS})
    finally:
        workbook.close()
    return Table(rows=rows)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Layout:
    """Where each field's column is, and its heading as written in the file."""

    heading_row: int
    columns: dict[str, int]
    headings: dict[str, str]
    ignored: list[str]


def find_layout(table: Table) -> Layout:
    non_blank = [(number, row) for number, row in table.rows if not all(_is_blank(cell) for cell in row)]
    if not non_blank:
        raise ImportFileError(_("The file is empty."))
    heading_number, heading_cells = non_blank[0]
    for number, row in non_blank[:HEADING_SEARCH_ROWS]:
        if any(HEADING_TO_FIELD.get(fold(cell)) == "code" for cell in row if not _is_blank(cell)):
            heading_number, heading_cells = number, row
            break
    columns, headings, ignored = {}, {}, []
    for index, cell in enumerate(heading_cells):
        if _is_blank(cell):
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


# Reading cells -----------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    # NFC: text typed on some phones and Macs arrives decomposed; store what the eye sees.
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_decimal(value, places: int) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = _text(value).replace("\u00a0", "").replace(" ", "").rstrip("°")
        if "," in text and "." in text:
            # "1.234,5" or "1,234.5": the last mark is the decimal one.
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            text = text.replace(thousands, "").replace(decimal_mark, ".")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise CellError(_("“%(value)s” is not a number.") % {"value": _text(value)}) from error
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": _text(value)})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    # Spreadsheets often add a time to a date ("2024-03-15 00:00:00").
    text = text.split(" ")[0] if re.fullmatch(r"\S+ \d{1,2}:\d{2}(:\d{2})?", text) else text
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy, e.g. 15/03/2024.") % {"value": text}
    )


def parse_households(value) -> list[str]:
    return [name.strip() for name in re.split(r"[;\n]", _text(value)) if name.strip()]


# Checking rows -----------------------------------------------------------------------------


@dataclass
class RowResult:
    """One data row of the file: what the import does with it, or why it cannot."""

    row_number: int
    code: str
    name: str = ""
    action: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # headings of the columns that change

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        if self.errors:
            return _("not imported")
        return {CREATE: _("new code"), UPDATE: _("update"), UNCHANGED: _("unchanged")}[self.action]


@dataclass
class ImportReport:
    file_name: str
    rows: list[RowResult]
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def valid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def all_valid(self) -> bool:
        return not self.invalid_rows

    def count(self, action: str) -> int:
        return sum(1 for row in self.valid_rows if row.action == action)

    @property
    def changing_rows(self) -> list[RowResult]:
        """Valid rows that create or update a code."""
        return [row for row in self.valid_rows if row.action in (CREATE, UPDATE)]

    def summary(self) -> str:
        return _(
            "%(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
            "%(invalid)d with errors."
        ) % {
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "invalid": len(self.invalid_rows),
        }


BoundaryFiles = Mapping[str, bytes] | Callable[[str], bytes | None] | None


def _boundary_file_getter(boundary_files: BoundaryFiles) -> Callable[[str], bytes | None]:
    if boundary_files is None:
        return lambda name: None
    if callable(boundary_files):
        return boundary_files
    by_name = {PurePath(name).name.casefold(): content for name, content in boundary_files.items()}
    return lambda name: by_name.get(PurePath(name).name.casefold())


def parse_boundary(value, get_file: Callable[[str], bytes | None]) -> dict:
    text = _text(value)
    try:
        if text.startswith("{"):
            return validate_boundary(text)
        if text.startswith("<"):
            return boundary_from_kml(text.encode())
        if text.lower().endswith(BOUNDARY_FILE_SUFFIXES) and "\n" not in text:
            content = get_file(text)
            if content is None:
                raise CellError(
                    _("the boundary file “%(name)s” was not uploaded with the spreadsheet.") % {"name": text}
                )
            return boundary_from_file(text, content)
    except GeometryError as error:
        raise CellError(str(error)) from error
    raise CellError(
        _(
            'write a GeoJSON geometry ({"type": "Polygon", …}) or the name of a .geojson or .kml '
            "file uploaded with the spreadsheet."
        )
    )


@dataclass
class _Prepared:
    result: RowResult
    area: GrowingArea
    update_fields: list[str]


class _Checker:
    """Turns the rows of one file into prepared, validated (unsaved) areas."""

    def __init__(self, table: Table, layout: Layout, *, boundary_files: BoundaryFiles, lock: bool):
        self.layout = layout
        self.get_boundary_file = _boundary_file_getter(boundary_files)
        self.data_rows = [
            (number, row)
            for number, row in table.rows
            if number > layout.heading_row and not all(_is_blank(cell) for cell in row)
        ]
        if not self.data_rows:
            raise ImportFileError(_("The file has headings but no rows of growing areas."))
        keys = {lookup_key(_text(self.cell(row, "code"))) for _number, row in self.data_rows}
        existing = GrowingArea.objects.filter(lookup_key__in=keys - {""})
        if lock:
            existing = existing.select_for_update()
        self.existing = {area.lookup_key: area for area in existing}
        self.matched = set()
        self.households = defaultdict(list)
        for household in Household.objects.filter(area__in=list(self.existing.values())).order_by(
            "sort_order", "pk"
        ):
            self.households[household.area_id].append(household)
        self.cooperatives = list(CooperativePage.objects.all()) if "cooperative" in layout.columns else []
        default_locale = Locale.get_default()
        self.original_cooperatives = {
            page.translation_key: page for page in self.cooperatives if page.locale_id == default_locale.pk
        }

    def cell(self, row: list, field_name: str):
        index = self.layout.columns.get(field_name)
        if index is None or index >= len(row):
            return None
        return row[index]

    def heading(self, field_name: str) -> str:
        if field_name in self.layout.headings:
            return self.layout.headings[field_name]
        if field_name in COLUMNS_BY_FIELD:
            return COLUMNS_BY_FIELD[field_name].heading
        return str(GrowingArea._meta.get_field(field_name).verbose_name)

    def find_cooperative(self, value) -> CooperativePage:
        text = _text(value)
        exact = [page for page in self.cooperatives if page.title.casefold() == text.casefold()]
        folded = [page for page in self.cooperatives if fold(page.title) == fold(text)]
        # A translated copy (another locale, usually with the same title) is the same cooperative:
        # the area belongs to the original, in the site's own language.
        found = {
            page.translation_key: self.original_cooperatives.get(page.translation_key, page)
            for page in exact or folded
        }
        if not found:
            raise CellError(
                _("no cooperative called “%(name)s” is on the site; write its name as on its page.")
                % {"name": text}
            )
        if len(found) > 1:
            raise CellError(
                _(
                    "two or more cooperatives are called “%(name)s”; rename one of them on its page "
                    "so that each name is unique."
                )
                % {"name": text}
            )
        return next(iter(found.values()))

    def parse_cell(self, field_name: str, value):
        if field_name == "code" or field_name in TEXT_FIELDS:
            return _text(value)
        if field_name == "area_hectares":
            return parse_decimal(value, 2)
        if field_name in ("latitude", "longitude"):
            return parse_decimal(value, 6)
        if field_name in ("issued_on", "valid_until"):
            return parse_date(value)
        if field_name == "cooperative":
            return self.find_cooperative(value)
        if field_name == "households":
            return parse_households(value)
        if field_name == "boundary":
            return parse_boundary(value, self.get_boundary_file)
        raise AssertionError(field_name)

    def check(self) -> tuple[list[RowResult], list[_Prepared]]:
        results, prepared = [], []
        rows_by_key = defaultdict(list)
        for number, row in self.data_rows:
            key = lookup_key(_text(self.cell(row, "code") or ""))
            if key:
                rows_by_key[key].append(number)
        for number, row in self.data_rows:
            result, item = self.check_row(number, row)
            key = lookup_key(result.code)
            if key and len(rows_by_key[key]) > 1:
                result.errors.insert(
                    0,
                    _("The code %(code)s is on rows %(rows)s; give each code on one row only.")
                    % {"code": result.code, "rows": ", ".join(str(n) for n in rows_by_key[key])},
                )
            results.append(result)
            if item is not None and result.is_valid:
                prepared.append(item)
        return results, prepared

    def check_row(self, number: int, row: list) -> tuple[RowResult, _Prepared | None]:
        raw_code = self.cell(row, "code")
        result = RowResult(
            row_number=number,
            code=_text(raw_code) if not _is_blank(raw_code) else "",
            name=_text(self.cell(row, "name") or ""),
        )
        values, failed = {}, set()
        for field_name in self.layout.columns:
            value = self.cell(row, field_name)
            if _is_blank(value):
                if COLUMNS_BY_FIELD[field_name].required:
                    result.errors.append(
                        _("%(heading)s: this cell is empty.") % {"heading": self.heading(field_name)}
                    )
                    failed.add(field_name)
                continue
            try:
                values[field_name] = self.parse_cell(field_name, value)
            except CellError as error:
                result.errors.append(f"{self.heading(field_name)}: {error}")
                failed.add(field_name)
        if "code" in failed:
            return result, None

        key = lookup_key(result.code)
        existing = self.existing.get(key)
        if existing is not None:
            if key in self.matched:
                # The same code on a second row (reported as an error): check it against its
                # own copy of the registered area, not the one the first row changed.
                existing = GrowingArea.objects.get(pk=existing.pk)
            self.matched.add(key)
            area = existing
            result.action = UPDATE
            if normalise_code(result.code) != existing.code:
                result.notes.append(
                    _("Matched the registered code %(code)s.") % {"code": existing.code},
                )
            result.code = existing.code
            if existing.status != GrowingAreaStatus.ACTIVE:
                result.notes.append(
                    _("The code is %(status)s; the import does not change its status.")
                    % {"status": existing.get_status_display().lower()}
                )
        else:
            code = normalise_code(result.code)
            if code != result.code.upper():
                result.notes.append(_("To be registered as %(code)s.") % {"code": code})
            area = GrowingArea(code=code)
            result.code = code
            result.action = CREATE
        before = {
            name: getattr(area, name if name != "cooperative" else "cooperative_id") for name in MODEL_FIELDS
        }
        for name in MODEL_FIELDS:
            if name in values:
                setattr(area, name, values[name])

        households_changed = False
        if "households" in values:
            households_changed = self.assign_households(area, values["households"], result)

        try:
            area.full_clean(exclude=sorted(failed & set(MODEL_FIELDS)))
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    if field_name == "__all__":
                        result.errors.append(message)
                    else:
                        result.errors.append(f"{self.heading(field_name)}: {message}")

        changed = [
            name
            for name in MODEL_FIELDS
            if before[name] != getattr(area, name if name != "cooperative" else "cooperative_id")
        ]
        if result.action == UPDATE:
            result.changes = [self.heading(name) for name in changed]
            if households_changed:
                result.changes.append(self.heading("households"))
            if not result.changes:
                result.action = UNCHANGED
        update_fields = [*changed, "updated_at"] + (["households"] if households_changed else [])
        return result, _Prepared(result=result, area=area, update_fields=update_fields)

    def assign_households(self, area: GrowingArea, names: list[str], result: RowResult) -> bool:
        """Give the area exactly these households, keeping the records (phone, plot) of those
        already registered under the same name. True if the list changes."""
        current = self.households.get(area.pk, []) if area.pk else []
        if [household.head_name for household in current] == names:
            return False
        reusable = defaultdict(list)
        for household in current:
            reusable[household.head_name].append(household)
        households = []
        for position, name in enumerate(names):
            household = reusable[name].pop(0) if reusable[name] else Household(head_name=name)
            household.sort_order = position
            try:
                household.full_clean(exclude=["area"])
            except ValidationError as error:
                for message in error.messages:
                    result.errors.append(f"{self.heading('households')} “{name}”: {message}")
            households.append(household)
        area.households = households
        return True


def check_file(*, name: str, content: bytes, boundary_files: BoundaryFiles = None) -> ImportReport:
    """The dry run: what importing the file would do, row by row; nothing is written.

    Raises ImportFileError when the file as a whole cannot be read."""
    return _check(name=name, content=content, boundary_files=boundary_files, lock=False)[0]


def _check(*, name, content, boundary_files, lock) -> tuple[ImportReport, list[_Prepared]]:
    table = read_table(name, content)
    layout = find_layout(table)
    results, prepared = _Checker(table, layout, boundary_files=boundary_files, lock=lock).check()
    return ImportReport(file_name=name, rows=results, ignored_columns=layout.ignored), prepared


def import_growing_areas(
    *,
    name: str,
    content: bytes,
    user=None,
    valid_only: bool = False,
    dry_run: bool = False,
    boundary_files: BoundaryFiles = None,
) -> ImportReport:
    """Check the file and, unless ``dry_run``, write it: every row, or nothing when any row is
    invalid, unless ``valid_only`` asks for the valid rows alone. One transaction; each code
    created or changed is logged in Wagtail's history under ``user``.

    Raises ImportFileError when the file as a whole cannot be read."""
    if dry_run:
        return check_file(name=name, content=content, boundary_files=boundary_files)
    try:
        with transaction.atomic():
            report, prepared = _check(name=name, content=content, boundary_files=boundary_files, lock=True)
            if not report.all_valid and not valid_only:
                return report
            for item in prepared:
                _write(item, user=user, file_name=name)
            report.written = True
    except IntegrityError as error:
        raise ImportFileError(
            _(
                "The register changed while the file was imported (another officer saving the same code?). "
                "Nothing was written; import the file again."
            )
        ) from error
    return report


def _write(item: _Prepared, *, user, file_name: str) -> None:
    area, action = item.area, item.result.action
    if action == CREATE:
        area.save()
        log(
            instance=area,
            action="wagtail.create",
            user=user,
            content_changed=True,
            data={"import": file_name},
        )
    elif action == UPDATE:
        # Only the imported fields: a status changed meanwhile by another officer stays.
        area.save(update_fields=item.update_fields)
        log(
            instance=area,
            action="wagtail.edit",
            user=user,
            content_changed=True,
            data={"import": file_name, "changed": item.result.changes},
        )


def csv_template() -> bytes:
    """The headings as a CSV file that Excel opens with its Vietnamese letters intact (BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_headings())
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def describe_columns() -> Iterable[tuple[str, tuple[str, ...], bool]]:
    """(heading, other accepted headings, required) for each column, for help texts."""
    for column in COLUMNS:
        yield column.heading, column.aliases, column.required
