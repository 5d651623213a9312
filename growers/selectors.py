"""Read-side queries for cooperatives."""

from django.contrib.auth.models import Group

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

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
