"""The two index pages: the cooperatives' list and the public registry of growing-area codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from website.i18n import FallbackRouteMixin, localized_pages
from website.page_queries import public

from .cooperatives import CooperativePage, original_page


class CooperativeIndexPage(FallbackRouteMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["growers.CooperativePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The original index's cooperatives, each shown by its translation where there is one: a
        # translated index must still list the cooperatives nobody has translated yet.
        cooperatives = (
            public(CooperativePage.objects.child_of(original_page(self)).live())
            .select_related("logo")
            .order_by("title")
        )
        context["cooperatives"] = localized_pages(cooperatives)
        return context

    class Meta:
        verbose_name = _("cooperative index page")


class GrowingAreaIndexPage(RoutablePageMixin, Page):
    """The public registry at /growing-areas/: every code with its status, and a page per
    code at /growing-areas/<code>/ (served by growers.views)."""

    intro = models.TextField(_("introduction"), blank=True)
    report_contact = models.CharField(
        _("how to report a suspect product"),
        max_length=255,
        blank=True,
        help_text=_("Shown when a code is unknown or not valid, e.g. the commune office's phone."),
    )

    content_panels = Page.content_panels + ["intro", "report_contact"]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("growing-area registry page")

    def get_context(self, request, *args, **kwargs):
        from ..registry import DEFAULT_REPORT_CONTACT
        from ..views import registry_context

        context = super().get_context(request, *args, **kwargs)
        context["report_contact"] = self.report_contact or DEFAULT_REPORT_CONTACT
        # A code's own page (rendered with code=...) does not need the list.
        if "code" not in kwargs:
            context.update(registry_context(request))
        return context

    @path("", name="registry")
    def registry(self, request):
        return self.render(request)

    # Any text, slashes included, so that whatever a buyer types gets the plain "not registered"
    # page rather than a bare 404 (growers.views.growing_area_response).
    @path("<path:code>/", name="growing_area")
    def growing_area(self, request, code):
        from ..views import growing_area_response

        return growing_area_response(self, request, code)
