"""Serialised units: made for printing (the same units, serials and PINs when printed again, only
the extra ones made when more are asked), voided (logged, never printed again), and their label
sheets: every QR decoded by zbar to the unit's own URL, its serial and the batch's short code in
the text, the PIN only where it belongs (never in a QR)."""

import re
import subprocess
import time

import pytest
from PIL import Image

from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from wagtail.models import PageLogEntry

from products.factories import ProductPageFactory, ProductVariantFactory
from tests.traceability.test_labels import needs, pdf_info, pdf_text
from traceability.factories import BatchPageFactory
from traceability.labels import LAYOUTS, render_labels, render_unit_labels
from traceability.models import Unit
from traceability.unit_services import (
    UnitPrintingError,
    group_serial,
    units_for_printing,
    void_unit,
)
from traceability.units import pin_for

GTIN_13 = "8931234567897"


@pytest.fixture(autouse=True)
def messages_in_english():
    """The services' messages, read here in English (the admin tests read them in Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def product(coop1):
    return ProductPageFactory(parent=coop1, title="Thảo quả khô")


@pytest.fixture
def pack(product):
    return ProductVariantFactory(page=product, gtin=GTIN_13, pack_label="Túi 500 g")


@pytest.fixture
def batch(product, pack):
    return BatchPageFactory(parent=product, lot="TQ2026-01", package_count=40)


@pytest.fixture
def plain_batch(coop1):
    product = ProductPageFactory(parent=coop1, title="Sâm khô")
    ProductVariantFactory(page=product, gtin=None, pack_label="Hộp")
    return BatchPageFactory(parent=product, lot="SK-7", package_count=5)


def decode_labels(pdf: bytes, tmp_path, *, layout: str = "a4", first: int = 1, last: int = 1) -> list[str]:
    """The QR content of each label, label by label (page, then left to right, top to bottom;
    "" where a label has none), rasterised at 300 dpi. zbar reading a whole A4 page of 24
    different codes at once now and then misses one that it reads on its own."""
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar with Debian's libzbar0 decodes the QR codes")
    spec = LAYOUTS[layout]
    source = tmp_path / "units.pdf"
    source.write_bytes(pdf)
    cmd = [needs("pdftoppm"), "-r", "300", "-png", "-f", str(first), "-l", str(last), source, tmp_path / "u"]
    subprocess.run(cmd, check=True)
    found = []
    for png in sorted(tmp_path.glob("u-*.png")):
        image = Image.open(png)
        scale = image.size[0] / spec.page_width
        for position in range(spec.per_page):
            x, y = spec.label_origin(position)
            top = spec.page_height - y - spec.label_height
            box = (x * scale, top * scale, (x + spec.label_width) * scale, (top + spec.label_height) * scale)
            codes = [c.data.decode() for c in pyzbar.decode(image.crop(tuple(round(v) for v in box)))]
            found.append(codes[0] if len(codes) == 1 else "")
    return found


def words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def pins_on(text: str) -> dict[str, str]:
    """{grouped serial: PIN} read from PIN labels ("Mã PIN: 123456 Số sê-ri: ABCD-EFGHJ")."""
    pairs = re.findall(r"PIN:? (\d{6}) Số sê-ri: ([A-Z0-9]{4}-[A-Z0-9]{5})", text)
    return {serial: pin for pin, serial in pairs}


# Making units ------------------------------------------------------------------------------


def test_printing_makes_the_units_once_and_the_same_ones_again(batch, pack, coop1_editor):
    first = units_for_printing(batch, pack, 10, coop1_editor)

    assert len(first) == 10 and Unit.objects.filter(batch=batch).count() == 10
    assert len({u.serial for u in first}) == 10
    assert all(len(u.serial) == 9 and u.pack == pack for u in first)

    again = units_for_printing(batch, pack, 10, coop1_editor)
    assert [u.serial for u in again] == [u.serial for u in first]
    assert [u.pin_seed for u in again] == [u.pin_seed for u in first]
    assert Unit.objects.count() == 10

    more = units_for_printing(batch, pack, 15, coop1_editor)
    assert [u.serial for u in more[:10]] == [u.serial for u in first]
    assert Unit.objects.count() == 15
    # Making units is in the batch's history; printing the same ones again adds nothing.
    assert PageLogEntry.objects.filter(page=batch, action="traceability.print_units").count() == 2


def test_a_thousand_units_are_made_quickly(batch, pack):
    started = time.perf_counter()
    units = units_for_printing(batch, pack, 1000)
    assert len(units) == 1000 and len({u.serial for u in units}) == 1000
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("count", [0, -1, 1001, 100000])
def test_a_count_out_of_range_is_refused_and_changes_nothing(batch, pack, count):
    with pytest.raises(UnitPrintingError, match="between 1 and 1000"):
        units_for_printing(batch, pack, count)
    assert not Unit.objects.exists()


def test_a_pack_of_another_product_or_none_is_refused(batch, coop1):
    other = ProductVariantFactory(page=ProductPageFactory(parent=coop1, title="Mật ong"), gtin=None)
    with pytest.raises(UnitPrintingError, match="not one of this batch's product"):
        units_for_printing(batch, other, 3)
    with pytest.raises(UnitPrintingError, match="Choose the pack size"):
        units_for_printing(batch, None, 3)
    assert not Unit.objects.exists()


def test_units_whose_pin_can_no_longer_be_printed_are_refused_with_a_way_out(batch, pack, coop1_editor):
    units = units_for_printing(batch, pack, 3)
    new_key = override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40)
    with new_key, pytest.raises(UnitPrintingError) as error:
        units_for_printing(batch, pack, 3)
    assert "Void them" in str(error.value)
    assert group_serial(units[0].serial) in str(error.value)
    # Voided, they are replaced by new units whose PINs print under the new key.
    with new_key:
        for unit in units:
            void_unit(unit, "secret key changed", coop1_editor)
        fresh = units_for_printing(batch, pack, 3)
    assert not {u.serial for u in fresh} & {u.serial for u in units}


def test_voiding_is_logged_with_its_reason_and_the_unit_is_not_printed_again(batch, pack, coop1_editor):
    units = units_for_printing(batch, pack, 3)

    void_unit(units[1], "  label torn  ", coop1_editor)

    units[1].refresh_from_db()
    assert units[1].is_void and units[1].void_reason == "label torn" and units[1].voided_by == coop1_editor
    entry = PageLogEntry.objects.get(page=batch, action="traceability.void_unit")
    assert entry.user == coop1_editor and entry.data["reason"] == "label torn"
    assert group_serial(units[1].serial) in entry.message and "label torn" in entry.message
    assert "pin" not in str(entry.data).lower()

    printed = units_for_printing(batch, pack, 3)
    assert units[1].serial not in {u.serial for u in printed}
    assert [u.serial for u in printed[:2]] == [units[0].serial, units[2].serial]


def test_void_needs_a_reason(batch, pack, coop1_editor):
    unit = units_for_printing(batch, pack, 1)[0]
    for reason in ("", "   ", "x" * 201):
        with pytest.raises(UnitPrintingError):
            void_unit(unit, reason, coop1_editor)
    unit.refresh_from_db()
    assert not unit.is_void and not PageLogEntry.objects.filter(action="traceability.void_unit").exists()


# Label sheets ------------------------------------------------------------------------------


def test_every_unit_qr_decodes_to_its_own_digital_link_url(batch, pack, tmp_path):
    units = units_for_printing(batch, pack, 5)

    pdf = render_unit_labels(batch, units, pin_layout="scratch")

    expected = [f"http://testserver/01/0{GTIN_13}/10/TQ2026-01/21/{u.serial}" for u in units]
    assert decode_labels(pdf, tmp_path) == expected + [""] * 19
    text = words(pdf)
    for unit in units:
        assert group_serial(unit.serial) in text
        # Scratch-off: the PIN is on the same label, never in the QR.
        assert pin_for(unit.pin_seed) in text
        assert pin_for(unit.pin_seed) not in " ".join(expected)
    assert batch.short_code in text
    assert "Quét, hoặc nhập mã này tại testserver/check/" in text


def test_without_a_gtin_the_unit_qr_is_the_short_code_and_serial(plain_batch, tmp_path):
    pack = plain_batch.product.variants.get()
    units = units_for_printing(plain_batch, pack, 2)

    pdf = render_unit_labels(plain_batch, units, pin_layout="inside", layout="roll")

    assert pdf_info(pdf)["pages"] == 4  # two unit labels, then two PIN labels
    decoded = decode_labels(pdf, tmp_path, layout="roll", first=1, last=4)
    assert decoded[:2] == [f"http://testserver/t/{plain_batch.short_code}/{u.serial}" for u in units]
    assert decoded[2:] == ["", ""]  # the PIN labels carry no QR


def test_pins_inside_are_on_their_own_sheet_and_the_same_when_printed_again(batch, pack, tmp_path):
    units = units_for_printing(batch, pack, 30)
    pdf = render_unit_labels(batch, units, pin_layout="inside")

    assert pdf_info(pdf)["pages"] == 4  # 30 unit labels on two sheets, their 30 PINs on two more
    unit_pages = subprocess_text(pdf, 1, 2)
    pin_pages = subprocess_text(pdf, 3, 4)
    pins = pins_on(pin_pages)
    assert pins == {group_serial(u.serial): pin_for(u.pin_seed) for u in units}
    assert not any(pin in unit_pages for pin in pins.values())
    urls = decode_labels(pdf, tmp_path, first=1, last=2)
    assert urls[:30] == [f"http://testserver/01/0{GTIN_13}/10/TQ2026-01/21/{u.serial}" for u in units]
    assert not any(pin in " ".join(urls) for pin in pins.values())

    again = render_unit_labels(batch, units_for_printing(batch, pack, 30), pin_layout="inside")
    assert pins_on(subprocess_text(again, 3, 4)) == pins
    assert Unit.objects.count() == 30


def subprocess_text(pdf: bytes, first: int, last: int) -> str:
    out = subprocess.run(
        [needs("pdftotext"), "-raw", "-f", str(first), "-l", str(last), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(out.split())


@pytest.mark.parametrize("layout", ["a4", "roll"])
def test_batch_labels_show_the_site_address_and_the_short_code(batch, layout):
    text = words(render_labels(batch, layout=layout, count=1))

    assert batch.short_code in text
    assert "testserver/check/" in text


def test_a_sheet_of_1000_unit_labels_stays_quick_and_small(batch, pack):
    units = units_for_printing(batch, pack, 1000)
    started = time.perf_counter()
    pdf = render_unit_labels(batch, units, pin_layout="inside")
    seconds = time.perf_counter() - started

    assert pdf_info(pdf)["pages"] == 2 * 42
    assert seconds < 15, seconds
    assert len(pdf) < 3_000_000, len(pdf)


# The command ---------------------------------------------------------------------------------


def test_print_labels_command_prints_units_for_a_pack(batch, pack, tmp_path, capsys):
    out = tmp_path / "units.pdf"

    call_command(
        "print_labels",
        batch.short_code.lower(),
        *("--out", str(out), "--pack", pack.gtin, "--units", "4", "--pin-layout", "scratch"),
    )

    units = list(Unit.objects.filter(batch=batch))
    assert len(units) == 4
    decoded = decode_labels(out.read_bytes(), tmp_path)
    assert decoded[:4] == [f"http://testserver/01/0{GTIN_13}/10/TQ2026-01/21/{u.serial}" for u in units]
    printed = capsys.readouterr().out
    assert not any(pin_for(u.pin_seed) in printed for u in units)


def test_print_labels_command_refuses_bad_unit_requests_and_changes_nothing(batch, pack, product, tmp_path):
    from django.core.management import CommandError

    out = tmp_path / "units.pdf"
    with pytest.raises(CommandError, match="no pack size 'NOPE'"):
        call_command("print_labels", batch.short_code, "--out", str(out), "--pack", "NOPE", "--units", "2")
    with pytest.raises(CommandError, match="between 1 and 1000"):
        call_command("print_labels", batch.short_code, "--out", str(out), "--units", "0")
    ProductVariantFactory(page=product, gtin=None, pack_label="Túi 1 kg", sku="TQ-1000")
    with pytest.raises(CommandError, match="--pack"):
        call_command("print_labels", batch.short_code, "--out", str(out), "--units", "2")
    assert not Unit.objects.exists() and not out.exists()

    # Batch labels keep working as before, and may name their pack size by SKU.
    call_command("print_labels", batch.short_code, "--out", str(out), "--count", "2", "--pack", "TQ-1000")
    assert words(out.read_bytes()).count(batch.short_code) == 2
    assert decode_labels(out.read_bytes(), tmp_path)[:2] == [f"http://testserver/t/{batch.short_code}"] * 2


def test_after_a_secret_key_rotation_the_same_units_print_the_same_pins(batch, pack, settings):
    """The old key kept in SECRET_KEY_FALLBACKS (Django's way to rotate it): units made before
    print their PINs as first printed, and those PINs still check."""
    from traceability.checks import check_code

    units = units_for_printing(batch, pack, 3)
    first = pins_on(subprocess_text(render_unit_labels(batch, units, pin_layout="inside"), 2, 2))

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "k" * 40
    again = units_for_printing(batch, pack, 3)
    assert [u.serial for u in again] == [u.serial for u in units]
    assert pins_on(subprocess_text(render_unit_labels(batch, again, pin_layout="inside"), 2, 2)) == first
    serial = units[0].serial
    assert check_code(serial, first[group_serial(serial)], channel="web").kind == "unit-first"
