"""Serials and secret PINs of serialised units (DESIGN §2 "Copied labels and SMS checks").

A serial is random (its neighbours tell nothing), typed by people from a label: the short code's
look-alike-free alphabet, one character longer than a short code so the two never read alike.
The PIN is six digits derived from the unit's random seed and the site's secret key, so printing
the same units again prints the same PINs; only a keyed hash of it is stored, to check a typed
one. Neither a PIN nor its seed is ever shown, logged or sent anywhere but onto the label."""

import hmac
import secrets

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


def pin_for(seed: str) -> str:
    """The unit's PIN: the same for the same seed (and secret key), six digits."""
    digest = salted_hmac(_PIN_SALT, seed, algorithm="sha256").digest()
    return str(int.from_bytes(digest[:8], "big") % 10**PIN_LENGTH).zfill(PIN_LENGTH)


def pin_hash(serial: str, pin: str) -> str:
    return salted_hmac(_PIN_HASH_SALT, f"{serial}:{pin}", algorithm="sha256").hexdigest()


def pin_matches(unit, typed_pin: str) -> bool:
    """Whether `typed_pin` (digits only, as normalised) is the unit's PIN; in constant time."""
    return hmac.compare_digest(unit.pin_hash, pin_hash(unit.serial, typed_pin))


def seed_still_prints_pin(unit) -> bool:
    """False when the secret key changed since the unit was made: its PIN can then no longer be
    printed again (it would not match the stored hash); void the unit and make a new one."""
    return pin_matches(unit, pin_for(unit.pin_seed))
