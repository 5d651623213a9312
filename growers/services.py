"""Changes of state for cooperatives: who may edit what."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import CooperativePage
from .selectors import cooperative_collection, cooperative_editors_group

# What a cooperative's editors may do on their own page and everything beneath it. Deleting
# is left to the site administrator: unpublishing takes a product off sale just as well and
# can be undone.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
EDITOR_MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def editors_group_name(cooperative: CooperativePage) -> str:
    return f"Cooperative editors: {cooperative.title}"


@transaction.atomic
def ensure_cooperative_editors(*, cooperative: CooperativePage) -> Group:
    """Create (or complete) the group whose members edit only this cooperative's subtree,
    with a media collection of its own so its images stay out of other choosers.

    The group is found by its permission on the cooperative's page, and the collection by
    the group's permission on it, not by name: renaming a cooperative must not leave its
    editors behind in an orphaned group."""
    group = cooperative_editors_group(cooperative)
    if group is None:
        group, _ = Group.objects.get_or_create(name=editors_group_name(cooperative))
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=cooperative, permission=_permission("wagtailcore", codename)
        )

    collection = cooperative_collection(cooperative)
    if collection is None:
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=cooperative.title).first() or root.add_child(
            name=cooperative.title
        )
    for app_label, codename in EDITOR_MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )
    return group
