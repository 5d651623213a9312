"""An application for a growing-area code ("Form 01", DESIGN §2): who asks, for which crop and
standard, the plots and member households, the files they bring; every step the officer takes
with who, when and why; the field inspection. Granting makes the GrowingArea from it and links
the two (applications/services.py).

Personal data (names, phones, plots, files) is seen by the officers and by the cooperative that
applied, never publicly; the public status page shows the number, the status and the words meant
for the applicant."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from growers.models import CooperativePage, GrowingArea, InspectionResult, Standard


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    NEEDS_INFORMATION = "needs-info", _("Needs information")
    INSPECTION_PLANNED = "inspection", _("Inspection planned")
    INSPECTED = "inspected", _("Inspected")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


# Where an application is still waiting for the officer (the reports' "waiting").
OPEN_STATUSES = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.NEEDS_INFORMATION,
    ApplicationStatus.INSPECTION_PLANNED,
    ApplicationStatus.INSPECTED,
)


class ApplicantKind(models.TextChoices):
    HOUSEHOLD = "household", _("A household")
    COOPERATIVE = "cooperative", _("A cooperative or group")


class Channel(models.TextChoices):
    WEB = "web", _("The public form")
    DESK = "desk", _("In person, entered by the officer")


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def visible_to(self, user):
        """Officers see every application, a cooperative's editors their cooperative's own."""
        if user.is_superuser or user.has_perm("applications.view_application"):
            return self
        from growers.selectors import cooperatives_edited_by

        return self.filter(cooperative__in=cooperatives_edited_by(user))


class Application(ClusterableModel):
    # "2026-0007": the year it was received and its place in that year; what the applicant keeps
    # and types, with the last digits of the phone, to follow it (/growing-areas/apply/<number>/).
    number = models.CharField(_("number"), max_length=12, unique=True, editable=False)
    applicant_kind = models.CharField(
        _("who is asking"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.HOUSEHOLD
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=150)
    # Set when a cooperative asks (its editors then see the application in the admin).
    cooperative = models.ForeignKey(
        CooperativePage,
        verbose_name=_("cooperative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="code_applications",
    )
    # Normalised to +84… by sms.phones; texts about the application go there.
    phone = models.CharField(_("contact phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    # The language the applicant used: texts and e-mails about the application speak it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="vi")
    village = models.CharField(_("village (bản)"), max_length=100)
    # A key of growers.crops.CROPS, or "other" with crop_other written by the applicant.
    crop = models.CharField(_("crop"), max_length=40)
    crop_other = models.CharField(_("other crop"), max_length=100, blank=True)
    variety = models.CharField(_("variety"), max_length=100, blank=True)
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices, blank=True)
    notes = models.TextField(_("notes from the applicant"), blank=True)
    channel = models.CharField(
        _("received through"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
        editable=False,
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    # When the status last changed, and when it reached granted or refused (waiting times).
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    growing_area = models.ForeignKey(
        GrowingArea,
        verbose_name=_("growing-area code granted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        editable=False,
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("code application")
        verbose_name_plural = _("code applications")
        indexes = [models.Index(fields=["status", "received_at"]), models.Index(fields=["phone", "village"])]

    def __str__(self):
        return f"{self.number} {self.applicant_name}"

    @property
    def crop_label(self) -> str:
        from growers.crops import crop_for

        crop = crop_for(self.crop)
        return crop.name if crop else self.crop_other

    @property
    def total_hectares(self) -> Decimal:
        return sum((plot.area_hectares for plot in self.plots.all()), Decimal("0"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationPlot(Orderable):
    """A plot the application covers: its area, and where it is when the applicant knows (a
    point typed as coordinates and/or a boundary from a GeoJSON or KML file, checked by
    growers.geometry); left empty, the officer finds it at the inspection."""

    application = ParentalKey(Application, on_delete=models.CASCADE, related_name="plots")
    area_hectares = models.DecimalField(
        _("area (hectares)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("The area must be more than 0 ha."))],
    )
    description = models.CharField(_("where (in words)"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    panels = ["area_hectares", "description", "latitude", "longitude"]

    class Meta(Orderable.Meta):
        verbose_name = _("plot")


class ApplicationHousehold(Orderable):
    """A member household the code would cover (growers.Household once granted)."""

    application = ParentalKey(Application, on_delete=models.CASCADE, related_name="households")
    head_name = models.CharField(_("head of household"), max_length=150)
    village = models.CharField(_("village (bản)"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    area_hectares = models.DecimalField(
        _("plot area (hectares)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    panels = ["head_name", "village", "phone", "area_hectares"]

    class Meta(Orderable.Meta):
        verbose_name = _("household")


class ApplicationStep(models.Model):
    """Every status change, kept for good: from what to what, who, when, and the reason, which
    is sent to the applicant in their language (write it for them)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("from"), max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ApplicationStatus.choices)
    reason = models.TextField(_("message to the applicant"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # When an inspection is planned: the day the officer will come.
    planned_for = models.DateField(_("planned for"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("application step")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ApplicationInspection(models.Model):
    """The field inspection of an application's plots."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="inspections")
    date = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=150)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("inspection")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_result_display()}"


class FileKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    BOUNDARY = "boundary", _("Boundary file")


def application_file_path(instance, filename):
    """A random name under a private folder: an applicant's papers are never found by guessing
    (streamed only to those who may see the application: applications/viewsets/steps.FileView;
    never served as media, MEDIA_PRIVATE_FOLDERS)."""
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"applications/{uuid.uuid4().hex}.{extension}"


class ApplicationFile(models.Model):
    """A photo or document the applicant brought, or a photo taken at the inspection."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    inspection = models.ForeignKey(
        ApplicationInspection, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    file = models.FileField(_("file"), upload_to=application_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("file")

    def __str__(self):
        return self.original_name
