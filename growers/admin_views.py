"""Wagtail admin views that would otherwise show a cooperative's editors the other cooperatives'
pages or media (tags), and that no hook reaches. Each subclasses Wagtail's own view and is routed
in front of it in config/urls.py, at the same address; the explorer, chosen per page type by
Wagtail's page viewsets, through a page viewset registered in growers/wagtail_hooks.py."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import redirect

from wagtail import hooks
from wagtail.admin.views import chooser, tags
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.views import documents
from wagtail.images import get_image_model
from wagtail.images.views import chooser as image_chooser
from wagtail.images.views import images
from wagtail.models import Page

from .media import popular_visible_tags, sees_only_own_media, visible_tags
from .wagtail_hooks import explorable_pages


class ChosenMultipleView(chooser.ChosenMultipleView):
    """The last step of a multiple-choice page chooser returns the title of every page id in the
    query string. Return only the pages the chooser itself would list to this user, i.e. those
    its construct_page_chooser_queryset hooks leave in: the editor's own cooperative and the
    shared pages (the shop can be chosen for links), never another cooperative's pages."""

    def render_chosen_response(self, result):
        pages = Page.objects.filter(pk__in=[item["id"] for item in result])
        for hook in hooks.get_hooks("construct_page_chooser_queryset"):
            pages = hook(pages, self.request)
        choosable = set(pages.values_list("pk", flat=True))
        return super().render_chosen_response([item for item in result if item["id"] in choosable])


class ExplorablePageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's report counts each page type over the whole tree and names its most recently
    edited page, drafts included. Filtering (rather than keeping the report for superusers) still
    gives an editor a useful report, about the pages they may explore: both annotations are made
    again over those pages, within the report's own locale and site filters. For a superuser the
    explorable pages are all pages, so the report is Wagtail's."""

    def get_queryset(self):
        queryset = super().get_queryset()
        pages = explorable_pages(self.request.user)
        if language_code := self.filters.form.cleaned_data.get("page_locale"):
            pages = pages.filter(locale__language_code=language_code)
        if site_root_path := self.filters.form.cleaned_data.get("site"):
            pages = pages.filter(path__startswith=site_root_path)
        last_edited = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        # Same names as Wagtail's annotations, which these replace (its ordering by "-count"
        # then uses this count).
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages)),
            last_edited_page_id=Subquery(last_edited.values("pk")[:1]),
        )


class OnlyExplorableIndexView(ExplorableIndexView):
    """Wagtail's explorer opens any page below the user's explorable root (the first common
    ancestor of the pages they have permissions on), showing its title, draft state, owner, lock
    and workflow state in the header. An editor whose cooperative is translated has permissions
    in two language trees, so that root is the root of all trees, and the other cooperative's
    pages opened. Open only pages the user may explore (their subtree and its ancestors); send
    them back to their explorable root otherwise, as Wagtail does for pages outside it."""

    def get(self, request, parent_page_id=None):
        if (
            parent_page_id
            and not explorable_pages(request.user).filter(pk=parent_page_id).exists()
            and Page.objects.filter(pk=parent_page_id).exists()
        ):
            root_page = self.permission_policy.explorable_root_instance(request.user)
            return redirect(self.index_url_name, root_page.pk)
        return super().get(request, parent_page_id)


class OnlyExplorablePageViewSet(PageViewSet):
    """Wagtail's default page viewset (every page type uses it; none has its own) with the
    explorer above. Registered after Wagtail's own, which it replaces (growers/wagtail_hooks.py)."""

    index_view_class = OnlyExplorableIndexView


# Media: each cooperative's editors see only their own cooperative's tags (growers/media.py) ---


class OwnTagsFilterSetMixin:
    """The media listings' tag filter offers the ten most used tags of all media, whoever they
    belong to. Offer those of the media the user may see."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        if "tag" not in self.filters or not sees_only_own_media(request.user):
            return
        tags = popular_visible_tags(request.user, self.queryset.model)
        if tags:
            self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]
        else:
            del self.filters["tag"]


class OwnTagsImagesFilterSet(OwnTagsFilterSetMixin, images.ImagesFilterSet):
    pass


class OwnTagsDocumentsFilterSet(OwnTagsFilterSetMixin, documents.DocumentsFilterSet):
    pass


class ImagesIndexView(images.IndexView):
    filterset_class = OwnTagsImagesFilterSet


class DocumentsIndexView(documents.IndexView):
    filterset_class = OwnTagsDocumentsFilterSet


class OwnTagsImageChooseView(image_chooser.ImageChooseView):
    """The image chooser lists the most used tags of all images above its results."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if sees_only_own_media(self.request.user):
            context["popular_tags"] = popular_visible_tags(self.request.user, self.model)
        return context


class OwnTagsImageChooserViewSet(image_chooser.ImageChooserViewSet):
    """Wagtail's image chooser, whose choose view (only) config/urls.py routes at its address;
    not registered, so Wagtail's own viewset keeps its names and other views."""

    choose_view_class = OwnTagsImageChooseView


image_chooser_viewset = OwnTagsImageChooserViewSet(
    "wagtailimages_chooser", model=get_image_model(), url_prefix="images/chooser"
)

# As many suggestions as Wagtail's own tag autocomplete gives.
TAG_SUGGESTIONS = 10


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete suggests every tag there is (they are shared by all media).
    A cooperative's editor is offered the tags of the media they may see."""
    other_tag_model = app_name and model_name and (app_name, model_name) != ("taggit", "tag")
    if other_tag_model or not sees_only_own_media(request.user):
        return tags.autocomplete(request, app_name=app_name, model_name=model_name)
    term = request.GET.get("term", "")
    names = (
        visible_tags(request.user)
        .filter(name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)
        if term
        else []
    )
    return JsonResponse(list(names[:TAG_SUGGESTIONS]), safe=False)
