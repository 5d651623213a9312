"""What a label's QR encodes (GS1 Digital Link, or the short-code URL) and how it is drawn: error
correction M, a 4-module quiet zone, decodable by zbar as a phone would read it."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageDraw

from django.test import override_settings

from products.factories import ProductPageFactory, ProductVariantFactory
from traceability.factories import BatchPageFactory
from traceability.links import label_url
from traceability.qr import QUIET_ZONE, dark_runs, make_qr, qr_matrix, qr_png, qr_svg

GTIN_13 = "8931234567897"
GTIN_14 = "0" + GTIN_13


def decode_image(image: Image.Image) -> list[str]:
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar with Debian's libzbar0 decodes the QR codes")
    return [symbol.data.decode() for symbol in pyzbar.decode(image) if symbol.type == "QRCODE"]


@pytest.fixture
def product(coop1):
    return ProductPageFactory(parent=coop1, title="Thảo quả khô")


@pytest.fixture
def gtin_batch(product):
    ProductVariantFactory(page=product, gtin=GTIN_13)
    return BatchPageFactory(parent=product, lot="TQ2026-01")


@pytest.fixture
def plain_batch(product):
    ProductVariantFactory(page=product, gtin=None)
    return BatchPageFactory(parent=product, lot="TQ2026-02")


# The URL ------------------------------------------------------------------------------------


def test_label_url_is_gs1_digital_link_when_the_product_has_a_gtin(gtin_batch):
    assert label_url(gtin_batch) == f"http://testserver/01/{GTIN_14}/10/TQ2026-01"


def test_label_url_is_the_short_code_url_without_a_gtin(plain_batch):
    assert label_url(plain_batch) == f"http://testserver/t/{plain_batch.short_code}"


def test_label_url_percent_encodes_the_lot_as_gs1_digital_link_requires(product):
    ProductVariantFactory(page=product, gtin=GTIN_13)
    batch = BatchPageFactory(parent=product, lot="A/B+1%(x)")

    assert label_url(batch) == f"http://testserver/01/{GTIN_14}/10/A%2FB%2B1%25%28x%29"


def test_label_url_skips_pack_sizes_off_sale_or_without_gtin(product):
    ProductVariantFactory(page=product, gtin="96385074", is_active=False, sort_order=0)
    ProductVariantFactory(page=product, gtin=None, sort_order=1)
    ProductVariantFactory(page=product, gtin=GTIN_13, sort_order=2)
    batch = BatchPageFactory(parent=product, lot="TQ2026-03")

    assert label_url(batch) == f"http://testserver/01/{GTIN_14}/10/TQ2026-03"


def test_label_url_uses_the_chosen_pack_size(product):
    ProductVariantFactory(page=product, gtin=GTIN_13, sort_order=0)
    chosen = ProductVariantFactory(page=product, gtin="96385074", sort_order=1)
    without_gtin = ProductVariantFactory(page=product, gtin=None, sort_order=2)
    batch = BatchPageFactory(parent=product, lot="TQ2026-04")

    assert label_url(batch, chosen) == "http://testserver/01/00000096385074/10/TQ2026-04"
    assert label_url(batch, without_gtin) == f"http://testserver/t/{batch.short_code}"


@override_settings(WAGTAILADMIN_BASE_URL="https://cho.example.vn/")
def test_label_url_is_on_the_configured_base_url(plain_batch):
    assert label_url(plain_batch) == f"https://cho.example.vn/t/{plain_batch.short_code}"


# The symbol ---------------------------------------------------------------------------------


def test_qr_uses_error_correction_m_and_a_four_module_quiet_zone():
    from qrcode.constants import ERROR_CORRECT_M

    qr = make_qr("http://testserver/t/ACDEFGHJ")

    assert qr.error_correction == ERROR_CORRECT_M
    assert qr.border == QUIET_ZONE == 4


def test_png_has_a_white_quiet_zone_of_four_modules():
    box = 10
    image = Image.open(io.BytesIO(qr_png("http://testserver/t/ACDEFGHJ", box_size=box))).convert("L")
    width, height = image.size
    pixels = image.load()

    dark = [(x, y) for y in range(height) for x in range(width) if pixels[x, y] < 128]
    assert min(x for x, _ in dark) == 4 * box
    assert min(y for _, y in dark) == 4 * box
    assert max(x for x, _ in dark) == width - 4 * box - 1
    assert max(y for _, y in dark) == height - 4 * box - 1


@pytest.mark.django_db
@pytest.mark.parametrize("batch_fixture", ["gtin_batch", "plain_batch"])
def test_png_decodes_to_the_label_url(request, batch_fixture):
    batch = request.getfixturevalue(batch_fixture)
    url = label_url(batch)

    image = Image.open(io.BytesIO(qr_png(url)))

    assert decode_image(image) == [url]


def svg_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """(size in modules, dark modules) read back from the SVG's path."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    path = root.find("{http://www.w3.org/2000/svg}path").get("d")
    dark = set()
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        dark.update((int(x) + i, int(y)) for i in range(int(length)))
    return size, dark


def test_svg_draws_exactly_the_qr_matrix_with_its_quiet_zone():
    url = "http://testserver/01/08931234567897/10/TQ2026-01"
    matrix = qr_matrix(url)

    size, dark = svg_modules(qr_svg(url))

    assert size == len(matrix)
    assert dark == {(x, y) for y, row in enumerate(matrix) for x, on in enumerate(row) if on}
    assert all(QUIET_ZONE <= x < size - QUIET_ZONE and QUIET_ZONE <= y < size - QUIET_ZONE for x, y in dark)


def test_svg_is_sized_in_millimetres_or_pixels_on_a_white_square():
    url = "http://testserver/t/ACDEFGHJ"

    in_mm = ET.fromstring(qr_svg(url, size_mm=25))
    in_px = ET.fromstring(qr_svg(url, size_px=300))

    assert (in_mm.get("width"), in_mm.get("height")) == ("25mm", "25mm")
    assert (in_px.get("width"), in_px.get("height")) == ("300px", "300px")
    assert in_mm.find("{http://www.w3.org/2000/svg}rect").get("fill") == "#fff"


def test_svg_decodes_to_the_label_url(gtin_batch):
    url = label_url(gtin_batch)
    size, dark = svg_modules(qr_svg(url))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in dark:
        draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)

    assert decode_image(image) == [url]


def test_dark_runs_cover_each_dark_module_once():
    matrix = [[False, True, True, False, True], [True, True, True, True, True]]

    assert list(dark_runs(matrix)) == [(0, 1, 2), (0, 4, 1), (1, 0, 5)]
