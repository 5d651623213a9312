"""What orders limits per client (website/ratelimit.py): checkouts, payment webhooks, and the
order confirmations a stranger can make the site send (RATE_LIMITS may override each)."""

import re

from website.ratelimit import LANGUAGE_PREFIX, Rule, register_rules


def register() -> None:
    register_rules(
        Rule("checkout", ("POST",), re.compile(LANGUAGE_PREFIX + r"checkout/$")),
        Rule("webhook", ("POST",), re.compile(r"^/webhooks/")),
        limits={
            "checkout": (20, 60),
            "webhook": (300, 60),
            "order_mail_recipient": (5, 24 * 3600),  # order confirmations to one address a day
            "order_mail_client": (10, 3600),  # order confirmations one client asks for in an hour
        },
    )
