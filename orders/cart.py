"""The cart: {variant id: quantity} in the session, nothing else. Prices, titles and stock are
always read from the database when the cart is shown or checked out, so nothing a buyer can
send (or keep in an old session) changes what they pay."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from products.models import ProductPage, ProductVariant
from products.selectors import publicly_reachable

from .selectors import shown_pages
from .services import order_share_limit

SESSION_KEY = "cart"
# Units in the cart, kept beside it so that every page's header can show it without a query.
COUNT_KEY = "cart_count"
MAX_QUANTITY = 999


@dataclass
class CartLine:
    variant: ProductVariant
    quantity: int
    # The product's page in the buyer's language where a live translation exists (set by
    # localize_lines); the original (Vietnamese) page keeps the price and stock.
    shown_page: object = None

    @property
    def page(self):
        return self.shown_page or self.variant.page

    @property
    def unit_price(self) -> int:
        return self.variant.price

    @property
    def line_total(self) -> int:
        return self.variant.price * self.quantity

    @property
    def problem(self) -> str:
        """Why this line cannot be bought as it is, in words for the buyer ('' when it can)."""
        if not self.variant.is_active or not self.variant.page.live:
            return _("This product is not for sale right now.")
        if self.variant.stock <= 0:
            return _("Sold out.")
        if self.quantity > self.variant.stock:
            return _("Only %(left)s left.") % {"left": self.variant.stock}
        return ""


def localize_lines(lines: list[CartLine]) -> list[CartLine]:
    shown = shown_pages(line.variant.page for line in lines)
    for line in lines:
        line.shown_page = shown.get(line.variant.page_id)
    return lines


@dataclass
class CartGroup:
    cooperative: object
    lines: list[CartLine]

    @property
    def total(self) -> int:
        return sum(line.line_total for line in self.lines)


class Cart:
    def __init__(self, request):
        self.session = request.session
        raw = self.session.get(SESSION_KEY)
        self._items: dict[str, int] = {}
        # Lines lines() took out: their product is gone or hidden from the public.
        self.dropped = 0
        # Lines lines() lowered to one buyer's share of their pack (order_share_limit).
        self.capped: list[CartLine] = []
        # A session is the buyer's to tamper with: keep only sane entries.
        if isinstance(raw, dict):
            for key, value in raw.items():
                if str(key).isdigit() and isinstance(value, int) and 0 < value <= MAX_QUANTITY:
                    self._items[str(int(key))] = value

    def __len__(self) -> int:
        return sum(self._items.values())

    def __bool__(self) -> bool:
        return bool(self._items)

    def __contains__(self, variant_id) -> bool:
        return str(variant_id) in self._items

    def quantity_of(self, variant_id) -> int:
        return self._items.get(str(variant_id), 0)

    @property
    def items(self) -> dict[int, int]:
        """{variant id: quantity}, as orders.services.place_orders takes it."""
        return {int(key): value for key, value in self._items.items()}

    def set(self, variant_id: int, quantity: int) -> None:
        self._items[str(variant_id)] = quantity
        self._save()

    def add(self, variant_id: int, quantity: int) -> None:
        self.set(variant_id, self.quantity_of(variant_id) + quantity)

    def remove(self, variant_id: int) -> None:
        if self._items.pop(str(variant_id), None) is not None:
            self._save()

    def clear(self) -> None:
        self._items = {}
        self.session.pop(SESSION_KEY, None)
        self.session.pop(COUNT_KEY, None)

    def _save(self) -> None:
        self.session[SESSION_KEY] = dict(self._items)
        self.session[COUNT_KEY] = len(self)

    def lines(self) -> list[CartLine]:
        """The cart's lines with their variants from the database (two queries); variants that
        no longer exist, or whose product is hidden from the public (a password or login on it or
        above it, a page above it unpublished), are dropped from the cart: never shown, never
        sold. Unpublished or inactive ones stay, as lines with a problem."""
        variants = (
            ProductVariant.objects.filter(pk__in=self.items)
            .filter(page__in=publicly_reachable(ProductPage.objects.all()))
            .select_related("page")
            .order_by("pk")
        )
        found = {variant.pk: variant for variant in variants}
        gone = [variant_id for variant_id in self.items if variant_id not in found]
        for variant_id in gone:
            self._items.pop(str(variant_id), None)
        self.dropped += len(gone)
        lines = [CartLine(variant=found[variant_id], quantity=qty) for variant_id, qty in self.items.items()]
        # More of a pack than one buyer may hold (the stock fell since, or an old session):
        # checkout would refuse it, so the cart lowers it to the share now, and the views say so.
        for line in lines:
            limit = order_share_limit(line.variant.stock)
            if line.variant.is_active and 0 < limit < line.variant.stock and line.quantity > limit:
                line.quantity = limit
                self._items[str(line.variant.pk)] = limit
                self.capped.append(line)
        if gone or self.capped:
            self._save()
        return lines

    def groups(self) -> list[CartGroup]:
        """Lines grouped by cooperative: each cooperative is a separate order, paid separately."""
        from growers.models import CooperativePage

        lines = localize_lines(self.lines())
        if not lines:
            return []
        cooperatives = list(CooperativePage.objects.all().only("pk", "title", "path", "depth", "phone"))
        groups: dict[object, CartGroup] = {}
        for line in lines:
            path = line.variant.page.path
            cooperative = next((c for c in cooperatives if path.startswith(c.path)), None)
            key = cooperative.pk if cooperative else None
            groups.setdefault(key, CartGroup(cooperative=cooperative, lines=[])).lines.append(line)
        return list(groups.values())
