"""Read-side queries for cooperatives."""

from django.contrib.auth.models import Group

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import CooperativePage


def cooperative_editors_group(cooperative: CooperativePage) -> Group | None:
    """The group that may change this cooperative's pages, found by its permission rather
    than its name, so that renaming the cooperative does not lose it."""
    grant = (
        GroupPagePermission.objects.filter(page=cooperative, permission__codename="change_page")
        .select_related("group")
        .first()
    )
    return grant.group if grant else None


def cooperative_collection(cooperative: CooperativePage) -> Collection | None:
    """The media collection whose images and documents this cooperative's editors manage."""
    group = cooperative_editors_group(cooperative)
    if group is None:
        return None
    grant = GroupCollectionPermission.objects.filter(group=group).select_related("collection").first()
    return grant.collection if grant else None


def cooperatives_edited_by(user):
    """Primary keys of the cooperatives whose page this user may change (their editors)."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return CooperativePage.objects.filter(pk__in=pages.values("pk")).values("pk")
