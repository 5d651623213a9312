"""The URL a printed label carries (DESIGN §2, GS1 Digital Link; §4, public URLs)."""

from urllib.parse import quote

from django.conf import settings


def site_base_url() -> str:
    """The site's configured public address (WAGTAILADMIN_BASE_URL), without a trailing slash."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def label_variant(batch, variant=None):
    """The pack size whose GTIN goes on the label: the one asked for, else the product's first
    active pack size that has a GTIN; None when there is none."""
    if variant is not None:
        return variant if variant.gtin else None
    product = batch.product
    if product is None:
        return None
    return product.variants.filter(is_active=True, gtin__isnull=False).order_by("sort_order", "pk").first()


def digital_link_path(gtin: str, lot: str) -> str:
    """`/01/<GTIN-14>/10/<lot>`: the GS1 Digital Link path of a lot of a pack size.

    GS1 Digital Link percent-encodes every character of an AI value outside the URI
    "unreserved" set (A-Z a-z 0-9 - . _ ~), e.g. the "/" and "+" a lot (AI 10) may hold."""
    return f"/01/{gtin}/10/{quote(lot, safe='')}"


def label_url(batch, variant=None) -> str:
    """`<base>/01/<GTIN-14>/10/<lot>` where a GTIN is known, else `<base>/t/<short-code>`."""
    variant = label_variant(batch, variant)
    if variant is not None:
        return site_base_url() + digital_link_path(variant.gtin, batch.lot)
    return f"{site_base_url()}/t/{batch.short_code}"


def site_address() -> str:
    """The site's address as people type it from a label: no scheme, e.g. "sll.vn"."""
    base = site_base_url()
    return base.split("://", 1)[-1]


def check_address() -> str:
    """Where a code is typed by hand (DESIGN §4, /check/): "<site>/check/", without the scheme."""
    return f"{site_address()}/check/"


def unit_url(batch, unit) -> str:
    """The unit's QR: `<base>/01/<GTIN-14>/10/<lot>/21/<serial>` when its pack has a GTIN, else
    `<base>/t/<short-code>/<serial>`. Never the PIN."""
    pack = unit.pack
    serial = quote(unit.serial, safe="")
    if pack is not None and pack.gtin:
        return f"{site_base_url()}{digital_link_path(pack.gtin, batch.lot)}/21/{serial}"
    return f"{site_base_url()}/t/{batch.short_code}/{serial}"
