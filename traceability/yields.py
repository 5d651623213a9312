"""Borrowed codes (DESIGN §2): the kilograms of published batches citing a growing-area code in
one of its seasons, against what that season can give.

The limit of a season is the expected yield its holder declared, or, when none was declared,
its area times the crop's typical yield per hectare (growers/crops.py, TYPICAL_YIELD_KG_PER_HA).
A batch harvested on a day no declared season of the code covers counts in that calendar year,
whose limit is the code's registered area times the typical yield. A batch citing several codes
is attributed to them in proportion to their registered areas, so a batch of 1,000 kg from a
3 ha and a 1 ha code counts 750 kg and 250 kg.

A batch belongs to a season by its first harvest day; `link_seasons` stores that link on the
batch (BatchPage.seasons) when it is published, and the counts below follow the same rule from
the dates, so a season declared after its batches were published still counts them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from growers.crops import crop_for, typical_kg_per_ha
from growers.models import GrowingArea, Season

from .models import BatchPage

DECLARED = "declared"
TYPICAL = "typical"
ZERO = Decimal("0")


def kg_text(value) -> str:
    """1234.50 → "1234.5", 600.00 → "600": kilograms as a person writes them."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class SeasonUsage:
    """One code in one season (or, with `season` None, one calendar year without a season)."""

    area: GrowingArea
    season: Season | None
    starts_on: datetime.date
    ends_on: datetime.date
    limit_kg: Decimal | None  # None: nothing to compare with (no declared yield, crop unknown)
    basis: str  # DECLARED or TYPICAL
    used_kg: Decimal

    @property
    def share(self) -> float | None:
        if not self.limit_kg:
            return None
        return float(self.used_kg / self.limit_kg)

    @property
    def is_over(self) -> bool:
        return self.limit_kg is not None and self.used_kg > self.limit_kg

    @property
    def is_near(self) -> bool:
        """At or above YIELD_NEAR_LIMIT_SHARE of the limit, and not over it."""
        share = self.share
        return share is not None and not self.is_over and share >= settings.YIELD_NEAR_LIMIT_SHARE

    @property
    def remaining_kg(self) -> Decimal | None:
        return None if self.limit_kg is None else self.limit_kg - self.used_kg


def season_on(area: GrowingArea, day: datetime.date) -> Season | None:
    """The declared season of `area` that covers `day`, if any (seasons do not overlap)."""
    return area.seasons.covering(day).first()


def window_of(area: GrowingArea, day: datetime.date) -> tuple[Season | None, datetime.date, datetime.date]:
    """The season a batch harvested on `day` counts in: a declared one, or the calendar year."""
    season = season_on(area, day)
    if season is not None:
        return season, season.starts_on, season.ends_on
    return None, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def limit_of(area: GrowingArea, season: Season | None) -> tuple[Decimal | None, str]:
    """(kilograms, basis): the declared expected yield, else area × typical yield."""
    if season is not None and season.expected_yield_kg is not None:
        return season.expected_yield_kg, DECLARED
    crop = crop_for(season.crop if season is not None else area.crop_name) or crop_for(area.crop_name)
    per_hectare = typical_kg_per_ha(crop)
    if per_hectare is None:
        return None, TYPICAL
    hectares = season.area_hectares if season is not None else area.area_hectares
    return (hectares * per_hectare).quantize(Decimal("0.01")), TYPICAL


def attributed_kg(
    batch: BatchPage, area_id, areas: Iterable[GrowingArea] | None = None, quantity=None
) -> Decimal:
    """The kilograms of `batch` counted against one of its codes: its quantity split across the
    codes it cites in proportion to their registered areas (evenly if none has an area)."""
    cited = list(areas if areas is not None else batch.growing_areas.all())
    quantity = batch.quantity_kg if quantity is None else quantity
    if not cited or quantity is None:
        return ZERO
    total = sum((area.area_hectares or ZERO for area in cited), ZERO)
    if total <= 0:
        return (Decimal(quantity) / len(cited)).quantize(Decimal("0.01"))
    mine = next((area.area_hectares or ZERO for area in cited if area.pk == area_id), ZERO)
    return (Decimal(quantity) * mine / total).quantize(Decimal("0.01"))


def usage(area: GrowingArea, day: datetime.date, *, exclude_batch=None) -> SeasonUsage:
    """How much of the season covering `day` is used by published batches citing `area`
    (`exclude_batch`: a batch being edited, whose published kilograms it replaces)."""
    season, starts_on, ends_on = window_of(area, day)
    batches = (
        BatchPage.objects.live()
        .filter(growing_areas=area, harvest_start__gte=starts_on, harvest_start__lte=ends_on)
        .prefetch_related("growing_areas")
    )
    if exclude_batch is not None:
        batches = batches.exclude(translation_key=exclude_batch.translation_key)
    if season is None:
        # The calendar year holds only what no declared season covers.
        seasons = list(area.seasons.all())
        batches = [
            batch
            for batch in batches
            if not any(s.starts_on <= batch.harvest_start <= s.ends_on for s in seasons)
        ]
    used = sum((attributed_kg(batch, area.pk) for batch in batches), ZERO)
    limit, basis = limit_of(area, season)
    return SeasonUsage(area, season, starts_on, ends_on, limit, basis, used)


@dataclass
class Overage:
    """What one code would reach with a batch added: its usage before, and this batch's share."""

    before: SeasonUsage
    this_batch_kg: Decimal

    @property
    def total_kg(self) -> Decimal:
        return self.before.used_kg + self.this_batch_kg

    @property
    def is_over(self) -> bool:
        return self.before.limit_kg is not None and self.total_kg > self.before.limit_kg


def overages(batch: BatchPage, *, areas: Iterable[GrowingArea], quantity_kg, harvest_day) -> list[Overage]:
    """The codes that `batch`, with these codes, quantity and first harvest day, would put over
    their season's limit (at the limit exactly is within it)."""
    areas = list(areas)
    found = []
    for area in areas:
        before = usage(area, harvest_day, exclude_batch=batch if batch.pk else None)
        added = Overage(before, attributed_kg(batch, area.pk, areas=areas, quantity=quantity_kg))
        if added.is_over:
            found.append(added)
    return found


def link_seasons(batch: BatchPage) -> None:
    """Store the declared season of each cited code that the batch's first harvest day falls in."""
    seasons = [
        season
        for area in batch.growing_areas.all()
        if (season := season_on(area, batch.harvest_start)) is not None
    ]
    batch.seasons.set(seasons)


def usages_to_watch(today: datetime.date | None = None) -> list[SeasonUsage]:
    """Every code's current and last season (declared, or this and last calendar year) that is
    near or over its limit, the worst first: the officer's dashboard and the reports.

    The same counts as `usage`, from three queries whatever the number of codes: the codes with
    their seasons, and the published batches of the period with the codes they cite."""
    from collections import defaultdict

    from django.db.models import Prefetch
    from django.utils import timezone

    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    areas = list(
        GrowingArea.objects.prefetch_related(
            Prefetch("seasons", queryset=Season.objects.order_by("starts_on"))
        ).order_by("code")
    )
    earliest = min(
        [datetime.date(since.year, 1, 1)]
        + [s.starts_on for area in areas for s in area.seasons.all() if s.ends_on >= since]
    )
    batches = list(
        BatchPage.objects.live()
        .filter(harvest_start__gte=earliest)
        .only("pk", "quantity_kg", "harvest_start")
        .prefetch_related(Prefetch("growing_areas", queryset=GrowingArea.objects.only("pk", "area_hectares")))
    )
    by_area = defaultdict(list)
    for batch in batches:
        for cited in batch.growing_areas.all():
            by_area[cited.pk].append(batch)

    watched = []
    for area in areas:
        seasons = list(area.seasons.all())
        cited_in = by_area.get(area.pk, [])

        def covering(day, seasons=seasons):
            return next((s for s in seasons if s.starts_on <= day <= s.ends_on), None)

        windows = {}
        for season in seasons:
            if season.ends_on >= since:
                windows[season.pk] = (season, season.starts_on, season.ends_on)
        for batch in cited_in:
            if batch.harvest_start >= since and covering(batch.harvest_start) is None:
                year = batch.harvest_start.year
                windows[("year", year)] = (None, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        for season, starts_on, ends_on in windows.values():
            counted = [
                batch
                for batch in cited_in
                if starts_on <= batch.harvest_start <= ends_on
                and (season is not None or covering(batch.harvest_start) is None)
            ]
            used = sum((attributed_kg(batch, area.pk) for batch in counted), ZERO)
            limit, basis = limit_of(area, season)
            found = SeasonUsage(area, season, starts_on, ends_on, limit, basis, used)
            if found.is_over or found.is_near:
                watched.append(found)
    return sorted(watched, key=lambda found: -(found.share or 0))
