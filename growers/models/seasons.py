"""Seasons of a growing-area code (DESIGN §2): what the holder declares at a season's start
(crop, variety, area, standard, expected yield, expected harvest date, market) and at its end
(the actual yield). A batch is linked to the season it was harvested in
(traceability.BatchPage.seasons); kilograms sold under a code beyond its season's limit are the
sign of a borrowed code (traceability/yields.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .growing_areas import GrowingArea


class Market(models.TextChoices):
    THIS_SITE = "site", _("This site (online shop)")
    LOCAL = "local", _("Local market and traders")
    PROCESSOR = "processor", _("A processor or company under contract")
    EXPORT = "export", _("Export")


class Standard(models.TextChoices):
    NONE = "", _("None")
    VIETGAP = "vietgap", "VietGAP"
    GACP_WHO = "gacp-who", "GACP-WHO"
    ORGANIC = "organic", _("Organic")
    OTHER = "other", _("Other")


class SeasonQuerySet(models.QuerySet):
    def covering(self, day):
        """Seasons whose dates include `day` (a batch harvested that day belongs to them)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def awaiting_actual_yield(self, today):
        return self.filter(ends_on__lt=today, actual_yield_kg__isnull=True)


class Season(models.Model):
    """One season of one code, declared by its holder (a cooperative's editor, or the officer
    for a household): the start declaration is required, the end one (actual yield) follows."""

    growing_area = models.ForeignKey(
        GrowingArea, verbose_name=_("growing area"), on_delete=models.CASCADE, related_name="seasons"
    )
    # A key of growers.crops.CROPS or, for a crop not on the list, its name as written.
    crop = models.CharField(_("crop"), max_length=100)
    variety = models.CharField(_("variety"), max_length=100, blank=True)
    area_hectares = models.DecimalField(
        _("area this season (hectares)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices, blank=True)
    expected_yield_kg = models.DecimalField(
        _("expected yield (kg)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Left empty, the area times the crop's typical yield is the season's limit."),
    )
    starts_on = models.DateField(_("season starts"))
    expected_harvest_on = models.DateField(_("expected harvest date"))
    ends_on = models.DateField(
        _("season ends"), help_text=_("The last day a batch harvested in this season may carry.")
    )
    market = models.CharField(_("intended market"), max_length=20, choices=Market.choices, blank=True)
    actual_yield_kg = models.DecimalField(
        _("actual yield (kg)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    actual_declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actual yield declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    actual_declared_at = models.DateTimeField(
        _("actual yield declared at"), null=True, blank=True, editable=False
    )
    # When the SMS reminder to declare the actual yield went out (sent once).
    end_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SeasonQuerySet.as_manager()

    class Meta:
        ordering = ["growing_area", "-starts_on"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="season_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.growing_area.code} {self.starts_on:%m/%Y}–{self.ends_on:%m/%Y}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A season cannot end before it starts.")
        if self.starts_on and self.expected_harvest_on and self.expected_harvest_on < self.starts_on:
            errors["expected_harvest_on"] = _("The harvest cannot be expected before the season starts.")
        if self.expected_harvest_on and self.ends_on and self.expected_harvest_on > self.ends_on:
            errors["expected_harvest_on"] = _("The harvest is expected after the season ends.")
        if self.growing_area_id and self.starts_on and self.ends_on:
            overlapping = (
                Season.objects.filter(growing_area_id=self.growing_area_id)
                .filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
                .exclude(pk=self.pk)
            )
            if overlapping.exists():
                errors["starts_on"] = _("This code already has a season on these dates.")
        if errors:
            raise ValidationError(errors)

    @property
    def crop_label(self) -> str:
        from ..crops import crop_for

        crop = crop_for(self.crop)
        return crop.name if crop else self.crop
