"""Growing-area codes (mã số vùng trồng): an opaque identifier issued by the provincial
plant-protection sub-department. No official pattern exists for domestic codes, so the
accepted shape is a deployment setting (GROWING_AREA_CODE_PATTERN)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_CODE_PATTERN = r"^[A-Z][A-Z0-9.\-]{2,31}$"

# Words a code may not be: /growing-areas/<word>/ is taken by a page of the site (the public
# application form is /growing-areas/apply/), so a code spelled so would never be reached.
RESERVED_CODES = frozenset({"APPLY"})

# Mainland Vietnam with its islands (Hoàng Sa, Trường Sa): south, north, west, east.
VIETNAM_BOUNDS = {"min_lat": 7.0, "max_lat": 23.5, "min_lon": 102.0, "max_lon": 117.5}


def code_pattern() -> re.Pattern:
    return re.compile(getattr(settings, "GROWING_AREA_CODE_PATTERN", DEFAULT_CODE_PATTERN))


def normalise_code(value: str) -> str:
    """Trim, fold inner white space away and upper-case: ' vn-dtor-0017 ' -> 'VN-DTOR-0017'."""
    return "".join(str(value or "").split()).upper()


def lookup_key(value: str) -> str:
    """What a lookup compares: letters and digits only, so 'vn dtor 0017', 'VNDTOR0017' and
    'VN-DTOR-0017' all find the same code."""
    return re.sub(r"[^A-Z0-9]", "", normalise_code(value))


def validate_code(value: str) -> str:
    code = normalise_code(value)
    if not code_pattern().match(code):
        raise ValidationError(
            _(
                "“%(code)s” is not a growing-area code: use 3 to 32 letters, digits, dashes or dots, "
                "starting with a letter (e.g. VN-DTOR-0017)."
            ),
            code="invalid_code",
            params={"code": value},
        )
    if code in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” is a word the site uses in its addresses; it cannot be a growing-area code."),
            code="reserved_code",
            params={"code": value},
        )
    return code


def in_vietnam(latitude: float, longitude: float) -> bool:
    b = VIETNAM_BOUNDS
    return b["min_lat"] <= latitude <= b["max_lat"] and b["min_lon"] <= longitude <= b["max_lon"]
