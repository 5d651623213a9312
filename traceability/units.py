"""Serials and secret PINs of serialised units (DESIGN §2 "Copied labels and SMS checks").

A serial is random (its neighbours tell nothing), typed by people from a label: the short code's
look-alike-free alphabet, one character longer than a short code so the two never read alike.
The PIN is six digits derived from the unit's random seed and the site's secret key, so printing
the same units again prints the same PINs; only a keyed hash of it is stored, to check a typed
one. Neither a PIN nor its seed is ever shown, logged or sent anywhere but onto the label."""

import hmac
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

from .codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH

SERIAL_LENGTH = SHORT_CODE_LENGTH + 1
PIN_LENGTH = 6
_PIN_SALT = "traceability.units.pin"
_PIN_HASH_SALT = "traceability.units.pin-hash"


def new_serial() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SERIAL_LENGTH))


def new_pin_seed() -> str:
    return secrets.token_hex(16)


def _keys() -> list[str]:
    # The current secret key first, then the fallbacks of a key rotation (Django's own order).
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def pin_for(seed: str, *, secret: str | None = None) -> str:
    """The unit's PIN: the same for the same seed (and secret key), six digits."""
    digest = salted_hmac(_PIN_SALT, seed, secret=secret, algorithm="sha256").digest()
    return str(int.from_bytes(digest[:8], "big") % 10**PIN_LENGTH).zfill(PIN_LENGTH)


def pin_hash(serial: str, pin: str, *, secret: str | None = None) -> str:
    return salted_hmac(_PIN_HASH_SALT, f"{serial}:{pin}", secret=secret, algorithm="sha256").hexdigest()


def pin_matches(unit, typed_pin: str) -> bool:
    """Whether `typed_pin` (digits only, as normalised) is the unit's PIN, in constant time; a
    unit made before a key rotation still checks while its key is in SECRET_KEY_FALLBACKS."""
    return any(
        hmac.compare_digest(unit.pin_hash, pin_hash(unit.serial, typed_pin, secret=key)) for key in _keys()
    )


def printable_pin(unit) -> str | None:
    """The unit's PIN to print it again: derived under the key it was made with (the current one or
    a fallback of a rotation), or None when that key is gone; such a unit cannot be printed again
    (void it and make a new one)."""
    for key in _keys():
        pin = pin_for(unit.pin_seed, secret=key)
        if hmac.compare_digest(unit.pin_hash, pin_hash(unit.serial, pin, secret=key)):
            return pin
    return None


def seed_still_prints_pin(unit) -> bool:
    return printable_pin(unit) is not None
