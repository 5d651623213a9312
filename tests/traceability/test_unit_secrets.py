"""A unit's serial and secret PIN (traceability/units.py): what the label printer and the checks
rely on."""

import re

from django.test import override_settings

from traceability import units
from traceability.codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH


class Unit:
    """As the model holds it: the serial and the keyed hash of the PIN, never the PIN."""

    def __init__(self, serial, seed):
        self.serial = serial
        self.pin_seed = seed
        self.pin_hash = units.pin_hash(serial, units.pin_for(seed))


def test_serials_are_typable_and_never_read_as_a_short_code():
    serials = {units.new_serial() for _ in range(500)}
    assert len(serials) == 500  # random, not a sequence
    for serial in serials:
        assert re.fullmatch(f"[{SHORT_CODE_ALPHABET}]+", serial)
        assert len(serial) == SHORT_CODE_LENGTH + 1


def test_the_same_unit_prints_the_same_pin_and_a_typed_pin_is_checked():
    seed = units.new_pin_seed()
    unit = Unit(units.new_serial(), seed)
    pin = units.pin_for(seed)
    assert re.fullmatch(r"\d{6}", pin)
    assert units.pin_for(seed) == pin
    assert units.pin_matches(unit, pin)
    assert not units.pin_matches(unit, str((int(pin) + 1) % 10**6).zfill(6))
    assert pin not in unit.pin_hash and unit.pin_seed != pin


def test_pins_of_neighbouring_units_tell_nothing():
    pins = {units.pin_for(units.new_pin_seed()) for _ in range(300)}
    assert len(pins) > 280


def test_a_new_secret_key_cannot_print_old_pins_again_and_says_so():
    unit = Unit(units.new_serial(), units.new_pin_seed())
    assert units.seed_still_prints_pin(unit)
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        assert not units.seed_still_prints_pin(unit)


def test_a_key_rotation_keeps_old_units_checkable_and_printable_while_the_old_key_is_a_fallback():
    seed = units.new_pin_seed()
    unit = Unit(units.new_serial(), seed)
    pin = units.pin_for(seed)
    with override_settings(
        SECRET_KEY="another-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[_current_key()]
    ):
        assert units.pin_matches(unit, pin)
        assert units.printable_pin(unit) == pin


def _current_key():
    from django.conf import settings

    return settings.SECRET_KEY
