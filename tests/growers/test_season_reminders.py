"""Season reminders by SMS (issue 19, item 3): a season past its end without an actual yield gets
one text; a code with no season now or soon gets a text asking to declare the new one, at most
every 30 days; to the code's contact phone (else its cooperative's), in the holder's language,
within one SMS."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest

from django.core.management import call_command

import sms
from growers.factories import GrowingAreaFactory, suspend
from growers.models import Season
from growers.reminders import send_season_reminders
from growers.tasks import send_season_reminders_task
from sms.text import is_sms_text

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 1, 10)


def season(area, starts_on, ends_on, **extra):
    return Season.objects.create(
        growing_area=area,
        crop="thao-qua",
        area_hectares=Decimal("2"),
        starts_on=starts_on,
        expected_harvest_on=ends_on,
        ends_on=ends_on,
        **extra,
    )


def code(number, **extra):
    values = {
        "issued_on": datetime.date(2025, 1, 1),
        "valid_until": datetime.date(2030, 1, 1),
        "contact_phone": f"09120000{number:02d}",
        **extra,
    }
    return GrowingAreaFactory(code=f"VN-SLL-09{number:02d}", **values)


def texts_to(phone_end):
    return [text["text"] for text in sms.outbox if text["to"].endswith(phone_end)]


def test_a_season_ended_without_its_actual_yield_gets_one_text_in_the_holders_language():
    ended = season(code(1, contact_language="en"), datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    season(code(2), datetime.date(2026, 3, 1), datetime.date(2026, 12, 31), actual_yield_kg=Decimal("500"))
    season(code(3), datetime.date(2026, 3, 1), datetime.date(2027, 1, 10))  # ends today: not yet

    send_season_reminders(today=DAY)

    (text,) = texts_to("0001")
    assert text.startswith("Code VN-SLL-0901: the season 01/03/2026-31/12/2026 has ended.")
    assert "actual yield" in text and is_sms_text(text)
    assert texts_to("0003") == []
    assert not any("has ended" in text for text in texts_to("0002"))  # its yield is declared
    ended.refresh_from_db()
    assert ended.end_reminder_sent_at is not None

    sms.outbox.clear()
    send_season_reminders(today=DAY + datetime.timedelta(days=40))
    assert texts_to("0001") == []  # once


def test_texts_are_vietnamese_by_default_and_fit_one_sms():
    area = code(4)
    season(area, datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    send_season_reminders(today=DAY)
    (text,) = texts_to("0004")
    assert text.startswith("Ma vung trong VN-SLL-0904:")  # Vietnamese, diacritics folded
    assert is_sms_text(text)


def test_a_code_without_a_contact_phone_texts_its_cooperative(coop1):
    coop1.phone = "0915111222"
    coop1.save_revision().publish()
    area = code(5, contact_phone="", cooperative=coop1)
    season(area, datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    nobody = code(6, contact_phone="")
    season(nobody, datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))

    send_season_reminders(today=DAY)

    assert len(texts_to("111222")) == 1
    assert len(sms.outbox) == 1
    nobody_season = nobody.seasons.get()
    assert nobody_season.end_reminder_sent_at is None  # tried again once a phone is recorded


def test_a_code_whose_last_season_ended_is_asked_for_the_new_one_every_30_days_at_most():
    area = code(7, contact_language="en")
    season(area, datetime.date(2026, 3, 1), datetime.date(2026, 12, 31), actual_yield_kg=Decimal("450"))

    send_season_reminders(today=DAY)
    (text,) = texts_to("0007")
    assert text.startswith("Code VN-SLL-0907: no season is declared.") and is_sms_text(text)

    sms.outbox.clear()
    send_season_reminders(today=DAY + datetime.timedelta(days=29))
    assert texts_to("0007") == []

    area.refresh_from_db()
    Season.objects.none()
    area.__class__.objects.filter(pk=area.pk).update(
        season_reminder_sent_at=area.season_reminder_sent_at - datetime.timedelta(days=31)
    )
    send_season_reminders(today=DAY + datetime.timedelta(days=31))
    assert len(texts_to("0007")) == 1


def test_codes_with_a_season_now_or_soon_or_new_or_not_active_are_not_asked():
    season(code(8), datetime.date(2026, 12, 1), datetime.date(2027, 6, 30))  # covers today
    season(code(9), datetime.date(2027, 2, 1), datetime.date(2027, 9, 30), actual_yield_kg=None)  # soon
    code(10, issued_on=DAY - datetime.timedelta(days=20))  # new, no season yet
    suspend(code(11))  # never declared, issued long ago, but suspended
    never = code(12)  # never declared, issued two years ago: asked

    send_season_reminders(today=DAY)

    assert [text["to"][-2:] for text in sms.outbox] == ["12"]
    never.refresh_from_db()
    assert never.season_reminder_sent_at is not None


def test_the_command_and_the_task_send_the_same_reminders():
    season(code(13), datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    out = StringIO()
    call_command("send_season_reminders", today=DAY.isoformat(), stdout=out)
    assert "1 end-of-season and 0 new-season reminder(s) sent." in out.getvalue()

    sms.outbox.clear()
    assert send_season_reminders_task.enqueue().return_value == 0  # already sent once


def test_the_officer_records_the_holders_contact_for_texts(client, officer):
    from django.urls import reverse

    from tests.helpers import area_form_data

    area = code(14, contact_phone="")
    client.force_login(officer)
    data = area_form_data(
        code=area.code,
        issued_on=area.issued_on.isoformat(),
        valid_until=area.valid_until.isoformat(),
        contact_name="Lý A Páo",
        contact_phone="0912 345 678",
        contact_language="hmn",
    )
    response = client.post(reverse("growing_areas:edit", args=[area.pk]), data)
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.contact_name, area.contact_phone, area.contact_language) == (
        "Lý A Páo",
        "0912 345 678",
        "hmn",
    )
