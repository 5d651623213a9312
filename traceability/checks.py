"""Checking a code by hand (DESIGN §2 "Copied labels and SMS checks", §4 `/check/`): one service
for the web form (/check/), the unit pages (/t/<code>/<serial>, /01/.../21/<serial>) and SMS
(sms_replies.py), so the three answer the same verdicts.

What a buyer types is forgiven (`normalise_typed`); a batch's short code (8 characters) answers the
batch's verdict; a unit's serial (9 characters, traceability/units.py) with its secret PIN answers
whether this is the first check of that package or how many came before (a copied label). A wrong
PIN is recorded against the unit: after LOCK_AFTER wrong ones within LOCK_FOR the unit answers
"locked" for LOCK_FOR, whoever asks and from whatever network, read from the UnitCheck rows
themselves (so it holds with the cache down). The PIN itself is never logged or stored."""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from .codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from .models import BatchPage, CheckChannel, Unit, UnitCheck
from .selectors import MAX_TYPED_LENGTH, find_batch_by_short_code, published_batches, trace_context
from .units import PIN_LENGTH, SERIAL_LENGTH, pin_matches

LOCK_AFTER = 5
LOCK_FOR = datetime.timedelta(hours=1)

# Look-alikes of the code alphabet (codes.SHORT_CODE_ALPHABET has no 0/O, 1/I/L, 2/Z, 5/S, 8/B,
# U/V). Only where the look-alike has one partner in the alphabet is it mapped: O and 0 are a Q
# whose tail was missed (D has straight sides). 1/I/L, 2/Z, 5/S, 8/B and U/V are pairs whose both
# halves are outside the alphabet, so no guess would be sure: they stay, and the code is unknown.
# Letters of other scripts that look exactly like Latin ones (a phone's Cyrillic or Greek
# keyboard) are their Latin twins; Đ (Vietnamese Telex "dd") is D.
CODE_LOOK_ALIKES = str.maketrans(
    {
        "O": "Q",
        "0": "Q",
        "Đ": "D",
        # Cyrillic
        "А": "A",
        "С": "C",
        "Е": "E",
        "Н": "H",
        "К": "K",
        "М": "M",
        "Р": "P",
        "Т": "T",
        "Х": "X",
        "У": "Y",
        "З": "3",
        # Greek
        "Α": "A",
        "Ε": "E",
        "Η": "H",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ρ": "P",
        "Τ": "T",
        "Χ": "X",
        "Υ": "Y",
    }
)
# A PIN is digits only, so there every look-alike letter is sure.
PIN_LOOK_ALIKES = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
)
SEPARATORS = re.compile(r"[\s\-.·_/,:;'\"]+")
# Between the words of a code and a PIN typed in one field or one text ("DHYK-HQ64M 123 456").
WORDS = re.compile(r"[\s,;:]+")
CODE_RE = re.compile(rf"^[{SHORT_CODE_ALPHABET}]+$")


def strip_diacritics(text: str) -> str:
    """Vietnamese without its marks ("Đúng" → "Dung"): what a phone without a Vietnamese keyboard
    types, and what an SMS can carry safely."""
    text = str(text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_typed(text) -> str:
    """A typed or read-out code as stored: upper case, without spaces, dashes or dots, Vietnamese
    marks and other scripts' look-alike letters (see CODE_LOOK_ALIKES)."""
    text = unicodedata.normalize("NFKC", str(text or ""))[: MAX_TYPED_LENGTH * 2]
    text = strip_diacritics(text.upper().translate(CODE_LOOK_ALIKES)).upper()
    return SEPARATORS.sub("", text).translate(CODE_LOOK_ALIKES)


def normalise_pin(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))[: MAX_TYPED_LENGTH * 2]
    return SEPARATORS.sub("", strip_diacritics(text).upper()).translate(PIN_LOOK_ALIKES)


def pin_start(words: list[str], *, after_serial: bool = True) -> int | None:
    """Where a PIN begins among typed words: the trailing words of digits that make its six digits
    ("123456", or "123 456" as a label may group them), after at least one word. With
    `after_serial`, only when the words before them make a serial (or a short code and a serial),
    so that a batch's short code typed in groups is never taken for one."""
    digits = ""
    for start in range(len(words) - 1, 0, -1):
        word = str(words[start]).strip()
        if not (word.isascii() and word.isdigit()):
            return None
        digits = word + digits
        if len(digits) == PIN_LENGTH:
            head = len(normalise_typed("".join(str(word) for word in words[:start])))
            if after_serial and head not in (SERIAL_LENGTH, SHORT_CODE_LENGTH + SERIAL_LENGTH):
                return None
            return start
        if len(digits) > PIN_LENGTH:
            return None
    return None


def split_pin(typed) -> tuple[str, str]:
    """A serial and the PIN typed after it in the same field ("DHYK-HQ64M 123456"), as people
    text it; ("typed", "") when no PIN follows a serial."""
    words = [word for word in WORDS.split(str(typed or "")) if word]
    start = pin_start(words)
    if start is None:
        return str(typed or ""), ""
    return " ".join(words[:start]), "".join(words[start:])


@dataclass
class CheckResult:
    """What a check answers. `kind`: batch, unit-first, unit-again, unit-no-pin, wrong-pin, locked,
    void or unknown. `times`: for unit-again, how many right-PIN checks came before; for
    unit-no-pin, how many. `first_on`: the date of the first right-PIN check. `verdict`: the batch's
    (selectors.verdict_for) for every kind that found one."""

    kind: str
    code: str = ""
    batch: BatchPage | None = None
    unit: Unit | None = None
    times: int = 0
    first_on: datetime.date | None = None
    verdict: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict, repr=False)

    @property
    def found(self) -> bool:
        return self.kind != "unknown"


def find_unit(code: str) -> Unit | None:
    """The unit of a published batch with this serial (already normalised), its batch with it, in
    one query; None without a query for what cannot be a serial."""
    if len(code) != SERIAL_LENGTH or not CODE_RE.match(code):
        return None
    return (
        Unit.objects.select_related("batch")
        .filter(serial=code, batch__in=published_batches().values("pk"))
        .first()
    )


def unit_history(unit: Unit) -> dict:
    """What a unit's checks say, in one query: the QR opens (one per visitor per day), the first
    of them, the right-PIN checks and the first of those."""
    totals = UnitCheck.objects.filter(unit=unit).aggregate(
        opened=Count("pk", filter=Q(channel=CheckChannel.QR, pin_ok__isnull=True)),
        first_opened=Min("at", filter=Q(channel=CheckChannel.QR, pin_ok__isnull=True)),
        pin_checks=Count("pk", filter=Q(pin_ok=True)),
        first_pin_check=Min("at", filter=Q(pin_ok=True)),
    )
    for key in ("first_opened", "first_pin_check"):
        if totals[key] is not None:
            totals[key] = timezone.localtime(totals[key])
    return totals


def is_locked(unit: Unit, now: datetime.datetime | None = None) -> bool:
    """LOCK_AFTER wrong PINs within LOCK_FOR lock the unit for LOCK_FOR after the last of them
    (tries while locked are not recorded, so the lock ends on time). One query."""
    now = now or timezone.now()
    wrong = list(
        UnitCheck.objects.filter(unit=unit, pin_ok=False, at__gte=now - 2 * LOCK_FOR)
        .order_by("-at")
        .values_list("at", flat=True)[: 4 * LOCK_AFTER]
    )
    for newest, oldest in zip(wrong, wrong[LOCK_AFTER - 1 :], strict=False):
        if now - newest < LOCK_FOR and newest - oldest <= LOCK_FOR:
            return True
    return False


def checked_today(unit: Unit, *, channel: str, place: str) -> bool:
    """Whether a right-PIN check of this unit came from `place` by `channel` today (SMS: the same
    sender, whose number is known only by its hash)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return UnitCheck.objects.filter(
        unit=unit, channel=channel, place=place, pin_ok=True, at__gte=start
    ).exists()


def _batch_context(batch: BatchPage) -> dict:
    return trace_context(batch)


def check_code(
    typed,
    pin=None,
    *,
    channel: str,
    place: str = "",
    counted: bool | Callable[[Unit], bool] = True,
) -> CheckResult:
    """Check what a buyer typed (and the PIN, if any). `counted` (or a function of the unit saying
    it): False when this visitor was already counted for this unit today, then nothing is recorded
    for a right PIN and the answer is the one they had the first time. A wrong PIN is always
    recorded (it counts towards the unit's lock, whoever sends it)."""
    raw = str(typed or "")
    if len(raw) > MAX_TYPED_LENGTH * 2:
        return CheckResult("unknown")
    code = normalise_typed(raw)
    if not code or not CODE_RE.match(code):
        return CheckResult("unknown", code=code)
    if len(code) == SHORT_CODE_LENGTH:
        batch = find_batch_by_short_code(code)
        if batch is None:
            return CheckResult("unknown", code=code)
        context = _batch_context(batch)
        return CheckResult("batch", code=code, batch=batch, verdict=context["verdict"], context=context)
    batch_code = ""
    if len(code) == SHORT_CODE_LENGTH + SERIAL_LENGTH:  # the short code and the serial typed together
        batch_code, code = code[:SHORT_CODE_LENGTH], code[SHORT_CODE_LENGTH:]
    unit = find_unit(code)
    if unit is None or (batch_code and unit.batch.short_code != batch_code):
        return CheckResult("unknown", code=code)
    batch = unit.batch
    context = _batch_context(batch)
    result = CheckResult(
        "unit-no-pin", code=code, batch=batch, unit=unit, verdict=context["verdict"], context=context
    )
    if unit.is_void:
        result.kind = "void"
        return result
    typed_pin = normalise_pin(pin) if pin is not None else ""
    history = unit_history(unit)
    result.times = history["pin_checks"]
    result.first_on = history["first_pin_check"].date() if history["first_pin_check"] else None
    result.context["unit_history"] = history
    if not typed_pin:
        return result
    if is_locked(unit):
        result.kind = "locked"
        return result
    if not (len(typed_pin) == PIN_LENGTH and typed_pin.isdigit() and pin_matches(unit, typed_pin)):
        UnitCheck.objects.create(unit=unit, channel=channel, pin_ok=False, place=place[:16])
        result.kind = "wrong-pin"
        return result
    if callable(counted):
        counted = counted(unit)
    if counted:
        UnitCheck.objects.create(unit=unit, channel=channel, pin_ok=True, place=place[:16])
        before = result.times
        if result.first_on is None:
            result.first_on = timezone.localdate()
    else:
        # This visitor's own check is among them: answer as it was answered then.
        before = max(result.times - 1, 0)
    result.times = before
    result.kind = "unit-first" if before == 0 else "unit-again"
    return result
