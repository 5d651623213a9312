"""Changes of state for cooperatives: who may edit what."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import CooperativePage

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
    with a media collection of its own so its images stay out of other choosers."""
    group, _ = Group.objects.get_or_create(name=editors_group_name(cooperative))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=cooperative,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )

    root = Collection.get_first_root_node()
    collection = next(
        (c for c in root.get_children() if c.name == cooperative.title), None
    ) or root.add_child(name=cooperative.title)
    for app_label, codename in EDITOR_MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=_permission(app_label, codename),
        )
    return group
