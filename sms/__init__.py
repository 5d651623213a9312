"""The SMS channel (DESIGN §4 "SMS"): texts sent through SMS_BACKEND, the signed inbound webhook
/webhooks/sms/ answering keyword texts through handlers that higher apps register, and every text
in and out stored with its outcome for the officer.

Other apps use:
- ``sms.send(to, text)``: send one text (``sms.outgoing.send_sms``); never raises, returns the
  stored Message with its outcome;
- ``sms.text.to_sms_text(text)``: any text as the plain ASCII one SMS carries (diacritics folded);
- ``sms.handlers.register(keyword, handler, mask=None)``: answer the texts that start with a
  keyword (``mask`` hides a secret word, e.g. a PIN, from the stored text);
- ``sms.outbox``: the texts the "locmem" backend sent (the test settings use it), like
  django.core.mail.outbox.
"""

# Filled by the "locmem" backend (sms.outgoing), emptied by the tests.
outbox: list = []


def send(to: str, text: str, *, language: str = ""):
    """Send one text through SMS_BACKEND; see sms.outgoing.send_sms."""
    from .outgoing import send_sms

    return send_sms(to, text, language=language)
