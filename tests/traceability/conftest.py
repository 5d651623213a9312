"""Shared fixtures for batches: a registry page, a product with a GTIN-8 pack (so that its 8, 12,
13 and 14-digit forms all name it), a valid growing area, and a published batch citing it."""

import datetime

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.db import connection
from django.utils import timezone

from wagtail.models import Collection

from growers.factories import GrowingAreaFactory
from products.factories import ProductPageFactory, ProductVariantFactory
from traceability.factories import BatchPageFactory, TraceEventFactory
from website.templatetags.site_tags import ICONS_DIR

# A GTIN-8 (check digit 4) and the same number in the longer forms a scanner may give.
GTIN_8 = "96385074"
GTIN_FORMS = {8: GTIN_8, 12: GTIN_8.zfill(12), 13: GTIN_8.zfill(13), 14: GTIN_8.zfill(14)}
OTHER_GTIN = "8931234567897"
# A counted scan: one statement on PostgreSQL (the place goes in with the count), two on SQLite
# (the place, then the count and totals). An uncounted one reads the totals only: one.
COUNTED_SCAN_QUERIES = 1 if connection.vendor == "postgresql" else 2


def _drawing(markup: str) -> str:
    return "".join(str(part) for part in BeautifulSoup(markup, "html.parser").contents).strip()


PICTOGRAMS = {_drawing(path.read_text(encoding="utf-8")): path.stem for path in ICONS_DIR.glob("*.svg")}


def pictograms(tag) -> list[str]:
    """The names of the pictograms (website/icons/<name>.svg) drawn inline in a parsed tag, in order."""
    return [
        PICTOGRAMS.get(_drawing("".join(str(c) for c in svg.contents)), "?") for svg in tag.find_all("svg")
    ]


@pytest.fixture
def product(coop1):
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô")
    ProductVariantFactory(page=product, gtin=GTIN_8, stock=10)
    return product


@pytest.fixture
def other_product(coop1):
    product = ProductPageFactory(parent=coop1, title="Sâm Lai Châu")
    ProductVariantFactory(page=product, gtin=OTHER_GTIN, stock=0)
    return product


@pytest.fixture
def area(coop1):
    """A valid code registered to coop1, the cooperative whose products the batches are of."""
    return GrowingAreaFactory(code="VN-SLL-0001", village="Sì Lở Lầu", commune="Sì Lở Lầu", cooperative=coop1)


@pytest.fixture
def make_batch(product, area):
    """A published batch under `product` (or `parent`), citing `areas` (default: `area`)."""

    def make(*, parent=None, areas=None, **kwargs):
        batch = BatchPageFactory(parent=parent or product, **kwargs)
        batch.growing_areas.set([area] if areas is None else areas)
        batch.save_revision().publish()
        batch.refresh_from_db()
        return batch

    return make


@pytest.fixture
def batch(make_batch, registry):
    return make_batch(lot="TQ2026-01")


@pytest.fixture
def make_events(db):
    """`count` events on a batch, each with its own photo when `photos` is true."""

    def make(batch, count, *, photos=True):
        start = timezone.now() - datetime.timedelta(days=60)
        types = ["planting", "harvest", "processing", "packing", "inspection", "shipping", "other"]
        collection = Collection.get_first_root_node()
        return [
            TraceEventFactory(
                batch=batch,
                sort_order=n,
                event_type=types[n % len(types)],
                occurred_at=start + datetime.timedelta(days=n, hours=n % 5),
                notes=f"Bước {n + 1}: ghi chép của tổ sản xuất về lô hàng.",
                photo=wagtail_factories.ImageFactory(collection=collection, title=f"IMG_{n:04d}")
                if photos
                else None,
            )
            for n in range(count)
        ]

    return make


SYSTEM_FONTS = "/usr/share/fonts"


@pytest.fixture
def no_system_fonts(monkeypatch):
    """A machine like the production image (python:3.11-slim): no font in the system's font
    folder. Every look at /usr/share/fonts finds nothing, and reportlab searches no folder."""
    import os.path
    import pathlib

    from reportlab import rl_config

    def hidden(path) -> bool:
        return os.path.abspath(os.fspath(path)).startswith(SYSTEM_FONTS)

    for module, name in (
        (pathlib.Path, "is_file"),
        (pathlib.Path, "exists"),
        (os.path, "isfile"),
        (os.path, "exists"),
    ):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda path, *a, _real=real, **k: False if hidden(path) else _real(path, *a, **k)
        )
    monkeypatch.setattr(rl_config, "TTFSearchPath", [])


@pytest.fixture
def label_fonts_missing(monkeypatch, tmp_path):
    """The fonts shipped with the labels are gone (a broken install)."""
    from traceability import labels

    monkeypatch.setattr(labels, "FONT_DIR", tmp_path / "fonts")


@pytest.fixture
def make_unit(db):
    """A serialised unit of `batch`, with its PIN known to the test (as printed on its label)."""
    from traceability.models import Unit
    from traceability.units import new_pin_seed, new_serial, pin_for, pin_hash

    def make(batch, **kwargs):
        serial, seed = new_serial(), new_pin_seed()
        unit = Unit.objects.create(
            batch=batch, serial=serial, pin_seed=seed, pin_hash=pin_hash(serial, pin_for(seed)), **kwargs
        )
        unit.pin = pin_for(seed)
        return unit

    return make


@pytest.fixture
def unit(batch, make_unit):
    return make_unit(batch)
