"""The growing-area register (mã số vùng trồng): the codes, their households, certificates and
inspections, and every change of a code's status."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from .cooperatives import Certification, CooperativePage


class GrowingAreaStatus(models.TextChoices):
    """The stored status, changed only through growers.services.change_status. 'Expired' is
    not stored: it follows from valid_until (see GrowingArea.effective_status)."""

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


EXPIRED = "expired"
EFFECTIVE_STATUS_LABELS = {
    GrowingAreaStatus.ACTIVE: _("Valid"),
    GrowingAreaStatus.SUSPENDED: _("Suspended"),
    GrowingAreaStatus.REVOKED: _("Revoked"),
    EXPIRED: _("Expired"),
}


class GrowingAreaQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Codes a batch may cite on `day`: active, issued by then, not yet expired."""
        return self.filter(status=GrowingAreaStatus.ACTIVE, issued_on__lte=day, valid_until__gte=day)

    def currently_valid(self):
        return self.valid_on(timezone.localdate())

    def expired(self):
        return self.filter(valid_until__lt=timezone.localdate())

    def expiring_within(self, days: int):
        today = timezone.localdate()
        return self.filter(
            status=GrowingAreaStatus.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=days),
        )

    def citable_by(self, cooperative):
        """Codes a cooperative's products and batches may cite: those registered to it, and those
        the officer shared with it. None for no cooperative: nothing."""
        if cooperative is None:
            return self.none()
        shared = GrowingArea.shared_with.through.objects.filter(cooperativepage=cooperative)
        return self.filter(
            models.Q(cooperative=cooperative) | models.Q(pk__in=shared.values("growingarea_id"))
        )

    def with_effective_status(self, status: str):
        """Filter by the status a buyer sees: 'expired' beats 'active' once valid_until passes;
        a suspended or revoked code stays so whatever its date."""
        today = timezone.localdate()
        if status == EXPIRED:
            return self.filter(status=GrowingAreaStatus.ACTIVE, valid_until__lt=today)
        if status == GrowingAreaStatus.ACTIVE:
            return self.filter(status=GrowingAreaStatus.ACTIVE, valid_until__gte=today)
        return self.filter(status=status)

    def by_code(self, value: str):
        from ..codes import lookup_key

        return self.filter(lookup_key=lookup_key(value))


class GrowingArea(index.Indexed, ClusterableModel):
    """A registered growing area (mã số vùng trồng), kept by the agriculture officer."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    # Letters and digits of the code only: lookups forgive case, spaces and missing dashes.
    lookup_key = models.CharField(max_length=32, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    cooperative = models.ForeignKey(
        CooperativePage,
        verbose_name=_("cooperative (establishment)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="growing_areas",
    )
    # Other cooperatives that may cite this code (e.g. one that buys from the owner's growers):
    # only the officer, who edits the register, shares a code.
    shared_with = models.ManyToManyField(
        CooperativePage,
        verbose_name=_("shared with cooperatives"),
        blank=True,
        related_name="shared_growing_areas",
        help_text=_("Cooperatives other than its own that may cite this code on their products and batches."),
    )
    village = models.CharField(_("village (bản)"), max_length=100)
    commune = models.CharField(_("commune (xã)"), max_length=100, default="Sì Lở Lầu")
    district = models.CharField(_("district (huyện)"), max_length=100, default="Phong Thổ")
    province = models.CharField(_("province (tỉnh)"), max_length=100, default="Lai Châu")
    crop_name = models.CharField(_("crop"), max_length=100, help_text=_("Vietnamese name, e.g. thảo quả"))
    crop_scientific_name = models.CharField(
        _("scientific name"), max_length=150, blank=True, help_text=_("e.g. Amomum tsao-ko")
    )
    area_hectares = models.DecimalField(
        _("area (hectares)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("The area must be more than 0 ha."))],
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    # A GeoJSON Polygon or MultiPolygon geometry (longitude, latitude), validated by
    # growers.geometry; small enough to keep in a JSON column without a GIS database.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    issuing_authority = models.CharField(
        _("issuing authority"),
        max_length=255,
        default="Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Lai Châu",
    )
    decision_number = models.CharField(_("decision number"), max_length=64)
    issued_on = models.DateField(_("issue date"))
    valid_until = models.DateField(_("valid until"))
    # Whom the officer's texts reach (season reminders): the holder household's or cooperative's
    # contact, filled from the application that asked for the code. Personal data: never public.
    contact_name = models.CharField(_("holder's contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("holder's contact phone"), max_length=20, blank=True)
    contact_language = models.CharField(
        _("language for texts"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    # When the SMS asking the holder to declare a new season last went out (at most every 30 days).
    season_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GrowingAreaStatus.choices,
        default=GrowingAreaStatus.ACTIVE,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GrowingAreaQuerySet.as_manager()

    search_fields = [
        index.SearchField("code"),
        index.SearchField("name"),
        index.AutocompleteField("code"),
        index.AutocompleteField("name"),
        index.FilterField("status"),
        index.FilterField("village"),
        index.FilterField("crop_name"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("growing area")
        verbose_name_plural = _("growing areas")
        # The name is stored in the database as written here (English); Wagtail's group editor
        # passes it through gettext when it shows it, so it is marked for the catalogue only.
        permissions = [
            ("change_status_growingarea", gettext_noop("Can suspend, reinstate or revoke growing-area codes"))
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        from ..codes import in_vietnam, lookup_key, validate_code
        from ..geometry import GeometryError, validate_boundary

        errors = {}
        try:
            self.code = validate_code(self.code)
            self.lookup_key = lookup_key(self.code)
            clash = GrowingArea.objects.filter(lookup_key=self.lookup_key).exclude(pk=self.pk).first()
            if clash and clash.code != self.code:
                errors["code"] = _("This code is too close to the registered code %(other)s.") % {
                    "other": clash.code
                }
        except ValidationError as error:
            errors["code"] = error.messages
        if self.issued_on and self.valid_until and self.valid_until <= self.issued_on:
            errors["valid_until"] = _("The valid-until date must be after the issue date.")
        if (
            self.latitude is not None
            and self.longitude is not None
            and not in_vietnam(float(self.latitude), float(self.longitude))
        ):
            errors["latitude"] = _("This point is outside Vietnam; check latitude and longitude.")
        if self.boundary:
            try:
                self.boundary = validate_boundary(self.boundary)
            except GeometryError as error:
                errors["boundary"] = str(error)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from ..codes import lookup_key, normalise_code

        self.code = normalise_code(self.code)
        self.lookup_key = lookup_key(self.code)
        return super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def effective_status(self) -> str:
        """What a buyer is told: suspended and revoked first, then expired, else active."""
        if self.status != GrowingAreaStatus.ACTIVE:
            return self.status
        return EXPIRED if self.is_expired else GrowingAreaStatus.ACTIVE

    @property
    def effective_status_label(self):
        return EFFECTIVE_STATUS_LABELS[self.effective_status]

    @property
    def is_valid(self) -> bool:
        return self.effective_status == GrowingAreaStatus.ACTIVE

    def status_on(self, day) -> str:
        """The stored status in force on `day`, replayed from the status history: a code
        suspended today was still active on last month's harvest day."""
        changes = sorted(self.status_changes.all(), key=lambda c: (c.effective_date, c.changed_at))
        status = changes[0].from_status if changes else self.status
        for change in changes:
            if change.effective_date > day:
                break
            status = change.to_status
        return status

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day <= self.valid_until and self.status_on(day) == GrowingAreaStatus.ACTIVE


class Household(Orderable):
    """A member household farming in the area. Personal data: never shown publicly."""

    area = ParentalKey(GrowingArea, on_delete=models.CASCADE, related_name="households")
    head_name = models.CharField(_("head of household"), max_length=150)
    village = models.CharField(_("village (bản)"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    area_hectares = models.DecimalField(
        _("plot area (hectares)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    panels = ["head_name", "village", "phone", "area_hectares"]

    class Meta(Orderable.Meta):
        verbose_name = _("household")

    def __str__(self):
        return self.head_name


class GrowingAreaCertification(Orderable, Certification):
    area = ParentalKey(GrowingArea, on_delete=models.CASCADE, related_name="certifications")

    class Meta(Orderable.Meta):
        verbose_name = _("certification")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    PASSED_WITH_REMARKS = "remarks", _("Passed with remarks")
    FAILED = "failed", _("Failed")


class Inspection(Orderable):
    area = ParentalKey(GrowingArea, on_delete=models.CASCADE, related_name="inspections")
    date = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=150)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    notes = models.TextField(_("notes"), blank=True)

    panels = ["date", "inspector", "result", "notes"]

    class Meta(Orderable.Meta):
        verbose_name = _("inspection")
        ordering = ["-date", "sort_order"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_result_display()}"


class StatusChange(models.Model):
    """Every change of a code's status, kept for good: who, when, why, from what to what."""

    area = models.ForeignKey(GrowingArea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=GrowingAreaStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=GrowingAreaStatus.choices)
    reason = models.TextField(_("reason"))
    effective_date = models.DateField(_("effective date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-changed_at"]
        verbose_name = _("status change")

    def __str__(self):
        return f"{self.area.code}: {self.get_from_status_display()} → {self.get_to_status_display()}"
