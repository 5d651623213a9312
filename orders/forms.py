import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from products.selectors import for_sale_variants

from .cart import MAX_QUANTITY
from .models import DeliveryMethod, PaymentMethod
from .selectors import shown_pages
from .services import order_share_limit


def shown_title(page) -> str:
    """The product's title in the buyer's language where a live translation exists."""
    return shown_pages([page])[page.pk].title


QUANTITY_MESSAGES = {
    "required": gettext_lazy("Enter a quantity."),
    "invalid": gettext_lazy("The quantity must be a whole number, e.g. 1 or 2."),
    "min_value": gettext_lazy("The quantity must be at least 1."),
    "max_value": gettext_lazy("The quantity can be at most %(limit_value)s."),
}
UNKNOWN_VARIANT = gettext_lazy("This product was not found, or is no longer for sale.")
VARIANT_MESSAGES = {"invalid": UNKNOWN_VARIANT, "required": UNKNOWN_VARIANT, "min_value": UNKNOWN_VARIANT}


class CartLineForm(forms.Form):
    """A variant and a quantity, as posted by an add-to-cart or update form. The variant must
    be on sale; the quantity (plus what the cart already holds, when adding) within stock."""

    variant = forms.IntegerField(min_value=1, error_messages=VARIANT_MESSAGES)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, error_messages=QUANTITY_MESSAGES)

    def __init__(self, *args, already_in_cart=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Called with the variant's id, gives the quantity the cart already holds (adding).
        self.already_in_cart = already_in_cart or (lambda variant_id: 0)
        # One buyer's share of the pack when the quantity was lowered to it (None otherwise).
        self.capped_at = None

    def clean_variant(self):
        variant = for_sale_variants().filter(pk=self.cleaned_data["variant"]).select_related("page").first()
        if variant is None:
            raise forms.ValidationError(UNKNOWN_VARIANT)
        return variant

    def clean(self):
        cleaned = super().clean()
        variant, quantity = cleaned.get("variant"), cleaned.get("quantity")
        if variant is None or quantity is None:
            return cleaned
        already = self.already_in_cart(variant.pk)
        wanted = quantity + already
        words = {"product": shown_title(variant.page), "pack": variant.pack_label, "left": variant.stock}
        limit = buyer_share(variant)
        if limit is not None and wanted > limit:
            # Checkout would refuse more than one buyer's share: lower it now and say so.
            if already >= limit:
                refusal = share_message(limit=limit, in_cart=already, refused=True, **words)
                raise forms.ValidationError(refusal)
            cleaned["quantity"] = limit - already
            self.capped_at = limit
            return cleaned
        if variant.stock > 0 and wanted <= variant.stock:
            return cleaned
        if variant.stock <= 0:
            raise forms.ValidationError(_("%(product)s (%(pack)s) is sold out.") % words)
        if wanted != quantity:
            raise forms.ValidationError(
                _("Only %(left)s of %(product)s (%(pack)s) left; your cart already has %(in_cart)s.")
                % {**words, "in_cart": wanted - quantity}
            )
        raise forms.ValidationError(_("Only %(left)s of %(product)s (%(pack)s) left.") % words)


def buyer_share(variant) -> int | None:
    """The most of this pack one buyer may take (orders.services.order_share_limit of its
    stock), or None when that is not fewer than what is in stock (the stock is the limit)."""
    limit = order_share_limit(variant.stock)
    return limit if 0 < limit < variant.stock else None


def share_message(*, limit: int, product: str, pack: str, in_cart: int, refused=False, **words) -> str:
    """What the buyer is told when the cart would hold more than one buyer's share: the cart now
    holds `in_cart` (lowered to the share), or, `refused`, already held it and is unchanged."""
    words = {"limit": limit, "product": product, "pack": pack, "in_cart": in_cart}
    if refused:
        return (
            _(
                "Each buyer may have at most %(limit)s %(product)s (%(pack)s), so that other "
                "buyers can have some too; your cart already has %(in_cart)s."
            )
            % words
        )
    return (
        _(
            "Each buyer may have at most %(limit)s %(product)s (%(pack)s), so that other "
            "buyers can have some too; your cart now has %(in_cart)s."
        )
        % words
    )


class CartRemoveForm(forms.Form):
    variant = forms.IntegerField(min_value=1, error_messages=VARIANT_MESSAGES)


PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
VIETNAMESE_PHONE = re.compile(r"^0[2-9]\d{8}$")


def normalise_phone(value: str) -> str:
    """'+84 912 345 678', '84912345678', '0912.345.678' -> '0912345678'; '' when not a
    Vietnamese 10-digit number."""
    digits = PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if VIETNAMESE_PHONE.match(digits) else ""


class CheckoutForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=150,
        error_messages={"required": gettext_lazy("Enter your name.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=20,
        help_text=gettext_lazy("For example 0912 345 678. The cooperative will call this number to deliver."),
        error_messages={"required": gettext_lazy("Enter your phone number.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    delivery_method = forms.ChoiceField(
        label=gettext_lazy("How you get the goods"),
        choices=[
            (DeliveryMethod.PICKUP, gettext_lazy("Pick up at the cooperative")),
            (DeliveryMethod.SHIPPING, gettext_lazy("Send to my address")),
        ],
        initial=DeliveryMethod.PICKUP,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=gettext_lazy("Delivery address"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Only needed for sending: house number, village, commune, district, province."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email (optional)"),
        required=False,
        help_text=gettext_lazy("To receive an email confirming the order."),
        error_messages={"invalid": gettext_lazy("This email address is not right.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payment_method = forms.ChoiceField(
        label=gettext_lazy("How you pay"), initial=PaymentMethod.VIETQR, widget=forms.RadioSelect
    )
    checkout_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(PaymentMethod.VIETQR, _("Bank transfer (scan the VietQR code)"))]
        if settings.STRIPE_SECRET_KEY:
            choices.append((PaymentMethod.STRIPE, _("International bank card (Stripe)")))
        self.fields["payment_method"].choices = choices

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(
                _(
                    "This phone number is not right: it needs 10 digits starting with 0 "
                    "(e.g. 0912 345 678), or +84."
                )
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        address = cleaned.get("delivery_address", "").strip()
        cleaned["delivery_address"] = address
        if cleaned.get("delivery_method") == DeliveryMethod.SHIPPING and not address:
            self.add_error(
                "delivery_address", _("Enter the address the cooperative should send the goods to.")
            )
        if cleaned.get("delivery_method") == DeliveryMethod.PICKUP:
            cleaned["delivery_address"] = ""
        return cleaned
