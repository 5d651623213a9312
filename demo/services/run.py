"""What one run of `seed_demo` has done so far, for the steps that follow and for its report."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class SeedRun:
    changes: list[str] = field(default_factory=list)
    # Codes and clips made in this run: only these are attached to pages seeded by an earlier run
    # (an editor may have removed the others on purpose).
    new_area_codes: set[str] = field(default_factory=set)
    new_voice_ids: set[int] = field(default_factory=set)
    # Every demo batch, new or not, for the report's list of trace pages.
    batches: list = field(default_factory=list)
    # Set by the first steps: the users that own and publish what follows, and the categories.
    admin: object = None
    officer: object = None
    categories: dict = field(default_factory=dict)

    def changed(self, description: str) -> None:
        self.changes.append(description)


def in_years(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + years, day=min(today.day, 28))


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
