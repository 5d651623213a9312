"""Label sheets as PDF: page sizes, labels per page, every label's QR decoded by zbar from the PDF
rasterised at 300 dpi as a printer would print it, the text on each label, and the command."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from django.core.management import CommandError, call_command

from growers.factories import GrowingAreaFactory
from products.factories import ProductPageFactory, ProductVariantFactory
from traceability import labels
from traceability.factories import BatchPageFactory
from traceability.labels import A4_SHEET, MAX_LABELS, LabelError, fit_lines, render_labels
from traceability.links import label_url

PRODUCT_NAME = "Thảo quả khô Sì Lở Lầu"
BEST_BEFORE = datetime.date(2027, 3, 31)
MM = 72 / 25.4


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (Debian poppler-utils) is needed to read the PDF")
    return path


def pdf_info(pdf: bytes) -> dict:
    """Page count and each page's size in points, from poppler's pdfinfo."""
    out = subprocess.run(
        [needs("pdfinfo"), "-f", "1", "-l", "9999", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]
    return {"pages": int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1)), "sizes": sizes}


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        [needs("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def decode_pages(pdf: bytes, tmp_path: Path, *, first: int = 1, last: int = 1) -> list[list[str]]:
    """The QR contents zbar finds on each page, rasterised at 300 dpi."""
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar with Debian's libzbar0 decodes the QR codes")
    source = tmp_path / "labels.pdf"
    source.write_bytes(pdf)
    cmd = [needs("pdftoppm"), "-r", "300", "-png", "-f", str(first), "-l", str(last), source, tmp_path / "p"]
    subprocess.run(cmd, check=True)
    return [
        sorted(s.data.decode() for s in pyzbar.decode(Image.open(png)) if s.type == "QRCODE")
        for png in sorted(tmp_path.glob("p-*.png"))
    ]


@pytest.fixture
def product(coop1):
    return ProductPageFactory(parent=coop1, title=PRODUCT_NAME)


def make_batch(product, **kwargs):
    batch = BatchPageFactory(parent=product, best_before=BEST_BEFORE, **kwargs)
    batch.growing_areas.set([GrowingAreaFactory(code="VN-SLL-0007")])
    return batch


@pytest.fixture
def gtin_batch(product):
    ProductVariantFactory(page=product, gtin="8931234567897")
    return make_batch(product, lot="TQ2026-01", package_count=30)


@pytest.fixture
def plain_batch(product):
    ProductVariantFactory(page=product, gtin=None)
    return make_batch(product, lot="TQ2026-02", package_count=30)


def test_a4_sheet_is_a4_with_24_decodable_labels_per_page(gtin_batch, tmp_path):
    url = label_url(gtin_batch)
    assert url.startswith("http://testserver/01/")

    pdf = render_labels(gtin_batch, layout="a4", count=30)

    info = pdf_info(pdf)
    assert info["pages"] == 2
    assert all(
        w == pytest.approx(210 * MM, abs=0.01) and h == pytest.approx(297 * MM, abs=0.01)
        for w, h in info["sizes"]
    )
    assert decode_pages(pdf, tmp_path, first=1, last=2) == [[url] * 24, [url] * 6]


def test_roll_is_one_decodable_50_by_30_mm_label_per_page(plain_batch, tmp_path):
    url = label_url(plain_batch)
    assert url == f"http://testserver/t/{plain_batch.short_code}"

    pdf = render_labels(plain_batch, layout="roll", count=3)

    info = pdf_info(pdf)
    assert info["pages"] == 3
    assert all(
        w == pytest.approx(50 * MM, abs=0.01) and h == pytest.approx(30 * MM, abs=0.01)
        for w, h in info["sizes"]
    )
    assert decode_pages(pdf, tmp_path, first=1, last=3) == [[url], [url], [url]]


def test_qr_is_large_enough_to_scan():
    """The symbol without its quiet zone, for a typical URL (QR version 3 to 5: 29 to 37 modules)."""
    for layout, minimum in ((labels.A4_SHEET, 20), (labels.ROLL_50X30, 22)):
        for modules in (29, 33, 37):
            with_quiet_zone = modules + 8
            symbol_mm = layout.qr_size / MM * modules / with_quiet_zone
            assert symbol_mm >= minimum, (layout.key, modules)
        assert layout.qr_size + 2 * layout.padding <= layout.label_height + 0.01


def test_skipped_positions_stay_empty_on_a_partly_used_sheet(gtin_batch, tmp_path):
    pdf = render_labels(gtin_batch, layout="a4", count=20, skip=10)

    assert pdf_info(pdf)["pages"] == 2
    assert [len(page) for page in decode_pages(pdf, tmp_path, first=1, last=2)] == [14, 6]


@pytest.mark.parametrize("layout", ["a4", "roll"])
def test_label_text_has_name_lot_code_area_and_best_before(gtin_batch, layout):
    text = " ".join(pdf_text(render_labels(gtin_batch, layout=layout, count=1)).split())

    assert PRODUCT_NAME in text
    assert "TQ2026-01" in text
    assert gtin_batch.short_code in text
    assert "VN-SLL-0007" in text
    assert "31/03/2027" in text


def test_long_text_is_shortened_with_an_ellipsis_to_fit(product):
    ProductVariantFactory(page=product, gtin=None)
    product.title = "Thảo quả khô sấy trên gác bếp truyền thống của đồng bào Hà Nhì bản Sì Lở Lầu " * 2
    product.save()
    batch = make_batch(product, lot="TQ2026-05")

    text = pdf_text(render_labels(batch, layout="roll", count=1))

    assert "…" in text
    assert batch.short_code in text


def test_fit_lines_keeps_every_line_within_the_width():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, _bold = labels.label_fonts()
    lines, size = fit_lines(
        "Vùng trồng: VN-DTOR-0017, VN-DTOR-0018, VN-DTOR-0019, VN-DTPH-0001",
        regular,
        width=50,
        max_size=7,
        min_size=5,
        max_lines=2,
    )

    assert len(lines) == 2 and size == 5
    assert lines[-1].endswith("…")
    assert all(stringWidth(line, regular, size) <= 50 for line in lines)


def test_labels_keep_their_vietnamese_on_a_machine_without_system_fonts(gtin_batch, no_system_fonts):
    text = " ".join(pdf_text(render_labels(gtin_batch, layout="a4", count=1)).split())

    assert PRODUCT_NAME in text
    assert "Thao qua" not in text


def test_print_labels_command_keeps_the_vietnamese_on_a_machine_without_system_fonts(
    gtin_batch, tmp_path, no_system_fonts
):
    out = tmp_path / "labels.pdf"

    call_command("print_labels", gtin_batch.short_code, "--out", str(out), "--count", "1")

    assert PRODUCT_NAME in " ".join(pdf_text(out.read_bytes()).split())


def test_print_labels_command_refuses_when_the_label_fonts_are_missing(
    gtin_batch, tmp_path, label_fonts_missing
):
    out = tmp_path / "labels.pdf"

    with pytest.raises(CommandError, match="DejaVu Sans") as refused:
        call_command("print_labels", gtin_batch.short_code, "--out", str(out), "--count", "1")

    assert "tiếng Việt" in str(refused.value)  # the operator is told why, in the site's language
    assert not out.exists()


def test_a_thousand_labels_make_42_a4_pages(gtin_batch):
    pdf = render_labels(gtin_batch, layout="a4", count=MAX_LABELS)

    assert pdf_info(pdf)["pages"] == 42


def test_default_count_is_the_package_count_capped(gtin_batch):
    gtin_batch.package_count = 5000
    assert labels.default_count(gtin_batch, A4_SHEET) == MAX_LABELS
    gtin_batch.package_count = 0
    assert labels.default_count(gtin_batch, A4_SHEET) == 24


@pytest.mark.parametrize("options", [{"count": 0}, {"count": MAX_LABELS + 1}, {"skip": 24}, {"layout": "a5"}])
def test_impossible_requests_are_refused(gtin_batch, options):
    with pytest.raises(LabelError):
        render_labels(gtin_batch, **{"count": 1, **options})


# The command --------------------------------------------------------------------------------


def test_print_labels_command_writes_the_pdf(gtin_batch, tmp_path, capsys):
    out = tmp_path / "labels.pdf"

    call_command("print_labels", gtin_batch.short_code.lower(), "--out", str(out), "--count", "25")

    assert out.read_bytes().startswith(b"%PDF")
    assert pdf_info(out.read_bytes())["pages"] == 2
    printed = capsys.readouterr().out
    assert str(out) in printed and "25 labels on 2 pages" in printed
    assert label_url(gtin_batch) in printed


def test_print_labels_command_roll_layout_defaults_to_the_package_count(gtin_batch, tmp_path):
    out = tmp_path / "roll.pdf"

    call_command("print_labels", gtin_batch.short_code, "--out", str(out), "--layout", "roll")

    assert pdf_info(out.read_bytes())["pages"] == gtin_batch.package_count


def test_print_labels_command_refuses_an_unknown_code(db, tmp_path):
    out = tmp_path / "labels.pdf"

    with pytest.raises(CommandError, match="No batch has the short code"):
        call_command("print_labels", "XXXXXXXX", "--out", str(out))
    assert not out.exists()


def test_print_labels_command_refuses_too_many_labels(gtin_batch, tmp_path):
    with pytest.raises(CommandError, match="between 1 and 1000"):
        call_command(
            "print_labels", gtin_batch.short_code, "--out", str(tmp_path / "x.pdf"), "--count", "5000"
        )
