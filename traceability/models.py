import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from growers.models import Certification
from website.blocks import AudioBlock

from .codes import lot_validator, new_short_code, normalise_short_code
from .forms import BatchPageForm
from .panels import seasons_note_panel

MAX_VOICE_CLIPS = 3
COPY_FOR_TRANSLATION = "wagtail.copy_for_translation"


class BatchPage(Page):
    """A harvest batch (lot) of a product: what one printed label points to."""

    lot = models.CharField(
        _("lot"),
        max_length=20,
        validators=[lot_validator],
        help_text=_("As printed on the package, e.g. TQ2026-01"),
    )
    # Made on first save, never edited: it is printed on labels already in circulation.
    short_code = models.CharField(_("short code"), max_length=12, unique=True, editable=False)
    harvest_start = models.DateField(_("harvest date (first day)"))
    harvest_end = models.DateField(_("harvest date (last day)"), null=True, blank=True)
    quantity_kg = models.DecimalField(
        _("quantity (kg)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    package_count = models.PositiveIntegerField(_("number of packages"), default=0)
    packed_on = models.DateField(_("packing date"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    growing_areas = ParentalManyToManyField(
        "growers.GrowingArea",
        verbose_name=_("growing areas"),
        related_name="batches",
        help_text=_("Each must be registered and valid on the harvest dates."),
    )
    # The season of each cited code this batch was harvested in, set when it is published
    # (traceability/yields.py): the kilograms it counts against that season's limit.
    seasons = models.ManyToManyField(
        "growers.Season", verbose_name=_("seasons"), blank=True, editable=False, related_name="batches"
    )
    recalled_on = models.DateField(_("recalled on"), null=True, blank=True)
    recall_reason = models.TextField(_("recall reason"), blank=True)
    # Played on the trace page for buyers who read little: a grower telling, in their own
    # language, where and how this lot was picked and dried.
    voice = StreamField(
        [("audio", AudioBlock(label=_("recording")))],
        blank=True,
        max_num=MAX_VOICE_CLIPS,
        verbose_name=_("spoken description"),
        help_text=_("Up to three short recordings, played on the trace page when the buyer presses play."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(["lot", "harvest_start", "harvest_end"], heading=_("Lot and harvest")),
        MultiFieldPanel(
            ["quantity_kg", "package_count", "packed_on", "best_before", "shelf_life_days"],
            heading=_("Packing"),
        ),
        "growing_areas",
        seasons_note_panel(),
        "voice",
        InlinePanel("events", label=_("Trace events")),
        InlinePanel("certifications", label=_("Certifications")),
        InlinePanel("lab_tests", label=_("Lab tests")),
        MultiFieldPanel(["recalled_on", "recall_reason"], heading=_("Recall")),
    ]

    parent_page_types = ["products.ProductPage"]
    subpage_types = []
    base_form_class = BatchPageForm
    # A copy is another lot: it gets its own short code on save (the printed one belongs to this
    # batch) and starts without this batch's recall.
    exclude_fields_in_copy = ["short_code", "recalled_on", "recall_reason"]

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")

    def clean(self):
        super().clean()
        errors = {}
        if self.harvest_end and self.harvest_start and self.harvest_end < self.harvest_start:
            errors["harvest_end"] = _("The last harvest day cannot be before the first.")
        last_harvest_day = max((day for day in (self.harvest_start, self.harvest_end) if day), default=None)
        if self.packed_on and last_harvest_day and self.packed_on < last_harvest_day:
            errors["packed_on"] = _("Packing cannot come before the harvest.")
        if self.best_before and self.packed_on and self.best_before <= self.packed_on:
            errors["best_before"] = _("Best-before must be after the packing date.")
        if self.recalled_on and not self.recall_reason.strip():
            errors["recall_reason"] = _("Say why the batch is recalled; buyers will read it.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.short_code:
            self.short_code = new_short_code()
        else:
            self.short_code = normalise_short_code(self.short_code)
        return super().save(*args, **kwargs)

    def copy(self, *args, log_action="wagtail.copy", **kwargs):
        """A batch is not translated: it is one printed lot with one short code, and its trace
        page speaks the buyer's language from the interface catalogue and the product's
        translation. So when Wagtail copies it into another language's tree (simple_translation's
        "Translate" of a product with its subtree passes this log action), nothing is made and
        None is returned; CopyPageForTranslationAction.walk() sends its signal with
        target_obj=None (nothing here listens to it) and walks on to the next child.
        traceability/translation.py makes walk() call this method (it holds generic Pages) and
        answers an editor who asks to translate a batch alone. Any other copy is Wagtail's, as
        before."""
        if log_action == COPY_FOR_TRANSLATION:
            return None
        return super().copy(*args, log_action=log_action, **kwargs)

    copy.alters_data = True

    def get_cached_paths(self):
        """None: every view of the batch's page counts a scan (traceability/views.py), so no
        CDN keeps it and Wagtail's frontend cache has nothing of it to purge."""
        return []

    @property
    def harvest_days(self) -> list[datetime.date]:
        return [self.harvest_start, self.harvest_end or self.harvest_start]

    @property
    def expiry_date(self) -> datetime.date | None:
        """Best-before as printed, else the packing date plus the shelf life."""
        if self.best_before:
            return self.best_before
        if self.packed_on and self.shelf_life_days:
            return self.packed_on + datetime.timedelta(days=self.shelf_life_days)
        return None

    @property
    def is_recalled(self) -> bool:
        return self.recalled_on is not None

    @cached_property
    def product(self):
        from products.models import ProductPage

        return ProductPage.objects.ancestor_of(self).first()


class TraceEventType(models.TextChoices):
    PLANTING = "planting", pgettext_lazy("trace event", "Planting")
    HARVEST = "harvest", pgettext_lazy("trace event", "Harvest")
    PROCESSING = "processing", pgettext_lazy("trace event", "Drying or processing")
    PACKING = "packing", pgettext_lazy("trace event", "Packing")
    INSPECTION = "inspection", pgettext_lazy("trace event", "Inspection")
    SHIPPING = "shipping", pgettext_lazy("trace event", "Shipping")
    OTHER = "other", pgettext_lazy("trace event", "Other")


TIME_ZONE_CHOICES = [
    ("Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh (UTC+7)"),
    ("UTC", "UTC"),
]


class TraceEvent(Orderable):
    """One step of the batch's story (EPCIS: what, when, where, why)."""

    batch = ParentalKey(BatchPage, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(_("what happened"), max_length=20, choices=TraceEventType.choices)
    occurred_at = models.DateTimeField(_("when"))
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=TIME_ZONE_CHOICES, default="Asia/Ho_Chi_Minh"
    )
    place = models.CharField(_("where"), max_length=200)
    responsible = models.CharField(_("who (person or organisation)"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = ["event_type", "occurred_at", "time_zone", "place", "responsible", "notes", "photo"]

    class Meta(Orderable.Meta):
        verbose_name = _("trace event")

    def __str__(self):
        return f"{self.get_event_type_display()} {self.local_time:%d/%m/%Y %H:%M}"

    @property
    def local_time(self) -> datetime.datetime:
        return timezone.localtime(self.occurred_at, zoneinfo.ZoneInfo(self.time_zone))


class BatchCertification(Orderable, Certification):
    batch = ParentalKey(BatchPage, on_delete=models.CASCADE, related_name="certifications")


class LabTest(Orderable):
    batch = ParentalKey(BatchPage, on_delete=models.CASCADE, related_name="lab_tests")
    title = models.CharField(_("test"), max_length=200, help_text=_("e.g. Pesticide residues"))
    laboratory = models.CharField(_("laboratory"), max_length=200, blank=True)
    tested_on = models.DateField(_("tested on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = ["title", "laboratory", "tested_on", "result", "document"]


class ScanDay(models.Model):
    """How many people opened a batch's trace page on one day (local date): each browser once a
    day (traceability/visitors.py); link previews, crawlers, HEAD and prefetches not at all."""

    batch = models.ForeignKey(BatchPage, on_delete=models.CASCADE, related_name="scan_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "day"], name="one_scan_row_per_batch_day")]
        ordering = ["day"]

    def __str__(self):
        return f"{self.batch_id} {self.day}: {self.count}"


class ScanPlace(models.Model):
    """A place a batch's trace page was opened from, once: a keyed hash of the visitor's network
    (traceability/visitors.place_of), never an address. How many distinct places a batch was
    opened from is half of the copied-label rule (selectors.scan_summary)."""

    batch = models.ForeignKey(BatchPage, on_delete=models.CASCADE, related_name="scan_places")
    place = models.CharField(max_length=16)
    first_day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "place"], name="one_scan_place_per_batch")]

    def __str__(self):
        return f"{self.batch_id} {self.place} since {self.first_day}"


class Unit(models.Model):
    """One package of a batch printed as serialised units: its own serial in its QR
    (/01/<gtin>/10/<lot>/21/<serial>, or /t/<short-code>/<serial>) and a secret PIN printed apart.

    The PIN is never stored: `pin_seed` (random) and the site's secret derive it again when the
    same units are printed twice (traceability/units.py), and `pin_hash` (a keyed hash) checks a
    typed one, so a copy of the database alone tells neither."""

    batch = models.ForeignKey(
        BatchPage, on_delete=models.CASCADE, related_name="units", verbose_name=_("batch")
    )
    # Unique site-wide, not only within its batch: a buyer may type the serial alone.
    serial = models.CharField(_("serial"), max_length=20, unique=True)
    pack = models.ForeignKey(
        "products.ProductVariant",
        verbose_name=_("pack"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The pack size whose GTIN the unit's QR carries."),
    )
    pin_seed = models.CharField(max_length=32, editable=False)
    pin_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["batch", "id"]

    def __str__(self):
        return self.serial

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class CheckChannel(models.TextChoices):
    QR = "qr", _("QR scan")
    WEB = "web", _("typed on the web")
    SMS = "sms", _("SMS")


class UnitCheck(models.Model):
    """One counted look at a unit: its QR opened, or its serial checked (with or without the PIN)
    on the web or by SMS. What the buyer is told ("first check", "already checked N times, first
    on …") and what the cooperative sees of copied labels are read from these rows."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    channel = models.CharField(_("how"), max_length=3, choices=CheckChannel.choices)
    # None: no PIN was given; False: a wrong one (counted against the unit's limit).
    pin_ok = models.BooleanField(_("PIN right"), null=True)
    # A keyed hash of the client's network (never the address itself), to count places.
    place = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("unit check")
        ordering = ["at"]

    def __str__(self):
        return f"{self.unit_id} {self.at:%Y-%m-%d %H:%M} {self.channel}"


class YieldConfirmation(models.Model):
    """A batch that would put a code over its season's limit, waiting for (or given) the
    officer's confirmation, when YIELD_LIMIT_MODE is "confirm" (traceability/yields.py).

    Asked from the batch editor, possibly before the batch is first saved: it is known by its
    product and lot, and linked to the batch once one exists. A confirmation covers the batch up
    to `total_kg` for that code in that season; a save that brings the code higher asks again."""

    product = models.ForeignKey(Page, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+")
    lot = models.CharField(_("lot"), max_length=20)
    batch = models.ForeignKey(
        BatchPage,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="yield_confirmations",
    )
    growing_area = models.ForeignKey(
        "growers.GrowingArea", verbose_name=_("growing area"), on_delete=models.CASCADE, related_name="+"
    )
    season = models.ForeignKey(
        "growers.Season",
        verbose_name=_("season"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The season's first day (or 1 January of a year without a season): with the code, the lot
    # and the product, what a later save is matched on.
    window_starts_on = models.DateField(_("season starts"))
    window_ends_on = models.DateField(_("season ends"))
    limit_kg = models.DecimalField(_("limit (kg)"), max_digits=12, decimal_places=2)
    total_kg = models.DecimalField(_("total with this batch (kg)"), max_digits=12, decimal_places=2)
    over_kg = models.DecimalField(_("over the limit (kg)"), max_digits=12, decimal_places=2)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("yield confirmation")
        verbose_name_plural = _("yield confirmations")

    def __str__(self):
        return f"{self.lot} · {self.growing_area.code}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
