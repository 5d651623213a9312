"""GTIN (GS1 trade item number) rules: GTIN-8, -12, -13 and -14, stored as 14 digits."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(digits_without_check: str) -> int:
    """Weights 3,1,3,1… from the right; check = (10 − sum mod 10) mod 10."""
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(digits_without_check))
    )
    return (10 - total % 10) % 10


def normalise_gtin(value: str) -> str:
    """Return the GTIN as 14 digits, or raise ValidationError saying what is wrong."""
    digits = "".join(str(value).split()).replace("-", "")
    # isdecimal, not isdigit: '²' is a digit to Python but not a number int() can read.
    # Other scripts' decimal digits (a phone keyboard's full-width ８９３) become ASCII.
    if not digits or not digits.isdecimal():
        raise ValidationError(_("A GTIN contains digits only."), code="gtin_digits")
    digits = "".join(str(unicodedata.decimal(digit)) for digit in digits)
    if len(digits) not in GTIN_LENGTHS:
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits; this one has %(count)d."),
            code="gtin_length",
            params={"count": len(digits)},
        )
    expected = gtin_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise ValidationError(
            _("The last digit of this GTIN should be %(expected)d; please check the number."),
            code="gtin_check_digit",
            params={"expected": expected},
        )
    return digits.zfill(14)


def is_valid_gtin(value: str) -> bool:
    try:
        normalise_gtin(value)
    except ValidationError:
        return False
    return True
