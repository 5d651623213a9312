"""The replies to `SLL <code> [<pin>]` by SMS (DESIGN §2, §4): the same verdicts as /check/
(checks.check_code), in at most 160 characters of plain ASCII (Vietnamese without its marks, which
every phone shows), with the date. The SMS app (its webhook, its message ids) calls `answer` with
the words after the keyword.

A sender checking the same unit twice the same day counts once: the check's `place` is a keyed
hash of the sender's number (never the number itself), and a right-PIN check already recorded
today from that hash is not counted again."""

import re

from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from sms.handlers import normalise_keyword
from sms.text import SMS_LENGTH, to_sms_text

from .checks import check_code, checked_today, pin_start
from .models import CheckChannel
from .selectors import NOT_FOR_SALE, report_contact


def sender_place(sender: str) -> str:
    """A keyed hash of the sender's number (its digits), 16 hex characters, as UnitCheck.place."""
    digits = re.sub(r"\D", "", str(sender or ""))
    return salted_hmac("traceability.sms.sender", digits, algorithm="sha256").hexdigest()[:16]


def sms_text(text: str) -> str:
    """One line of what one SMS carries (sms.text.to_sms_text: diacritics folded, signs outside
    GSM-7 replaced), spaces folded."""
    return re.sub(r"\s+", " ", to_sms_text(text)).strip()


def fit(*parts: str) -> str:
    """The parts joined, the last ones left out (then the last one cut) to stay within one SMS."""
    kept = [sms_text(part) for part in parts if part]
    while len(" ".join(kept)) > SMS_LENGTH and len(kept) > 1:
        kept.pop()
    return " ".join(kept)[:SMS_LENGTH].rstrip()


def split_words(words: list[str]) -> tuple[str, str | None]:
    """The code (its words joined: "dhyk hq64m") and the PIN (the trailing six digits)."""
    words = [str(word) for word in words if str(word).strip()]
    start = pin_start(words)
    if start is None:
        return "".join(words), None
    return "".join(words[:start]), "".join(word.strip() for word in words[start:])


def mask_pin(words: list[str]) -> list[str]:
    """The words after the keyword as the SMS app stores them: the PIN's digits hidden (it is never
    stored, shown or logged), the code kept for the officer."""
    words = [str(word) for word in words if str(word).strip()]
    # Whatever came before: a PIN typed after a mistyped serial is still the PIN.
    start = pin_start(words, after_serial=False)
    if start is None:
        return words
    return words[:start] + ["*" * len(word.strip()) for word in words[start:]]


def _verdict_words(verdict: dict) -> str:
    kind = verdict.get("kind")
    if kind == "valid":
        return _("Growing-area code valid.")
    if kind == "recalled":
        return _("THIS BATCH IS RECALLED: do not use it.")
    if kind == "invalid":
        return _("Warning: a growing-area code was not valid at harvest.")
    if kind == "foreign":
        return _("Warning: a growing-area code is not this producer's.")
    if kind == "no-area":
        return _("No growing-area code given.")
    return ""


def keyword() -> str:
    """The keyword the replies teach: SMS_KEYWORD (DESIGN §4), as the SMS app matches it."""
    return normalise_keyword(settings.SMS_KEYWORD)


def help_text() -> str:
    return fit(
        _(
            "To check a product, text: %(keyword)s <code> <PIN>. The code is printed beside the QR, "
            "the PIN under the scratch layer."
        )
        % {"keyword": keyword()}
    )


def answer(words: list[str], *, sender: str, language: str = "vi") -> str:
    """The reply to `SLL <words...>` from `sender`, in `language` ("vi": without diacritics)."""
    with translation.override(language):
        return _answer(words, sender=sender)


def _answer(words: list[str], *, sender: str) -> str:
    code, pin = split_words(words or [])
    if not code:
        return help_text()
    place = sender_place(sender)
    result = check_code(
        code,
        pin,
        channel=CheckChannel.SMS,
        place=place,
        counted=lambda unit: not checked_today(unit, channel=CheckChannel.SMS, place=place),
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    if result.kind == "unknown":
        return fit(_("Code %(code)s is not in our records.") % {"code": code[:20]}, help_text())
    batch, verdict = result.batch, _verdict_words(result.verdict)
    # A recall, or a code not valid at harvest, is said first whatever the label's own answer
    # (issue 18 §5): a genuine label does not make a recalled batch safe.
    urgent = verdict if result.verdict.get("kind") in NOT_FOR_SALE else ""
    if urgent:
        verdict = ""
    first = result.first_on.strftime("%d/%m/%Y") if result.first_on else today
    contact = _("Report: %(contact)s") % {"contact": report_contact()}
    if result.kind == "batch":
        return fit(
            urgent,
            _("%(date)s: trace code %(code)s, lot %(lot)s.")
            % {"date": today, "code": batch.short_code, "lot": batch.lot},
            verdict,
        )
    serial = result.unit.serial
    if result.kind == "unit-first":
        return fit(
            urgent,
            _("Genuine, first check (%(date)s): package %(serial)s, lot %(lot)s.")
            % {"date": today, "serial": serial, "lot": batch.lot},
            verdict,
        )
    if result.kind == "unit-again":
        return fit(
            urgent,
            _(
                "WARNING: package %(serial)s already checked %(times)s time(s), first on %(date)s. "
                "It may be a copy."
            )
            % {"serial": serial, "times": result.times, "date": first},
            contact,
        )
    if result.kind == "unit-no-pin":
        return fit(
            urgent,
            _(
                "%(date)s: package %(serial)s exists, lot %(lot)s. Send %(keyword)s %(serial)s <PIN> "
                "to check it."
            )
            % {"date": today, "serial": serial, "lot": batch.lot, "keyword": keyword()},
            verdict,
        )
    if result.kind == "wrong-pin":
        return fit(
            _("%(date)s: wrong PIN for package %(serial)s. Check it and try again.")
            % {"date": today, "serial": serial}
        )
    if result.kind == "locked":
        return fit(
            _("%(date)s: package %(serial)s is locked for an hour after too many wrong PINs.")
            % {"date": today, "serial": serial}
        )
    # void
    return fit(
        _("%(date)s: package %(serial)s was withdrawn by the producer. Do not trust it.")
        % {"date": today, "serial": serial},
        contact,
    )
