"""Recalling a batch, and cancelling a recall: by the cooperative (through the page editor, whose
panels carry the two fields) or by an agriculture officer, who has no page permissions and goes
through these services from the officer's recall view (traceability/recall_views.py)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import LogFormatter, log

from .cdn import purge_batch_on_commit
from .models import BatchPage

RECALL_ACTION = "traceability.batch.recall"
CANCEL_RECALL_ACTION = "traceability.batch.cancel_recall"
# Officers keep the growing-area register; the same permission lets them recall a batch.
OFFICER_RECALL_PERMISSION = "growers.change_status_growingarea"


class RecallRefused(Exception):
    """A recall (or its cancellation) the rules do not allow; the message says why, for people."""


def may_recall_as_officer(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(OFFICER_RECALL_PERMISSION)))


def _set_recall_fields(*, batch: BatchPage, recalled_on, reason: str, user) -> None:
    """Write the recall into the live page and its latest revision.

    With no draft in progress, a new revision is saved and published: page history shows it,
    and whatever listens to page_published (caches) hears of it. With a draft in progress,
    publishing would also put the editor's unfinished changes live, so the live row is updated
    directly and the recall is added to a new revision of the draft instead; when the editor
    publishes their draft later, the recall goes with it rather than being silently undone."""
    locked = BatchPage.objects.select_for_update().get(pk=batch.pk)
    if not locked.has_unpublished_changes:
        locked.recalled_on, locked.recall_reason = recalled_on, reason
        # Validated here and above; the rest of a published page is not this service's business.
        locked.save_revision(user=user, clean=False, log_action=False).publish(
            user=user, log_action=False, skip_permission_checks=True
        )
    else:
        draft = locked.get_latest_revision_as_object()
        draft.recalled_on, draft.recall_reason = recalled_on, reason
        draft.save_revision(user=user, clean=False, log_action=False)
        BatchPage.objects.filter(pk=batch.pk).update(recalled_on=recalled_on, recall_reason=reason)
    # A CDN's copies of its API go when this commits (the draft path above
    # publishes nothing, so no page_published handler would hear of it).
    purge_batch_on_commit(locked)
    # The caller's object now says what the live page says.
    batch.recalled_on, batch.recall_reason = recalled_on, reason


@transaction.atomic
def recall_batch(*, batch: BatchPage, recalled_on: datetime.date, reason: str, user) -> BatchPage:
    """Mark a batch recalled: its trace page, its API and its EPCIS events say so at once."""
    reason = (reason or "").strip()
    if not reason:
        raise RecallRefused(_("Say why the batch is recalled; buyers will read it."))
    if recalled_on is None:
        raise RecallRefused(_("Give the date of the recall."))
    if recalled_on > timezone.localdate():
        raise RecallRefused(_("A recall cannot be dated in the future."))
    _set_recall_fields(batch=batch, recalled_on=recalled_on, reason=reason, user=user)
    log(
        instance=batch,
        action=RECALL_ACTION,
        user=user,
        data={"recalled_on": recalled_on.isoformat(), "reason": reason},
    )
    return batch


@transaction.atomic
def cancel_recall(*, batch: BatchPage, reason: str, user) -> BatchPage:
    """Lift a recall made in error (or resolved); the reason is kept in the page's history."""
    reason = (reason or "").strip()
    if not reason:
        raise RecallRefused(_("Say why the recall is cancelled."))
    current = BatchPage.objects.filter(pk=batch.pk).values_list("recalled_on", "recall_reason").get()
    if current[0] is None:
        raise RecallRefused(_("This batch is not recalled."))
    _set_recall_fields(batch=batch, recalled_on=None, reason="", user=user)
    log(
        instance=batch,
        action=CANCEL_RECALL_ACTION,
        user=user,
        data={"reason": reason, "was_recalled_on": current[0].isoformat(), "recall_reason": current[1]},
    )
    return batch


class _ReasonFormatter(LogFormatter):
    with_reason = without_reason = ""

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason")
        return self.with_reason % {"reason": reason} if reason else str(self.without_reason)


class RecallFormatter(_ReasonFormatter):
    label = gettext_lazy("Recall batch")
    with_reason = gettext_lazy("Recalled: %(reason)s")
    without_reason = gettext_lazy("Recalled")


class CancelRecallFormatter(_ReasonFormatter):
    label = gettext_lazy("Cancel recall")
    with_reason = gettext_lazy("Recall cancelled: %(reason)s")
    without_reason = gettext_lazy("Recall cancelled")


def register_recall_log_actions(actions):
    """For the register_log_actions hook: page history shows "Recalled: <reason>"."""
    actions.register_action(RECALL_ACTION)(RecallFormatter)
    actions.register_action(CANCEL_RECALL_ACTION)(CancelRecallFormatter)
