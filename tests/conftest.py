"""Shared fixtures: a minimal site tree (Home → Cooperatives → two cooperatives, Home → Shop)
built per test; tests add just the pages they need beneath it."""

import pytest

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from growers.factories import CooperativeIndexPageFactory, CooperativePageFactory
from products.factories import ShopPageFactory
from website.factories import HomePageFactory


def ensure_wagtail_base_rows():
    """The default locale and the tree's root, as Wagtail's migrations make them. A test with
    transaction=True empties every table when it ends, so tests that run after one (pytest-django
    runs those last) must not rely on migration data still being there."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", live=True))


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages (website/page_cache.py) and rate-limit
    counters must not carry over from another test's rolled-back data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    root = ensure_wagtail_base_rows()
    # Wagtail's initial migration makes a placeholder page and site; replace them.
    Page.objects.filter(depth=2).delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def cooperative_index(home):
    return CooperativeIndexPageFactory(parent=home)


@pytest.fixture
def shop(home):
    return ShopPageFactory(parent=home)


@pytest.fixture
def coop1(cooperative_index):
    return CooperativePageFactory(
        parent=cooperative_index, title="HTX Thảo quả Sì Lở Lầu", slug="htx-thao-qua"
    )


@pytest.fixture
def coop2(cooperative_index):
    return CooperativePageFactory(
        parent=cooperative_index, title="HTX Chè Shan tuyết", slug="htx-che-shan-tuyet"
    )
