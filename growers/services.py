"""Changes of state for cooperatives: who may edit what."""

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .exceptions import StatusChangeRefused
from .models import CooperativePage, GrowingArea, GrowingAreaStatus, StatusChange
from .selectors import cooperative_collection, cooperative_editors_group

# What a cooperative's editors may do on their own page and everything beneath it. Deleting
# is left to the site administrator: unpublishing takes a product off sale just as well and
# can be undone.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Cooperative editors may look up and cite codes, never change them. Apps above this one add
# what the editors may do with their own models (cooperative_editor_permissions, below).
EDITOR_MODEL_PERMISSIONS = (
    ("growers", "view_growingarea"),
    # Wagtail's "Translate" action (simple_translation), for their own pages only: the copy lands
    # in the other language's tree, where share_editors_with_translation gives them the same rights.
    ("simple_translation", "submit_translation"),
)
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


def permissions_from_hooks(hook_name: str) -> list[tuple[str, str]]:
    """The (app label, codename) pairs that apps above this one grant a group of ours through a
    hook (`fn() -> iterable of pairs`): `cooperative_editor_permissions` for every cooperative's
    editors, `officer_permissions` for the agriculture officers."""
    return [pair for fn in hooks.get_hooks(hook_name) for pair in fn()]


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
    model_permissions = [*EDITOR_MODEL_PERMISSIONS, *permissions_from_hooks("cooperative_editor_permissions")]
    group.permissions.add(*(_permission(app, codename) for app, codename in model_permissions))
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


# Growing-area codes ------------------------------------------------------------------------

OFFICERS_GROUP_NAME = "Agriculture officers"
# Officers alone create and change growing areas (their households, certifications and
# inspections are edited with the area) and change a code's status. Nobody but a superuser
# deletes one: a code that must go is revoked, so its history stays.
OFFICER_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("growers", "add_growingarea"),
    ("growers", "change_growingarea"),
    ("growers", "view_growingarea"),
    ("growers", "change_status_growingarea"),
    # The texts received and sent (sms/viewsets.py), phone numbers included.
    ("sms", "view_message"),
)


@transaction.atomic
def ensure_officers_group() -> Group:
    group, _created = Group.objects.get_or_create(name=OFFICERS_GROUP_NAME)
    permissions = [*OFFICER_PERMISSIONS, *permissions_from_hooks("officer_permissions")]
    group.permissions.add(*(_permission(app, codename) for app, codename in permissions))
    return group


# Which status may follow which, and the word for the action. Revoking is final.
STATUS_TRANSITIONS = {
    ("active", "suspended"): "suspend",
    ("suspended", "active"): "reinstate",
    ("active", "revoked"): "revoke",
    ("suspended", "revoked"): "revoke",
}


def allowed_status_actions(area: GrowingArea) -> dict[str, str]:
    """{action: target status} for the actions the rules allow from the area's status."""
    return {action: to for (frm, to), action in STATUS_TRANSITIONS.items() if frm == area.status}


@transaction.atomic
def change_status(
    *, area: GrowingArea, to_status: str, reason: str, user, effective_date: date | None = None
) -> StatusChange:
    """Suspend, reinstate or revoke a code, keeping the change in its history and in Wagtail's
    log. The row is locked so that two officers acting at once cannot both change it."""
    reason = (reason or "").strip()
    if not reason:
        raise StatusChangeRefused(_("Give a reason for the change."))
    locked = GrowingArea.objects.select_for_update().get(pk=area.pk)
    action = STATUS_TRANSITIONS.get((locked.status, to_status))
    if action is None:
        if locked.status == GrowingAreaStatus.REVOKED:
            raise StatusChangeRefused(_("This code is revoked; revoking is final."))
        raise StatusChangeRefused(
            _("A code that is %(current)s cannot become %(target)s.")
            % {
                "current": locked.get_status_display().lower(),
                "target": str(dict(GrowingAreaStatus.choices).get(to_status, to_status)).lower(),
            }
        )
    change = StatusChange.objects.create(
        area=locked,
        from_status=locked.status,
        to_status=to_status,
        reason=reason,
        effective_date=effective_date or timezone.localdate(),
        changed_by=user,
    )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    log(
        instance=locked,
        action=f"growers.growing_area.{action}",
        user=user,
        data={"from": change.from_status, "to": to_status, "reason": reason},
    )
    # The caller's object now says what the database says.
    area.status, area.updated_at = locked.status, locked.updated_at
    return change


def share_editors_with_translation(*, source, translation) -> None:
    """A cooperative's page in another language (the translation simple_translation copies, or the
    alias Wagtail makes for an untranslated parent) is edited by the same editors: give their
    group the same rights on it. Pages below inherit them, as in the Vietnamese tree."""
    if translation is None or not isinstance(source, CooperativePage):
        return
    group = cooperative_editors_group(source)
    if group is None:
        return
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=translation, permission=_permission("wagtailcore", codename)
        )
