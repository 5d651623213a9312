"""A small, fixed catalogue across both cooperatives, so that each filter and sort order can be
checked against the exact list of products a buyer should see."""

import datetime

import pytest
import wagtail_factories

from django.utils import timezone

from wagtail.models import Collection, Site

from products.factories import (
    CategoryFactory,
    ProductCertificationFactory,
    ProductPageFactory,
    ProductVariantFactory,
)
from products.models import ProductPage


def published_days_ago(product, days):
    when = timezone.now() - datetime.timedelta(days=days)
    ProductPage.objects.filter(pk=product.pk).update(first_published_at=when)


@pytest.fixture
def make_image(db):
    """A small real image file in the root collection (renditions are generated from it)."""

    def make(**kwargs):
        kwargs.setdefault("collection", Collection.get_first_root_node())
        return wagtail_factories.ImageFactory(**kwargs)

    return make


@pytest.fixture
def spices(db):
    return CategoryFactory(name="Gia vị", slug="gia-vi", sort_order=1)


@pytest.fixture
def tea(db):
    return CategoryFactory(name="Chè", slug="che", sort_order=2)


@pytest.fixture
def herbs(db):
    return CategoryFactory(name="Dược liệu", slug="duoc-lieu", sort_order=3)


@pytest.fixture
def catalogue(shop, coop1, coop2, spices, tea, herbs):
    """Five live products and two that must never be listed.

    title                 coop   category  OCOP  certs      lowest active price  in stock
    Thảo quả khô          coop1  spices    4     VietGAP    120.000              yes
    Thảo quả rừng già     coop1  spices    5     organic    300.000              no (inactive pack has stock)
    Sâm Lai Châu          coop1  herbs     3     GACP-WHO   2.000.000            yes
    Chè Shan tuyết cổ thụ coop2  tea       -     VietGAP    180.000              yes
    Mật ong bạc hà        coop2  -         3     -          95.000               yes (only the dearer pack)
    """
    kho = ProductPageFactory(
        parent=coop1, title="Thảo quả khô", summary="Phơi trên gác bếp.", category=spices, ocop_stars=4
    )
    ProductVariantFactory(page=kho, pack_label="Túi 500 g", price=120000, stock=10)
    ProductVariantFactory(page=kho, pack_label="Túi 1 kg", weight_grams=1000, price=250000, stock=0)
    ProductCertificationFactory(page=kho, scheme="vietgap")

    rung = ProductPageFactory(
        parent=coop1, title="Thảo quả rừng già", summary="Hái dưới tán rừng.", category=spices, ocop_stars=5
    )
    ProductVariantFactory(page=rung, price=300000, stock=0)
    ProductVariantFactory(page=rung, price=80000, stock=50, is_active=False)
    ProductCertificationFactory(page=rung, scheme="organic")

    sam = ProductPageFactory(
        parent=coop1, title="Sâm Lai Châu", summary="Củ sâm sáu năm tuổi.", category=herbs, ocop_stars=3
    )
    ProductVariantFactory(page=sam, pack_label="Hộp 100 g", weight_grams=100, price=2000000, stock=2)
    ProductVariantFactory(page=sam, price=50000, stock=100, is_active=False)
    ProductCertificationFactory(page=sam, scheme="gacp-who")

    che = ProductPageFactory(
        parent=coop2, title="Chè Shan tuyết cổ thụ", summary="Búp chè sao tay.", category=tea, ocop_stars=None
    )
    ProductVariantFactory(page=che, price=180000, stock=5)
    ProductCertificationFactory(page=che, scheme="vietgap")

    mat = ProductPageFactory(
        parent=coop2, title="Mật ong bạc hà", summary="Mật ong hoa bạc hà.", category=None, ocop_stars=3
    )
    ProductVariantFactory(page=mat, pack_label="Chai 250 ml", price=95000, stock=0)
    ProductVariantFactory(page=mat, pack_label="Chai 500 ml", price=150000, stock=3)

    # Matches every filter, but a buyer must never see it.
    draft = ProductPageFactory(
        parent=coop1, title="Thảo quả nháp", summary="Bản nháp.", category=spices, ocop_stars=5, live=False
    )
    ProductVariantFactory(page=draft, price=100000, stock=9)
    ProductCertificationFactory(page=draft, scheme="vietgap")
    withdrawn = ProductPageFactory(
        parent=coop2, title="Thảo quả ngừng bán", summary="Đã gỡ.", category=spices, ocop_stars=5
    )
    ProductVariantFactory(page=withdrawn, price=100000, stock=9)
    withdrawn.unpublish()

    for product, days in [(sam, 1), (che, 2), (kho, 3), (mat, 4), (rung, 5), (draft, 0), (withdrawn, 0)]:
        published_days_ago(product, days)

    return {
        "kho": kho,
        "rung": rung,
        "sam": sam,
        "che": che,
        "mat": mat,
        "draft": draft,
        "withdrawn": withdrawn,
    }


# Languages -----------------------------------------------------------------------------------


def publish(page):
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def translate(page, locale, **changes):
    """Translate `page` as a translator does with Wagtail's "Translate" action: its ancestors
    first (simple_translation refuses a page whose parent is not translated), each a copy into
    the locale's tree, the words replaced, published."""
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if ancestor.get_translation_or_none(locale) is None:
            publish(ancestor.copy_for_translation(locale))
    copy = page.specific.copy_for_translation(locale).specific
    for name, value in changes.items():
        setattr(copy, name, value)
    translated = publish(copy)
    # The English home page is a new site root: forget the cached list of roots.
    Site.clear_site_root_paths_cache()
    return translated
