from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from django.db import models

        from wagtail.admin.ui.fields import register_display_class

        from . import checks  # noqa: F401 (registers itself)
        from .admin_display import LocalDateTimeDisplay
        from .signal_handlers import register_signal_handlers

        register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)
        register_signal_handlers()
