"""Issue 19's whole path in a real browser: a household asks for a growing-area code from a 360 px
phone (no account), the officer plans the inspection, records it and grants the code in the
admin, all through its forms; the code is then in the public registry with the application's
households (counted, never named) and boundary (drawn as SVG), the applicant's status page says
so with the code linked to the registry, and the applicant got a text at each step.

Fields and buttons are found by name, id or URL, never by their label: the admin speaks
Vietnamese by default and its words are being translated."""

import datetime
import json
import os
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from django.utils import timezone, translation

import sms
from applications.models import Application, ApplicationStatus
from growers.models import GrowingArea
from tests.browser.conftest import CHROMIUM, PHONE, admin_login, page_errors, screenshot

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser

CODE = "LC-PT-SLL-130"
PHONE_NUMBER = "0987 654 321"
PHONE_E164 = "+84987654321"
# A small plot (about 100 m × 110 m) near Sà Lèng, Phong Thổ: 22.62 N, 103.27 E.
BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Nương thảo quả"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [103.2700, 22.6200],
                        [103.2710, 22.6200],
                        [103.2710, 22.6210],
                        [103.2700, 22.6210],
                        [103.2700, 22.6200],
                    ]
                ],
            },
        }
    ],
}
NO_HORIZONTAL_SCROLL = "document.scrollingElement.scrollWidth"


def submit_and_expect(page, button, url, what):
    """Click a submit button and wait for the next page; if the form comes back, fail with the
    errors it shows."""
    button.click()
    try:
        page.wait_for_url(url)
    except PlaywrightTimeout:
        raise AssertionError(f"{what} was refused at {page.url}: {page_errors(page)}") from None


def watch_script_errors(page) -> list[str]:
    """Every uncaught JavaScript error and script error on the console, collected as the page runs."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            # A missing /favicon.ico (the browser asks for it on its own) is no script error.
            and not message.text.startswith("Failed to load resource")
            and errors.append(f"console: {message.text}")
        ),
    )
    return errors


def apply_from_a_phone(page, base_url, boundary_file) -> str:
    """The household's part: the form at 360 px, sent; the application's number as the
    confirmation page shows it."""
    page.goto(f"{base_url}/growing-areas/apply/")
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"], "the form scrolls sideways at 360 px"
    page.locator("input[name=applicant_kind][value=household]").check()
    page.locator("#id_applicant_name").fill("Vàng A Sình")
    page.locator("#id_phone").fill(PHONE_NUMBER)
    page.locator("#id_village").fill("Sà Lèng")
    page.locator("#id_crop").select_option("thao-qua")
    page.evaluate("document.querySelector('h1').scrollIntoView()")
    screenshot(page, "apply.png")  # README "What it looks like on a phone"
    page.locator("#id_plots-0-area_hectares").fill("1,2")
    page.locator("#id_plots-0-description").fill("Dưới tán rừng, trên suối")
    page.locator("#id_plots-0-latitude").fill("22.6205")
    page.locator("#id_plots-0-longitude").fill("103.2705")
    page.locator("#id_plots-0-boundary_file").set_input_files(str(boundary_file))
    page.locator("#id_households-0-head_name").fill("Vàng A Sình")
    page.locator("#id_households-0-area_hectares").fill("0,7")
    page.locator("#id_households-1-head_name").fill("Lý Thị Mẩy")
    page.locator("#id_households-1-area_hectares").fill("0,5")
    submit_and_expect(
        page,
        page.locator("form button[type=submit]").last,
        re.compile(r"/growing-areas/apply/[^/]+/received/$"),
        "The application",
    )
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"], "the confirmation scrolls sideways"
    number = page.locator(".big-number").inner_text().strip()
    assert number
    return number


def take_step(page, base_url, pk, step, fields, what):
    """The officer opens the application's page, clicks the step's button, fills its form and
    sends it; the admin returns to the application's page."""
    inspect_url = f"{base_url}/admin/code-applications/inspect/{pk}/"
    page.goto(inspect_url)
    page.locator(f'a.button[href$="/{pk}/step/{step}/"]').click()
    page.wait_for_url(re.compile(rf"/admin/code-applications/{pk}/step/{step}/$"))
    for field_id, value in fields.items():
        field = page.locator(f"#{field_id}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    submit_and_expect(page, page.locator("main form button[type=submit]"), inspect_url, what)


def test_a_household_applies_the_officer_grants_and_the_registry_follows(demo, browser, tmp_path):
    boundary_file = tmp_path / "nuong-thao-qua.geojson"
    boundary_file.write_text(json.dumps(BOUNDARY), encoding="utf-8")
    sms.outbox.clear()
    assert not GrowingArea.objects.filter(code=CODE).exists()

    # 1. The household, on a phone, without an account.
    household = browser.new_context(viewport=PHONE, locale="vi-VN")
    try:
        page = household.new_page()
        page.set_default_timeout(15_000)
        script_errors = watch_script_errors(page)
        number = apply_from_a_phone(page, demo.url, boundary_file)
        assert script_errors == [], script_errors
    finally:
        household.close()
    application = Application.objects.get(number=number)
    assert application.status == ApplicationStatus.RECEIVED
    assert application.phone == PHONE_E164
    assert application.plots.get().boundary is not None
    assert application.households.count() == 2

    # 2. The officer, at the desk: the queue, the application's page, its three steps.
    officer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    try:
        page = officer.new_page()
        page.set_default_timeout(15_000)
        admin_login(page, demo.url, "officer")
        page.goto(f"{demo.url}/admin/code-applications/?q={number}")
        # The number in the queue opens the application's page.
        page.locator("main table a", has_text=number).first.click()
        page.wait_for_url(re.compile(rf"/admin/code-applications/inspect/{application.pk}/$"))
        assert page.get_by_text(number, exact=True).first.is_visible()
        # The form that corrects the applicant's details is one click away.
        assert page.locator(f'a[href$="/admin/code-applications/edit/{application.pk}/"]').count() >= 1

        today = timezone.localdate()
        take_step(
            page,
            demo.url,
            application.pk,
            "plan",
            {"id_planned_for": today.isoformat(), "id_reason": "Cán bộ đến nương sáng thứ Ba."},
            "Planning the inspection",
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.INSPECTION_PLANNED

        take_step(
            page,
            demo.url,
            application.pk,
            "inspect",
            {
                "id_date": today.isoformat(),
                "id_inspector": "Lò Văn Tuấn",
                "id_result": "passed",
                "id_notes": "Ranh giới đúng như hồ sơ.",
            },
            "Recording the inspection",
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.INSPECTED

        # The grant's form comes filled with what the application already says (no retyping).
        page.goto(f"{demo.url}/admin/code-applications/{application.pk}/step/grant/")
        assert page.locator("#id_name").input_value(), "the area's name should be proposed"
        assert page.locator("#id_issuing_authority").input_value(), "the authority should be proposed"
        take_step(
            page,
            demo.url,
            application.pk,
            "grant",
            {
                "id_code": CODE,
                "id_decision_number": "130/QĐ-UBND",
                "id_issued_on": today.isoformat(),
                "id_valid_until": (today + datetime.timedelta(days=5 * 365)).isoformat(),
            },
            "Granting the code",
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.GRANTED
        assert application.growing_area.code == CODE
        assert page.get_by_text(CODE, exact=True).first.is_visible()

        # The steps, who took them, on the application's page.
        steps = page.locator("table.listing").last.inner_text()
        statuses = [s.to_status for s in application.steps.order_by("at", "pk")]
        assert statuses == [
            ApplicationStatus.RECEIVED,
            ApplicationStatus.INSPECTION_PLANNED,
            ApplicationStatus.INSPECTED,
            ApplicationStatus.GRANTED,
        ]
        officer_user = application.steps.last().by
        officers_steps = application.steps.exclude(to_status=ApplicationStatus.RECEIVED)
        assert {step.by for step in officers_steps} == {officer_user}
        assert officer_user.username == "officer"
        shown_by = officer_user.get_full_name() or officer_user.get_username()
        assert steps.count(shown_by) == 3, steps
        assert "Cán bộ đến nương sáng thứ Ba." in steps
        # And in Wagtail's history of the application.
        page.goto(f"{demo.url}/admin/code-applications/history/{application.pk}/")
        history = page.locator("main").inner_text()
        assert history.count(shown_by) >= 3, history
        assert CODE in history, history
    finally:
        officer.close()

    area = GrowingArea.objects.get(code=CODE)
    assert sorted(area.households.values_list("head_name", flat=True)) == ["Lý Thị Mẩy", "Vàng A Sình"]
    assert area.area_hectares == application.total_hectares
    assert area.boundary is not None

    # 3. and 4. The public registry and the applicant's status page, on a fresh phone.
    visitor = browser.new_context(viewport=PHONE, locale="vi-VN")
    try:
        page = visitor.new_page()
        page.set_default_timeout(15_000)
        script_errors = watch_script_errors(page)

        page.goto(f"{demo.url}/growing-areas/apply/{number}/")
        page.locator("#id_digits").fill(PHONE_E164[-4:])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        verdict = page.locator(".verdict")
        assert "box-valid" in verdict.get_attribute("class")
        with translation.override("vi"):
            assert str(ApplicationStatus.GRANTED.label) in verdict.inner_text()
        link = verdict.locator(f'a[href$="/growing-areas/{CODE}/"]')
        assert link.inner_text().strip() == CODE
        assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"], "the status page scrolls sideways"
        link.click()
        page.wait_for_url(re.compile(rf"/growing-areas/{CODE}/$"))

        # The registry page: valid, 2 households (never their names), the boundary drawn.
        assert page.locator("h1 .code").inner_text().strip() == CODE
        assert page.locator(".status-box .status-active").count() == 1
        facts = page.locator("dl.facts").inner_text()
        # The last figure of the facts is the households' count ("2 hộ").
        assert page.locator("dl.facts .figure").last.inner_text().strip() == "2", facts
        body = page.locator("body").inner_text()
        for name in ("Vàng A Sình", "Lý Thị Mẩy"):
            assert name not in body, f"{name} must never be public"
        assert "130/QĐ-UBND" in facts
        drawing = page.locator("figure.map svg.boundary")
        assert drawing.count() == 1
        assert drawing.locator("path").first.get_attribute("d").startswith("M")
        assert drawing.bounding_box()["width"] > 0
        assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"], "the registry page scrolls sideways"
        assert script_errors == [], script_errors
    finally:
        visitor.close()

    # 5. The texts the applicant received: one a step, each fitting one SMS.
    texts = [message["text"] for message in sms.outbox if message["to"] == PHONE_E164]
    assert len(texts) == 4, texts
    for text in texts:
        assert len(text) <= 160, text
        assert number in text, text
    assert CODE in texts[-1], texts[-1]
    assert today.strftime("%d/%m") in texts[1], texts[1]
