from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_list_or_404

from wagtail import hooks
from wagtail.admin.api.actions.delete import DeletePageAPIAction
from wagtail.admin.api.actions.move import MovePageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .media import visible_media
from .models import CooperativePage
from .services import ensure_cooperative_editors
from .viewsets import GrowingAreasDashboardPanel, GrowingAreasViewSetGroup, register_status_log_actions


@hooks.register("after_create_page")
def give_new_cooperative_its_editors_group(request, page):
    if isinstance(page.specific, CooperativePage):
        ensure_cooperative_editors(cooperative=page.specific)


def explorable_pages(user):
    """The pages this user may see anywhere in the admin: for a cooperative's editor, their own
    cooperative's subtree; for a superuser, everything."""
    return PagePermissionPolicy().explorable_instances(user)


def other_cooperatives_paths(user) -> list[str]:
    """Tree paths of the cooperatives whose pages this user may not explore."""
    if user.is_superuser:
        return []
    explorable = explorable_pages(user).values("pk")
    return list(CooperativePage.objects.exclude(pk__in=explorable).values_list("path", flat=True))


@hooks.register("construct_page_chooser_queryset")
def hide_other_cooperatives_in_choosers(pages, request):
    """Wagtail's page chooser lists the whole tree. A cooperative editor must not see another
    cooperative's pages there (draft titles included); shared pages such as the shop stay
    choosable for links.

    The chooser's browse view also shows the page being browsed (its title heading the
    listing), which this hook cannot filter; browsing into another cooperative's subtree by
    typing its page id into the URL is therefore answered with "not found"."""
    hidden_paths = other_cooperatives_paths(request.user)
    if not hidden_paths:
        return pages
    match = request.resolver_match
    if match and match.url_name == "wagtailadmin_choose_page_child":
        parent_path = Page.objects.filter(pk=match.kwargs["parent_page_id"]).values_list("path", flat=True)
        if parent_path and parent_path[0].startswith(tuple(hidden_paths)):
            raise Http404
    hidden = Q()
    for path in hidden_paths:
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden)


def may_delete_or_move(user, page) -> bool:
    """Beyond Wagtail's permissions: only a superuser deletes or moves a cooperative's page.
    Wagtail lets an editor delete (and so move) a leaf page they may change, which includes
    their own cooperative's page while it has no products. Apps above this one keep their own
    pages in place by registering a `keep_page_in_place` hook: `fn(user, page) -> bool`, True
    when this user (never a superuser) may not delete or move the page."""
    if user.is_superuser:
        return True
    specific_class = page.specific_class
    if specific_class and issubclass(specific_class, CooperativePage):
        return False
    return not any(keep(user, page) for keep in hooks.get_hooks("keep_page_in_place"))


def may_be_deleted(page) -> bool:
    """False when records of an app above this one cite the page, whoever asks: such apps
    register a `keep_page_from_deletion` hook, `fn(page) -> bool`, and say why in their own
    `before_delete_page` hook (bulk deletion calls none)."""
    return not any(keep(page) for keep in hooks.get_hooks("keep_page_from_deletion"))


@hooks.register("before_delete_page")
def refuse_to_delete_cooperatives(request, page):
    if not may_delete_or_move(request.user, page):
        return permission_denied(request)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    """Wagtail's move confirmation page (GET) checks no permission before showing the titles
    of the page and of the destination; only its POST does. Check both before either."""
    if not (
        may_delete_or_move(request.user, page)
        and page.permissions_for_user(request.user).can_move_to(destination)
    ):
        return permission_denied(request)


@hooks.register("before_copy_page")
def refuse_copies_into_unseen_pages(request, page):
    """The copy form accepts any page id as the new parent and, when the user may not add
    there, names it in the error message: a way to read any draft title. Refuse outright
    when the chosen parent is a page this user may not even see."""
    parent_id = request.POST.get("new_parent_page", "") if request.method == "POST" else ""
    if parent_id and not (
        parent_id.isdigit() and explorable_pages(request.user).filter(pk=parent_id).exists()
    ):
        return permission_denied(request)


class OnlyExplorablePagesMixin:
    """Wagtail's page bulk actions list, on their confirmation page, every page whose id is in
    the query string, with its title, including pages the user may not act on. Drop the pages
    the user may not see at all, as if they did not exist.

    Wagtail's get_queryset is a classmethod; this one needs the request, and Wagtail calls it
    only on the action instance (checked in tests/website/test_wagtail_internals.py)."""

    def get_queryset(self, model, object_ids):
        visible = model.objects.filter(pk__in=explorable_pages(self.request.user).values("pk"))
        return get_list_or_404(visible, pk__in=object_ids)


class KeepCooperativesInPlaceMixin:
    """Bulk delete and bulk move call no before_delete_page or before_move_page hook: list a
    cooperative's page among those the user may not act on, as Wagtail does for any page it
    refuses, and leave it alone."""

    def check_perm(self, page):
        return may_delete_or_move(self.request.user, page) and super().check_perm(page)


class ExplorableDeleteBulkAction(OnlyExplorablePagesMixin, KeepCooperativesInPlaceMixin, DeleteBulkAction):
    def check_perm(self, page):
        return super().check_perm(page) and may_be_deleted(page)


class ExplorableMoveBulkAction(OnlyExplorablePagesMixin, KeepCooperativesInPlaceMixin, MoveBulkAction):
    pass


class ExplorablePublishBulkAction(OnlyExplorablePagesMixin, PublishBulkAction):
    pass


class ExplorableUnpublishBulkAction(OnlyExplorablePagesMixin, UnpublishBulkAction):
    pass


# Registered after Wagtail's own page bulk actions (order=1), so they replace them: the
# registry keeps one action per model and action type.
for _action_class in (
    ExplorableDeleteBulkAction,
    ExplorableMoveBulkAction,
    ExplorablePublishBulkAction,
    ExplorableUnpublishBulkAction,
):
    hooks.register("register_bulk_action", _action_class, order=1)


class KeepCooperativesInPlaceAPIMixin:
    """The admin pages API's delete and move actions call no hook either (answered with 403,
    as the API answers its own permission errors)."""

    def execute(self, instance, data):
        if not may_delete_or_move(self.request.user, instance):
            raise PermissionDenied
        return super().execute(instance, data)


class CooperativesStayDeletePageAPIAction(KeepCooperativesInPlaceAPIMixin, DeletePageAPIAction):
    pass


class CooperativesStayMovePageAPIAction(KeepCooperativesInPlaceAPIMixin, MovePageAPIAction):
    pass


class CooperativesStayPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    actions = {
        **PagesAdminAPIViewSet.actions,
        "delete": CooperativesStayDeletePageAPIAction,
        "move": CooperativesStayMovePageAPIAction,
    }


@hooks.register("construct_admin_api")
def keep_cooperatives_in_place_in_admin_api(router):
    router.register_endpoint("pages", CooperativesStayPagesAdminAPIViewSet)


@hooks.register("register_admin_viewset", order=1)
def register_only_explorable_page_viewset():
    """After Wagtail's base page viewset (order 0): the page registry keeps the last one."""
    from .admin_views import OnlyExplorablePageViewSet

    return OnlyExplorablePageViewSet()


# Media: each cooperative's editors see only their own cooperative's (growers/media.py) ----------


class OnlyVisibleMediaAPIMixin:
    """The admin API lists every image and document in any collection not restricted to the
    public (a privacy setting, not a permission)."""

    def get_queryset(self):
        return visible_media(self.request.user, super().get_queryset())


class VisibleImagesAdminAPIViewSet(OnlyVisibleMediaAPIMixin, ImagesAdminAPIViewSet):
    pass


class VisibleDocumentsAdminAPIViewSet(OnlyVisibleMediaAPIMixin, DocumentsAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=1)
def only_visible_media_in_admin_api(router):
    """After Wagtail's images and documents hooks (order 0): the router keeps the last endpoint
    registered under a name."""
    router.register_endpoint("images", VisibleImagesAdminAPIViewSet)
    router.register_endpoint("documents", VisibleDocumentsAdminAPIViewSet)


class OnlyVisibleMediaBulkActionMixin:
    """The media bulk actions' confirmation pages list, with its title, every image or document
    whose id is in the query string. Drop those the user may not see, as if they did not exist.
    An instance method over Wagtail's classmethod, as OnlyExplorablePagesMixin's."""

    def get_queryset(self, model, object_ids):
        return get_list_or_404(visible_media(self.request.user, model.objects.all()), pk__in=object_ids)


def _only_visible_media(action_class):
    return type(action_class.__name__, (OnlyVisibleMediaBulkActionMixin, action_class), {})


# Registered after Wagtail's own (order 0), which they replace, as the page actions above.
for _module in (image_bulk_actions, document_bulk_actions):
    for _action_class in (
        _module.DeleteBulkAction,
        _module.AddTagsBulkAction,
        _module.AddToCollectionBulkAction,
    ):
        hooks.register("register_bulk_action", _only_visible_media(_action_class), order=1)


# The growing-area register (growers/viewsets/) ---------------------------------------------


@hooks.register("register_admin_viewset")
def register_growing_areas_admin():
    return GrowingAreasViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_growing_areas_dashboard_panel(request, panels):
    panels.append(GrowingAreasDashboardPanel(request))


hooks.register("register_log_actions", register_status_log_actions)


# Spreadsheet import of growing areas (growers/import_views.py) ------------------------------


@hooks.register("register_admin_urls")
def register_growing_area_import_urls():
    from .import_views import admin_urls

    return admin_urls()


@hooks.register("register_growing_areas_menu_item")
def register_growing_area_import_menu_item():
    from .import_views import menu_item

    return menu_item()
