"""The commune's numbers against its resolution (/commune/) and the officer's reports: reads
only, each in one or two queries whatever the amount of data.

What "a household that asked" is: an application names its member households (Form 01); one
that names none (a household asking for itself) counts as one household, the applicant's. A
household named in two applications counts twice: applications carry no identity that would
tell two "Lò Văn Páo" of one village apart, and counting them once by name would hide real
households. Personal data never leaves these functions: only counts, areas and codes."""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from applications.models import OPEN_STATUSES, Application, ApplicationStatus
from growers.models import EXPIRED, GrowingArea, GrowingAreaStatus, Household, Season
from orders.models import Order, PaymentMethod
from products.models import ProductPage
from traceability.models import CheckChannel, ScanDay, UnitCheck
from traceability.yields import usages_to_watch

ZERO = Decimal("0")

# The marketplace feeds (Google Merchant Center, Meta catalogues) that list the products
# elsewhere do not exist yet (issue 20 builds them); the page says "not yet" while this is empty.
MARKETPLACE_FEEDS: tuple[str, ...] = ()


# Households that asked for a code ----------------------------------------------------------


@dataclass
class Asking:
    """Applications and the households they name, by where they stand now."""

    applications: int = 0
    households: int = 0
    granted_applications: int = 0
    granted_households: int = 0
    refused_households: int = 0
    waiting_households: int = 0

    @property
    def granted_share(self) -> float | None:
        """Households granted a code out of every household that asked (the resolution counts
        the asking: a household still waiting is not yet served, a refused one was not)."""
        return self.granted_households / self.households if self.households else None


def households_named(listed: int) -> int:
    """The households one application stands for: those it lists, or the applicant's own."""
    return max(1, listed)


def asking() -> Asking:
    """Every application ever received (the target counts everyone who asked), in one query."""
    found = Asking()
    rows = Application.objects.annotate(listed=Count("households")).values_list("status", "listed")
    for status, listed in rows:
        households = households_named(listed)
        found.applications += 1
        found.households += households
        if status == ApplicationStatus.GRANTED:
            found.granted_applications += 1
            found.granted_households += households
        elif status == ApplicationStatus.REFUSED:
            found.refused_households += households
        else:
            found.waiting_households += households
    return found


# Signature products online -----------------------------------------------------------------


def products_online() -> int:
    """Products published on this site: live product pages, a product translated into other
    languages counted once (its pages share a translation key)."""
    return ProductPage.objects.live().values("translation_key").distinct().count()


# Orders paid cashless ----------------------------------------------------------------------


@dataclass
class Payments:
    """Orders placed on this site and paid, by how they were paid. Every method the site offers
    is cashless (a bank transfer by VietQR, or a card), so the share is 100% by construction;
    the commune's cash market and sales made elsewhere are not counted."""

    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def paid(self) -> int:
        return sum(self.by_method.values())

    @property
    def cashless(self) -> int:
        return sum(count for method, count in self.by_method.items() if method in PaymentMethod.values)

    @property
    def cashless_share(self) -> float | None:
        return self.cashless / self.paid if self.paid else None


def payments() -> Payments:
    """Orders with a payment received (paid_at set, refunded ones included: they were paid)."""
    rows = (
        Order.objects.filter(paid_at__isnull=False)
        .values_list("payment_method")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_method = dict.fromkeys(PaymentMethod.values, 0)
    by_method.update(dict(rows))
    return Payments(by_method)


# Scans and checks this month ---------------------------------------------------------------


@dataclass
class Looks:
    month: datetime.date
    scans: int = 0
    checks_by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def checks(self) -> int:
        return sum(self.checks_by_channel.values())


def month_bounds(first_day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the month of `first_day` and of the next, in the site's time zone."""
    following = (first_day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.datetime.combine(first_day.replace(day=1), datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(following, datetime.time.min)),
    )


def looks_this_month(today: datetime.date | None = None) -> Looks:
    """People who opened a trace page this calendar month (each browser once a day per batch,
    link previews and crawlers not at all: traceability/visitors.py), and the units checked
    by QR, on the web or by SMS (each counted look, UnitCheck)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    start, end = month_bounds(first)
    scans = ScanDay.objects.filter(day__gte=first, day__lte=today).aggregate(total=Sum("count"))["total"]
    rows = (
        UnitCheck.objects.filter(at__gte=start, at__lt=end)
        .values_list("channel")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_channel = dict.fromkeys(CheckChannel.values, 0)
    by_channel.update(dict(rows))
    return Looks(first, scans or 0, by_channel)


# The progress page's numbers -------------------------------------------------------------------


def progress(today: datetime.date | None = None) -> dict:
    """Every number of /commune/, as plain values (kept in the cache as they are)."""
    today = today or timezone.localdate()
    asked = asking()
    paid = payments()
    looks = looks_this_month(today)
    return {
        "as_of": timezone.now(),
        "asking": asked,
        "products_online": products_online(),
        "feeds": list(MARKETPLACE_FEEDS),
        "payments": paid,
        "looks": looks,
    }


# The officer's reports -----------------------------------------------------------------------


@dataclass
class Period:
    """A calendar month: its first day, and the moment it ends (exclusive)."""

    first_day: datetime.date

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return month_bounds(self.first_day)

    @property
    def last_day(self) -> datetime.date:
        return self.bounds[1].date() - datetime.timedelta(days=1)

    @classmethod
    def last_full_month(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls((today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1))

    def __str__(self):
        return f"{self.first_day:%m/%Y}"


@dataclass
class Codes:
    """Every registered code by the status a buyer sees on the report's last day (expired once
    valid_until has passed), and the active ones by crop and village, with their areas."""

    by_status: dict[str, int]
    by_crop: list[tuple[str, int, Decimal]]
    by_village: list[tuple[str, int, Decimal]]
    total: int
    active: int
    active_hectares: Decimal
    households_covered: int


def effective_status_on(status: str, valid_until: datetime.date, day: datetime.date) -> str:
    if status != GrowingAreaStatus.ACTIVE:
        return status
    return EXPIRED if valid_until < day else GrowingAreaStatus.ACTIVE


def codes(day: datetime.date) -> Codes:
    """Codes issued by `day`, in two queries (the codes, the households of the active ones).
    A code's status is today's stored one (suspension and revocation), expiry as on `day`."""
    rows = list(
        GrowingArea.objects.filter(issued_on__lte=day).values_list(
            "pk", "status", "valid_until", "crop_name", "village", "area_hectares"
        )
    )
    by_status = dict.fromkeys((GrowingAreaStatus.ACTIVE, EXPIRED, *GrowingAreaStatus.values), 0)
    crops: dict[str, list] = {}
    villages: dict[str, list] = {}
    active_ids = []
    for pk, status, valid_until, crop, village, hectares in rows:
        effective = effective_status_on(status, valid_until, day)
        by_status[effective] += 1
        if effective != GrowingAreaStatus.ACTIVE:
            continue
        active_ids.append(pk)
        for groups, key in ((crops, crop.strip() or "—"), (villages, village.strip() or "—")):
            entry = groups.setdefault(key, [0, ZERO])
            entry[0] += 1
            entry[1] += hectares or ZERO
    households = Household.objects.filter(area_id__in=active_ids).count() if active_ids else 0
    return Codes(
        by_status=by_status,
        by_crop=sorted(((name, n, ha) for name, (n, ha) in crops.items()), key=lambda row: (-row[2], row[0])),
        by_village=sorted(
            ((name, n, ha) for name, (n, ha) in villages.items()), key=lambda row: (-row[2], row[0])
        ),
        total=len(rows),
        active=len(active_ids),
        active_hectares=sum((hectares for _count, hectares in crops.values()), ZERO),
        households_covered=households,
    )


@dataclass
class Applications:
    """Applications in the period: received in it; decided in it (granted, refused), with the
    days each waited from received to decided; waiting at its end (received before the end and
    not decided by then, whatever happened after), with how long each had waited by then."""

    received: int
    received_households: int
    granted: int
    granted_households: int
    refused: int
    waited_days: list[int]
    waiting: int
    waiting_households: int
    waiting_ages: list[int]

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waited_days) if self.waited_days else None

    @property
    def longest_wait(self) -> int | None:
        return max(self.waited_days, default=None)

    @property
    def oldest_waiting(self) -> int | None:
        return max(self.waiting_ages, default=None)

    @property
    def median_waiting_age(self) -> float | None:
        return statistics.median(self.waiting_ages) if self.waiting_ages else None


def days_between(earlier: datetime.datetime, later: datetime.datetime) -> int:
    return (timezone.localdate(later) - timezone.localdate(earlier)).days


def applications(period: Period, now: datetime.datetime | None = None) -> Applications:
    """One query: the applications received before the period's end."""
    start, end = period.bounds
    now = now or timezone.now()
    cut = min(end, now)
    rows = (
        Application.objects.filter(received_at__lt=end)
        .annotate(listed=Count("households"))
        .values_list("status", "received_at", "decided_at", "listed")
    )
    found = Applications(0, 0, 0, 0, 0, [], 0, 0, [])
    for status, received_at, decided_at, listed in rows:
        households = households_named(listed)
        if received_at >= start:
            found.received += 1
            found.received_households += households
        decided_in_period = decided_at is not None and start <= decided_at < end
        if decided_in_period and status in (ApplicationStatus.GRANTED, ApplicationStatus.REFUSED):
            found.waited_days.append(days_between(received_at, decided_at))
            if status == ApplicationStatus.GRANTED:
                found.granted += 1
                found.granted_households += households
            else:
                found.refused += 1
        open_now = decided_at is None and status in OPEN_STATUSES
        if open_now or (decided_at is not None and decided_at >= end):
            found.waiting += 1
            found.waiting_households += households
            found.waiting_ages.append(days_between(received_at, cut))
    return found


@dataclass
class Seasons:
    """Seasons declared (their start declaration made) in the period; active codes on the
    period's last day with no season overlapping the period's calendar year (missing); seasons
    ended by then whose actual yield was not declared."""

    declared: int
    year: int
    missing_codes: list[str]
    awaiting_actual: list[str]


def seasons(period: Period) -> Seasons:
    start, end = period.bounds
    day = period.last_day
    year_start, year_end = datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    declared = Season.objects.filter(declared_at__gte=start, declared_at__lt=end).count()
    missing = list(
        GrowingArea.objects.filter(status=GrowingAreaStatus.ACTIVE, issued_on__lte=day, valid_until__gte=day)
        .exclude(seasons__starts_on__lte=year_end, seasons__ends_on__gte=year_start)
        .order_by("code")
        .values_list("code", flat=True)
    )
    awaiting = [
        f"{code} {starts_on:%d/%m/%Y}–{ends_on:%d/%m/%Y}"
        for code, starts_on, ends_on in Season.objects.filter(ends_on__lte=day, actual_yield_kg__isnull=True)
        .order_by("growing_area__code", "starts_on")
        .values_list("growing_area__code", "starts_on", "ends_on")
    ]
    return Seasons(declared, day.year, missing, awaiting)


@dataclass
class OverYield:
    code: str
    starts_on: datetime.date
    ends_on: datetime.date
    used_kg: Decimal
    limit_kg: Decimal
    basis: str


def over_yield(day: datetime.date) -> list[OverYield]:
    """Codes whose published batches passed their season's limit (traceability/yields.py),
    in the seasons current or ended within a year of `day`."""
    return [
        OverYield(found.area.code, found.starts_on, found.ends_on, found.used_kg, found.limit_kg, found.basis)
        for found in usages_to_watch(day)
        if found.is_over
    ]


@dataclass
class Report:
    period: Period
    made_at: datetime.datetime
    codes: Codes
    applications: Applications
    seasons: Seasons
    over_yield: list[OverYield]


def report(period: Period) -> Report:
    """The officer's monthly report: the register as on the period's last day (or today, for
    the month under way), and what happened in the period."""
    day = min(period.last_day, timezone.localdate())
    return Report(
        period=period,
        made_at=timezone.now(),
        codes=codes(day),
        applications=applications(period),
        seasons=seasons(period),
        over_yield=over_yield(day),
    )
