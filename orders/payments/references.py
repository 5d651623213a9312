"""Payment references (SLL and 9 more) as buyers write them in a transfer's note, and the
banks' own transaction references."""

import re

from ..models import Order

# What new_payment_reference() makes: "SLL" and 9 more. Banks upper- or lower-case transfer
# notes, add their own prefixes ("MBVCB.123.", "CT DEN:..."), and some cut the note into pieces
# with spaces or dashes, so the note is squeezed to its letters and digits before searching.
REFERENCE_PREFIX = "SLL"
REFERENCE_LENGTH = 12
_NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]")


def normalise_bank_reference(reference: str) -> str:
    """A bank's transaction reference as typed by a person or sent by the bank: no spaces,
    upper case ("ft 2312 3456" and "FT23123456" are the same transfer)."""
    return "".join(str(reference).split()).upper()


def reference_candidates(description: str) -> list[str]:
    """Every 12-character window starting with SLL in the squeezed, upper-cased note."""
    squeezed = _NOT_ALPHANUMERIC.sub("", (description or "").upper())
    candidates = []
    start = squeezed.find(REFERENCE_PREFIX)
    while start != -1:
        candidate = squeezed[start : start + REFERENCE_LENGTH]
        if len(candidate) == REFERENCE_LENGTH and candidate not in candidates:
            candidates.append(candidate)
        start = squeezed.find(REFERENCE_PREFIX, start + 1)
    return candidates


def find_order_for_description(description: str) -> Order | None:
    """The one order whose payment reference is in the note; None when there is none, or when
    the note names more than one order (a person must look at it)."""
    candidates = reference_candidates(description)
    if not candidates:
        return None
    orders = list(Order.objects.filter(payment_reference__in=candidates)[:2])
    return orders[0] if len(orders) == 1 else None
