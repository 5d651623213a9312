"""Texts as one SMS carries them: GSM-7 without its extension table, which is plain ASCII less a
few signs. Vietnamese diacritics are folded ("Đúng nguồn gốc" -> "Dung nguon goc"): many basic
phones show accented text as boxes, and a text with any character outside GSM-7 is sent as UCS-2,
70 characters to an SMS instead of 160."""

import re

from anyascii import anyascii

SMS_LENGTH = 160
# The ASCII signs GSM-7 has only in its extension table (each costs two of the 160 characters)
# or not at all (the backtick), and what stands for them.
OUTSIDE_GSM7 = str.maketrans(
    {"`": "'", "[": "(", "]": ")", "{": "(", "}": ")", "\\": "/", "|": "/", "~": "-", "^": ""}
)
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
SPACES = re.compile(r"[ ]{2,}")


def to_sms_text(text: str) -> str:
    """The text in the characters one SMS carries: diacritics folded to plain letters (đ -> d),
    other scripts transliterated, signs outside GSM-7 replaced, tabs and control characters turned
    to spaces, runs of spaces made one. Line breaks stay (GSM-7 has them)."""
    folded = anyascii(str(text).replace("\r\n", "\n").replace("\r", "\n"))
    folded = CONTROL.sub(" ", folded).translate(OUTSIDE_GSM7)
    return "\n".join(SPACES.sub(" ", line).strip() for line in folded.split("\n")).strip()


def fit(text: str, limit: int = SMS_LENGTH) -> str:
    """to_sms_text, cut to `limit` characters (ending in "..." when cut, at a word's end where
    one is near)."""
    text = to_sms_text(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 3]
    if " " in cut[-20:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "..."


def is_sms_text(text: str, limit: int = SMS_LENGTH) -> bool:
    """Whether the text fits one SMS in GSM-7's basic characters."""
    return (
        len(text) <= limit and text == to_sms_text(text) and all(" " <= c <= "~" or c == "\n" for c in text)
    )
