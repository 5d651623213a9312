"""Undocumented Wagtail names the site relies on (DESIGN §3): each has no public alternative
doing the same job, so each is checked here, and a Wagtail upgrade that renames, moves or changes
one fails here first, with a message naming the code that depends on it. The isolation tests
(tests/growers/test_admin_isolation.py, test_media_isolation.py) and the password tests
(tests/website/test_password_guessing.py) check what the users see; these say why it broke.

No name starting with "_" of Django or Wagtail is used by the site's code: the only one, Model
`_meta`, is Django's documented Options API (https://docs.djangoproject.com/en/5.2/ref/models/meta/).
Names that had a public alternative were replaced: the image model by get_image_model() (not
wagtail.images.views.chooser.viewset.model), the tag autocomplete's limit by our own constant
(not wagtail.admin.views.tags.TAGS_AUTOCOMPLETE_LIMIT), a filter set's model by its queryset
(not django-filter's FilterSet._meta)."""

import inspect

import pytest

from django.urls import resolve, reverse


def relies(where: str, what: str) -> str:
    return f"{where} relies on {what}, which this Wagtail version changed: review that code."


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def source(function) -> str:
    return inspect.getsource(function)


# growers/admin_views.py ----------------------------------------------------------------------


def test_chosen_multiple_view_renders_through_render_chosen_response():
    from wagtail.admin.views.chooser import ChosenMultipleView

    where = "growers/admin_views.py (ChosenMultipleView)"
    what = "wagtail.admin.views.chooser.ChosenMultipleView.render_chosen_response(self, result)"
    assert parameters(ChosenMultipleView.render_chosen_response) == ["self", "result"], relies(where, what)
    assert "render_chosen_response(" in source(ChosenMultipleView.get), relies(where, what)


def test_tag_autocomplete_is_a_function_view():
    from wagtail.admin.views import tags

    where = "growers/admin_views.py (tag_autocomplete)"
    what = "wagtail.admin.views.tags.autocomplete(request, app_name=None, model_name=None)"
    assert parameters(tags.autocomplete) == ["request", "app_name", "model_name"], relies(where, what)


def test_the_explorer_view_and_the_explorable_root():
    from wagtail.admin.views.pages.listing import ExplorableIndexView
    from wagtail.permission_policies.pages import PagePermissionPolicy

    where = "growers/admin_views.py (OnlyExplorableIndexView)"
    what = "ExplorableIndexView.get(self, request, parent_page_id=None), index_url_name, permission_policy"
    explorer_get = ExplorableIndexView.get
    assert parameters(explorer_get) == ["self", "request", "parent_page_id"], relies(where, what)
    assert "redirect(self.index_url_name, root_page.pk)" in source(explorer_get), relies(where, what)
    what = "PagePermissionPolicy.explorable_root_instance(user) and explorable_instances(user)"
    assert parameters(PagePermissionPolicy.explorable_root_instance) == ["self", "user"], relies(where, what)
    assert parameters(PagePermissionPolicy.explorable_instances) == ["self", "user"], relies(
        "growers/wagtail_hooks.py (explorable_pages)", what
    )


def test_the_page_viewset_registered_last_serves_the_explorer():
    from wagtail.admin.viewsets.pages import PageViewSet, page_viewset_registry
    from wagtail.models import Page, get_page_models

    from growers.admin_views import OnlyExplorableIndexView

    where = "growers/admin_views.py and growers/wagtail_hooks.py (OnlyExplorablePageViewSet)"
    what = "PageViewSet.index_view_class, and the last page viewset registered serving every page type"
    assert "index_view_class" in vars(PageViewSet), relies(where, what)
    reverse("wagtailadmin_explore_root")  # loads the admin's URLs, which register the viewsets
    for model in (Page, *get_page_models()):
        viewset = page_viewset_registry.get_by_type(model)
        index_view = getattr(viewset, "index_view_class", None)
        assert index_view is OnlyExplorableIndexView, relies(where, f"{what} ({model.__name__})")


def test_the_page_types_usage_report_filters_and_annotations():
    from wagtail.admin.views.reports import page_types_usage
    from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

    where = "growers/admin_views.py (ExplorablePageTypesUsageReportView)"
    what = (
        "PageTypesUsageReportView.get_queryset annotating 'count' and 'last_edited_page_id', and "
        "its filters 'page_locale' and 'site'"
    )
    code = inspect.getsource(page_types_usage)
    assert "count=" in code and "last_edited_page_id=" in code, relies(where, what)
    assert {"page_locale", "site"} <= set(PageTypesUsageReportView.filterset_class.base_filters), relies(
        where, what
    )


def test_the_media_listings_filter_sets_and_index_views():
    from wagtail.admin.filters import BaseMediaFilterSet
    from wagtail.documents.views import documents
    from wagtail.images.views import images

    where = "growers/admin_views.py (ImagesIndexView, DocumentsIndexView, OwnTagsFilterSetMixin)"
    for module, filterset in ((images, "ImagesFilterSet"), (documents, "DocumentsFilterSet")):
        what = f"{module.__name__}.{filterset} (with a 'tag' filter) and {module.__name__}.IndexView"
        assert getattr(module.IndexView, "filterset_class", None) is getattr(module, filterset), relies(
            where, what
        )
        assert issubclass(getattr(module, filterset), BaseMediaFilterSet), relies(where, what)
    what = "wagtail.admin.filters.BaseMediaFilterSet adding its 'tag' filter in __init__, with choices"
    code = source(BaseMediaFilterSet.__init__)
    assert 'self.filters["tag"] = PopularTagsFilter(' in code, relies(where, what)


def test_the_image_chooser_viewset_and_its_popular_tags():
    from wagtail.images.views import chooser

    where = "growers/admin_views.py (OwnTagsImageChooserViewSet, OwnTagsImageChooseView)"
    what = "wagtail.images.views.chooser.ImageChooserViewSet.choose_view_class and the 'popular_tags' context"
    assert issubclass(chooser.ImageChooserViewSet().choose_view_class, chooser.ImageChooseView), relies(
        where, what
    )
    assert "popular_tags" in inspect.getsource(chooser), relies(where, what)


# config/urls.py: Wagtail admin views replaced at Wagtail's own addresses --------------------

REPLACED_AT_THE_SAME_PATH = [
    ("wagtailadmin_choose_page_chosen_multiple", "/admin/choose-page/chosen-multiple/"),
    ("wagtailadmin_reports:page_types_usage", "/admin/reports/page-types-usage/"),
    ("wagtailadmin_reports:page_types_usage_results", "/admin/reports/page-types-usage/results/"),
    ("wagtailimages:index", "/admin/images/"),
    ("wagtailimages:index_results", "/admin/images/results/"),
    ("wagtaildocs:index", "/admin/documents/"),
    ("wagtaildocs:index_results", "/admin/documents/results/"),
    ("wagtailimages_chooser:choose", "/admin/images/chooser/"),
    ("wagtailadmin_tag_autocomplete", "/admin/tag-autocomplete/"),
]


@pytest.mark.parametrize("name, path", REPLACED_AT_THE_SAME_PATH)
def test_wagtails_admin_views_are_still_at_the_paths_website_urls_replaces(name, path):
    where = "config/urls.py (admin_overrides)"
    assert reverse(name) == path, relies(where, f"Wagtail's URL {name} being at {path}")


def test_wagtail_admin_url_helpers():
    from wagtail import urls as wagtail_urls
    from wagtail.admin import urls as wagtailadmin_urls
    from wagtail.utils.urlpatterns import decorate_urlpatterns

    where = "config/urls.py"
    what = "wagtail.admin.urls.display_custom_404"
    assert callable(getattr(wagtailadmin_urls, "display_custom_404", None)), relies(where, what)
    assert parameters(decorate_urlpatterns) == ["urlpatterns", "decorator"], relies(
        where, "wagtail.utils.urlpatterns.decorate_urlpatterns(urlpatterns, decorator)"
    )
    assert isinstance(wagtail_urls.serve_pattern, str), relies(where, "wagtail.urls.serve_pattern")


# growers/media.py ----------------------------------------------------------------------------


def test_the_media_permission_policies():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    where = "growers/media.py (media_collections)"
    what = "wagtail.permissions.policy_registry.get_by_type(model).collections_user_has_any_permission_for"
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        assert parameters(policy.collections_user_has_any_permission_for) == ["user", "actions"], relies(
            where, what
        )


# growers/wagtail_hooks.py --------------------------------------------------------------------


def test_bulk_actions_read_their_objects_through_get_queryset_on_the_instance():
    """Wagtail's BulkAction.get_queryset is a classmethod; the site overrides it with an
    instance method (it needs self.request), which works as long as Wagtail calls it on the
    action instance."""
    from wagtail.admin.views.bulk_action import BulkAction

    where = "growers/wagtail_hooks.py (OnlyExplorablePagesMixin, OnlyVisibleMediaBulkActionMixin)"
    what = "BulkAction.get_actionable_objects calling self.get_queryset(self.model, object_ids)"
    assert "self.get_queryset(self.model, object_ids)" in source(BulkAction.get_actionable_objects), relies(
        where, what
    )


@pytest.mark.parametrize(
    "app, model, action, replacement",
    [
        ("wagtailcore", "page", "delete", "ExplorableDeleteBulkAction"),
        ("wagtailcore", "page", "move", "ExplorableMoveBulkAction"),
        ("wagtailcore", "page", "publish", "ExplorablePublishBulkAction"),
        ("wagtailcore", "page", "unpublish", "ExplorableUnpublishBulkAction"),
        ("wagtailimages", "image", "delete", "OnlyVisibleMediaBulkActionMixin"),
        ("wagtailimages", "image", "add_tags", "OnlyVisibleMediaBulkActionMixin"),
        ("wagtailimages", "image", "add_to_collection", "OnlyVisibleMediaBulkActionMixin"),
        ("wagtaildocs", "document", "delete", "OnlyVisibleMediaBulkActionMixin"),
        ("wagtaildocs", "document", "add_tags", "OnlyVisibleMediaBulkActionMixin"),
        ("wagtaildocs", "document", "add_to_collection", "OnlyVisibleMediaBulkActionMixin"),
    ],
)
def test_the_bulk_action_registered_last_replaces_wagtails(app, model, action, replacement):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    where = "growers/wagtail_hooks.py (register_bulk_action, order=1)"
    what = "the bulk action registry keeping the last action registered per model and action type"
    action_class = bulk_action_registry.get_bulk_action_class(app, model, action)
    assert action_class is not None and replacement in [c.__name__ for c in action_class.__mro__], relies(
        where, what
    )


@pytest.mark.parametrize(
    "endpoint, replacement",
    [
        ("pages", "CooperativesStayPagesAdminAPIViewSet"),
        ("images", "VisibleImagesAdminAPIViewSet"),
        ("documents", "VisibleDocumentsAdminAPIViewSet"),
    ],
)
def test_the_admin_api_endpoints_registered_last_replace_wagtails(endpoint, replacement):
    where = "growers/wagtail_hooks.py (construct_admin_api)"
    what = "the construct_admin_api hook and router.register_endpoint keeping the last endpoint per name"
    view = resolve(f"/admin/api/main/{endpoint}/").func
    assert getattr(getattr(view, "cls", None), "__name__", None) == replacement, relies(where, what)


def test_the_admin_api_page_actions():
    from wagtail.admin.api.actions.delete import DeletePageAPIAction
    from wagtail.admin.api.actions.move import MovePageAPIAction
    from wagtail.admin.api.views import PagesAdminAPIViewSet

    where = "growers/wagtail_hooks.py (CooperativesStayPagesAdminAPIViewSet)"
    what = "PagesAdminAPIViewSet.actions['delete'/'move'] and their execute(instance, data)"
    assert PagesAdminAPIViewSet.actions.get("delete") is DeletePageAPIAction, relies(where, what)
    assert PagesAdminAPIViewSet.actions.get("move") is MovePageAPIAction, relies(where, what)
    for action in (DeletePageAPIAction, MovePageAPIAction):
        assert parameters(action.execute) == ["self", "instance", "data"], relies(where, what)


# website/ratelimit.py ------------------------------------------------------------------------


def test_the_account_pages_password_panel_checks_the_old_password_only_with_a_new_one():
    from wagtail.admin.views.account import ChangePasswordPanel

    where = "website/ratelimit.py (PASSWORD_CHANGE_FIELDS)"
    what = "the account page's password panel named 'password', bound only when a new password is posted"
    assert ChangePasswordPanel.name == "password", relies(where, what)
    code = source(ChangePasswordPanel.get_form)
    assert '"-new_password1"' in code and '"-new_password2"' in code, relies(where, what)


def test_the_private_page_password_form_address():
    where = "website/ratelimit.py (PAGE_PASSWORD_PATH)"
    what = "Wagtail's page password form at /_util/authenticate_with_password/<restriction>/<page>/"
    assert reverse("wagtailcore_authenticate_with_password", args=[7, 3]) == (
        "/_util/authenticate_with_password/7/3/"
    ), relies(where, what)
