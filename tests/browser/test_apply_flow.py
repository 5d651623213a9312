"""A household applies for a growing-area code on a 360 px phone, without script: the form,
a mistake shown and corrected, the confirmation with the number, the receipt by SMS, and the
status page opened with the phone's last 4 digits."""

import os
import re

import pytest

import sms
from applications.models import Application
from tests.browser.conftest import CHROMIUM

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)", allow_module_level=True)

pytestmark = pytest.mark.browser


def test_a_household_applies_from_a_phone_and_follows_its_application(demo, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sms.outbox.clear()
        before = set(Application.objects.values_list("pk", flat=True))  # the demo's applications
        page.goto(f"{demo.url}/en/growing-areas/")
        page.get_by_role("link", name="Apply for a growing-area code").click()
        page.wait_for_url(re.compile(r"/en/growing-areas/apply/$"))
        page.get_by_label("Your name (or the group's name)").fill("Vàng A Sình")
        page.get_by_label("Your mobile phone").fill("0912 345 678")
        page.get_by_label("Village (bản)").fill("Hồ Thầu")
        page.get_by_label("What do you grow?").select_option("duong-quy")
        page.locator("#id_plots-0-area_hectares").fill("0,05")
        page.locator("#id_plots-0-latitude").fill("48.85")
        page.locator("#id_plots-0-longitude").fill("2.35")
        page.get_by_role("button", name="Send my application").click()
        assert page.get_by_text("This point is not in Vietnam").is_visible()
        assert page.locator("#id_applicant_name").input_value() == "Vàng A Sình"  # kept
        assert set(Application.objects.values_list("pk", flat=True)) == before
        page.locator("#id_plots-0-latitude").fill("22.62")
        page.locator("#id_plots-0-longitude").fill("103.27")
        page.get_by_role("button", name="Send my application").click()
        page.wait_for_url(re.compile(r"/received/$"))
        application = Application.objects.exclude(pk__in=before).get()
        assert page.get_by_text(application.number, exact=True).first.is_visible()
        assert page.get_by_text("may group your plots with your neighbours").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert [text["to"] for text in sms.outbox] == ["+84912345678"]

        # Another phone (no session): the status needs the last 4 digits.
        other = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        try:
            status = other.new_page()
            status.goto(f"{demo.url}/en/growing-areas/apply/{application.number}/")
            status.get_by_label("The last 4 digits of the phone you gave").fill("0000")
            status.get_by_role("button", name="Show my application").click()
            assert status.get_by_text("We found no application with this number").is_visible()
            status.get_by_label("The last 4 digits of the phone you gave").fill("5678")
            status.get_by_role("button", name="Show my application").click()
            assert status.get_by_text("Received on").is_visible()
            assert status.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            other.close()
    finally:
        context.close()
