from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceabilityConfig(AppConfig):
    name = "traceability"
    verbose_name = _("Traceability")

    def ready(self):
        from . import rate_limits
        from .signal_handlers import register_signal_handlers
        from .translation import copy_specific_pages_for_translation

        register_signal_handlers()
        rate_limits.register()
        register_sms_keyword()

        # Batches are never copied into another language's tree (see translation.py).
        copy_specific_pages_for_translation()


def register_sms_keyword():
    """`SLL <code> [<pin>]` by SMS answers the same verdicts as /check/ (sms_replies.py); the
    texts are stored with the PIN masked."""
    from django.conf import settings

    from sms.handlers import register

    from .sms_replies import answer, mask_pin

    register(
        settings.SMS_KEYWORD,
        lambda request: answer(request.words, sender=request.sender, language=request.language),
        mask=mask_pin,
    )
