"""Label sheets as PDF (reportlab): an A4 sheet of 3 × 8 labels of 70 × 37 mm, and a 50 × 30 mm
thermal-printer roll, one label per page.

Each label carries the QR of the batch (traceability.links.label_url), the product name, the lot,
the short trace code, the growing-area code(s) and the best-before date. The QR is drawn once as
a Form XObject of vector rectangles (sharp at any printer resolution) and placed on every label,
so a 1,000-label PDF stays small and quick to make."""

import datetime
import functools
import io
import math
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from django.utils.translation import gettext as _

from .links import check_address, label_url, unit_url
from .qr import dark_runs, qr_matrix
from .unit_services import group_serial

MAX_LABELS = 1000
ELLIPSIS = "…"
# Where the PIN of a serialised unit goes, apart from its QR: on a second sheet of small labels
# stuck inside the package, or in a box on the same label under a scratch-off sticker.
PIN_INSIDE = "inside"
PIN_SCRATCH = "scratch"
PIN_LAYOUTS = (PIN_INSIDE, PIN_SCRATCH)
# Unit QR codes all differ: a fixed mask makes each six times quicker (qr.qr_matrix).
UNIT_QR_MASK = 2

# DejaVu Sans and its bold have every Vietnamese glyph (ả, ồ, ữ, ...). They ship with the app
# (traceability/fonts/, from Debian's fonts-dejavu-core, with their licence): the production
# image has no system fonts. A subset is embedded in each PDF, so the printer needs no font.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = (("DejaVuSans", "DejaVuSans.ttf"), ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"))


class LabelError(ValueError):
    """A label request that cannot be printed as asked (the message says why)."""


class LabelFontsMissing(LabelError):
    """The fonts shipped for the labels cannot be read: printing is refused rather than folding
    the Vietnamese letters away ("Thảo quả" would print as "Thao qua")."""


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    page_width: float  # points
    page_height: float
    label_width: float
    label_height: float
    columns: int
    rows: int
    margin_left: float
    margin_top: float
    padding: float  # between the label's edge and what is printed on it
    qr_size: float  # the QR with its quiet zone
    name_size: float  # largest font size of the product name; other text is smaller
    text_size: float
    min_size: float
    # Prefixes of the lines under the name: Vietnamese, as packages sold in Vietnam must be.
    lot_prefix: str
    code_prefix: str
    area_prefix: str
    expiry_prefix: str
    serial_prefix: str
    pin_prefix: str
    # "Scan, or type this code at <site>/check/" (DESIGN §2): for basic phones, no QR needed.
    check_words: str
    pin_box_height: float  # the scratch-off box of a unit label, at the bottom of the text

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def label_origin(self, position: int) -> tuple[float, float]:
        """Bottom-left corner of the label at this position on its page (left to right, top
        to bottom)."""
        row, column = divmod(position, self.columns)
        x = self.margin_left + column * self.label_width
        y = self.page_height - self.margin_top - (row + 1) * self.label_height
        return x, y


A4_SHEET = Layout(
    key="a4",
    name="A4 sheet, 3 × 8 labels of 70 × 37 mm",
    page_width=A4[0],
    page_height=A4[1],
    label_width=70 * mm,
    label_height=37 * mm,
    columns=3,
    rows=8,
    margin_left=0,
    margin_top=(297 - 8 * 37) / 2 * mm,
    # Sheets are cut edge to edge and printers shift by a millimetre or so: keep clear of edges.
    padding=2.5 * mm,
    qr_size=32 * mm,
    name_size=9,
    text_size=7.5,
    min_size=5,
    lot_prefix="Lô: ",
    code_prefix="Mã truy xuất: ",
    area_prefix="Vùng trồng: ",
    expiry_prefix="HSD: ",
    serial_prefix="Số sê-ri: ",
    pin_prefix="Mã PIN: ",
    check_words="Quét, hoặc nhập mã này tại %(address)s",
    pin_box_height=7 * mm,
)

ROLL_50X30 = Layout(
    key="roll",
    name="Roll, 50 × 30 mm (thermal printer)",
    page_width=50 * mm,
    page_height=30 * mm,
    label_width=50 * mm,
    label_height=30 * mm,
    columns=1,
    rows=1,
    margin_left=0,
    margin_top=0,
    # The QR's quiet zone keeps its dark modules 3 mm or more from the edge.
    padding=0.75 * mm,
    qr_size=28.5 * mm,
    name_size=7,
    text_size=6,
    min_size=4.5,
    lot_prefix="Lô ",
    code_prefix="Mã ",
    area_prefix="Vùng ",
    expiry_prefix="HSD ",
    serial_prefix="",  # the serial alone: with a prefix it would not fit 20 mm
    pin_prefix="PIN ",
    check_words="Quét hoặc nhập mã tại %(address)s",
    pin_box_height=5.5 * mm,
)

LAYOUTS = {layout.key: layout for layout in (A4_SHEET, ROLL_50X30)}


@functools.cache
def _fonts(font_dir: Path) -> tuple[str, str]:
    """(regular, bold) registered with reportlab, read from `font_dir`."""
    for name, file_name in FONT_FILES:
        path = font_dir / file_name
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as error:
            raise LabelFontsMissing(
                _(
                    "The labels cannot be printed: the font DejaVu Sans (%(file)s), which has the "
                    "Vietnamese letters, is missing or damaged. Reinstall the site (the font ships in "
                    "traceability/fonts/) and print again."
                )
                % {"file": path}
            ) from error
    return FONT_FILES[0][0], FONT_FILES[1][0]


def label_fonts() -> tuple[str, str]:
    """(regular, bold): the fonts of the labels; LabelFontsMissing when they cannot be read."""
    return _fonts(FONT_DIR)


# Fitting text ------------------------------------------------------------------------------


def _truncate(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text.rstrip() + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def fit_lines(text: str, font: str, *, width: float, max_size: float, min_size: float, max_lines: int):
    """(lines, font size): the largest size, in half points, at which the text wraps into at
    most max_lines lines of the given width; at the smallest size what does not fit is cut
    with an ellipsis."""
    size = max_size
    while size >= min_size:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines and all(pdfmetrics.stringWidth(li, font, size) <= width for li in lines):
            return lines, size
        size -= 0.5
    size = min_size
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_truncate(line, font, size, width) for line in lines], size


@dataclass(frozen=True)
class LabelText:
    name: str
    lot: str
    short_code: str
    areas: str
    expiry: str
    check: str = ""
    serial: str = ""  # a unit's serial, grouped for reading


def label_text(batch, variant=None, *, layout: "Layout" = None) -> LabelText:
    product = batch.product
    name = product.title if product is not None else batch.title
    if variant is not None:
        name = f"{name} – {variant.pack_label}"
    areas = ", ".join(batch.growing_areas.order_by("code").values_list("code", flat=True))
    expiry: datetime.date | None = batch.expiry_date
    return LabelText(
        name=name,
        lot=batch.lot,
        short_code=batch.short_code,
        areas=areas,
        expiry=expiry.strftime("%d/%m/%Y") if expiry else "",
        check=(layout or A4_SHEET).check_words % {"address": check_address()},
    )


def _text_block(layout: Layout, text: LabelText, width: float, height: float):
    """[(font, size, line)] for the text beside the QR, shrunk until it fits the height."""
    regular, bold = label_fonts()
    scale = 1.0
    while True:
        fields = [(text.name, bold, layout.name_size * scale, 2)]
        fields.append((layout.lot_prefix + text.lot, regular, layout.text_size * scale, 1))
        fields.append((layout.code_prefix + text.short_code, bold, layout.text_size * scale, 1))
        if text.serial:
            fields.append((layout.serial_prefix + text.serial, bold, layout.text_size * scale, 1))
        if text.areas:
            fields.append((layout.area_prefix + text.areas, regular, layout.text_size * scale, 2))
        if text.expiry:
            fields.append((layout.expiry_prefix + text.expiry, regular, layout.text_size * scale, 1))
        if text.check:
            fields.append((text.check, regular, layout.text_size * scale, 2))
        block = []
        for value, font, size, max_lines in fields:
            lines, fitted = fit_lines(
                value,
                font,
                width=width,
                max_size=max(size, layout.min_size),
                min_size=layout.min_size,
                max_lines=max_lines,
            )
            block.extend((font, fitted, line) for line in lines)
        if sum(size * 1.2 for _font, size, _line in block) <= height or scale < 0.5:
            return block
        scale -= 0.1


# Drawing -----------------------------------------------------------------------------------


def _qr_form(canvas: Canvas, name: str, data: str, size: float) -> None:
    """The QR, quiet zone included, as a reusable Form XObject of `size` points square. The dark
    modules are one path of rectangles (one per horizontal run), filled at once: no hairline
    seams between neighbouring modules when a rasteriser anti-aliases."""
    matrix = qr_matrix(data)
    n = len(matrix)
    module = size / n
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(0, 0, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for y, x, length in dark_runs(matrix):
        path.rect(x * module, (n - 1 - y) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()


def _draw_qr(canvas: Canvas, data: str, size: float, x: float, y: float) -> None:
    """A QR drawn once, in place (a unit's QR is on one label only: no Form XObject)."""
    matrix = qr_matrix(data, mask_pattern=UNIT_QR_MASK)
    n = len(matrix)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / n, size / n)
    canvas.setFillColorRGB(0, 0, 0)
    # In module units every rectangle is whole numbers: written as such, not through
    # reportlab's float formatting of each corner (pure Python here, most of a sheet's time).
    runs = " ".join(f"{column} {n - 1 - row} {length} 1 re" for row, column, length in dark_runs(matrix))
    canvas.addLiteral(f"n {runs} f")
    canvas.restoreState()


def _draw_label(
    canvas: Canvas, layout: Layout, x: float, y: float, block, *, qr: str | None = "qr", reserved: float = 0
) -> None:
    """A label: the QR (a Form XObject's name, or None when the caller draws it) and the text
    beside it; `reserved` points at the bottom of the text column stay free (a PIN box)."""
    pad = layout.padding
    qr_y = y + (layout.label_height - layout.qr_size) / 2
    if qr is not None:
        canvas.saveState()
        canvas.translate(x + pad, qr_y)
        canvas.doForm(qr)
        canvas.restoreState()

    # The quiet zone is white already: the text starts right after the QR.
    text_x = x + pad + layout.qr_size
    # Centred beside the (centred) QR, away from the edges a printer may not hit exactly.
    height = sum(size * 1.2 for _font, size, _line in block)
    top = y + reserved + (layout.label_height - reserved + height) / 2
    baseline = None
    canvas.setFillColorRGB(0, 0, 0)
    for font, size, line in block:
        baseline = top - size if baseline is None else baseline - size * 1.2
        canvas.setFont(font, size)
        canvas.drawString(text_x, baseline, line)


def default_count(batch, layout: Layout) -> int:
    """One label per package, at most MAX_LABELS; a full sheet when the count is not known."""
    if batch.package_count:
        return min(batch.package_count, MAX_LABELS)
    return layout.per_page


def render_labels(
    batch, *, layout: str = "a4", count: int | None = None, variant=None, skip: int = 0
) -> bytes:
    """The PDF of `count` labels for the batch. `skip` leaves the first positions of the first
    sheet empty, for a sheet partly used already."""
    if layout not in LAYOUTS:
        raise LabelError(f"Unknown layout {layout!r}: choose one of {', '.join(LAYOUTS)}.")
    spec = LAYOUTS[layout]
    count = default_count(batch, spec) if count is None else count
    if not 1 <= count <= MAX_LABELS:
        raise LabelError(f"Print between 1 and {MAX_LABELS} labels at a time.")
    if not 0 <= skip < spec.per_page:
        raise LabelError(f"Skip between 0 and {spec.per_page - 1} labels.")

    url = label_url(batch, variant)
    text_width = spec.label_width - 2 * spec.padding - spec.qr_size
    text_height = spec.label_height - 2 * spec.padding
    block = _text_block(spec, label_text(batch, variant, layout=spec), text_width, text_height)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(spec.page_width, spec.page_height), pageCompression=1)
    canvas.setTitle(f"{batch.title} ({batch.lot}): {count} labels")
    canvas.setSubject(url)
    canvas.setCreator("commune-market traceability labels")
    _qr_form(canvas, "qr", url, spec.qr_size)

    pages = math.ceil((count + skip) / spec.per_page)
    printed = 0
    for page in range(pages):
        first = skip if page == 0 else 0
        for position in range(first, spec.per_page):
            if printed == count:
                break
            _draw_label(canvas, spec, *spec.label_origin(position), block)
            printed += 1
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def labels_filename(batch, layout: str) -> str:
    return f"labels-{batch.short_code}-{layout}.pdf"


# Serialised units --------------------------------------------------------------------------

# As wide as a serial can print: the text is fitted once for every label of the sheet.
_WIDEST_SERIAL = "WWWW-WWWWW"


def _draw_pin_box(canvas: Canvas, layout: Layout, x: float, y: float, pin: str) -> None:
    """The PIN in a framed box at the bottom right of the label, away from the QR, the size of a
    scratch-off sticker."""
    regular, bold = label_fonts()
    pad = layout.padding
    box_x = x + pad + layout.qr_size + 1 * mm
    box_width = x + layout.label_width - pad - box_x
    box_y = y + pad
    canvas.setLineWidth(0.5)
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.rect(box_x, box_y, box_width, layout.pin_box_height, stroke=1, fill=0)
    prefix_size = layout.min_size
    size = layout.pin_box_height * 0.55
    text = layout.pin_prefix
    prefix_width = pdfmetrics.stringWidth(text, regular, prefix_size)
    room = box_width - 2 * mm - prefix_width
    while size > layout.min_size and pdfmetrics.stringWidth(pin, bold, size) > room:
        size -= 0.5
    baseline = box_y + (layout.pin_box_height - size * 0.7) / 2
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(regular, prefix_size)
    canvas.drawString(box_x + 1 * mm, baseline, text)
    canvas.setFont(bold, size)
    canvas.drawString(box_x + 1 * mm + prefix_width, baseline, pin)


def _pin_block(layout: Layout, serial: str, pin: str, check: str, width: float):
    """The text of a PIN label stuck inside the package: the PIN large, its serial, and where
    to type them."""
    regular, bold = label_fonts()
    block = []
    for value, font, size, max_lines in (
        (layout.pin_prefix + pin, bold, layout.name_size * 1.6, 1),
        (layout.serial_prefix + group_serial(serial), bold, layout.text_size, 1),
        (check, regular, layout.text_size, 2),
    ):
        lines, fitted = fit_lines(
            value, font, width=width, max_size=size, min_size=layout.min_size, max_lines=max_lines
        )
        block.extend((font, fitted, line) for line in lines)
    return block


def render_unit_labels(batch, units, *, pin_layout: str, layout: str = "a4", skip: int = 0) -> bytes:
    """The PDF of one label per unit (units of one pack, from unit_services.units_for_printing):
    each with the unit's own QR (links.unit_url), its serial, the batch's short code and where
    to type it. The PIN never goes into a QR: with `pin_layout` "scratch" it is printed in a box
    on the same label, to be covered with a scratch-off sticker; with "inside" it follows on
    sheets of PIN labels, in the same order, to stick inside each package."""
    from .units import printable_pin

    if layout not in LAYOUTS:
        raise LabelError(f"Unknown layout {layout!r}: choose one of {', '.join(LAYOUTS)}.")
    if pin_layout not in PIN_LAYOUTS:
        raise LabelError(f"Unknown PIN layout {pin_layout!r}: choose one of {', '.join(PIN_LAYOUTS)}.")
    spec = LAYOUTS[layout]
    units = list(units)
    if not 1 <= len(units) <= MAX_LABELS:
        raise LabelError(f"Print between 1 and {MAX_LABELS} labels at a time.")
    if not 0 <= skip < spec.per_page:
        raise LabelError(f"Skip between 0 and {spec.per_page - 1} labels.")

    pack = units[0].pack
    text = label_text(batch, pack, layout=spec)
    text = LabelText(**{**text.__dict__, "serial": _WIDEST_SERIAL})
    text_width = spec.label_width - 2 * spec.padding - spec.qr_size
    reserved = spec.padding + spec.pin_box_height + 1 * mm if pin_layout == PIN_SCRATCH else 0
    text_height = spec.label_height - 2 * spec.padding - reserved
    block = _text_block(spec, text, text_width, text_height)
    serial_at = next((i for i, (_f, _s, line) in enumerate(block) if _WIDEST_SERIAL in line), None)
    if serial_at is None:  # pragma: no cover - the layouts leave room for it (tests)
        raise LabelError("The serial does not fit on this layout's labels.")

    # What every label of the sheet shares is drawn once, as a Form XObject placed on each label
    # (as the batch labels' QR): only the QR, the serial and the PIN are drawn per label.
    height = sum(size * 1.2 for _font, size, _line in block)
    placed = _placed(
        block, spec.padding + spec.qr_size, reserved + (spec.label_height - reserved + height) / 2
    )

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(spec.page_width, spec.page_height), pageCompression=1)
    # Nothing about PINs or serials in the document's properties.
    canvas.setTitle(f"{batch.title} ({batch.lot}): {len(units)} units")
    canvas.setCreator("commune-market traceability labels")
    _text_form(canvas, "unit_text", spec, [line for i, line in enumerate(placed) if i != serial_at])

    def pages(draw) -> None:
        for index, unit in enumerate(units):
            position = (index + skip) % spec.per_page
            if index and position == 0:
                canvas.showPage()
            draw(unit, *spec.label_origin(position))
        canvas.showPage()

    def unit_label(unit, x, y) -> None:
        qr_y = y + (spec.label_height - spec.qr_size) / 2
        _draw_qr(canvas, unit_url(batch, unit), spec.qr_size, x + spec.padding, qr_y)
        _place_form(canvas, "unit_text", x, y, [_filled(placed[serial_at], group_serial(unit.serial))])
        if pin_layout == PIN_SCRATCH:
            _draw_pin_box(canvas, spec, x, y, printable_pin(unit))

    pages(unit_label)

    if pin_layout == PIN_INSIDE:
        pin_block = _pin_block(
            spec,
            _WIDEST_SERIAL.replace("-", ""),
            _PIN_PLACEHOLDER,
            text.check,
            spec.label_width - 2 * spec.padding,
        )
        height = sum(size * 1.2 for _font, size, _line in pin_block)
        pin_placed = _placed(pin_block, spec.padding, (spec.label_height + height) / 2)
        _text_form(canvas, "pin_text", spec, pin_placed[2:])

        def pin_label(unit, x, y) -> None:
            pin, serial = pin_placed[0], pin_placed[1]
            own = [_filled(pin, printable_pin(unit)), _filled(serial, group_serial(unit.serial))]
            _place_form(canvas, "pin_text", x, y, own)

        pages(pin_label)
    canvas.save()
    return buffer.getvalue()


_PIN_PLACEHOLDER = "0" * 6


def _placed(block, x: float, top: float) -> list[tuple]:
    """[(font, size, line, x, baseline)]: the block's lines placed from `top` down."""
    placed, baseline = [], None
    for font, size, line in block:
        baseline = top - size if baseline is None else baseline - size * 1.2
        placed.append((font, size, line, x, baseline))
    return placed


def _filled(placed_line: tuple, value: str) -> tuple:
    """A placed line whose placeholder (serial or PIN) is replaced by this label's value."""
    font, size, line, x, baseline = placed_line
    line = (
        line.replace(_WIDEST_SERIAL, value)
        if _WIDEST_SERIAL in line
        else line.replace(_PIN_PLACEHOLDER, value)
    )
    return font, size, line, x, baseline


def _draw_placed(canvas: Canvas, lines) -> None:
    canvas.setFillColorRGB(0, 0, 0)
    for font, size, line, x, baseline in lines:
        canvas.setFont(font, size)
        canvas.drawString(x, baseline, line)


def _text_form(canvas: Canvas, name: str, layout: Layout, lines) -> None:
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=layout.label_width, uppery=layout.label_height)
    _draw_placed(canvas, lines)
    canvas.endForm()


def _place_form(canvas: Canvas, name: str, x: float, y: float, own_lines) -> None:
    """The shared text form at the label's corner, and this label's own lines."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    _draw_placed(canvas, own_lines)
    canvas.restoreState()


def unit_labels_filename(batch, layout: str, pin_layout: str) -> str:
    return f"units-{batch.short_code}-{layout}-{pin_layout}.pdf"
