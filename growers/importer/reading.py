"""Reading the uploaded files: the spreadsheet (CSV or XLSX) into a table of cells, and the
boundary files (GeoJSON, KML) sent with it, found by the name a cell gives."""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

MAX_ROWS = 5000
# An .xlsx file is a zip archive; refuse one that would unpack into more than this.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# The heading row may sit under a title ("DANH SÁCH MÃ SỐ VÙNG TRỒNG…"): look this far down.
HEADING_SEARCH_ROWS = 10
BOUNDARY_FILE_SUFFIXES = (".geojson", ".json", ".kml")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, unreadable, no rows, missing
    columns); the message says what to do, for the officer."""


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


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


BoundaryFiles = Mapping[str, bytes] | Callable[[str], bytes | None] | None


def boundary_file_getter(boundary_files: BoundaryFiles) -> Callable[[str], bytes | None]:
    if boundary_files is None:
        return lambda name: None
    if callable(boundary_files):
        return boundary_files
    by_name = {PurePath(name).name.casefold(): content for name, content in boundary_files.items()}
    return lambda name: by_name.get(PurePath(name).name.casefold())
