from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommuneConfig(AppConfig):
    """The commune's progress against its resolution (/commune/) and the officer's reports
    (XLSX and PDF): read-only views over every app, so it sits on top of orders."""

    name = "commune"
    verbose_name = _("The commune's progress")
