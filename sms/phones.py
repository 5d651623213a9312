"""Phone numbers as the gateway and people write them, made one form (+84...), so that one
sender's texts are counted together whatever the gateway sends."""

import re

SEPARATORS = re.compile(r"[\s.\-()/]")
PHONE = re.compile(r"^\+?[0-9]{3,20}$")


def normalise_phone(value) -> str:
    """ "+84 912 345 678", "0084912345678", "84912345678" and "0912345678" are all "+84912345678";
    other countries' numbers keep their "+". Returns "" for what is not a phone number."""
    if not isinstance(value, str):
        return ""
    phone = SEPARATORS.sub("", value.strip())
    if not PHONE.match(phone):
        return ""
    if phone.startswith("+"):
        return phone
    if phone.startswith("00"):
        return "+" + phone[2:]
    if phone.startswith("0"):
        return "+84" + phone[1:]
    if phone.startswith("84") and len(phone) >= 11:
        return "+" + phone
    return phone
