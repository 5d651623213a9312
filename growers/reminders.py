"""Season reminders by SMS (DESIGN §2): a code's holder declares each season's start and end; a
text reminds them when one is due, in the language they chose, to the code's contact phone (or
its cooperative's phone when the code has none).

- End: a season past its last day with no actual yield declared gets one text, once.
- Start: an active code with no season covering today and none declared to start within
  REMINDER_DAYS, whose last season ended (or that never declared one and was issued more than
  REMINDER_DAYS ago), gets a text asking to declare the new season, at most once every
  REMINDER_DAYS.

Run daily by `manage.py send_season_reminders` from cron, or growers.tasks.send_season_reminders_task
with a worker. Each text is claimed in the database before it is sent, so two runs at once send
it once."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import sms
from sms.text import fit

from .models import GrowingArea, GrowingAreaStatus, Season

REMINDER_DAYS = 30


@dataclass
class Sent:
    ends: int = 0
    starts: int = 0


def phone_and_language(area: GrowingArea) -> tuple[str, str]:
    phone = area.contact_phone or (area.cooperative.phone if area.cooperative_id else "")
    language = area.contact_language if area.contact_language in dict(settings.LANGUAGES) else "vi"
    return phone.strip(), language


def end_text(season: Season) -> str:
    return _(
        "Code %(code)s: the season %(start)s-%(end)s has ended. Please declare its actual yield (kg) "
        "to your cooperative or the commune officer."
    ) % {
        "code": season.growing_area.code,
        "start": season.starts_on.strftime("%d/%m/%Y"),
        "end": season.ends_on.strftime("%d/%m/%Y"),
    }


def start_text(area: GrowingArea) -> str:
    return _(
        "Code %(code)s: no season is declared. When the new one starts, declare its crop, area and "
        "expected yield to your cooperative or the commune officer."
    ) % {"code": area.code}


def _send(area: GrowingArea, make_text) -> bool:
    phone, language = phone_and_language(area)
    if not phone:
        return False
    with translation.override(language):
        sms.send(phone, fit(make_text()), language=language)
    return True


def send_end_reminders(today: datetime.date) -> int:
    count = 0
    due = (
        Season.objects.awaiting_actual_yield(today)
        .filter(end_reminder_sent_at__isnull=True)
        .select_related("growing_area__cooperative")
    )
    for season in due:
        phone, _language = phone_and_language(season.growing_area)
        if not phone:
            continue  # tried again once a phone is recorded
        claimed = Season.objects.filter(pk=season.pk, end_reminder_sent_at__isnull=True).update(
            end_reminder_sent_at=timezone.now()
        )
        if claimed and _send(season.growing_area, lambda season=season: end_text(season)):
            count += 1
    return count


def areas_due_a_start_reminder(today: datetime.date):
    recently = timezone.now() - datetime.timedelta(days=REMINDER_DAYS)
    soon = today + datetime.timedelta(days=REMINDER_DAYS)
    current_or_coming = Season.objects.filter(ends_on__gte=today, starts_on__lte=soon)
    return (
        GrowingArea.objects.filter(
            status=GrowingAreaStatus.ACTIVE, issued_on__lte=today, valid_until__gte=today
        )
        .exclude(pk__in=current_or_coming.values("growing_area_id"))
        # One text at a time: a holder just asked for a season's actual yield is asked for the
        # next season a month later.
        .exclude(pk__in=Season.objects.filter(end_reminder_sent_at__gte=recently).values("growing_area_id"))
        .filter(Q(seasons__isnull=False) | Q(issued_on__lt=today - datetime.timedelta(days=REMINDER_DAYS)))
        .filter(Q(season_reminder_sent_at__isnull=True) | Q(season_reminder_sent_at__lt=recently))
        .select_related("cooperative")
        .distinct()
    )


def send_start_reminders(today: datetime.date) -> int:
    count = 0
    recently = timezone.now() - datetime.timedelta(days=REMINDER_DAYS)
    for area in areas_due_a_start_reminder(today):
        phone, _language = phone_and_language(area)
        if not phone:
            continue
        claimed = (
            GrowingArea.objects.filter(pk=area.pk)
            .filter(Q(season_reminder_sent_at__isnull=True) | Q(season_reminder_sent_at__lt=recently))
            .update(season_reminder_sent_at=timezone.now())
        )
        if claimed and _send(area, lambda area=area: start_text(area)):
            count += 1
    return count


def send_season_reminders(today: datetime.date | None = None) -> Sent:
    today = today or timezone.localdate()
    # The end reminders first: a code asked for its actual yield is not asked for more today.
    ends = send_end_reminders(today)
    return Sent(ends=ends, starts=send_start_reminders(today))
