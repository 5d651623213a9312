from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications for growing-area codes (DESIGN §2 "Growing-area code applications and
    seasons"): the public form and status page, the officer's queue, the texts that tell the
    applicant. Above growers (granting makes a GrowingArea) and sms; nothing below knows it."""

    name = "applications"
    verbose_name = _("Growing-area code applications")
