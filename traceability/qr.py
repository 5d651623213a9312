"""Every QR code the site draws: printed labels (SVG and PNG files, and the module matrix the
PDF labels draw) and the VietQR bank-transfer codes on order pages (orders.vietqr).

Error correction M (15% of the symbol may be lost: a scuffed bag, a smudge) and the 4-module
quiet zone that ISO/IEC 18004 requires around the symbol, always."""

import io

import qrcode
import qrcode.constants
from qrcode.image.pil import PilImage

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QUIET_ZONE = 4  # modules


def make_qr(data: str, *, box_size: int = 1, mask_pattern: int | None = None) -> qrcode.QRCode:
    qr = qrcode.QRCode(
        error_correction=ERROR_CORRECTION, border=QUIET_ZONE, box_size=box_size, mask_pattern=mask_pattern
    )
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def qr_matrix(data: str, *, mask_pattern: int | None = None) -> list[list[bool]]:
    """Rows of modules, top row first, quiet zone included (True = dark).

    With `mask_pattern` (0-7) the mask is not chosen by scoring all eight (ISO/IEC 18004 allows
    any): six times quicker, for sheets of a thousand different codes (serialised units)."""
    return make_qr(data, mask_pattern=mask_pattern).get_matrix()


def dark_runs(matrix: list[list[bool]]):
    """(row, first column, length) of each horizontal run of dark modules: one rectangle per
    run rather than per module keeps the SVG and the PDF small."""
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def qr_svg(data: str, *, size_mm: float = 40, size_px: int | None = None) -> str:
    """A standalone SVG: one path in module units on a white square (the quiet zone stays white
    on any background). Sized in millimetres for print, or in pixels for screens."""
    matrix = qr_matrix(data)
    n = len(matrix)
    size = f"{int(size_px)}px" if size_px is not None else f"{size_mm:g}mm"
    path = "".join(f"M{x} {y}h{length}v1h-{length}z" for y, x, length in dark_runs(matrix))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def qr_png(data: str, *, box_size: int = 10) -> bytes:
    """A PNG with whole pixels per module (box_size), black on white, quiet zone included."""
    image = make_qr(data, box_size=box_size).make_image(
        image_factory=PilImage, fill_color="black", back_color="white"
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
