import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrderStatus(models.TextChoices):
    # With a context: other apps say "Packed" or "Cancelled" of other things, in other words.
    PENDING_PAYMENT = "pending_payment", pgettext_lazy("order status", "Waiting for payment")
    PAID = "paid", pgettext_lazy("order status", "Paid")
    PACKED = "packed", pgettext_lazy("order status", "Packed")
    SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
    DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")
    REFUNDED = "refunded", pgettext_lazy("order status", "Refunded")


# The only moves an order can make (orders.services.change_status enforces them). Stock is
# released when an unpaid order is cancelled or expires.
ORDER_TRANSITIONS = {
    OrderStatus.PENDING_PAYMENT: {OrderStatus.PAID, OrderStatus.CANCELLED},
    OrderStatus.PAID: {OrderStatus.PACKED, OrderStatus.REFUNDED, OrderStatus.CANCELLED},
    OrderStatus.PACKED: {OrderStatus.SHIPPED, OrderStatus.REFUNDED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED, OrderStatus.REFUNDED},
    OrderStatus.DELIVERED: {OrderStatus.REFUNDED},
    OrderStatus.CANCELLED: set(),
    OrderStatus.REFUNDED: set(),
}


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Pick up at the cooperative")
    SHIPPING = "shipping", _("Ship to an address")


class PaymentMethod(models.TextChoices):
    VIETQR = "vietqr", _("Bank transfer (VietQR)")
    STRIPE = "stripe", _("Card (Stripe)")


# Payment references go through banks that strip diacritics and cut long notes: upper-case
# ASCII letters and digits only, without look-alikes, 12 characters.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"


def new_payment_reference() -> str:
    return "SLL" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))


def new_order_token() -> str:
    return secrets.token_urlsafe(32)


def default_language() -> str:
    """An order placed before languages existed, or by a script, speaks the site's language."""
    return settings.LANGUAGE_CODE


class Checkout(models.Model):
    """One submitted checkout form. Inserting its row first, under a unique key, is what makes
    two copies of the same form arriving at the same moment place one set of orders."""

    id = models.UUIDField(primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.id)


class Order(models.Model):
    """One cooperative's part of a checkout, paid to that cooperative's account."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    payment_reference = models.CharField(
        _("payment reference"), max_length=20, unique=True, default=new_payment_reference
    )
    # The buyer's key to /orders/<token>/: 256 random bits, never shown in the admin list.
    token = models.CharField(max_length=64, unique=True, default=new_order_token, editable=False)
    # Orders placed together in one checkout share it; also what makes a double-submitted
    # checkout create its orders once.
    checkout_id = models.UUIDField(_("checkout"), default=uuid.uuid4, db_index=True)
    cooperative = models.ForeignKey(
        "growers.CooperativePage",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("cooperative"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.VIETQR
    )
    buyer_name = models.CharField(_("name"), max_length=150)
    buyer_phone = models.CharField(_("phone"), max_length=20)
    buyer_email = models.EmailField(_("email"), blank=True)
    # The client address the checkout came from, only as a keyed hash (HMAC-SHA256 under
    # SECRET_KEY, orders.services.buyer_client_key), never the address itself (personal data):
    # what ties one buyer's unpaid orders together when each gives another phone number.
    buyer_client = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    # No confirmation mail to the buyer for this order: the client that placed it had asked for
    # too many (decided by the checkout, which knows the client; read by the mail task, wherever
    # it runs).
    buyer_mail_held = models.BooleanField(default=False, editable=False)
    delivery_method = models.CharField(_("delivery"), max_length=10, choices=DeliveryMethod.choices)
    delivery_address = models.TextField(_("delivery address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    subtotal = models.PositiveBigIntegerField(_("subtotal (VND)"))
    shipping_fee = models.PositiveBigIntegerField(_("shipping (VND)"), default=0)
    total = models.PositiveBigIntegerField(_("total (VND)"))
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("pay before"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    # The language the buyer ordered in (the checkout's active language): their e-mails are
    # written in it and their links keep its prefix. No choices: SITE_LANGUAGES may change.
    language = models.CharField(_("language"), max_length=15, default=default_language)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [("change_order_status", "Can move orders through their statuses")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("orders:detail", args=[self.token])


class OrderLine(models.Model):
    """What was bought, copied from the product at the time: later price edits change nothing."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "products.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    product_title = models.CharField(_("product"), max_length=255)
    pack_label = models.CharField(_("pack"), max_length=60)
    sku = models.CharField(_("SKU"), max_length=40)
    unit_price = models.PositiveBigIntegerField(_("unit price (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.PositiveBigIntegerField(_("line total (VND)"))

    class Meta:
        verbose_name = _("order line")

    def __str__(self):
        return f"{self.quantity} × {self.product_title} ({self.pack_label})"


class OrderEvent(models.Model):
    """The order's timeline: every status change, with who and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from status"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=OrderStatus.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("by"),
    )
    # Machine words, never translated: admin, bank, stripe, expiry, buyer.
    source = models.CharField(_("source"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"


class Payment(models.Model):
    """Money received for an order, from a bank notice, the cooperative's own check, or Stripe.
    Unique per (method, provider reference): the same transfer is never counted twice."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order")
    )
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    provider_reference = models.CharField(_("bank or Stripe reference"), max_length=255)
    received_at = models.DateTimeField(_("received at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        constraints = [
            models.UniqueConstraint(fields=["method", "provider_reference"], name="one_payment_per_reference")
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.provider_reference}: {self.amount}"


class BankNotificationOutcome(models.TextChoices):
    MATCHED = "matched", _("Matched, order paid")
    ALREADY_PAID = "already_paid", _("Same transfer already recorded")
    PAID_TWICE = "paid_twice", _("Order was already paid: second payment, refund it")
    WRONG_AMOUNT = "wrong_amount", _("Amount differs: needs review")
    UNKNOWN_REFERENCE = "unknown_reference", _("No order with this reference: needs review")
    ORDER_CLOSED = "order_closed", _("Order cancelled or expired: needs review")


class BankNotification(models.Model):
    """Every signed notice from the bank, kept whatever it says; idempotent by transaction id."""

    # Shown in the order desk's "bank notices to review" list, hence the names.
    transaction_id = models.CharField(_("bank transaction"), max_length=100, unique=True)
    amount = models.BigIntegerField(_("amount (VND)"))
    description = models.TextField(_("transfer note"), blank=True)
    account = models.CharField(_("account"), max_length=40, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    raw_body = models.TextField()
    outcome = models.CharField(_("outcome"), max_length=20, choices=BankNotificationOutcome.choices)
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bank_notices",
        verbose_name=_("order"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    reviewed = models.BooleanField(_("reviewed"), default=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("bank notice")

    def __str__(self):
        return f"{self.transaction_id}: {self.amount} ({self.outcome})"


class UnreadableBankNotice(models.Model):
    """A correctly signed body from the bank that could not be read as a notice (not UTF-8, not
    JSON, nested too deeply, a field missing or wrong). The bank is answered 400; the body is kept
    here, once per distinct body, for a person to read: the money may well have arrived."""

    # Request bodies are at most 1 MB (website/request_guard.py); a person reads the start.
    MAX_STORED_CHARACTERS = 64 * 1024

    body_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    body = models.TextField(_("body as received"))
    body_size = models.PositiveIntegerField(_("size (bytes)"))
    reason = models.CharField(_("why it could not be read"), max_length=200)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("unreadable bank notice")
        verbose_name_plural = _("unreadable bank notices")

    def __str__(self):
        return f"{self.body_sha256[:12]}: {self.reason}"


class StripeEvent(models.Model):
    """Stripe events already handled, by id: a delivery seen twice has the effect of one."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="stripe_events"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return f"{self.event_id} {self.event_type}"
