"""Answering a received text (the webhook's work; DESIGN §4 "SMS").

Once per gateway message id: the text is stored and answered inside one transaction, its row
claimed first, so that a delivery repeated while the first is still being answered waits on the
row (PostgreSQL) or fails on the unique constraint, then gets the stored reply; the handler (which
may count a check) runs once."""

import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import handlers
from .handlers import SmsRequest
from .models import Direction, Message, Outcome
from .text import fit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    message: Message
    duplicate: bool

    @property
    def reply(self) -> str:
        return self.message.reply


def help_text() -> str:
    return _(
        "To check a package, text: %(keyword)s <code> <PIN> (the code is on the label, the PIN "
        "inside the package)."
    ) % {"keyword": settings.SMS_KEYWORD.upper()}


def apology() -> str:
    return _("Sorry, we cannot answer just now. Please text again later.")


def wait_text(minutes: int) -> str:
    return _("Too many texts from your number. Please wait %(minutes)d minutes and text again.") % {
        "minutes": minutes
    }


def sender_language(phone: str) -> str:
    """The language of the sender's latest text that has one (in or out: an app sending a text
    may say the language the person chose, e.g. an order's), else the site's language."""
    known = Message.objects.filter(phone=phone).exclude(language="").order_by("-created", "-pk").first()
    return known.language if known else settings.LANGUAGE_CODE


def wait_minutes(phone: str, now, *, besides: int | None = None) -> int | None:
    """None when the sender may be answered; else the minutes until the oldest counted text leaves
    the window. Texts that were themselves refused do not count."""
    allowed, seconds = settings.SMS_RATE_LIMIT
    since = now - timedelta(seconds=seconds)
    recent = (
        Message.objects.filter(direction=Direction.INBOUND, phone=phone, created__gt=since)
        .exclude(outcome=Outcome.RATE_LIMITED)
        .exclude(pk=besides)
    )
    if recent.count() < allowed:
        return None
    oldest = recent.order_by("created").values_list("created", flat=True)[0]
    return max(1, math.ceil((oldest + timedelta(seconds=seconds) - now).total_seconds() / 60))


def answer(*, message: Message, text: str, language: str) -> tuple[str, str, str]:
    """(reply, outcome, reason) for a new text, just stored (`text`: as received, where the stored
    one may have a secret masked)."""
    message_id, phone = message.message_id, message.phone
    wait = wait_minutes(phone, timezone.now(), besides=message.pk)
    if wait is not None:
        return wait_text(wait), Outcome.RATE_LIMITED, ""
    handler, keyword, words = handlers.find(text)
    if handler is None:
        return help_text(), Outcome.HELP, ""
    request = SmsRequest(message_id=message_id, sender=phone, words=words, text=text, language=language)
    try:
        # A savepoint: what a failing handler wrote is undone, the text is still stored.
        with transaction.atomic():
            reply = handler(request)
    except Exception as error:
        logger.exception("sms: the handler of %s failed on text id %s", keyword, message_id)
        return apology(), Outcome.ERROR, f"{type(error).__name__}: {error}"[:255]
    reply = str(reply or "").strip()
    if not reply:
        return help_text(), Outcome.HELP, "the handler gave no reply"
    return reply, Outcome.ANSWERED, ""


def stored(message_id: str) -> Message | None:
    return Message.objects.filter(direction=Direction.INBOUND, message_id=message_id).first()


def receive(*, message_id: str, phone: str, text: str) -> Received:
    """Store and answer a received text, once per message id."""
    if (earlier := stored(message_id)) is not None:
        return Received(earlier, duplicate=True)
    language = sender_language(phone)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                direction=Direction.INBOUND,
                message_id=message_id,
                phone=phone,
                # A secret in the text (a PIN) is masked before it is stored (handlers.masked).
                text=handlers.masked(text),
                outcome=Outcome.HELP,
            )
            with translation.override(language):
                reply, outcome, reason = answer(message=message, text=text, language=language)
                reply = fit(reply)
            message.reply, message.outcome, message.reason = reply, outcome, reason
            message.save(update_fields=["reply", "outcome", "reason"])
    except IntegrityError:
        # The same id delivered at the same time: the other delivery stored it and answered it.
        earlier = stored(message_id)
        if earlier is None:
            raise
        return Received(earlier, duplicate=True)
    logger.info("sms: text id %s answered (%s)", message_id, outcome)
    return Received(message, duplicate=False)
