"""Application numbers: "2026-0007", the year received and the application's place in that
year. Short and all digits, so it can be read out on the phone and typed on a basic keypad."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

NUMBER = re.compile(r"^(\d{4})-?(\d{1,6})$")


def next_number(year: int) -> str:
    """The next free number of `year` (the caller saves it; `assign_number` retries a clash)."""
    from .models import Application

    prefix = f"{year}-"
    numbers = Application.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(number[len(prefix) :]) for number in numbers), default=0)
    return f"{prefix}{last + 1:04d}"


def save_with_number(application, attempts: int = 5) -> None:
    """Save a new application under the next free number of the current year; two applications
    received at once get two numbers (the unique number decides, the loser takes the next)."""
    year = timezone.localdate().year
    for attempt in range(attempts):
        application.number = next_number(year)
        try:
            with transaction.atomic():
                application.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def normalise_number(typed: str) -> str:
    """What people type ("2026 7", "2026-0007", "20260007") as the stored form, or ""."""
    digits = re.sub(r"[\s.\-_/]", "-", (typed or "").strip())
    compact = digits.replace("-", "")
    match = NUMBER.match(digits)
    if match is None and len(compact) > 4:
        match = NUMBER.match(f"{compact[:4]}-{compact[4:]}")
    if not match:
        return ""
    return f"{match.group(1)}-{int(match.group(2)):04d}"
