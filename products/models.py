from anyascii import anyascii

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from growers.models import Certification
from website.blocks import StoryBlock
from website.i18n import FallbackRouteMixin, default_language, locale_id, localized_pages
from website.page_cache import CachedPageMixin

from .fields import GTINField
from .forms import ProductPageForm


def fold_for_search(text: str) -> str:
    """'Thảo quả Đỏ' -> 'thao qua do': buyers often type without diacritics."""
    return anyascii(text or "").lower()


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = ["name", "slug", "sort_order"]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class OcopStars(models.IntegerChoices):
    THREE = 3, _("3 stars")
    FOUR = 4, _("4 stars")
    FIVE = 5, _("5 stars")


# What only the Vietnamese original of a product carries (DESIGN §3, issue 6): its packs (whose
# GTIN and SKU are unique), certificates and origin codes. A translation shows the original's.
ORIGINAL_ONLY_RELATIONS = ("variants", "certifications")
ORIGINAL_ONLY_M2M = ("origin_areas",)


class ProductPage(FallbackRouteMixin, Page):
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = StreamField(StoryBlock(), blank=True, verbose_name=_("description"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP rating"),
        choices=OcopStars.choices,
        null=True,
        blank=True,
        help_text=_("Leave empty if the product has no OCOP rating."),
    )
    origin_areas = ParentalManyToManyField(
        "growers.GrowingArea",
        verbose_name=_("origin growing areas"),
        blank=True,
        related_name="products",
        help_text=_("The registered growing-area codes (mã số vùng trồng) this product comes from."),
    )
    # Derived from title, summary and category on save; folded to ASCII so that a search
    # typed without Vietnamese diacritics still matches.
    search_text = models.TextField(editable=False, blank=True, default="")

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        "summary",
        "image",
        "description",
        MultiFieldPanel(["category", "ocop_stars"], heading=_("Classification")),
        "origin_areas",
        InlinePanel("variants", label=_("Pack sizes and prices"), min_num=1),
        InlinePanel("gallery_images", label=_("Gallery")),
        InlinePanel("certifications", label=_("Certifications")),
    ]

    parent_page_types = ["growers.CooperativePage"]
    subpage_types = ["traceability.BatchPage"]
    base_form_class = ProductPageForm

    class Meta:
        verbose_name = _("product page")

    def save(self, *args, **kwargs):
        parts = [self.title, self.summary, self.category.name if self.category_id else ""]
        self.search_text = fold_for_search(" ".join(parts))
        return super().save(*args, **kwargs)

    def copy_all_child_relations(self, target, exclude=None, commit=False, append=False):
        """A copy into another language (simple_translation's "Translate", with or without the
        subtree, or an alias there) gets no packs, certificates or origin codes: only the
        original carries them, and copied packs would break the unique GTIN. Every page copy
        passes through here with the target's locale already set, whichever way Wagtail was
        asked (Page.copy on a specific or a plain Page, update_aliases); an ordinary copy in
        the same language keeps everything, as before."""
        if target.locale_id != self.locale_id:
            exclude = [*(exclude or []), *ORIGINAL_ONLY_RELATIONS]
            # Emptied rather than just left out, so that an alias updated from content JSON
            # cannot carry the original's rows (with their ids) over.
            for name in ORIGINAL_ONLY_RELATIONS + ORIGINAL_ONLY_M2M:
                setattr(target, name, [])
        copied = super().copy_all_child_relations(target, exclude=exclude, commit=commit, append=append)
        if target.locale_id == self.locale_id:
            # A copied pack is a new product line: its barcode (unique) is not the original's.
            for variant in target.variants.all():
                variant.gtin = None
                if commit:
                    variant.save(update_fields=["gtin"])
        return copied

    @property
    def is_original(self) -> bool:
        return self.locale_id == locale_id(default_language())

    @cached_property
    def original(self) -> "ProductPage":
        """The Vietnamese page that carries this product's packs, prices, stock, origin codes,
        certificates and rating: this page itself, or the live Vietnamese page it translates
        (one query). A translation whose original is not live (withdrawn) or that translates
        nothing shows its own, empty, commerce data: the product is not on sale."""
        if self.is_original:
            return self
        found = (
            ProductPage.objects.live()
            .filter(translation_key=self.translation_key, locale_id=locale_id(default_language()))
            .select_related("category")
            .first()
        )
        return found or self

    @cached_property
    def cooperative(self):
        from growers.models import CooperativePage

        return CooperativePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from growers.registry import origin_areas_context

        context = super().get_context(request, *args, **kwargs)
        # Words, pictures and story from this page (a translation has its own); packs, prices,
        # stock, rating, certificates and origin codes from the original.
        original = self.original
        context["original"] = original
        # The cooperative in the visitor's language where it is translated (a Vietnamese product
        # shown under /en/ sits in the Vietnamese tree).
        cooperative = self.cooperative
        context["cooperative"] = localized_pages([cooperative])[0] if cooperative is not None else None
        context["variants"] = [v for v in original.variants.all() if v.is_active]
        context["certifications"] = list(original.certifications.all())
        context["gallery_images"] = self.gallery_images.select_related("image").prefetch_related(
            "image__renditions"
        )
        # One query for the codes (and one for the registry page), however many are cited.
        context["origin_areas"] = origin_areas_context(request, original.origin_areas.order_by("code"))
        return context


class ProductVariant(Orderable):
    """A pack size of a product: what a buyer actually puts in the cart."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="variants")
    pack_label = models.CharField(_("pack"), max_length=60, help_text=_("e.g. 'Túi 500 g'"))
    weight_grams = models.PositiveIntegerField(_("weight (grams)"), validators=[MinValueValidator(1)])
    sku = models.CharField(_("SKU"), max_length=40)
    gtin = GTINField(_("GTIN (barcode)"), unique=True)
    price = models.PositiveIntegerField(
        _("price (VND)"), validators=[MinValueValidator(1)], help_text=_("Whole đồng, e.g. 120000")
    )
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    panels = [
        "pack_label",
        "weight_grams",
        "sku",
        "gtin",
        FieldPanel("price"),
        "stock",
        "is_active",
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("pack size")
        constraints = [
            models.UniqueConstraint(fields=["page", "sku"], name="unique_sku_per_product"),
        ]

    def __str__(self):
        return f"{self.page.title} – {self.pack_label}"

    @property
    def in_stock(self) -> bool:
        return self.is_active and self.stock > 0


class ProductGalleryImage(Orderable):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = ["image", "caption"]

    class Meta(Orderable.Meta):
        verbose_name = _("gallery image")


class ProductCertification(Orderable, Certification):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="certifications")

    class Meta(Orderable.Meta):
        verbose_name = _("certification")


class ShopPage(CachedPageMixin, Page):
    """The catalogue of every live product from every cooperative, at /shop/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("shop page")

    @classmethod
    def cached_query_parameters(cls):
        from .views import catalogue_parameters

        return catalogue_parameters()

    def worth_keeping(self, request, context):
        from .views import catalogue_worth_keeping

        return catalogue_worth_keeping(request, context)

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request))
        return context
