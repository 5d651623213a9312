import datetime
import zoneinfo

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
    """How many times a batch's trace page was opened on one day (local date)."""

    batch = models.ForeignKey(BatchPage, on_delete=models.CASCADE, related_name="scan_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "day"], name="one_scan_row_per_batch_day")]
        ordering = ["day"]

    def __str__(self):
        return f"{self.batch_id} {self.day}: {self.count}"
