"""The admin flows in a real browser, as the people who do them: the agriculture officer registers
a growing-area code and suspends it, and the public registry follows; a cooperative's editor
records a batch from a phone, prints its labels, and the QR on the printed PDF opens the batch's
trace page.

Fields and buttons are found by name, id or URL, never by their label: the admin speaks
Vietnamese by default and its words are being translated."""

import datetime
import os
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from django.utils import timezone

from growers.models import GrowingArea, GrowingAreaStatus
from products.models import ProductPage
from tests.browser.conftest import CHROMIUM, PHONE, admin_login, page_errors
from traceability.models import BatchPage

if not os.path.exists(CHROMIUM):
    print(f"Skipping browser tests: {CHROMIUM} is missing (Debian package chromium).")
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

NEW_CODE = "LC-PT-SLL-120"
NEW_LOT = "TQ2026-09"
# The admin's date fields show and take dates as WAGTAIL_DATE_FORMAT (day/month/year).
ADMIN_DATE = "%d/%m/%Y"
# Finds, for a field's id, the admin tab panel that holds it (None outside tabs).
TAB_OF_FIELD = "id => document.getElementById(id)?.closest('[role=tabpanel]')?.id || null"


def a_day_after_the_twelfth(today: datetime.date) -> datetime.date:
    """The 20th of last month: in the past, and a day number no month has, so a date read as
    month/day instead of day/month is refused or lands elsewhere, and the test sees it."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=20)


def fill(page, field_id, value):
    """Fill an admin field, first opening the tab it sits in (as a person would click the tab)."""
    tab = page.evaluate(TAB_OF_FIELD, field_id)
    if tab:
        page.locator(f'[role=tab][aria-controls="{tab}"]').click()
    field = page.locator(f"#{field_id}")
    field.fill(value)
    if field.get_attribute("autocomplete") == "off":
        # A date picker opened on focus; close it so it covers nothing.
        page.keyboard.press("Escape")


def submit_and_expect(page, click, url, what):
    """Click a submit button and wait for the admin to move on to `url`; if it stays on the form,
    fail with the errors the form shows."""
    click()
    try:
        page.wait_for_url(url)
    except PlaywrightTimeout:
        raise AssertionError(f"{what} was refused at {page.url}: {page_errors(page)}") from None


def open_header_menu(page):
    """The "…" menu of the admin page's header (status actions, Print labels)."""
    page.locator("header.w-slim-header [data-w-dropdown-target=toggle]").first.click()


def qr_codes_in_pdf(pdf: bytes, tmp_path) -> list[str]:
    """What zbar reads on the first page, rasterised at 300 dpi as a printer would print it."""
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar with Debian's libzbar0 decodes the QR codes")
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is needed to read the PDF")
    source = tmp_path / "labels.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "300", "-png", "-f", "1", "-l", "1", source, tmp_path / "p"], check=True)
    (png,) = tmp_path.glob("p-*.png")
    return [s.data.decode() for s in pyzbar.decode(Image.open(png)) if s.type == "QRCODE"]


def test_officer_registers_a_code_and_suspends_it_and_the_registry_follows(demo, desktop):
    page, base = desktop, demo.url
    today = timezone.localdate()
    issued = a_day_after_the_twelfth(today)
    valid_until = issued.replace(year=issued.year + 5)
    reason = "Kiểm tra ngày 20: phát hiện dùng thuốc bảo vệ thực vật ngoài danh mục."

    admin_login(page, base, "officer")
    page.goto(f"{base}/admin/growing-areas/")
    page.locator('a[href="/admin/growing-areas/new/"]').first.click()
    page.wait_for_url(f"{base}/admin/growing-areas/new/")

    # Typed as it may be written by hand: lower case, the form normalises it.
    fill(page, "id_code", NEW_CODE.lower())
    fill(page, "id_name", "Vùng thảo quả bản Hồ Sì Pan")
    fill(page, "id_decision_number", "120/QĐ-TTBVTV")
    fill(page, "id_issued_on", issued.strftime(ADMIN_DATE))
    fill(page, "id_valid_until", valid_until.strftime(ADMIN_DATE))
    fill(page, "id_crop_name", "Thảo quả")
    fill(page, "id_area_hectares", "3.40")
    fill(page, "id_village", "Hồ Sì Pan")
    fill(page, "id_latitude", "22.6123")
    fill(page, "id_longitude", "103.2611")
    submit_and_expect(
        page,
        lambda: page.locator("#w-editor-form button[type=submit]").first.click(),
        f"{base}/admin/growing-areas/",
        "Registering the code",
    )
    expect(page.locator("table").get_by_text(NEW_CODE, exact=True)).to_be_visible()

    area = GrowingArea.objects.get(code=NEW_CODE)
    assert (area.issued_on, area.valid_until) == (issued, valid_until), (
        "the dates typed as the date field shows them (day/month/year) were saved as "
        f"{area.issued_on} and {area.valid_until}"
    )
    assert area.status == GrowingAreaStatus.ACTIVE

    public = page.context.new_page()
    response = public.goto(f"{base}/growing-areas/{NEW_CODE}/")
    assert response.status == 200, response.status
    expect(public.locator("h1 .code")).to_have_text(NEW_CODE)
    expect(public.locator(".status-box .status")).to_have_class(re.compile(r"\bstatus-active\b"))
    expect(public.locator(".status-box .status")).to_contain_text("Còn hiệu lực")

    # Suspend it from the code's page in the admin, through the header's status actions.
    page.locator(f'table a[href="/admin/growing-areas/edit/{area.pk}/"]').first.click()
    page.wait_for_url(f"{base}/admin/growing-areas/edit/{area.pk}/")
    open_header_menu(page)
    page.locator(f'a[href="/admin/growing-areas/{area.pk}/status/suspend/"]').click()
    page.wait_for_url(f"{base}/admin/growing-areas/{area.pk}/status/suspend/")
    page.locator("#id_reason").fill(reason)
    # The effective date is left as the form offers it: today.
    expect(page.locator("#id_effective_date")).to_have_value(today.strftime(ADMIN_DATE))
    submit_and_expect(
        page,
        lambda: page.locator('form[action$="/status/suspend/"] button[type=submit]').click(),
        f"{base}/admin/growing-areas/edit/{area.pk}/",
        "Suspending the code",
    )

    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.SUSPENDED
    change = area.status_changes.get()
    assert (change.reason, change.effective_date, change.changed_by.username) == (reason, today, "officer")

    public.reload()
    status = public.locator(".status-box .status")
    expect(status).to_have_class(re.compile(r"\bstatus-suspended\b"))
    expect(status).to_contain_text("Tạm đình chỉ")
    expect(public.locator(".status-box")).to_contain_text(reason)


def test_cooperative_editor_records_a_batch_on_a_phone_and_its_printed_qr_opens_it(
    demo, browser, settings, tmp_path
):
    # The QR on the label carries the site's public address: here, the live server's.
    settings.WAGTAILADMIN_BASE_URL = demo.url
    base = demo.url
    # The Vietnamese original: it alone carries pack sizes, stock and batches (seed_demo also
    # makes its English and Hmong translations).
    product = ProductPage.objects.get(slug="thao-qua-kho", locale__language_code="vi")
    area = GrowingArea.objects.get(code="LC-PT-SLL-001")
    harvest = a_day_after_the_twelfth(timezone.localdate())

    # Cooperative editors keep their batches from a phone (DESIGN §1).
    context = browser.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        admin_login(page, base, "coop1")
        page.goto(f"{base}/admin/pages/{product.pk}/")
        page.locator(f'a[href="/admin/pages/{product.pk}/add_subpage/"]').first.click()
        # A product holds only batches, so Wagtail goes straight to the batch form.
        page.wait_for_url(f"{base}/admin/pages/add/traceability/batchpage/{product.pk}/")

        fill(page, "id_title", f"Thảo quả khô – lô {NEW_LOT}")
        fill(page, "id_lot", NEW_LOT)
        fill(page, "id_harvest_start", harvest.strftime(ADMIN_DATE))
        fill(page, "id_quantity_kg", "75")
        fill(page, "id_package_count", "200")
        page.locator(f'input[name=growing_areas][value="{area.pk}"]').check()
        page.locator("#id_events-ADD").click()
        page.locator("#id_events-0-event_type").select_option("harvest")
        # Typed day first, like every date field; leaving the field keeps it (the picker once
        # read only year-month-day and put "now" in its place).
        fill(page, "id_events-0-occurred_at", f"{harvest:{ADMIN_DATE}} 07:30")
        fill(page, "id_events-0-place", "Bản Sì Lở Lầu")
        fill(page, "id_events-0-responsible", "Tổ thu hái bản Sì Lở Lầu")
        expect(page.locator("#id_events-0-occurred_at")).to_have_value(f"{harvest:{ADMIN_DATE}} 07:30")

        # Publish is in the footer's "more actions" menu, under Save draft.
        page.locator("footer [data-w-dropdown-target=toggle]").first.click()
        submit_and_expect(
            page,
            lambda: page.locator("button[name=action-publish]").click(),
            f"{base}/admin/pages/{product.pk}/",
            "Publishing the batch",
        )

        batch = BatchPage.objects.child_of(product).get(lot=NEW_LOT).specific
        assert batch.live and batch.harvest_start == harvest, (batch.live, batch.harvest_start)
        assert list(batch.growing_areas.all()) == [area]
        assert [(e.event_type, e.place) for e in batch.events.all()] == [("harvest", "Bản Sì Lở Lầu")]
        assert batch.events.get().local_time.strftime("%d/%m/%Y %H:%M") == f"{harvest:{ADMIN_DATE}} 07:30"

        # Print labels: from the batch's page in the admin, its header menu.
        page.locator(f'a[href="/admin/pages/{batch.pk}/edit/"]').first.click()
        page.wait_for_url(f"{base}/admin/pages/{batch.pk}/edit/")
        open_header_menu(page)
        page.locator(f'a[href="/admin/batches/{batch.pk}/labels/"]').click()
        page.wait_for_url(f"{base}/admin/batches/{batch.pk}/labels/")
        page.locator("#id_count").fill("3")
        # The labels page asks which pack size the labels are for (no silent default).
        variant = product.variants.filter(is_active=True, gtin__isnull=False).order_by("sort_order", "pk")[0]
        page.locator("#id_variant").select_option(str(variant.pk))
        with page.expect_download() as download:
            page.locator(f'form[action="/admin/batches/{batch.pk}/labels/"] button[type=submit]').click()
        pdf = download.value.path().read_bytes()
        assert pdf.startswith(b"%PDF"), pdf[:40]
        assert download.value.suggested_filename.endswith(".pdf"), download.value.suggested_filename

        # The QR holds the GS1 Digital Link of the pack size chosen.
        expected = f"{base}/01/{variant.gtin}/10/{NEW_LOT}"
        codes = qr_codes_in_pdf(pdf, tmp_path)
        assert codes == [expected] * 3, codes  # the three labels asked for

        # Scanning it opens the new batch's trace page.
        trace = context.new_page()
        response = trace.goto(codes[0])
        assert response.status == 200, response.status
        expect(trace.locator("h1")).to_contain_text(NEW_LOT)
        expect(trace.locator("dd.code", has_text=batch.short_code)).to_be_visible()
        expect(trace.locator(".verdict")).to_contain_text(area.code)
        expect(trace.locator("ol.events > li")).to_have_count(1)
    finally:
        context.close()


def test_officer_imports_a_spreadsheet_naming_the_demo_cooperative_and_sees_small_error_icons(demo, desktop):
    """The demo cooperative has English and Hmong copies with the same title; the import takes
    the name as the cooperative's own. The one row with an unknown cooperative shows its error
    with an icon the size of a letter."""
    page, base = desktop, demo.url
    headings = "Mã số vùng trồng,Tên vùng trồng,Hợp tác xã,Bản,Cây trồng,Diện tích (ha),Vĩ độ,Kinh độ,"
    headings += "Số quyết định,Ngày cấp,Hiệu lực đến"
    rows = [
        "LC-PT-SLL-130,Vùng thảo quả bản Pa Vây Sử,HTX Thảo quả Sì Lở Lầu,Pa Vây Sử,Thảo quả,2.5,"
        "22.62,103.27,130/QĐ-TTBVTV,01/03/2024,01/03/2029",
        "LC-PT-SLL-131,Vùng sâm bản Hồ Sì Pan,HTX không có,Hồ Sì Pan,Sâm Lai Châu,1.5,22.61,103.26,"
        "131/QĐ-TTBVTV,01/03/2024,01/03/2029",
    ]
    admin_login(page, base, "officer")
    page.goto(f"{base}/admin/growing-area-import/")
    page.locator("input[name=file]").set_input_files(
        {"name": "vung.csv", "mimeType": "text/csv", "buffer": "\n".join([headings, *rows]).encode()}
    )
    page.locator("form button[type=submit].button").first.click()
    page.wait_for_url(re.compile(r"/admin/growing-area-import/[^/]+/$"))

    problems = page.locator("li.error-message")
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text("HTX không có")
    box = problems.locator("svg").first.bounding_box()
    assert box["height"] <= 24 and box["width"] <= 24, box

    page.locator("button[name=mode][value=valid]").click()
    page.wait_for_url(f"{base}/admin/growing-areas/")
    area = GrowingArea.objects.get(code="LC-PT-SLL-130")
    assert area.cooperative.title == "HTX Thảo quả Sì Lở Lầu"
    assert area.cooperative.locale.language_code == "vi"
    assert not GrowingArea.objects.filter(code="LC-PT-SLL-131").exists()
