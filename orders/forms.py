import re

from django import forms
from django.conf import settings

from products.models import ProductVariant

from .cart import MAX_QUANTITY
from .models import DeliveryMethod, PaymentMethod

QUANTITY_MESSAGES = {
    "required": "Hãy nhập số lượng.",
    "invalid": "Số lượng phải là một số nguyên, ví dụ 1 hoặc 2.",
    "min_value": "Số lượng ít nhất là 1.",
    "max_value": "Số lượng nhiều nhất là %(limit_value)s.",
}
UNKNOWN_VARIANT = "Không tìm thấy sản phẩm này, hoặc sản phẩm đã ngừng bán."
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

    def clean_variant(self):
        variant = (
            ProductVariant.objects.filter(pk=self.cleaned_data["variant"], is_active=True, page__live=True)
            .select_related("page")
            .first()
        )
        if variant is None:
            raise forms.ValidationError(UNKNOWN_VARIANT)
        return variant

    def clean(self):
        cleaned = super().clean()
        variant, quantity = cleaned.get("variant"), cleaned.get("quantity")
        if variant is None or quantity is None:
            return cleaned
        wanted = quantity + self.already_in_cart(variant.pk)
        if variant.stock <= 0:
            raise forms.ValidationError(f"{variant.page.title} ({variant.pack_label}) đã hết hàng.")
        if wanted > variant.stock:
            raise forms.ValidationError(
                f"Chỉ còn {variant.stock} {variant.page.title} ({variant.pack_label})"
                + (f"; giỏ hàng đã có {wanted - quantity}." if wanted != quantity else ".")
            )
        return cleaned


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
        label="Họ và tên", max_length=150, error_messages={"required": "Hãy nhập tên của bạn."}
    )
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        help_text="Ví dụ 0912 345 678. Hợp tác xã sẽ gọi số này để giao hàng.",
        error_messages={"required": "Hãy nhập số điện thoại."},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    delivery_method = forms.ChoiceField(
        label="Cách nhận hàng",
        choices=[
            (DeliveryMethod.PICKUP, "Đến lấy tại hợp tác xã"),
            (DeliveryMethod.SHIPPING, "Gửi đến địa chỉ của tôi"),
        ],
        initial=DeliveryMethod.PICKUP,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label="Địa chỉ nhận hàng",
        required=False,
        max_length=500,
        help_text="Chỉ cần khi gửi hàng: số nhà, thôn/bản, xã, huyện, tỉnh.",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    email = forms.EmailField(
        label="Email (không bắt buộc)",
        required=False,
        help_text="Để nhận thư xác nhận đơn hàng.",
        error_messages={"invalid": "Địa chỉ email chưa đúng."},
    )
    note = forms.CharField(
        label="Ghi chú (không bắt buộc)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payment_method = forms.ChoiceField(
        label="Cách thanh toán", initial=PaymentMethod.VIETQR, widget=forms.RadioSelect
    )
    checkout_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(PaymentMethod.VIETQR, "Chuyển khoản ngân hàng (quét mã VietQR)")]
        if settings.STRIPE_SECRET_KEY:
            choices.append((PaymentMethod.STRIPE, "Thẻ ngân hàng quốc tế (Stripe)"))
        self.fields["payment_method"].choices = choices

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(
                "Số điện thoại chưa đúng: cần 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc +84."
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        address = cleaned.get("delivery_address", "").strip()
        cleaned["delivery_address"] = address
        if cleaned.get("delivery_method") == DeliveryMethod.SHIPPING and not address:
            self.add_error("delivery_address", "Hãy nhập địa chỉ để hợp tác xã gửi hàng.")
        if cleaned.get("delivery_method") == DeliveryMethod.PICKUP:
            cleaned["delivery_address"] = ""
        return cleaned
