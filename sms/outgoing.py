"""Sending texts through SMS_BACKEND, like Django's e-mail backends:

- "console" (the default): the text is written to standard output, for development (the
  number shown by its last three digits only: in production standard output is the log);
- "locmem": the text is appended to ``sms.outbox`` (the test settings);
- "http": the text is POSTed as JSON ``{"to": ..., "text": ...}`` to SMS_GATEWAY_URL with
  ``Authorization: Bearer <SMS_GATEWAY_TOKEN>``, waiting at most SMS_GATEWAY_TIMEOUT seconds;
  any 2xx answer is "sent".

Every text is stored (sms.models.Message) with its outcome: sent, or failed with the reason.
Sending never raises into the caller: an order or an application is not lost because the gateway
is down. The phone number is never logged above DEBUG."""

import json
import logging
import sys
import urllib.error
import urllib.request

from django.conf import settings

from .models import Direction, Message, Outcome
from .phones import normalise_phone
from .text import to_sms_text

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    pass


def masked(phone: str) -> str:
    """The number as the console shows it: its last three digits (stdout is the log in production)."""
    return "*" * max(0, len(phone) - 3) + phone[-3:]


def console_backend(to: str, text: str) -> None:
    stream = getattr(settings, "SMS_CONSOLE_STREAM", None) or sys.stdout
    stream.write(f"SMS to {masked(to)}:\n{text}\n{'-' * 40}\n")
    stream.flush()


def locmem_backend(to: str, text: str) -> None:
    import sms

    sms.outbox.append({"to": to, "text": text})


def http_backend(to: str, text: str) -> None:
    url = settings.SMS_GATEWAY_URL
    if not url:
        raise SendFailed("SMS_GATEWAY_URL is not set")
    request = urllib.request.Request(
        url,
        data=json.dumps({"to": to, "text": text}).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
            response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        raise SendFailed(f"the gateway answered {error.code}") from error
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SendFailed(f"the gateway could not be reached: {reason}") from error


BACKENDS = {"console": console_backend, "locmem": locmem_backend, "http": http_backend}


def send_sms(to: str, text: str, *, language: str = "") -> Message:
    """Send one text to the phone number `to`; the text is folded to what one SMS carries
    (sms.text.to_sms_text; keep it within 160 characters to be sent as one). Returns the stored
    Message: outcome "sent", or "failed" with the reason."""
    phone = normalise_phone(to) or str(to)[:32]
    body = to_sms_text(text)
    backend = BACKENDS.get(settings.SMS_BACKEND, console_backend)
    outcome, reason = Outcome.SENT, ""
    try:
        backend(phone, body)
    except SendFailed as error:
        outcome, reason = Outcome.FAILED, str(error)
    except Exception as error:  # a backend must not break the caller's request
        logger.exception("sms: the %s backend failed", settings.SMS_BACKEND)
        outcome, reason = Outcome.FAILED, f"{type(error).__name__}: {error}"
    message = Message.objects.create(
        direction=Direction.OUTBOUND,
        phone=phone,
        text=body,
        outcome=outcome,
        reason=reason[:255],
        language=language[:10],
    )
    if outcome == Outcome.FAILED:
        logger.warning("sms: text %s not sent: %s", message.pk, reason)
    else:
        logger.info("sms: text %s sent", message.pk)
    logger.debug("sms: text %s was to %s", message.pk, phone)
    return message
