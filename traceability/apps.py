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

        # Batches are never copied into another language's tree (see translation.py).
        copy_specific_pages_for_translation()
