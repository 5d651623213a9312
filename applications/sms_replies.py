"""The reply to `MSVT <number>` by SMS (APPLICATION_SMS_KEYWORD): the application's status in one
SMS, in the language it was made in, but only to the phone the application gave; any other phone
gets the same answer as for a number that does not exist (the numbers are short and counted, so
they must not tell strangers anything)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sms.text import fit

from .models import Application
from .notifications import message_for
from .numbers import normalise_number


def answer(words: list[str], *, sender: str, language: str = "vi") -> str:
    keyword = settings.APPLICATION_SMS_KEYWORD
    typed = " ".join(str(word) for word in words).strip()
    number = normalise_number(typed)
    application = (
        Application.objects.select_related("growing_area").filter(number=number, phone=sender).first()
        if number and sender
        else None
    )
    if application is not None:
        step = application.steps.order_by("-at", "-pk").first()
        language = application.language
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        if not typed:
            return fit(
                _("Text %(keyword)s and your application number, e.g. %(keyword)s 2026-0007.")
                % {"keyword": keyword}
            )
        if application is None or step is None:
            return fit(
                _(
                    "No application %(number)s for this phone. "
                    "Check the number and text from the phone you gave."
                )
                % {"number": number or typed[:12]}
            )
        return fit(message_for(step))
