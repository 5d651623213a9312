"""/webhooks/sms/ (DESIGN §4 "SMS"): a text received by the SMS gateway, as JSON
{"id": "...", "from": "+84...", "text": "..."}, signed like the bank's notices (HMAC-SHA256 of
the raw body under SMS_WEBHOOK_SECRET, hex, in X-Signature), answered {"reply": "..."} with at
most 160 GSM-7 characters for the gateway to send back. Nothing is stored from a request that is
not signed, or not such a text (400 with the reason, in JSON)."""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .phones import normalise_phone
from .services import receive

logger = logging.getLogger(__name__)

# One text is at most a few hundred bytes of JSON; a long concatenated SMS a few kilobytes.
MAX_BODY_BYTES = 8 * 1024
MAX_ID_LENGTH = 100
MAX_TEXT_LENGTH = 2000


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def sms_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Unreadable(ValueError):
    pass


def read_text(body: bytes) -> tuple[str, str, str]:
    """(message id, phone, text) from the body, or Unreadable with the reason."""
    if len(body) > MAX_BODY_BYTES:
        raise Unreadable(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Unreadable("the body must be a JSON object in UTF-8") from error
    if not isinstance(data, dict):
        raise Unreadable("the body must be a JSON object")
    message_id, sender, text = data.get("id"), data.get("from"), data.get("text")
    if isinstance(message_id, int) and not isinstance(message_id, bool):
        message_id = str(message_id)
    if not isinstance(message_id, str) or not message_id.strip() or len(message_id.strip()) > MAX_ID_LENGTH:
        raise Unreadable(f'"id" must be a string of 1 to {MAX_ID_LENGTH} characters')
    phone = normalise_phone(sender)
    if not phone or len(phone) > 32:
        raise Unreadable('"from" must be a phone number')
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise Unreadable(f'"text" must be a string of at most {MAX_TEXT_LENGTH} characters')
    # PostgreSQL stores no NUL in text, nor a lone surrogate in UTF-8.
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    message_id = message_id.strip().replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return message_id, phone, text


@csrf_exempt
@require_POST
def sms_webhook(request):
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret:
        logger.error("SMS webhook called but SMS_WEBHOOK_SECRET is not set")
        return _error(503, "not configured")
    body = request.body
    signature = request.headers.get("X-Signature", "").strip().lower()
    if not signature:
        return _error(401, "missing signature")
    if not hmac.compare_digest(signature.encode(), sms_signature(body, secret).encode()):
        logger.warning("SMS webhook: bad signature")
        return _error(401, "bad signature")
    try:
        message_id, phone, text = read_text(body)
    except Unreadable as error:
        return _error(400, str(error))
    received = receive(message_id=message_id, phone=phone, text=text)
    return JsonResponse({"reply": received.reply})
