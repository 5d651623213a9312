"""Read-only notes in the batch editor."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


class SeasonsNotePanel(Panel):
    """The season of each cited code this batch counts in (set when it is published,
    traceability/yields.py): a note, nothing to edit."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "traceability/admin/seasons_note_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["seasons"] = list(self.instance.seasons.select_related("growing_area"))
            context["live"] = self.instance.live
            return context


def seasons_note_panel():
    return SeasonsNotePanel(heading=_("Seasons"))
