"""What the applicant is told at each step: one SMS (plain ASCII, one message) to the contact
phone and, where they gave one, an e-mail, in the language they applied in. Sent once the step's
transaction commits; a gateway or mail server down never undoes the step (sms.send never raises,
and the e-mail fails silently into the log)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

import sms
from sms.text import SMS_LENGTH, fit, to_sms_text

from .models import ApplicationStatus, ApplicationStep

logger = logging.getLogger(__name__)


def status_sentence(step: ApplicationStep) -> str:
    """The step in a sentence for the applicant, in the active language."""
    application = step.application
    sentences = {
        ApplicationStatus.RECEIVED: _("Application %(number)s for a growing-area code is received."),
        ApplicationStatus.NEEDS_INFORMATION: _("Application %(number)s needs more information."),
        ApplicationStatus.INSPECTION_PLANNED: _(
            "Application %(number)s: the officer will inspect your plots."
        ),
        ApplicationStatus.INSPECTED: _("Application %(number)s: your plots were inspected."),
        ApplicationStatus.GRANTED: _("Application %(number)s is granted: growing-area code %(code)s."),
        ApplicationStatus.REFUSED: _("Application %(number)s is refused."),
    }
    code = application.growing_area.code if application.growing_area_id else ""
    return sentences[step.to_status] % {"number": application.number, "code": code}


def site_address(number: str, *, scheme: bool = False) -> str:
    """The status page's address in the active language (/en/... for English): as one types it on
    a phone (host and path, no scheme) for an SMS, whole for an e-mail."""
    from django.urls import reverse

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if not scheme:
        base = base.split("://", 1)[-1]
    return base + reverse("applications:status", kwargs={"number": number})


def how_to_follow(application, *, scheme: bool = False) -> list[str]:
    """What tells the applicant how to follow the application, longest first: by SMS and on the
    site, then by SMS alone (what one SMS has room for is chosen by sms_text)."""
    values = {
        "keyword": settings.APPLICATION_SMS_KEYWORD,
        "number": application.number,
        "url": site_address(application.number, scheme=scheme),
    }
    return [
        _("Follow it: text %(keyword)s %(number)s or open %(url)s") % values,
        _("Follow it: text %(keyword)s %(number)s.") % values,
    ]


def sms_text(step: ApplicationStep) -> str:
    """The step's SMS: its message, with how to follow the application when the receipt has
    room for it; always one SMS of plain GSM-7 (sms.text.fit)."""
    text = message_for(step)
    if step.to_status == ApplicationStatus.RECEIVED:
        for follow in how_to_follow(step.application):
            candidate = to_sms_text(f"{text} {follow}")
            if len(candidate) <= SMS_LENGTH:
                return candidate
    return fit(text)


def email_text(step: ApplicationStep) -> str:
    text = message_for(step)
    if step.to_status == ApplicationStatus.RECEIVED:
        text += "\n\n" + how_to_follow(step.application, scheme=True)[0]
    return text


def message_for(step: ApplicationStep) -> str:
    sentence = status_sentence(step)
    if step.planned_for:
        sentence += " " + _("Date: %(date)s.") % {"date": step.planned_for.strftime("%d/%m/%Y")}
    if step.reason:
        sentence += " " + step.reason.strip()
    return sentence


def send_step(step_id: int) -> None:
    step = ApplicationStep.objects.select_related("application__growing_area").filter(pk=step_id).first()
    if step is None:
        return
    application = step.application
    language = application.language if application.language in dict(settings.LANGUAGES) else "vi"
    with translation.override(language):
        sms.send(application.phone, sms_text(step), language=language)
        if application.email:
            text = email_text(step)
            subject = _("Growing-area code application %(number)s") % {"number": application.number}
            try:
                send_mail(subject, text, None, [application.email])
            except Exception:  # a mail server down must not lose the step, already committed
                logger.exception("Application %s: the e-mail could not be sent.", application.number)


def notify_applicant(step: ApplicationStep) -> None:
    """Tell the applicant about `step` once the current transaction commits."""
    transaction.on_commit(lambda: send_step(step.pk), robust=True)
