"""Identifiers a package carries: the GS1 lot (AI 10) and the site's short trace code."""

import re
import secrets

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# GS1 General Specifications, AI (10): up to 20 characters of the "CSET 82" set.
LOT_PATTERN = r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$"
lot_validator = RegexValidator(
    LOT_PATTERN,
    _("A lot is 1 to 20 characters: letters, digits and !\"%%&'()*+,-./:;<=>?_ (no spaces, no diacritics)."),
)

# No look-alikes on a smudged label or a small screen: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
SHORT_CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
SHORT_CODE_LENGTH = 8  # 23**8 ≈ 78 billion: neighbours tell nothing, guessing finds nothing
SHORT_CODE_RE = re.compile(rf"^[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}$")


def new_short_code() -> str:
    """Random, not sequential: one batch's code says nothing about the next one's."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def normalise_short_code(value: str) -> str:
    """What a buyer typed or scanned, as stored: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(value or "")).upper()
