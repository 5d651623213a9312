"""How the admin's inspect views show a date and time: in the site's time zone. Wagtail's generic
inspect view prints a DateTimeField with `|localize`, which formats the UTC value as it is;
registered for every DateTimeField by WebsiteConfig.ready()."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape

from wagtail.admin.ui.fields import BaseFieldDisplay


class LocalDateTimeDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None):
        if self.value is None:
            return "—"
        value = timezone.localtime(self.value) if timezone.is_aware(self.value) else self.value
        return conditional_escape(date_format(value, "DATETIME_FORMAT"))
