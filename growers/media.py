"""Which images and documents a cooperative's editors may see and choose.

Each cooperative has a media collection of its own, on which its editors' group holds the media
permissions (services.ensure_cooperative_editors). A cooperative's editor sees only the media of
the collections their groups hold permissions on (and of the collections below them); Wagtail's
chooser already lists only those. Other users (the agriculture officer, other staff) are not
narrowed here, and a superuser sees everything, as before."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from taggit.models import Tag
from wagtail.models import Collection, GroupPagePermission

from .media_forms import media_models
from .models import CooperativePage


def sees_only_own_media(user) -> bool:
    """Whether the user edits a cooperative (in any language) and is no superuser."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return GroupPagePermission.objects.filter(
        group__user=user, page__content_type=ContentType.objects.get_for_model(CooperativePage)
    ).exists()


def own_media_collections(user) -> QuerySet:
    """The collections the user's groups hold any permission on, and those below them."""
    paths = Collection.objects.filter(group_permissions__group__user=user).values_list("path", flat=True)
    below = Q()
    for path in set(paths):
        below |= Q(path__startswith=path)
    return Collection.objects.filter(below) if below else Collection.objects.none()


def visible_media(user, queryset: QuerySet) -> QuerySet:
    """The images or documents of `queryset` the user may see anywhere in the admin."""
    if not sees_only_own_media(user):
        return queryset
    return queryset.filter(collection__in=own_media_collections(user))


def visible_tags(user, tags: QuerySet | None = None) -> QuerySet:
    """The tags the user may be offered: those of the media they may see."""
    tags = Tag.objects.all() if tags is None else tags
    if not sees_only_own_media(user):
        return tags
    used = Q()
    for model in media_models():
        used |= Q(pk__in=visible_media(user, model.objects.all()).values("tags"))
    return tags.filter(used)


def popular_visible_tags(user, model, count: int = 10) -> QuerySet:
    """Wagtail's popular_tags_for_model (the listings' tag filter), over the media the user may
    see."""
    visible = visible_media(user, model.objects.all()).values("pk")
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=visible,
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )
