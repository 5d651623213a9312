from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications for growing-area codes (DESIGN §2 "Growing-area code applications and
    seasons"): the public form and status page, the officer's queue, the texts that tell the
    applicant. Above growers (granting makes a GrowingArea) and sms; nothing below knows it."""

    name = "applications"
    verbose_name = _("Growing-area code applications")

    def ready(self):
        from . import rate_limits

        rate_limits.register()
        register_sms_keyword()


def register_sms_keyword():
    """`MSVT <number>` by SMS, from the phone the application gave, answers its status
    (sms_replies.py)."""
    from django.conf import settings

    from sms.handlers import register

    from .sms_replies import answer

    register(
        settings.APPLICATION_SMS_KEYWORD,
        lambda request: answer(request.words, sender=request.sender, language=request.language),
    )
