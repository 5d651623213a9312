"""Cooperatives (hợp tác xã): their pages, photos and certificates, and the certificate shape
that growing areas, products and batches share."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from website.blocks import StoryBlock
from website.i18n import FallbackRouteMixin, default_language, locale_id

from ..media_forms import ChoosableMediaPageForm


class CertificationScheme(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GACP_WHO = "gacp-who", "GACP-WHO"
    ORGANIC = "organic", _("Organic")
    OCOP = "ocop", "OCOP"
    OTHER = "other", _("Other")


class Certification(models.Model):
    """A certificate held by a cooperative, a product or (later) a growing area."""

    scheme = models.CharField(_("scheme"), max_length=20, choices=CertificationScheme.choices)
    number = models.CharField(_("certificate number"), max_length=64, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    panels = ["scheme", "number", "issuer", "valid_until"]

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_scheme_display()} {self.number}".strip()

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


def original_page(page: Page) -> Page:
    """The Vietnamese original of a translated page (one query), or the page itself."""
    originals = locale_id(default_language())
    if originals is None or page.locale_id == originals:
        return page
    original = type(page).objects.filter(translation_key=page.translation_key, locale_id=originals).first()
    return original or page


bank_bin_validator = RegexValidator(r"^\d{6}$", _("A bank BIN is exactly 6 digits."))
account_number_validator = RegexValidator(
    r"^[0-9A-Za-z]{4,19}$", _("An account number is 4 to 19 letters or digits, no spaces.")
)


class CooperativePage(FallbackRouteMixin, Page):
    """A cooperative (hợp tác xã). Its products and batches live beneath it, so a group
    permission on this page gives its editors exactly their own subtree."""

    story = StreamField(StoryBlock(), blank=True, verbose_name=_("story"))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    village = models.CharField(_("village (bản)"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    household_count = models.PositiveIntegerField(
        _("member households"), default=0, validators=[MinValueValidator(0)]
    )
    bank_bin = models.CharField(
        _("bank BIN"),
        max_length=6,
        blank=True,
        validators=[bank_bin_validator],
        help_text=_("The 6-digit NAPAS code of the bank that receives transfers, e.g. 970415."),
    )
    bank_account_number = models.CharField(
        _("bank account number"), max_length=19, blank=True, validators=[account_number_validator]
    )
    bank_account_name = models.CharField(_("bank account name"), max_length=100, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("village"),
        index.SearchField("address"),
    ]
    content_panels = Page.content_panels + [
        "story",
        "logo",
        MultiFieldPanel(
            [
                "village",
                FieldPanel("address", required_on_save=True),
                "phone",
                "household_count",
            ],
            heading=_("Contact"),
        ),
        InlinePanel("photos", label=_("Photos")),
        InlinePanel("certifications", label=_("Certifications")),
        MultiFieldPanel(
            ["bank_bin", "bank_account_number", "bank_account_name"],
            heading=_("Bank account for transfers"),
        ),
    ]

    parent_page_types = ["growers.CooperativeIndexPage"]
    subpage_types = ["products.ProductPage"]
    base_form_class = ChoosableMediaPageForm

    class Meta:
        verbose_name = _("cooperative page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Its products are listed by products' own template tag ({% cooperative_products page %}).
        context["photos"] = self.photos.select_related("image").prefetch_related("image__renditions")
        return context

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_bin and self.bank_account_number)


class CooperativePhoto(Orderable):
    page = ParentalKey(CooperativePage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = ["image", "caption"]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")


class CooperativeCertification(Orderable, Certification):
    page = ParentalKey(CooperativePage, on_delete=models.CASCADE, related_name="certifications")

    class Meta(Orderable.Meta):
        verbose_name = _("certification")


def cooperative_owning(page: Page | None) -> "CooperativePage | None":
    """The cooperative a page belongs to (the page itself or the one above it), as its Vietnamese
    original: the one growing-area codes are registered to. None outside any cooperative."""
    if page is None:
        return None
    found = CooperativePage.objects.ancestor_of(page, inclusive=True).first()
    return original_page(found) if found is not None else None
