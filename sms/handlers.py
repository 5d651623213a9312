"""Keyword handlers: an app above registers what answers the texts that start with its keyword,
e.g. traceability's `SLL <code> [<PIN>]` from its AppConfig.ready:

    from sms.handlers import register
    register(settings.SMS_KEYWORD, lambda request: answer(request.words, ...))

A handler gets an SmsRequest and returns the reply; the reply is folded to plain ASCII and cut
to one SMS (160 characters) by the webhook whatever the handler returns. A handler that raises is
logged and the sender gets a short apology.

A keyword whose texts carry a secret (traceability's PIN) registers a `mask` too: given the words
after the keyword, it returns them with the secret ones hidden, and that is the text stored (and
shown to officers); the handler still gets the text as received."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .text import to_sms_text


@dataclass(frozen=True)
class SmsRequest:
    message_id: str
    sender: str  # the phone number, normalised (+84...)
    words: list[str]  # the words after the keyword, as typed but with diacritics folded
    text: str  # the text as received
    language: str = "vi"  # the sender's language where known (sms.services.sender_language)


Handler = Callable[[SmsRequest], str]
Mask = Callable[[list[str]], list[str]]

# keyword -> (handler, mask or None)
_handlers: dict[str, tuple[Handler, Mask | None]] = {}

# Between words: spaces and line breaks, and the commas, semicolons and colons people type after a
# keyword ("SLL: ABC"). Dashes and dots stay inside a word (codes may carry them).
SEPARATORS = re.compile(r"[\s,;:]+")


def normalise_keyword(keyword: str) -> str:
    return to_sms_text(keyword).strip().upper()


def register(keyword: str, handler: Handler, *, mask: Mask | None = None) -> None:
    """Answer texts starting with `keyword` (case and diacritics forgiven) with `handler`; store
    them with the words `mask` hides (see above). Registering a keyword again replaces both."""
    _handlers[normalise_keyword(keyword)] = (handler, mask)


def unregister(keyword: str) -> None:
    _handlers.pop(normalise_keyword(keyword), None)


def split_words(text: str) -> list[str]:
    return [word for word in SEPARATORS.split(to_sms_text(text)) if word]


def find(text: str) -> tuple[Handler | None, str, list[str]]:
    """The handler for a text, its keyword and the words after it; (None, "", words) when the text
    starts with no registered keyword."""
    words = split_words(text)
    if words:
        keyword = words[0].upper()
        if keyword in _handlers:
            return _handlers[keyword][0], keyword, words[1:]
    return None, "", words


def masked(text: str) -> str:
    """The text as it is stored: for a keyword registered with a mask, the keyword and the words
    after it with the secret ones hidden; any other text as received."""
    words = split_words(text)
    if words and (registered := _handlers.get(words[0].upper())) and registered[1] is not None:
        return " ".join([words[0], *registered[1](words[1:])])
    return text
