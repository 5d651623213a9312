from django.db.models import Q

from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import CooperativePage
from .services import ensure_cooperative_editors


@hooks.register("after_create_page")
def give_new_cooperative_its_editors_group(request, page):
    if isinstance(page.specific, CooperativePage):
        ensure_cooperative_editors(cooperative=page.specific)


def other_cooperatives_paths(user) -> list[str]:
    """Tree paths of the cooperatives whose pages this user may not explore."""
    if user.is_superuser:
        return []
    explorable = PagePermissionPolicy().explorable_instances(user).values("pk")
    return list(CooperativePage.objects.exclude(pk__in=explorable).values_list("path", flat=True))


@hooks.register("construct_page_chooser_queryset")
def hide_other_cooperatives_in_choosers(pages, request):
    """Wagtail's page chooser lists the whole tree. A cooperative editor must not see another
    cooperative's pages there (draft titles included); shared pages such as the shop stay
    choosable for links."""
    hidden = Q()
    for path in other_cooperatives_paths(request.user):
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden) if hidden else pages
