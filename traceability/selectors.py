"""Read-side queries for batches: finding a batch from what a package carries, and everything
its trace page shows in a fixed number of queries, whatever the number of events."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Length, Substr, TruncDate
from django.utils import timezone
from django.utils.safestring import mark_safe

from wagtail.models import Page

from growers.models import EXPIRED, CooperativePage, GrowingArea, GrowingAreaIndexPage, GrowingAreaStatus
from growers.registry import area_tag
from products.gtin import normalise_gtin
from products.models import ProductPage, ProductVariant
from products.selectors import availability_tag
from website import page_cache
from website.i18n import active_language, in_language, locale_id, untranslated_language
from website.page_queries import public

from .codes import LOT_PATTERN, SHORT_CODE_RE, normalise_short_code
from .models import BatchPage, CheckChannel, ScanDay, ScanPlace, TraceEvent, Unit

# Wagtail's page tree: each level adds this many characters to `path`.
STEPLEN = BatchPage.steplen
LOT_RE = re.compile(LOT_PATTERN)
# Longer than any code or GS1 URL segment a package carries: refused before any query.
MAX_TYPED_LENGTH = 64


def scan_warning_multiple() -> int:
    """Scans beyond this many times the package count suggest copied labels."""
    return getattr(settings, "TRACE_SCAN_WARNING_MULTIPLE", 3)


def published_batches() -> QuerySet[BatchPage]:
    """Live batches that no view restriction hides, on the batch or on a page above it."""
    return public(BatchPage.objects.live())


def find_batch_by_short_code(typed: str) -> BatchPage | None:
    """The live batch whose short code is what a buyer typed or scanned (any case, dashes and
    spaces ignored); None for anything that cannot be a short code, without a query."""
    if len(typed) > MAX_TYPED_LENGTH:
        return None
    code = normalise_short_code(typed)
    if not SHORT_CODE_RE.match(code):
        return None
    return _one_or_none(published_batches().filter(short_code=code))


def _one_or_none(queryset: QuerySet):
    """The row a query on a unique key finds, or None. get() adds no ORDER BY, as first() does:
    compiling it is a fifth of such a query's cost, and the trace page is made of them."""
    try:
        return queryset.get()
    except queryset.model.DoesNotExist:
        return None


def find_batch_by_gtin_and_lot(gtin: str, lot: str) -> BatchPage | None:
    """The live batch with this lot under the product one of whose variants carries this GTIN
    (GTIN-8, -12, -13 or -14), in one query. None for a malformed GTIN or lot, without a query."""
    if len(gtin) > MAX_TYPED_LENGTH or len(lot) > MAX_TYPED_LENGTH:
        return None
    try:
        gtin14 = normalise_gtin(gtin)
    except ValidationError:
        return None
    # A trailing slash may end the URL or (rarely) the lot itself: try both.
    lots = {candidate for candidate in (lot, lot.removesuffix("/")) if LOT_RE.match(candidate)}
    if not lots:
        return None
    product_paths = ProductVariant.objects.filter(gtin=gtin14).values("page__path")
    return (
        published_batches()
        .alias(parent_path=Substr("path", 1, Length("path") - STEPLEN))
        .filter(lot__in=lots, parent_path__in=product_paths)
        .order_by("-lot", "path")  # the longer lot (with its own slash) first
        .first()
    )


def _event_queryset() -> QuerySet[TraceEvent]:
    return TraceEvent.objects.select_related("photo").prefetch_related("photo__renditions")


def _attach_family(batch: BatchPage) -> tuple[ProductPage | None, CooperativePage | None]:
    """The batch's product (with its active packs and its photo's renditions) and cooperative,
    by tree path: three queries, four with a photo."""
    product = _one_or_none(
        ProductPage.objects.filter(path=batch.path[:-STEPLEN])
        .select_related("image")
        .prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.filter(is_active=True)), "image__renditions"
        )
    )
    cooperative = _one_or_none(CooperativePage.objects.filter(path=batch.path[: -2 * STEPLEN]))
    if product is not None:
        product.cooperative = cooperative  # ProductPage.cooperative is a cached property
        batch.product = product
    return product, cooperative


def cited_areas(batch: BatchPage, cooperative: CooperativePage | None) -> list[GrowingArea]:
    """The codes a batch cites, in code order, each with `registered_elsewhere`: registered to
    another cooperative than the batch's, and not shared with it by the officer (a batch recorded
    before that rule, or changed since). A code whose establishment the register does not name
    is not said to be elsewhere. One query."""
    shared = GrowingArea.shared_with.through.objects.filter(
        growingarea_id=OuterRef("pk"), cooperativepage_id=cooperative.pk if cooperative else None
    )
    elsewhere = Q(cooperative__isnull=False) & ~Exists(shared)
    if cooperative is not None:
        elsewhere &= ~Q(cooperative_id=cooperative.pk)
    cited = batch.growing_areas.all()
    if not isinstance(cited, QuerySet):
        # A page held in memory (a preview, or one whose codes were set and not yet re-read):
        # modelcluster keeps its codes as instances; the query is by their ids.
        cited = GrowingArea.objects.filter(pk__in=[area.pk for area in cited])
    return list(
        cited.prefetch_related("status_changes")
        .annotate(registered_elsewhere=ExpressionWrapper(elsewhere, output_field=BooleanField()))
        .order_by("code")
    )


@dataclass(frozen=True)
class HarvestJudgment:
    """A cited code judged over the batch's harvest, every day from its first to its last.
    `valid`: valid on all of them. When not, `cause` says why (suspended, revoked, expired, or
    not-issued: the code came later), `since` from when and `reason` the officer's words. When
    valid then and not today, `later` is what happened since (suspended, revoked or expired),
    with `since` and `reason`."""

    valid: bool
    cause: str = ""
    later: str = ""
    since: datetime.date | None = None
    reason: str = ""


def _change_into(area: GrowingArea, status: str, day: datetime.date):
    """The last recorded change that put the code into `status` on or before `day` (the
    prefetched history: no query)."""
    changes = [c for c in area.status_changes.all() if c.to_status == status and c.effective_date <= day]
    return max(changes, key=lambda c: (c.effective_date, c.changed_at), default=None)


def judge_at_harvest(area: GrowingArea, start: datetime.date, end: datetime.date) -> HarvestJudgment:
    """Whether a code was valid on every harvest day, start to end. Its status only changes on
    a change's effective date, so the first day and each such date inside the harvest are
    enough to look at. Queries none when the history is prefetched (cited_areas)."""
    if start < area.issued_on:
        return HarvestJudgment(valid=False, cause="not-issued", since=area.issued_on)
    days = [start] + sorted(
        {c.effective_date for c in area.status_changes.all() if start < c.effective_date <= end}
    )
    for day in days:
        status = area.status_on(day)
        if status != GrowingAreaStatus.ACTIVE:
            change = _change_into(area, status, day)
            return HarvestJudgment(
                valid=False,
                cause=status,
                since=change.effective_date if change else None,
                reason=change.reason if change else "",
            )
    if end > area.valid_until:
        return HarvestJudgment(valid=False, cause=EXPIRED, since=area.valid_until)
    now = area.effective_status
    if now == GrowingAreaStatus.ACTIVE:
        return HarvestJudgment(valid=True)
    if now == EXPIRED:
        return HarvestJudgment(valid=True, later=EXPIRED, since=area.valid_until)
    change = _change_into(area, now, datetime.date.max)
    return HarvestJudgment(
        valid=True,
        later=now,
        since=change.effective_date if change else None,
        reason=change.reason if change else "",
    )


# Kinds of verdict whose batch is not offered for sale on its trace page.
NOT_FOR_SALE = ("recalled", "invalid")


def verdict_for(batch: BatchPage, areas: list[GrowingArea]) -> dict:
    """What the top of the trace page says, judged at the batch's harvest (every day from
    harvest_start to harvest_end), in order of gravity: a recall, then any cited code that was
    not valid then, then any registered to another producer, then no code cited, else
    "registered origin confirmed". A code suspended, revoked or expired after the harvest keeps
    the good verdict and says what happened since (`lapsed_areas`). Each area gets `at_harvest`
    (a HarvestJudgment)."""
    start, end = batch.harvest_days
    for area in areas:
        area.at_harvest = judge_at_harvest(area, start, end or start)
    bad_areas = [area for area in areas if not area.at_harvest.valid]
    lapsed_areas = [area for area in areas if area.at_harvest.valid and area.at_harvest.later]
    foreign_areas = [area for area in areas if getattr(area, "registered_elsewhere", False)]
    if batch.is_recalled:
        kind = "recalled"
    elif bad_areas:
        kind = "invalid"
    elif foreign_areas:
        kind = "foreign"
    elif not areas:
        kind = "no-area"
    else:
        kind = "valid"
    return {
        "kind": kind,
        "bad_areas": bad_areas,
        "lapsed_areas": lapsed_areas,
        "foreign_areas": foreign_areas,
        "ok": kind == "valid",
        "for_sale": kind not in NOT_FOR_SALE,
        "harvest": harvest_phrase(start, end),
    }


def harvest_phrase(start: datetime.date, end: datetime.date | None) -> str:
    """28/10/2026, or 28/10/2026–30/10/2026 for a harvest of several days."""
    if end is None or end == start:
        return f"{start:%d/%m/%Y}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def scan_day_sql(statement: str) -> str:
    """A statement on the scan counts' tables with their names quoted for the database: the
    hottest path of the site (every scan) uses plain SQL, since the ORM's query building costs
    several times the statement itself (measured with bench/). {table} is ScanDay's, {places}
    ScanPlace's and {units} Unit's."""
    quote = connection.ops.quote_name
    return statement.format(
        table=quote(ScanDay._meta.db_table),
        batch=quote(ScanDay._meta.get_field("batch").column),
        day=quote("day"),
        count=quote("count"),
        places=quote(ScanPlace._meta.db_table),
        place=quote("place"),
        first_day=quote("first_day"),
        units=quote(Unit._meta.db_table),
    )


# The places and whether the batch is printed as units, read in the same statement as the totals.
SCAN_PLACES_AND_UNITS = (
    "(SELECT COUNT(*) FROM {places} WHERE {batch} = %(batch)s),"
    " EXISTS (SELECT 1 FROM {units} WHERE {batch} = %(batch)s)"
)
_SCAN_TOTALS_SQL = scan_day_sql(
    f"SELECT SUM({{count}}), MIN({{day}}), {SCAN_PLACES_AND_UNITS} FROM {{table}} WHERE {{batch}} = %(batch)s"
)


def scan_totals(*, batch_id: int, package_count: int) -> dict:
    """The people who opened the batch's trace page, the first day, the distinct places, and
    whether that suggests copied labels (scan_summary): one statement."""
    # Read on every request of a trace page that is not counted, cached page or not (scan_day_sql).
    with connection.cursor() as cursor:
        cursor.execute(_SCAN_TOTALS_SQL, {"batch": batch_id})
        total, first_day, places, has_units = cursor.fetchone()
    return scan_summary(
        total=total, first_day=first_day, places=places, has_units=has_units, package_count=package_count
    )


def scan_warning_places() -> int:
    """Distinct places beyond this many times the package count, with people beyond
    scan_warning_multiple() times it, suggest copied labels."""
    return getattr(settings, "TRACE_SCAN_WARNING_PLACES", 1)


def scan_summary(*, total, first_day, package_count: int, places=0, has_units=False) -> dict:
    """What the trace page says of the people who opened it (each browser once a day; link
    previews, crawlers, HEAD and prefetches not at all: traceability/visitors.py).

    The copied-label rule: a batch of P packages is suspect when it was opened by more than
    P × TRACE_SCAN_WARNING_MULTIPLE people (default 3) AND from more than
    P × TRACE_SCAN_WARNING_PLACES distinct places (default 1: more places than packages). A genuine
    lot shared in a few Zalo groups is opened by few people from few places, however often they
    reload it; a copied label sold in many markets is opened by many people in many places. A
    batch printed as units is never suspect as a whole: each unit is judged on its own
    (suspicious_units), since one copied unit says nothing of its neighbours."""
    total = int(total or 0)
    places = int(places or 0)
    if isinstance(first_day, str):  # SQLite answers dates as text
        first_day = datetime.date.fromisoformat(first_day)
    limit = package_count * scan_warning_multiple()
    return {
        "total": total,
        "first_day": first_day,
        "places": places,
        "limit": limit,
        "has_units": bool(has_units),
        "suspicious": bool(package_count)
        and not has_units
        and total > limit
        and places > package_count * scan_warning_places(),
    }


def report_contact() -> str:
    from growers.registry import DEFAULT_REPORT_CONTACT

    registry = GrowingAreaIndexPage.objects.live().only("report_contact").first()
    return (registry.report_contact if registry else "") or DEFAULT_REPORT_CONTACT


def trace_context(batch: BatchPage, scans: dict | None = None) -> dict:
    """Everything the trace page shows, in a fixed number of queries (about ten) whatever the
    number of events, codes, certifications or lab tests. `scans`: the totals, when counting
    this scan already read them (services.count_scan)."""
    product, cooperative = _attach_family(batch)
    areas = cited_areas(batch, cooperative)
    variants = list(product.variants.all()) if product else []
    return {
        "batch": batch,
        "product": product,
        "cooperative": cooperative,
        "areas": areas,
        "verdict": verdict_for(batch, areas),
        "events": list(_event_queryset().filter(batch=batch).order_by("sort_order", "occurred_at")),
        "certifications": list(batch.certifications.all()),
        "lab_tests": list(batch.lab_tests.select_related("document")),
        "in_stock": any(variant.in_stock for variant in variants),
        "scans": scans or scan_totals(batch_id=batch.pk, package_count=batch.package_count),
        "report_contact": report_contact(),
        "today": timezone.localdate(),
    }


def voice_clips(batch: BatchPage, product: ProductPage | None) -> list:
    """The recordings the trace page offers: the batch's own, then the audio blocks of the
    product's description. One query for their documents when there are any, none otherwise;
    the description's images are not loaded (only its audio items are read)."""
    clips = list(batch.voice)
    if product is not None:
        description = product.description
        clips += [description[i] for i, raw in enumerate(description.raw_data) if raw["type"] == "audio"]
    return clips


def _translations_of(*pages) -> list:
    """Each page replaced by its live, public translation in the visitor's language, if it has
    one: one query for all of them (with their own fields, through the child table's join, and
    view restrictions checked inside it); none in Vietnamese. An alias (what Wagtail puts in the other
    tree for the parents of a translated page) still holds the Vietnamese words, so it counts
    as no translation."""
    active = locale_id(active_language())
    wanted = [page for page in pages if page is not None and page.locale_id != active]
    if active is None or not wanted:
        return list(pages)
    # Page subclasses inherit from Page directly: the child row is reached as page.<model_name>.
    children = {type(page)._meta.model_name for page in wanted}
    found = {
        row.translation_key: getattr(row, row.specific_class._meta.model_name, row)
        for row in public(Page.objects.live())
        .filter(
            locale_id=active, alias_of__isnull=True, translation_key__in=[p.translation_key for p in wanted]
        )
        .select_related(*children)
    }
    return [found.get(page.translation_key, page) if page is not None else None for page in pages]


def visitor_language_context(request, batch: BatchPage, product, cooperative) -> dict:
    """What the trace page shows in the visitor's language: the product's and the
    cooperative's words from their live translation where there is one (two queries, none in
    Vietnamese), else the Vietnamese original marked lang="vi"; links that stay in the visitor's
    language. The batch itself is never translated (one printed lot, one code): its notes,
    places and recall reason are marked with their language when it is not the visitor's.
    Prices, stock and the cart stay on the originals."""
    shown_product, shown_cooperative = _translations_of(product, cooperative)
    product_url = ""
    if shown_product is not None:
        # A translation has its own address in its language; an untranslated product is served
        # from the Vietnamese tree under the visitor's prefix (website.i18n.FallbackRouteMixin).
        url = shown_product.get_url(request) or ""
        product_url = url if shown_product is not product else in_language(url)
    batch_language = untranslated_language(batch)
    return {
        "shown_product": shown_product,
        "shown_cooperative": shown_cooperative,
        "product_url": product_url,
        "product_language": untranslated_language(shown_product),
        "cooperative_language": untranslated_language(shown_cooperative),
        # Written into tags holding the batch's own (Vietnamese) text: <p{{ data_lang }}>.
        "data_lang": mark_safe(f' lang="{batch_language}"') if batch_language else "",
        "voices": voice_clips(batch, shown_product),
    }


def trace_page_depends_on(request, context: dict) -> None:
    """What a cached trace page shows (website/page_cache.py): the batch, its product and
    cooperative (in every language), whether the product's packs are in stock and at what price
    (not how many: `availability_tag`), the codes it cites, the registry page (its address and
    report contact), and the pictures and recordings on it."""
    batch, product, cooperative = context["batch"], context["product"], context["cooperative"]
    tags = [page_cache.page_tag(batch), page_cache.pages_tag(GrowingAreaIndexPage)]
    tags += [page_cache.page_tag(page) for page in (product, cooperative) if page is not None]
    if product is not None:
        tags.append(availability_tag(product.pk))
    tags += [area_tag(area.pk) for area in context["areas"]]
    if product is not None and product.image_id:
        tags.append(page_cache.image_tag(product.image_id))  # the photo beside the verdict
    tags += [page_cache.image_tag(event.photo_id) for event in context["events"] if event.photo_id]
    tags += [page_cache.document_tag(test.document_id) for test in context["lab_tests"] if test.document_id]
    for clip in context.get("voices", ()):
        if (audio := clip.value.get("audio")) is not None:
            tags.append(page_cache.document_tag(audio.pk))
    page_cache.depends_on(request, *tags)


def _editable_batch_ids(user) -> QuerySet:
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change", "publish"])
    return editable.values("pk")


def batches_with_suspicious_scans(user) -> QuerySet[BatchPage]:
    """Batches the user may edit that scan_summary's rule calls suspect (more people than
    packages × TRACE_SCAN_WARNING_MULTIPLE, from more places than packages ×
    TRACE_SCAN_WARNING_PLACES), batches printed as units left out (suspicious_units). Each has
    `total_scans` and `total_places`. For the admin."""
    people = (
        ScanDay.objects.filter(batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(total=Sum("count"))
        .values("total")
    )
    places = (
        ScanPlace.objects.filter(batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return (
        BatchPage.objects.filter(pk__in=_editable_batch_ids(user), package_count__gt=0)
        .exclude(Exists(Unit.objects.filter(batch=OuterRef("pk"))))
        .annotate(total_scans=Subquery(people), total_places=Subquery(places))
        .filter(
            total_scans__gt=F("package_count") * scan_warning_multiple(),
            total_places__gt=F("package_count") * scan_warning_places(),
        )
        .order_by("-total_scans")
    )


def unit_places_limit() -> int:
    """A unit looked at (QR opened or right PIN) from more distinct places than this is suspect."""
    return getattr(settings, "TRACE_UNIT_PLACES", 2)


def unit_pin_days_limit() -> int:
    """A unit whose right PIN was typed on more distinct days than this is suspect."""
    return getattr(settings, "TRACE_UNIT_PIN_DAYS", 2)


def suspicious_units(batch_or_user) -> QuerySet[Unit]:
    """The units whose labels look copied: of one batch, or of every batch a user may edit.

    The rule: a unit is suspect when its genuine looks (its QR opened, or its serial checked with
    the right PIN; each counted once per browser per day) came from more than TRACE_UNIT_PLACES
    distinct places (default 2: the shop and the buyer's home are two places of one genuine
    package), or its right PIN was confirmed on more than TRACE_UNIT_PIN_DAYS distinct days
    (default 2: a buyer checks once, perhaps again, not every week). Each unit has `places`,
    `pin_days` and `looks`, and its batch loaded; never its PIN."""
    if isinstance(batch_or_user, BatchPage):
        units = Unit.objects.filter(batch=batch_or_user)
    else:
        units = Unit.objects.filter(batch__in=_editable_batch_ids(batch_or_user))
    genuine = Q(checks__pin_ok=True) | Q(checks__channel=CheckChannel.QR)
    right_pin = Q(checks__pin_ok=True)
    return (
        units.annotate(
            places=Count("checks__place", filter=genuine & ~Q(checks__place=""), distinct=True),
            pin_days=Count(TruncDate("checks__at"), filter=right_pin, distinct=True),
            looks=Count("checks", filter=genuine),
        )
        .filter(Q(places__gt=unit_places_limit()) | Q(pin_days__gt=unit_pin_days_limit()))
        .select_related("batch")
        .defer("pin_seed", "pin_hash")
        .order_by("batch__title", "serial")
    )
