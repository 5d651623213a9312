"""seed_demo builds the demo from a freshly migrated database (not from the `home` fixture),
so these tests start from Wagtail's placeholder page exactly as `make run` does. The site is
seeded once for the module (tests/demo/conftest.py); the refusal test runs first, before it."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError

from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Revision, Site

from demo.data.site import SAMPLE_DATA_NOTICE
from growers.models import (
    CooperativeIndexPage,
    CooperativePage,
    GrowingArea,
    GrowingAreaCertification,
    GrowingAreaIndexPage,
    Household,
    Inspection,
    StatusChange,
)
from growers.services import editors_group_name
from products.gtin import is_valid_gtin
from products.models import Category, ProductPage, ProductVariant, ShopPage
from tests.demo.conftest import seed_demo
from website.models import HomePage

DEMO_PASSWORDS = {name: f"demo-{name}" for name in ("admin", "officer", "coop1", "coop2")}


def seed(*args: str) -> str:
    return seed_demo(*args)


def row_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "memberships": get_user_model().groups.through.objects.count(),
        "variants": ProductVariant.objects.count(),
        "categories": Category.objects.count(),
        "sites": Site.objects.count(),
    }


def vietnamese(model):
    """The original pages, which carry prices, stock and traceability: seed_demo also makes
    English and Hmong translations of some (tests/demo/test_seed_demo_languages.py)."""
    return model.objects.filter(locale=Locale.get_default())


def test_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    before = row_counts()
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert row_counts() == before
    assert not get_user_model().objects.exists()


def test_builds_the_page_tree(seeded):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    placeholders = Page.objects.filter(depth=2).exclude(translation_key=home.translation_key)
    assert not placeholders.exists(), "placeholder page left behind"

    index = home.get_children().get(slug="cooperatives").specific
    assert isinstance(index, CooperativeIndexPage)
    cooperatives = CooperativePage.objects.child_of(index)
    assert cooperatives.count() == 2
    assert ShopPage.objects.child_of(home).get().slug == "shop"

    products = vietnamese(ProductPage)
    assert products.count() >= 5
    assert all(product.cooperative is not None for product in products)
    assert {p.category.slug for p in products} >= {"gia-vi", "che", "duoc-lieu"}
    assert {p.ocop_stars for p in products} >= {None, 3, 4, 5}

    # Published through revisions, as the admin would, so page history makes sense. (Aliases are
    # Wagtail's own stand-ins for untranslated parents, kept in step with their originals.)
    for page in Page.objects.filter(depth__gt=1, alias_of=None).specific():
        assert page.live, page
        assert page.live_revision_id is not None, page

    for cooperative in cooperatives:
        assert cooperative.bank_bin and cooperative.bank_account_number and cooperative.has_bank_account
        assert {block.block_type for block in cooperative.story} >= {"paragraph", "quote"}
        assert cooperative.certifications.exists()
        assert cooperative.logo.collection.name == cooperative.title


def test_variants_have_prices_stock_and_valid_gtins(seeded):
    variants = ProductVariant.objects.all()
    assert all(v.price > 0 for v in variants)
    assert any(v.stock == 0 for v in variants)
    assert any(v.stock > 0 for v in variants)
    for product in vietnamese(ProductPage):
        assert 1 <= product.variants.count() <= 3
    gtins = [v.gtin for v in variants if v.gtin]
    assert gtins
    for gtin in gtins:
        assert len(gtin) == 14 and gtin.startswith("0893") and is_valid_gtin(gtin), gtin


def test_demo_accounts(seeded, client):
    User = get_user_model()
    for username, password in DEMO_PASSWORDS.items():
        assert client.login(username=username, password=password), username
        client.logout()
        assert username in seeded and password in seeded

    assert User.objects.get(username="admin").is_superuser
    officer = User.objects.get(username="officer")
    assert officer.groups.filter(name="Agriculture officers").exists()
    assert officer.has_perm("wagtailadmin.access_admin")

    coop1, coop2 = (User.objects.get(username=name) for name in ("coop1", "coop2"))
    page1, page2 = vietnamese(CooperativePage).order_by("path")
    assert set(coop1.groups.values_list("name", flat=True)) == {editors_group_name(page1)}
    assert set(coop2.groups.values_list("name", flat=True)) == {editors_group_name(page2)}
    # Each editor works on their own cooperative's subtree only.
    assert page1.permissions_for_user(coop1).can_edit()
    assert not page2.permissions_for_user(coop1).can_edit()
    assert page2.permissions_for_user(coop2).can_edit()
    assert not page1.permissions_for_user(coop2).can_edit()


def test_site_shows_catalogue_and_sample_notice(seeded, client):
    home = client.get("/")
    assert home.status_code == 200
    assert SAMPLE_DATA_NOTICE in home.content.decode()

    shop = client.get("/shop/")
    assert shop.status_code == 200
    html = shop.content.decode()
    for title in vietnamese(ProductPage).values_list("title", flat=True):
        assert title in html
    assert SAMPLE_DATA_NOTICE in html


def test_second_run_changes_nothing(seeded):
    before = row_counts()
    admin_password = get_user_model().objects.get(username="admin").password

    output = seed("--force")

    assert row_counts() == before
    assert "nothing changed" in output
    assert get_user_model().objects.get(username="admin").password == admin_password


# Growing-area codes ------------------------------------------------------------------------


def registry_counts() -> dict[str, int]:
    return {
        "areas": GrowingArea.objects.count(),
        "households": Household.objects.count(),
        "certifications": GrowingAreaCertification.objects.count(),
        "inspections": Inspection.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "origin_links": ProductPage.origin_areas.through.objects.count(),
    }


def test_demo_codes_cover_every_status(seeded):
    statuses = {area.code: area.effective_status for area in GrowingArea.objects.all()}

    assert sorted(statuses.values()).count("active") >= 5
    assert {"suspended", "revoked", "expired"} <= set(statuses.values())
    for area in GrowingArea.objects.all():
        assert area.households.exists(), area.code
        assert area.inspections.exists(), area.code
        area.full_clean()  # every demo code obeys the register's rules
    assert GrowingArea.objects.exclude(boundary=None).exists()


def test_suspended_and_revoked_demo_codes_have_a_reasoned_history_by_the_officer(seeded):
    officer = get_user_model().objects.get(username="officer")
    for status in ["suspended", "revoked"]:
        area = GrowingArea.objects.get(status=status)
        change = area.status_changes.get()
        assert (change.from_status, change.to_status) == ("active", status)
        assert change.reason and change.changed_by == officer


def test_demo_boundaries_lie_around_si_lo_lau(seeded):
    for area in GrowingArea.objects.exclude(boundary=None):
        for ring in area.boundary["coordinates"]:
            for longitude, latitude in ring:
                assert 22.55 < latitude < 22.70 and 103.15 < longitude < 103.35, area.code


def test_each_demo_crop_product_cites_a_valid_code_of_its_own_cooperative(seeded):
    for product in vietnamese(ProductPage).exclude(slug="mat-ong-rung"):
        areas = list(product.origin_areas.all())
        assert areas, product.title
        for area in areas:
            assert area.is_valid
            assert area.cooperative_id == product.cooperative.pk
    # Honey comes from bees, not from a registered crop.
    assert not ProductPage.objects.get(slug="mat-ong-rung").origin_areas.exists()


def test_officer_is_in_the_group_that_keeps_the_register(seeded):
    officer = get_user_model().objects.get(username="officer")

    for permission in [
        "add_growingarea",
        "change_growingarea",
        "view_growingarea",
        "change_status_growingarea",
    ]:
        assert officer.has_perm(f"growers.{permission}"), permission


def test_registry_page_lists_the_demo_codes(seeded, client):
    registry = vietnamese(GrowingAreaIndexPage).get()
    assert registry.live and registry.url == "/growing-areas/"
    assert registry.report_contact

    html = client.get("/growing-areas/").content.decode()
    for code in GrowingArea.objects.values_list("code", flat=True):
        assert code in html

    for area in GrowingArea.objects.all():
        response = client.get(f"/growing-areas/{area.code}/")
        assert response.status_code == 200, area.code
        assert client.get(f"/api/v1/growing-areas/{area.code}").json()["status"] == area.effective_status


def test_product_page_shows_its_demo_origin_code(seeded, client):
    product = vietnamese(ProductPage).get(slug="thao-qua-kho")

    html = client.get(product.url).content.decode()

    assert 'href="/growing-areas/LC-PT-SLL-001/"' in html


def test_second_run_adds_no_codes_households_or_links(seeded):
    before = registry_counts()

    output = seed("--force")

    assert registry_counts() == before
    assert "nothing changed" in output


def test_run_on_a_site_seeded_before_the_registry_adds_codes_and_links_them(seeded):
    GrowingArea.objects.all().delete()
    vietnamese(GrowingAreaIndexPage).get().delete()
    revisions = Revision.objects.count()

    output = seed("--force")

    assert "LC-PT-SLL-001" in output
    assert vietnamese(ProductPage).get(slug="thao-qua-kho").origin_areas.get().code == "LC-PT-SLL-001"
    # One published revision per product that gained its codes, plus the registry page's.
    assert Revision.objects.count() == revisions + 5 + 1
    assert "nothing changed" in seed("--force")


# Batches -----------------------------------------------------------------------------------


def batch_counts() -> dict[str, int]:
    from traceability.models import BatchCertification, BatchPage, TraceEvent

    return {
        "batches": BatchPage.objects.count(),
        "events": TraceEvent.objects.count(),
        "certifications": BatchCertification.objects.count(),
        "areas_cited": BatchPage.growing_areas.through.objects.count(),
    }


def test_each_demo_crop_product_has_a_live_batch_with_its_story(seeded):
    from traceability.models import BatchPage

    for product in vietnamese(ProductPage).exclude(slug="mat-ong-rung"):
        batches = BatchPage.objects.child_of(product).live()
        assert batches.exists(), product.title
        for batch in batches:
            assert batch.growing_areas.exists() and batch.events.count() >= 3, batch.lot
            assert {"harvest", "packing"} <= set(batch.events.values_list("event_type", flat=True))
            assert batch.expiry_date and batch.package_count and batch.packed_on
            assert f"/t/{batch.short_code}" in seeded


def test_each_demo_batch_cites_only_codes_its_cooperative_may_cite(seeded):
    from growers.models import GrowingArea
    from traceability.models import BatchPage

    for batch in BatchPage.objects.all():
        cooperative = batch.product.cooperative
        citable = GrowingArea.objects.citable_by(cooperative)
        assert set(batch.growing_areas.all()) <= set(citable), batch.lot


def test_demo_batches_show_every_verdict_through_the_api(seeded, client):
    from traceability.models import BatchPage

    verdicts = {}
    for batch in BatchPage.objects.all():
        data = client.get(f"/api/v1/batches/{batch.short_code}").json()
        verdicts[batch.lot] = [w["reason"] for w in data["verdict"]["warnings"]]
        assert client.get(f"/api/v1/batches/{batch.short_code}/epcis").status_code == 200
    assert verdicts["TQ2026-02"] == ["growing_area_suspended"]
    assert verdicts["DQ2026-02"] == ["recalled"]
    assert verdicts["TQ2026-01"] == []
    assert sum(1 for reasons in verdicts.values() if reasons) == 2


def test_suspended_code_was_valid_when_its_batch_was_harvested(seeded):
    from traceability.models import BatchPage

    batch = BatchPage.objects.get(lot="TQ2026-02")
    area = batch.growing_areas.get()
    assert area.code == "LC-PT-SLL-006" and area.effective_status == "suspended"
    assert all(area.is_valid_on(day) for day in batch.harvest_days)


def test_recalled_demo_batch_was_recalled_by_the_officer(seeded):
    from wagtail.models import PageLogEntry

    from traceability.models import BatchPage

    batch = BatchPage.objects.get(lot="DQ2026-02")
    assert batch.is_recalled and batch.recall_reason
    entry = PageLogEntry.objects.get(page=batch, action="traceability.batch.recall")
    assert entry.user.username == "officer"


def test_second_run_adds_no_batches_or_events(seeded):
    before = batch_counts()

    output = seed("--force")

    assert batch_counts() == before
    assert "nothing changed" in output
