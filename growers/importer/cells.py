"""Reading one cell of the spreadsheet into the value of a field: text, numbers written the
Vietnamese or the English way, dates, the list of households, a boundary."""

import datetime
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..geometry import GeometryError, boundary_from_file, boundary_from_kml, validate_boundary
from .reading import BOUNDARY_FILE_SUFFIXES


class CellError(ValueError):
    pass


def cell_text(value) -> str:
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
        text = cell_text(value).replace("\u00a0", "").replace(" ", "").rstrip("°")
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
            raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)}) from error
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
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
    return [name.strip() for name in re.split(r"[;\n]", cell_text(value)) if name.strip()]


def parse_boundary(value, get_file: Callable[[str], bytes | None]) -> dict:
    text = cell_text(value)
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
