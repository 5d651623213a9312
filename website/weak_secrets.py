"""What makes a secret guessable: shared by the production settings (which refuse a weak
SECRET_KEY) and the deploy checks (which warn about a weak BANK_WEBHOOK_SECRET, chosen by the bank)."""

import re

# Words of the placeholders that templates and tutorials ship; a random key never holds them.
PLACEHOLDER_WORDS = ("changeme", "changethis", "insecure", "placeholder", "example", "secretkey")
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(64))'"


def guessable(secret: str, min_length: int) -> bool:
    """Short, few distinct characters (Django's own check asks for 5; a random key of this length
    has far more than 10, even in hexadecimal), one pattern repeated, or a placeholder."""
    lowered = secret.lower()
    return (
        len(secret) < min_length
        or len(set(secret)) < 10
        or secret in (secret + secret)[1:-1]  # "abcabc...": a shorter string repeated
        or lowered.startswith("django-insecure")
        or any(word in re.sub(r"[\s_-]", "", lowered) for word in PLACEHOLDER_WORDS)
    )
