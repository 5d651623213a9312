"""Which images and documents a user may see and choose in the admin.

Each cooperative has a media collection of its own, on which its editors' group holds the media
permissions (services.ensure_cooperative_editors). Every user but a superuser sees only the media
of the collections on which they hold some permission for that kind of media (and of the
collections below them), as Wagtail's collection permission policy reckons it; Wagtail's chooser
already lists only those. So a cooperative's editor sees their own cooperative's media, and staff
without media permissions (the agriculture officer) see none. A superuser sees everything."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from taggit.models import Tag
from wagtail.permissions import policy_registry

from .media_forms import media_models

MEDIA_ACTIONS = ["add", "change", "choose", "delete"]


def sees_only_own_media(user) -> bool:
    """Whether the media shown to the user are narrowed: anyone but an active superuser."""
    return not (user.is_authenticated and user.is_active and user.is_superuser)


def media_collections(user, model) -> QuerySet:
    """The collections on which the user holds any permission for `model` (images or documents),
    and those below them."""
    return policy_registry.get_by_type(model).collections_user_has_any_permission_for(user, MEDIA_ACTIONS)


def visible_media(user, queryset: QuerySet) -> QuerySet:
    """The images or documents of `queryset` the user may see anywhere in the admin."""
    if not sees_only_own_media(user):
        return queryset
    return queryset.filter(collection__in=media_collections(user, queryset.model))


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
