"""The two payment webhooks (DESIGN §4). Both verify a signature over the raw body before
reading anything, store nothing from an unverified request, and answer 200 to every verified
notice (so the sender stops retrying) with what was done, in JSON. A signed bank body that is not
a readable notice is answered 400 with the reason, and kept (once per body) for a person."""

import hashlib
import hmac
import logging

import stripe

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .payments import (
    InvalidBankNotice,
    handle_bank_notice,
    handle_stripe_event,
    keep_unreadable_bank_notice,
    read_bank_notice,
)

logger = logging.getLogger(__name__)

STRIPE_TOLERANCE_SECONDS = 300


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def bank_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def bank_webhook(request):
    """A bank's notice of money received: HMAC-SHA256 of the raw body under
    BANK_WEBHOOK_SECRET, hex, in X-Signature."""
    secret = settings.BANK_WEBHOOK_SECRET
    if not secret:
        logger.error("bank webhook called but BANK_WEBHOOK_SECRET is not set")
        return _error(503, "not configured")
    body = request.body
    signature = request.headers.get("X-Signature", "").strip().lower()
    if not signature:
        return _error(401, "missing signature")
    if not hmac.compare_digest(signature.encode(), bank_signature(body, secret).encode()):
        logger.warning("bank webhook: bad signature from %s", request.META.get("REMOTE_ADDR"))
        return _error(401, "bad signature")
    try:
        notice = read_bank_notice(body)
    except InvalidBankNotice as error:
        # Signed, so from the bank: kept for a person (the money may have arrived), and refused
        # so that the bank's operator sees it.
        keep_unreadable_bank_notice(body=body, reason=str(error))
        return _error(400, str(error))
    # Valid JSON in UTF-8 holds no raw NUL; kept storable all the same.
    raw_body = body.decode("utf-8").replace("\x00", "")
    result = handle_bank_notice(notice, raw_body=raw_body)
    notification = result.notification
    return JsonResponse(
        {
            "transaction_id": notification.transaction_id,
            "outcome": notification.outcome,
            "order": notification.order.number if notification.order_id else None,
            "duplicate": result.duplicate,
        }
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("Stripe webhook called but STRIPE_WEBHOOK_SECRET is not set")
        return _error(503, "not configured")
    try:
        payload = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the body must be UTF-8")
    sig_header = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(
            payload, sig_header, secret, tolerance=STRIPE_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook: bad or stale signature")
        return _error(400, "bad signature")
    except ValueError:
        return _error(400, "the body must be JSON")
    data = event.to_dict()
    if not data.get("id"):
        return _error(400, "not an event")
    outcome, duplicate = handle_stripe_event(data)
    return JsonResponse({"event": data["id"], "outcome": outcome, "duplicate": duplicate})
