"""Each cooperative's editors work only under their own CooperativePage and cannot see or touch
the other cooperative's pages in any admin view (DESIGN.md §1 and §3).

Every test runs in both directions: coop1's editor against coop2's pages, and coop2's editor
against coop1's pages. Each cooperative has a live product (with a published and a later draft
revision) and a never-published draft product; the titles carry short ASCII markers
(``LIVE1X``, ``DRAFT2X``…) so that a leak is visible in HTML, in JSON and in JSON-escaped HTML.

Wagtail answers a refused admin request with a redirect to the dashboard (the message "Sorry,
you do not have permission…"), with 403 to AJAX and API requests, and with 404 where it acts
as if the page did not exist.

Secondary views that leaked in Wagtail 8.0 are closed in growers/wagtail_hooks.py (move
confirmation, copy destination, bulk-action confirmation, chooser browsing by page id). Two
that no hook reaches, the page chooser's multiple-choice step and the page types usage report,
are replaced by views of growers/admin_views.py at the same URLs (config/urls.py).

A cooperative's own page is deleted or moved only by a superuser, whichever way it is asked
(page view, bulk action, admin API), even where Wagtail's permissions alone would allow it.
"""

import json
from dataclasses import dataclass

import pytest

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import escape

from wagtail.admin.models import EditingSession
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.rich_text import RichText

from growers.admin_views import ChosenMultipleView, ExplorablePageTypesUsageReportView
from growers.factories import CooperativeEditorFactory, CooperativeIndexPageFactory, CooperativePageFactory
from growers.models import CooperativePage
from products.factories import ProductPageFactory, ProductVariantFactory, ShopPageFactory
from products.models import ProductPage, ShopPage
from tests.helpers import product_form_data, variant_rows
from website.factories import HomePageFactory, UserFactory
from website.models import User


@dataclass
class Side:
    """One cooperative, its editor and its pages, loaded afresh for each test."""

    number: int
    coop: CooperativePage
    editor: User
    product: ProductPage  # live, with a published revision and a later draft revision
    draft: ProductPage  # never published
    published_revision: Revision
    draft_revision: Revision

    @classmethod
    def load(cls, number: int, pks: dict) -> "Side":
        return cls(
            number=number,
            coop=CooperativePage.objects.get(pk=pks["coop"]),
            editor=User.objects.get(pk=pks["editor"]),
            product=ProductPage.objects.get(pk=pks["product"]),
            draft=ProductPage.objects.get(pk=pks["draft"]),
            published_revision=Revision.objects.get(pk=pks["published_revision"]),
            draft_revision=Revision.objects.get(pk=pks["draft_revision"]),
        )

    @property
    def product_marker(self) -> str:
        return f"LIVE{self.number}X"

    @property
    def draft_marker(self) -> str:
        return f"DRAFT{self.number}X"

    @property
    def markers(self) -> tuple[str, str]:
        return (self.product_marker, self.draft_marker)


def build_side(number: int, coop: CooperativePage) -> dict:
    editor = CooperativeEditorFactory(username=f"editor{number}", cooperative=coop)

    product = ProductPageFactory(parent=coop, title=f"LIVE{number}X Thảo quả khô túi 500 g")
    ProductVariantFactory(page=product)
    published_revision = product.save_revision(user=editor)
    published_revision.publish(user=editor)
    product.summary = "Giá mới từ vụ sau."
    draft_revision = product.save_revision(user=editor)

    draft = ProductPageFactory(parent=coop, title=f"DRAFT{number}X Sâm Lai Châu chưa bán", live=False)
    draft.save_revision(user=editor)

    return {
        "coop": coop.pk,
        "editor": editor.pk,
        "product": product.pk,
        "draft": draft.pk,
        "published_revision": published_revision.pk,
        "draft_revision": draft_revision.pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The site tree of tests/conftest.py (Home → Cooperatives → two cooperatives, Home → Shop),
    two editors, a superuser and the products, built once for this module, like Django's
    setUpTestData: inside a transaction that is rolled back after the module's last test, each
    test running in a savepoint of its own. Building it per test would make this file several
    times slower."""
    with django_db_blocker.unblock(), transaction.atomic():
        root = Page.get_first_root_node()
        Page.objects.filter(depth=2).delete()
        home = HomePageFactory(parent=root)
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        index = CooperativeIndexPageFactory(parent=home)
        ShopPageFactory(parent=home)
        coop1 = CooperativePageFactory(parent=index, title="HTX Thảo quả Sì Lở Lầu", slug="htx-thao-qua")
        coop2 = CooperativePageFactory(parent=index, title="HTX Chè Shan tuyết", slug="htx-che-shan-tuyet")
        yield {
            1: build_side(1, coop1),
            2: build_side(2, coop2),
            "cooperative_index": index.pk,
            "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True).pk,
        }
        transaction.set_rollback(True)


@pytest.fixture
def sides(world, db) -> dict[int, Side]:
    return {number: Side.load(number, world[number]) for number in (1, 2)}


@pytest.fixture
def cooperative_index(world, db):
    return Page.objects.get(pk=world["cooperative_index"])


@pytest.fixture
def superuser(world, db):
    return User.objects.get(pk=world["superuser"])


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


# Helpers ------------------------------------------------------------------------------------


def shows(response, text: str) -> bool:
    """Whether the text appears in the body as HTML, as JSON, or as HTML inside JSON."""
    body = response.content.decode()
    return any(form in body for form in {text, escape(text), json.dumps(text)[1:-1]})


def assert_hides(response, side: Side):
    for marker in side.markers:
        assert not shows(response, marker), f"{marker} leaked into {response.request['PATH_INFO']}"


def assert_permission_denied(response):
    """Wagtail's answer to PermissionDenied in the admin: back to the dashboard (403 to AJAX)."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


def page_state(page: Page) -> tuple:
    page = Page.objects.get(pk=page.pk)
    return (
        page.title,
        page.draft_title,
        page.live,
        page.locked,
        page.path,
        page.latest_revision_id,
        page.has_unpublished_changes,
    )


def new_variant(sku: str) -> dict:
    return {
        "pack_label": "Túi 200 g",
        "weight_grams": "200",
        "sku": sku,
        "gtin": "",
        "price": "65000",
        "stock": "30",
        "is_active": "on",
    }


def edit_form_data(page: ProductPage, **changes) -> dict:
    """The edit form of an existing product, as its editor would post it."""
    variants = variant_rows(page)
    data = {"title": page.title, "slug": page.slug, "summary": page.summary, **changes}
    return product_form_data(variants=variants, initial=len(variants), **data)


# Views on a single page ---------------------------------------------------------------------

# name -> URL of the view for a side's pages. Each is checked on the editor's own pages (it
# works) and on the other cooperative's pages (refused, nothing shown).
PAGE_VIEWS = {
    "edit": lambda s: reverse("wagtailadmin_pages:edit", args=[s.product.pk]),
    "history": lambda s: reverse("wagtailadmin_pages:history", args=[s.product.pk]),
    "history results": lambda s: reverse("wagtailadmin_pages:history_results", args=[s.product.pk]),
    "revision view": lambda s: reverse(
        "wagtailadmin_pages:revisions_view", args=[s.product.pk, s.published_revision.pk]
    ),
    "revision revert form": lambda s: reverse(
        "wagtailadmin_pages:revisions_revert", args=[s.product.pk, s.published_revision.pk]
    ),
    "revision compare": lambda s: reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[s.product.pk, s.published_revision.pk, s.draft_revision.pk],
    ),
    "revision compare live...latest": lambda s: reverse(
        "wagtailadmin_pages:revisions_compare", args=[s.product.pk, "live", "latest"]
    ),
    "workflow history": lambda s: reverse("wagtailadmin_pages:workflow_history", args=[s.product.pk]),
    "usage": lambda s: reverse("wagtailadmin_pages:usage", args=[s.product.pk]),
    "copy": lambda s: reverse("wagtailadmin_pages:copy", args=[s.product.pk]),
    "unpublish": lambda s: reverse("wagtailadmin_pages:unpublish", args=[s.product.pk]),
    "preview": lambda s: reverse("wagtailadmin_pages:preview_on_edit", args=[s.product.pk]),
    "view draft": lambda s: reverse("wagtailadmin_pages:view_draft", args=[s.draft.pk]),
    "privacy": lambda s: reverse("wagtailadmin_pages:set_privacy", args=[s.product.pk]),
    "add subpage": lambda s: reverse("wagtailadmin_pages:add_subpage", args=[s.coop.pk]),
    "add product": lambda s: reverse("wagtailadmin_pages:add", args=["products", "productpage", s.coop.pk]),
    "add product preview": lambda s: reverse(
        "wagtailadmin_pages:preview_on_add", args=["products", "productpage", s.coop.pk]
    ),
}

# Editors may move and delete leaf pages of their own subtree (Wagtail grants both with
# "change"), their cooperative's own page excepted (see "A cooperative's own page" below);
# those views are only checked against the other cooperative's pages.
OTHER_ONLY_PAGE_VIEWS = {
    "move": lambda s: reverse("wagtailadmin_pages:move", args=[s.product.pk]),
    "delete": lambda s: reverse("wagtailadmin_pages:delete", args=[s.product.pk]),
    "delete draft": lambda s: reverse("wagtailadmin_pages:delete", args=[s.draft.pk]),
}
ALL_PAGE_VIEWS = PAGE_VIEWS | OTHER_ONLY_PAGE_VIEWS


@pytest.mark.parametrize("view", PAGE_VIEWS)
def test_editor_can_open_view_on_own_pages(editor_client, own, view):
    response = editor_client.get(PAGE_VIEWS[view](own))

    if view == "add subpage":  # only one page type may go under a cooperative: straight to it
        assert response.status_code == 302
        assert response["Location"] == PAGE_VIEWS["add product"](own)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("view", ALL_PAGE_VIEWS)
def test_editor_is_refused_view_on_other_cooperatives_pages(editor_client, other, view):
    response = editor_client.get(ALL_PAGE_VIEWS[view](other))

    assert_permission_denied(response)
    assert_hides(response, other)


def test_superuser_can_open_the_other_cooperatives_edit_view(admin_client, other):
    """The refusals above come from the page permissions, not from a broken set-up."""
    response = admin_client.get(PAGE_VIEWS["edit"](other))

    assert response.status_code == 200
    assert shows(response, other.product_marker)


# A sample of the admin views, page-specific and not, including the API and the chooser.
ANONYMOUS_URLS = {
    **{view: ALL_PAGE_VIEWS[view] for view in ["edit", "history", "revision compare", "preview", "move"]},
    "explorer": lambda s: reverse("wagtailadmin_explore", args=[s.coop.pk]),
    "search": lambda s: reverse("wagtailadmin_pages:search") + "?q=chưa+bán",
    "chooser": lambda s: reverse("wagtailadmin_choose_page_child", args=[s.coop.pk]),
    "chooser search": lambda s: reverse("wagtailadmin_choose_page_search") + "?q=chưa+bán",
    "chosen multiple": lambda s: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={s.draft.pk}",
    "api listing": lambda s: "/admin/api/main/pages/",
    "api detail": lambda s: f"/admin/api/main/pages/{s.draft.pk}/",
    "bulk publish": lambda s: (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={s.draft.pk}"
    ),
    "page types report": lambda s: reverse("wagtailadmin_reports:page_types_usage"),
    "page types report results": lambda s: reverse("wagtailadmin_reports:page_types_usage_results"),
}


@pytest.mark.parametrize("view", ANONYMOUS_URLS)
def test_anonymous_user_is_sent_to_login(client, sides, view):
    response = client.get(ANONYMOUS_URLS[view](sides[1]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert_hides(response, sides[1])


# Edit, add, revert --------------------------------------------------------------------------


def test_editor_can_edit_and_publish_own_product(editor_client, own):
    data = edit_form_data(own.product, title="Thảo quả khô loại 1", **{"action-publish": "publish"})

    response = editor_client.post(PAGE_VIEWS["edit"](own), data)

    assert response.status_code == 302
    product = ProductPage.objects.get(pk=own.product.pk)
    assert product.title == "Thảo quả khô loại 1"
    assert product.live and not product.has_unpublished_changes


@pytest.mark.parametrize("action", [{}, {"action-publish": "publish"}], ids=["save-draft", "publish"])
def test_editor_cannot_edit_other_cooperatives_product(editor_client, other, action):
    before = page_state(other.product)
    data = edit_form_data(other.product, title="Bị sửa trộm", **action)

    response = editor_client.post(PAGE_VIEWS["edit"](other), data)

    assert_permission_denied(response)
    assert page_state(other.product) == before


def test_editor_can_create_product_under_own_cooperative(editor_client, own):
    data = product_form_data(
        title="Mật ong bạc hà",
        slug="mat-ong-bac-ha",
        variants=[new_variant("MO-200")],
        **{"action-publish": "publish"},
    )

    response = editor_client.post(PAGE_VIEWS["add product"](own), data)

    assert response.status_code == 302
    created = ProductPage.objects.get(slug="mat-ong-bac-ha")
    assert created.get_parent().pk == own.coop.pk
    assert created.live
    assert list(created.variants.values_list("sku", flat=True)) == ["MO-200"]


@pytest.mark.parametrize("action", [{}, {"action-publish": "publish"}], ids=["save-draft", "publish"])
def test_editor_cannot_create_product_under_other_cooperative(editor_client, other, action):
    children_before = set(other.coop.get_children().values_list("pk", flat=True))
    data = product_form_data(title="Hàng giả", slug="hang-gia", variants=[new_variant("HG-1")], **action)

    response = editor_client.post(PAGE_VIEWS["add product"](other), data)

    assert_permission_denied(response)
    assert set(other.coop.get_children().values_list("pk", flat=True)) == children_before
    assert not Page.objects.filter(slug="hang-gia").exists()


def test_editor_cannot_preview_a_new_product_under_other_cooperative(editor_client, other):
    data = product_form_data(title="Hàng giả", slug="hang-gia", variants=[new_variant("HG-1")])

    response = editor_client.post(PAGE_VIEWS["add product preview"](other), data)

    assert_permission_denied(response)


def test_editor_can_revert_own_product_to_an_earlier_revision(editor_client, own):
    """The revert form is the edit form filled from the earlier revision; saving it makes that
    content the latest draft again."""
    earlier = own.published_revision.as_object()
    assert own.product.get_latest_revision_as_object().summary != earlier.summary

    response = editor_client.post(PAGE_VIEWS["revision revert form"](own), edit_form_data(earlier))

    assert response.status_code == 302
    assert (
        ProductPage.objects.get(pk=own.product.pk).get_latest_revision_as_object().summary == earlier.summary
    )


def test_editor_cannot_revert_other_cooperatives_product(editor_client, other):
    before = page_state(other.product)
    data = edit_form_data(other.product, title="Về bản cũ", **{"action-publish": "publish"})

    response = editor_client.post(PAGE_VIEWS["revision revert form"](other), data)

    assert_permission_denied(response)
    assert page_state(other.product) == before


def test_editor_cannot_unschedule_other_cooperatives_revision(editor_client, other):
    url = reverse("wagtailadmin_pages:revisions_unschedule", args=[other.product.pk, other.draft_revision.pk])

    assert_permission_denied(editor_client.get(url))
    assert_permission_denied(editor_client.post(url))


# Preview ------------------------------------------------------------------------------------


def test_editor_can_preview_own_product(editor_client, own):
    url = PAGE_VIEWS["preview"](own)

    response = editor_client.post(url, edit_form_data(own.product, title="Bản xem trước PREVIEW1"))

    assert response.status_code == 200
    assert response.json()["is_valid"] is True
    assert shows(editor_client.get(url), "PREVIEW1")


def test_editor_cannot_preview_other_cooperatives_product(editor_client, other):
    url = PAGE_VIEWS["preview"](other)

    response = editor_client.post(url, edit_form_data(other.product, title="Xem trộm"))

    assert_permission_denied(response)
    response = editor_client.get(url)
    assert_permission_denied(response)
    assert_hides(response, other)


# Copy ---------------------------------------------------------------------------------------


def copy_form_data(parent: Page, *, slug: str) -> dict:
    return {"new_title": "Bản sao", "new_slug": slug, "new_parent_page": str(parent.pk)}


def test_editor_can_copy_own_product_within_own_cooperative(editor_client, own):
    response = editor_client.post(PAGE_VIEWS["copy"](own), copy_form_data(own.coop, slug="ban-sao-hop-le"))

    assert response.status_code == 302
    assert Page.objects.get(slug="ban-sao-hop-le").get_parent().pk == own.coop.pk


def test_editor_cannot_copy_other_cooperatives_product_into_own(editor_client, own, other):
    response = editor_client.post(PAGE_VIEWS["copy"](other), copy_form_data(own.coop, slug="ban-sao"))

    assert_permission_denied(response)
    assert not Page.objects.filter(slug="ban-sao").exists()


@pytest.mark.parametrize("target", ["coop", "draft"])
def test_editor_cannot_copy_own_product_into_other_cooperative(editor_client, own, other, target):
    """Naming the other cooperative (or one of its draft pages) as the new parent is refused,
    without the error message naming the page."""
    parent = getattr(other, target)

    response = editor_client.post(PAGE_VIEWS["copy"](own), copy_form_data(parent, slug="ban-sao"))

    assert_permission_denied(response)
    assert_hides(response, other)
    assert not Page.objects.filter(slug="ban-sao").exists()


# Move ---------------------------------------------------------------------------------------


def move_confirm_url(page: Page, destination: Page) -> str:
    return reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])


@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_cannot_move_other_cooperatives_page_into_own(editor_client, own, other, method):
    before = page_state(other.draft)

    response = getattr(editor_client, method)(move_confirm_url(other.draft, own.coop))

    assert_permission_denied(response)
    assert_hides(response, other)
    assert page_state(other.draft) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_cannot_move_own_page_into_other_cooperative(editor_client, own, other, method):
    before = page_state(own.draft)

    response = getattr(editor_client, method)(move_confirm_url(own.draft, other.coop))

    assert_permission_denied(response)
    assert not shows(response, other.coop.title)
    assert page_state(own.draft) == before


def test_editor_cannot_choose_other_cooperative_as_move_destination(editor_client, own, other):
    response = editor_client.post(
        reverse("wagtailadmin_pages:move", args=[own.draft.pk]), {"new_parent_page": other.coop.pk}
    )

    if response.status_code == 302:  # the chooser step accepts any page; the confirm step refuses
        response = editor_client.get(response["Location"])
    assert_permission_denied(response)
    assert not shows(response, other.coop.title)
    assert Page.objects.get(pk=own.draft.pk).get_parent().pk == own.coop.pk


def test_superuser_can_move_a_page_between_cooperatives(admin_client, own, other):
    """The move refusals above are permission checks: the move itself is allowed by the tree."""
    response = admin_client.post(move_confirm_url(other.draft, own.coop))

    assert response.status_code == 302
    assert Page.objects.get(pk=other.draft.pk).get_parent().pk == own.coop.pk


# Delete, unpublish, lock, privacy, reordering -----------------------------------------------


@pytest.mark.parametrize("page", ["product", "draft"])
def test_editor_cannot_delete_other_cooperatives_page(editor_client, other, page):
    target = getattr(other, page)

    response = editor_client.post(reverse("wagtailadmin_pages:delete", args=[target.pk]))

    assert_permission_denied(response)
    assert Page.objects.filter(pk=target.pk).exists()


def test_editor_can_unpublish_own_product(editor_client, own):
    response = editor_client.post(PAGE_VIEWS["unpublish"](own))

    assert response.status_code == 302
    assert not Page.objects.get(pk=own.product.pk).live


def test_editor_cannot_unpublish_other_cooperatives_product(editor_client, other):
    response = editor_client.post(PAGE_VIEWS["unpublish"](other))

    assert_permission_denied(response)
    assert Page.objects.get(pk=other.product.pk).live


def test_editor_can_lock_and_unlock_own_product(editor_client, own):
    response = editor_client.post(reverse("wagtailadmin_pages:lock", args=[own.product.pk]))
    assert response.status_code == 302
    assert Page.objects.get(pk=own.product.pk).locked

    response = editor_client.post(reverse("wagtailadmin_pages:unlock", args=[own.product.pk]))
    assert response.status_code == 302
    assert not Page.objects.get(pk=own.product.pk).locked


def test_editor_cannot_lock_other_cooperatives_product(editor_client, other):
    response = editor_client.post(reverse("wagtailadmin_pages:lock", args=[other.product.pk]))

    assert_permission_denied(response)
    assert not Page.objects.get(pk=other.product.pk).locked


def test_editor_cannot_unlock_other_cooperatives_product(editor_client, other, superuser):
    Page.objects.filter(pk=other.product.pk).update(locked=True, locked_by=superuser)

    response = editor_client.post(reverse("wagtailadmin_pages:unlock", args=[other.product.pk]))

    assert_permission_denied(response)
    assert Page.objects.get(pk=other.product.pk).locked


def test_editor_cannot_restrict_other_cooperatives_product(editor_client, other):
    response = editor_client.post(
        PAGE_VIEWS["privacy"](other), {"restriction_type": "password", "password": "mat-khau"}
    )

    assert_permission_denied(response)
    assert not PageViewRestriction.objects.filter(page=other.product).exists()


def test_editor_cannot_reorder_other_cooperatives_pages(editor_client, other):
    before = page_state(other.draft)

    response = editor_client.post(
        reverse("wagtailadmin_pages:set_page_position", args=[other.draft.pk]) + "?position=0"
    )

    assert_permission_denied(response)
    assert page_state(other.draft) == before


# Listings: explorer, search, page-type usage ------------------------------------------------


def test_explorer_lists_own_cooperatives_pages_drafts_included(editor_client, own, other):
    response = editor_client.get(reverse("wagtailadmin_explore", args=[own.coop.pk]))

    assert response.status_code == 200
    assert shows(response, own.product_marker) and shows(response, own.draft_marker)
    assert_hides(response, other)


@pytest.mark.parametrize("url_name", ["wagtailadmin_explore", "wagtailadmin_explore_results"])
def test_explorer_sends_editor_from_other_cooperative_back_to_own(editor_client, own, other, url_name):
    response = editor_client.get(reverse(url_name, args=[other.coop.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[own.coop.pk])


@pytest.fixture
def translated_cooperatives(sides):
    """Both cooperatives translated into English, each editor's group given the same rights on its
    translation (growers/apps.py): an editor now has permissions in two trees, so Wagtail's
    explorable root is the root of all trees, above the other cooperative too."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    for side in sides.values():
        side.coop.copy_for_translation(english, copy_parents=True)
    return english


@pytest.mark.parametrize("url_name", ["wagtailadmin_explore", "wagtailadmin_explore_results"])
@pytest.mark.parametrize("page", ["coop", "product", "draft"])
def test_editor_with_translations_cannot_explore_other_cooperatives_pages(
    editor_client, own, other, superuser, translated_cooperatives, url_name, page
):
    Page.objects.filter(pk=other.product.pk).update(locked=True, locked_by=superuser)

    response = editor_client.get(reverse(url_name, args=[getattr(other, page).pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk])
    assert_hides(editor_client.get(response["Location"]), other)


def test_editor_with_translations_explores_own_cooperative_and_the_index(
    editor_client, own, other, cooperative_index, translated_cooperatives
):
    index = editor_client.get(reverse("wagtailadmin_explore", args=[cooperative_index.pk]))
    coop = editor_client.get(reverse("wagtailadmin_explore", args=[own.coop.pk]))

    assert index.status_code == coop.status_code == 200
    assert shows(index, own.coop.title) and not shows(index, other.coop.title)
    assert shows(coop, own.product_marker) and shows(coop, own.draft_marker)
    assert_hides(coop, other)


# Where else an editor might read the other cooperative's pages, with the explorable root the
# root of all trees (translated_cooperatives) and the other's draft in moderation and locked.
SIBLINGS_WITH_TRANSLATIONS = {
    "dashboard": lambda s: reverse("wagtailadmin_home"),
    "explorer root": lambda s: reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk]),
    "explorer search all": lambda s: (
        reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk]) + "?q=Th&search_all=1"
    ),
    "page search": lambda s: reverse("wagtailadmin_pages:search") + "?q=Th",
    "chooser root": lambda s: reverse("wagtailadmin_choose_page"),
    "chooser search": lambda s: reverse("wagtailadmin_choose_page_search") + "?q=Th",
    "pages api": lambda s: API + "?search=Th",
    "locked pages": lambda s: reverse("wagtailadmin_reports:locked_pages"),
    "aging pages": lambda s: reverse("wagtailadmin_reports:aging_pages"),
    "site history": lambda s: reverse("wagtailadmin_reports:site_history"),
    "workflows report": lambda s: reverse("wagtailadmin_reports:workflow"),
    "workflow tasks report": lambda s: reverse("wagtailadmin_reports:workflow_tasks"),
    "workflows admin": lambda s: reverse("wagtailadmin_workflows:index"),
    "tasks admin": lambda s: reverse("wagtailadmin_workflows:task_index"),
}


@pytest.mark.parametrize("view", SIBLINGS_WITH_TRANSLATIONS)
def test_editor_with_translations_finds_other_cooperatives_pages_nowhere_else(
    editor_client, own, other, superuser, translated_cooperatives, view
):
    workflow = Workflow.objects.create(name="Duyệt sản phẩm")
    WorkflowTask.objects.create(
        workflow=workflow, task=GroupApprovalTask.objects.create(name="Kiểm tra"), sort_order=0
    )
    WorkflowPage.objects.create(workflow=workflow, page=other.coop)
    workflow.start(other.draft, other.editor)
    assert ProductPage.objects.get(pk=other.draft.pk).workflow_in_progress
    Page.objects.filter(pk=other.product.pk).update(locked=True, locked_by=superuser)

    response = editor_client.get(SIBLINGS_WITH_TRANSLATIONS[view](own))

    assert response.status_code in (200, 302, 403, 404)
    assert_hides(response, other)


def test_superuser_explores_both_cooperatives_with_translations(admin_client, sides, translated_cooperatives):
    for side in sides.values():
        response = admin_client.get(reverse("wagtailadmin_explore", args=[side.coop.pk]))

        assert response.status_code == 200
        assert shows(response, side.product_marker) and shows(response, side.draft_marker)


@pytest.mark.parametrize("url_name", ["wagtailadmin_explore", "wagtailadmin_explore_results"])
def test_explorer_search_across_the_whole_tree_finds_only_own_pages(editor_client, own, other, url_name):
    url = reverse(url_name, args=[own.coop.pk])

    response = editor_client.get(url, {"q": "chưa bán", "search_all": "1"})

    assert response.status_code == 200
    assert shows(response, own.draft_marker)
    assert_hides(response, other)


# Queries that match both cooperatives' pages (searching the other's marker would only find it
# echoed in the search box): what the editor's own pages show, the other's must not.
SEARCHES = [("chưa bán", "draft_marker"), ("túi 500", "product_marker")]


@pytest.mark.parametrize("url_name", ["wagtailadmin_pages:search", "wagtailadmin_pages:search_results"])
def test_page_search_finds_only_own_pages(editor_client, own, other, url_name):
    for query, own_marker in SEARCHES:
        response = editor_client.get(reverse(url_name), {"q": query})

        assert response.status_code == 200
        assert shows(response, getattr(own, own_marker))
        assert_hides(response, other)


def test_page_type_usage_lists_only_own_products(editor_client, own, other):
    response = editor_client.get(reverse("wagtailadmin_pages:type_use", args=["products", "productpage"]))

    assert response.status_code == 200
    assert shows(response, own.product_marker) and shows(response, own.draft_marker)
    assert_hides(response, other)


def test_usage_of_own_product_does_not_name_other_cooperatives_page_that_links_to_it(
    editor_client, own, other
):
    link = f'<p><a linktype="page" id="{own.product.pk}">Xem thêm</a></p>'
    other.draft.description = [("paragraph", RichText(link))]
    other.draft.save()

    response = editor_client.get(PAGE_VIEWS["usage"](own))

    assert response.status_code == 200
    assert response.context["object_list"]  # the reference is counted…
    assert_hides(response, other)  # …but shown as a private page


# Page chooser -------------------------------------------------------------------------------


def test_chooser_lists_own_cooperative_but_not_the_other(editor_client, own, other, cooperative_index):
    response = editor_client.get(reverse("wagtailadmin_choose_page_child", args=[cooperative_index.pk]))

    assert response.status_code == 200
    assert shows(response, own.coop.title)
    assert not shows(response, other.coop.title)


def test_chooser_browses_own_cooperatives_pages(editor_client, own, other):
    response = editor_client.get(reverse("wagtailadmin_choose_page_child", args=[own.coop.pk]))

    assert response.status_code == 200
    assert shows(response, own.product_marker) and shows(response, own.draft_marker)
    assert_hides(response, other)


@pytest.mark.parametrize("page", ["coop", "product", "draft"])
def test_chooser_cannot_browse_into_other_cooperative(editor_client, other, page):
    """Not even by typing a page id into the URL: the page being browsed heads the listing."""
    response = editor_client.get(reverse("wagtailadmin_choose_page_child", args=[getattr(other, page).pk]))

    assert response.status_code == 404
    assert_hides(response, other)
    assert not shows(response, other.coop.title)


def test_chooser_for_product_pages_opens_without_the_other_cooperative(editor_client, own, other):
    """A chooser restricted to product pages opens at their common ancestor, the cooperatives
    index: the editor's own cooperative is listed there, the other one is not."""
    response = editor_client.get(reverse("wagtailadmin_choose_page"), {"page_type": "products.productpage"})

    assert response.status_code == 200
    assert shows(response, own.coop.title)
    assert not shows(response, other.coop.title)


@pytest.mark.parametrize("params", [{}, {"page_type": "products.productpage"}], ids=["any-type", "products"])
def test_chooser_search_finds_only_own_pages(editor_client, own, other, params):
    for query, own_marker in SEARCHES:
        response = editor_client.get(reverse("wagtailadmin_choose_page_search"), {"q": query, **params})

        assert response.status_code == 200
        assert shows(response, getattr(own, own_marker))
        assert_hides(response, other)


def chosen_multiple(client, *pages: Page) -> set[int]:
    """The ids of the pages the chooser's multiple-choice step returns for these page ids."""
    response = client.get(reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": [p.pk for p in pages]})
    assert response.status_code == 200
    return {item["id"] for item in response.json()["result"]}


def test_chooser_multiple_choice_does_not_reveal_other_cooperatives_pages(editor_client, own, other):
    response = editor_client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": [own.draft.pk, other.draft.pk]}
    )

    assert shows(response, own.draft_marker)
    assert_hides(response, other)


def test_chooser_multiple_choice_returns_what_the_chooser_lists(editor_client, own, other):
    """Own pages and shared pages (the shop, for links) are returned; the other's pages are not."""
    shop = ShopPage.objects.get()
    pages = [own.coop, own.product, own.draft, shop, other.coop, other.product, other.draft]

    assert chosen_multiple(editor_client, *pages) == {own.coop.pk, own.product.pk, own.draft.pk, shop.pk}


def test_superuser_chooser_multiple_choice_returns_both_cooperatives_pages(admin_client, sides):
    pages = [page for side in sides.values() for page in (side.coop, side.product, side.draft)]

    assert chosen_multiple(admin_client, *pages) == {page.pk for page in pages}


# Admin pages API ----------------------------------------------------------------------------

API = "/admin/api/main/pages/"


def api_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_pages_api_lists_only_own_cooperatives_pages(editor_client, own, other):
    ids = api_ids(editor_client.get(API))

    assert {own.coop.pk, own.product.pk, own.draft.pk} <= ids
    assert not ids & {other.coop.pk, other.product.pk, other.draft.pk}


def test_pages_api_lists_children_of_own_cooperative(editor_client, own, other):
    response = editor_client.get(API, {"child_of": own.coop.pk, "for_explorer": 1})

    assert api_ids(response) == {own.product.pk, own.draft.pk}
    assert_hides(response, other)


@pytest.mark.parametrize("filter_name", ["child_of", "descendant_of"])
def test_pages_api_refuses_to_list_inside_other_cooperative(editor_client, other, filter_name):
    response = editor_client.get(API, {filter_name: other.coop.pk, "for_explorer": 1})

    assert response.status_code == 400  # "parent page doesn't exist"
    assert_hides(response, other)


def test_pages_api_search_finds_only_own_pages(editor_client, own, other):
    response = editor_client.get(API, {"search": "chưa bán"})

    assert api_ids(response) == {own.draft.pk}
    assert_hides(response, other)


@pytest.mark.parametrize("page", ["coop", "product", "draft"])
def test_pages_api_detail_of_other_cooperatives_page_is_not_found(editor_client, own, other, page):
    assert editor_client.get(f"{API}{getattr(own, page).pk}/").status_code == 200

    response = editor_client.get(f"{API}{getattr(other, page).pk}/")

    assert response.status_code == 404
    assert_hides(response, other)


def api_action(client, page: Page, action: str, data: dict | None = None):
    return client.post(
        f"{API}{page.pk}/action/{action}/", json.dumps(data or {}), content_type="application/json"
    )


@pytest.mark.parametrize(
    "action, page, data",
    [
        pytest.param("publish", "draft", lambda own, other: {}, id="publish"),
        pytest.param("unpublish", "product", lambda own, other: {}, id="unpublish"),
        pytest.param("delete", "draft", lambda own, other: {}, id="delete"),
        pytest.param(
            "revert_to_page_revision",
            "product",
            lambda own, other: {"revision_id": other.draft_revision.pk},
            id="revert",
        ),
        pytest.param("copy", "product", lambda own, other: {"destination_page_id": own.coop.pk}, id="copy"),
        pytest.param("move", "draft", lambda own, other: {"destination_page_id": own.coop.pk}, id="move"),
    ],
)
def test_pages_api_actions_on_other_cooperatives_pages_are_not_found(
    editor_client, own, other, action, page, data
):
    target = getattr(other, page)
    before = page_state(target)
    own_children_before = own.coop.get_children().count()

    response = api_action(editor_client, target, action, data(own, other))

    assert response.status_code == 404
    assert page_state(target) == before
    assert own.coop.get_children().count() == own_children_before


@pytest.mark.parametrize("action", ["copy", "move"])
def test_pages_api_refuses_to_put_own_page_into_other_cooperative(editor_client, own, other, action):
    before = page_state(own.draft)
    other_children_before = other.coop.get_children().count()

    response = api_action(
        editor_client, own.draft, action, {"destination_page_id": other.coop.pk, "slug": "ban-sao"}
    )

    assert response.status_code == 403
    assert page_state(own.draft) == before
    assert other.coop.get_children().count() == other_children_before


def test_pages_api_copy_within_own_cooperative_works(editor_client, own):
    response = api_action(
        editor_client, own.draft, "copy", {"destination_page_id": own.coop.pk, "slug": "ban-sao-api"}
    )

    assert response.status_code == 201
    assert Page.objects.get(slug="ban-sao-api").get_parent().pk == own.coop.pk


# Bulk actions -------------------------------------------------------------------------------


def bulk_url(action: str, *pages: Page) -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    return reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]) + "?" + ids


BULK_ACTIONS = ["publish", "unpublish", "delete", "move"]


@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_bulk_action_confirmation_does_not_list_other_cooperatives_pages(editor_client, own, other, action):
    page = "product" if action == "unpublish" else "draft"

    response = editor_client.get(bulk_url(action, getattr(own, page), getattr(other, page)))

    assert response.status_code == 200
    assert shows(response, getattr(own, f"{page}_marker"))
    assert_hides(response, other)


@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_bulk_action_on_only_other_cooperatives_pages_is_not_found(editor_client, other, action):
    response = editor_client.get(bulk_url(action, other.product, other.draft))

    assert response.status_code == 404
    assert_hides(response, other)


@pytest.mark.parametrize("action", ["publish", "unpublish", "delete"])
def test_bulk_action_acts_on_own_pages_and_leaves_other_cooperatives_alone(editor_client, own, other, action):
    before = {page.pk: page_state(page) for page in (other.product, other.draft)}

    response = editor_client.post(bulk_url(action, own.draft, own.product, other.product, other.draft))

    assert response.status_code == 302
    assert {page.pk: page_state(page) for page in (other.product, other.draft)} == before
    if action == "publish":
        assert Page.objects.get(pk=own.draft.pk).live
    elif action == "unpublish":
        assert not Page.objects.get(pk=own.product.pk).live


# Editing sessions ---------------------------------------------------------------------------


def ping_url(page: Page, session: EditingSession) -> str:
    return reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", page.pk, session.pk])


def editing_session(user: User, page: Page) -> EditingSession:
    return EditingSession.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        last_seen_at=timezone.now(),
    )


def test_editing_session_ping_works_on_own_product(editor_client, own):
    response = editor_client.post(ping_url(own.product, editing_session(own.editor, own.product)))

    assert response.status_code == 200


def test_editing_session_ping_on_other_cooperatives_product_is_not_found(editor_client, own, other):
    """The ping tells who else is editing the page: nothing to tell about the other's pages."""
    editing_session(other.editor, other.product)

    response = editor_client.post(ping_url(other.product, editing_session(own.editor, other.product)))

    assert response.status_code == 404
    assert other.editor.username not in response.content.decode()


# Reports and dashboard ----------------------------------------------------------------------


def test_dashboard_does_not_show_other_cooperatives_pages(editor_client, own, other):
    response = editor_client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert_hides(response, other)


def test_locked_pages_report_shows_only_own_locked_pages(editor_client, own, other, superuser):
    Page.objects.filter(pk__in=[own.product.pk, other.product.pk]).update(locked=True, locked_by=superuser)

    response = editor_client.get(reverse("wagtailadmin_reports:locked_pages"))

    assert response.status_code == 200
    assert shows(response, own.product_marker)
    assert_hides(response, other)


def test_aging_pages_report_shows_only_own_pages(editor_client, own, other):
    response = editor_client.get(reverse("wagtailadmin_reports:aging_pages"))

    assert response.status_code == 200
    assert shows(response, own.product_marker)
    assert_hides(response, other)


def test_site_history_report_shows_only_own_pages(editor_client, own, other):
    assert PageLogEntry.objects.filter(page=other.product).exists()

    response = editor_client.get(reverse("wagtailadmin_reports:site_history"))

    assert response.status_code == 200
    assert shows(response, own.product_marker)
    assert_hides(response, other)


PAGE_TYPES_REPORT_URLS = [
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
]


def report_rows(response) -> dict:
    """The page types usage report's rows (content types), by model name."""
    assert response.status_code == 200
    return {row.model: row for row in response.context["object_list"]}


@pytest.mark.parametrize("url_name", PAGE_TYPES_REPORT_URLS)
def test_page_types_usage_report_does_not_name_other_cooperatives_pages(editor_client, own, other, url_name):
    other.draft.save_revision(user=other.editor)  # the other's draft is now the last edited product

    response = editor_client.get(reverse(url_name))

    assert response.status_code == 200
    assert_hides(response, other)


@pytest.mark.parametrize("url_name", PAGE_TYPES_REPORT_URLS)
def test_page_types_usage_report_counts_and_names_own_pages(editor_client, own, other, url_name):
    own.draft.save_revision(user=own.editor)  # own draft is now the last edited product

    rows = report_rows(editor_client.get(reverse(url_name)))

    assert rows["productpage"].count == 2 and rows["cooperativepage"].count == 1
    assert rows["productpage"].last_edited_page.pk == own.draft.pk
    assert rows["cooperativepage"].last_edited_page.pk == own.coop.pk


@pytest.mark.parametrize("last_edited", [1, 2])
def test_superuser_page_types_usage_report_covers_the_whole_tree(admin_client, sides, last_edited):
    sides[last_edited].draft.save_revision(user=sides[last_edited].editor)

    rows = report_rows(admin_client.get(reverse("wagtailadmin_reports:page_types_usage")))

    assert rows["productpage"].count == 4 and rows["cooperativepage"].count == 2
    assert rows["productpage"].last_edited_page.pk == sides[last_edited].draft.pk


@pytest.mark.parametrize(
    "url_name, view_class",
    [
        ("wagtailadmin_choose_page_chosen_multiple", ChosenMultipleView),
        *((url_name, ExplorablePageTypesUsageReportView) for url_name in PAGE_TYPES_REPORT_URLS),
    ],
)
def test_wagtails_url_names_lead_to_the_replacement_views(url_name, view_class):
    """Wagtail's own URLs (reversed in its templates and JavaScript) reach config/urls.py's
    replacements, listed before Wagtail's admin URLs."""
    match = resolve(reverse(url_name))

    assert match.func.view_class is view_class
    assert match.func.view_initkwargs == ({"results_only": True} if url_name.endswith("_results") else {})


# A cooperative's own page -------------------------------------------------------------------


@pytest.fixture
def empty_own_coop(own) -> CooperativePage:
    """The editor's cooperative without its products: a leaf page that they may change, which
    Wagtail alone would let them delete."""
    own.product.delete()
    own.draft.delete()
    coop = CooperativePage.objects.get(pk=own.coop.pk)
    assert coop.permissions_for_user(User.objects.get(pk=own.editor.pk)).can_delete()
    return coop


@pytest.fixture
def may_add_cooperatives(own, cooperative_index) -> Page:
    """A broader grant: the editor's group may also add and publish pages under the cooperatives
    index, so Wagtail alone would let the editor move their empty cooperative there (to the end
    of the list). Returns the index, the only place a cooperative may be moved to."""
    group = own.editor.groups.get()
    for codename in ("add_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=cooperative_index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    return cooperative_index


def exists(page: Page) -> bool:
    return Page.objects.filter(pk=page.pk).exists()


def was_moved(page: Page) -> bool:
    """Whether a move of the page was logged, even one to where it already was (the last of
    the cooperatives)."""
    return PageLogEntry.objects.filter(page=page, action__in=["wagtail.move", "wagtail.reorder"]).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_cannot_delete_own_cooperative(editor_client, empty_own_coop, method):
    response = getattr(editor_client, method)(reverse("wagtailadmin_pages:delete", args=[empty_own_coop.pk]))

    assert_permission_denied(response)
    assert exists(empty_own_coop)


def test_editor_can_delete_own_product(editor_client, own):
    response = editor_client.post(reverse("wagtailadmin_pages:delete", args=[own.draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[own.coop.pk])
    assert not exists(own.draft)


def test_superuser_can_delete_a_cooperative(admin_client, empty_own_coop):
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[empty_own_coop.pk]))

    assert response.status_code == 302
    assert not exists(empty_own_coop)


def test_bulk_delete_lists_own_cooperative_as_not_deletable(editor_client, empty_own_coop):
    response = editor_client.get(bulk_url("delete", empty_own_coop))

    assert response.status_code == 200
    assert response.context["items"] == []
    assert [entry["item"].pk for entry in response.context["items_with_no_access"]] == [empty_own_coop.pk]


def test_bulk_delete_leaves_own_cooperative_alone(editor_client, empty_own_coop):
    response = editor_client.post(bulk_url("delete", empty_own_coop))

    assert response.status_code == 302
    assert exists(empty_own_coop)


def test_superuser_can_bulk_delete_a_cooperative(admin_client, empty_own_coop):
    response = admin_client.post(bulk_url("delete", empty_own_coop))

    assert response.status_code == 302
    assert not exists(empty_own_coop)


@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_cannot_move_own_cooperative(editor_client, own, empty_own_coop, may_add_cooperatives, method):
    assert empty_own_coop.permissions_for_user(User.objects.get(pk=own.editor.pk)).can_move_to(
        may_add_cooperatives
    )

    response = getattr(editor_client, method)(move_confirm_url(empty_own_coop, may_add_cooperatives))

    assert_permission_denied(response)
    assert not was_moved(empty_own_coop)


def test_editor_can_still_move_own_product(editor_client, own):
    """Within their cooperative: to the end of its products."""
    response = editor_client.post(move_confirm_url(own.product, own.coop))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[own.coop.pk])
    assert list(own.coop.get_children().values_list("pk", flat=True)) == [own.draft.pk, own.product.pk]


def test_superuser_can_move_a_cooperative(admin_client, sides, cooperative_index):
    """To the end of the cooperatives."""
    response = admin_client.post(move_confirm_url(sides[1].coop, cooperative_index))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[cooperative_index.pk])
    children = list(cooperative_index.get_children().values_list("pk", flat=True))
    assert children == [sides[2].coop.pk, sides[1].coop.pk]


def test_bulk_move_lists_own_cooperative_as_not_movable(editor_client, empty_own_coop):
    response = editor_client.get(bulk_url("move", empty_own_coop))

    assert response.status_code == 200
    assert [entry["item"].pk for entry in response.context["items_with_no_access"]] == [empty_own_coop.pk]


def test_bulk_move_leaves_own_cooperative_in_place(editor_client, empty_own_coop, may_add_cooperatives):
    response = editor_client.post(bulk_url("move", empty_own_coop), {"chooser": may_add_cooperatives.pk})

    assert response.status_code == 302
    assert not was_moved(empty_own_coop)


def test_pages_api_refuses_to_delete_own_cooperative(editor_client, empty_own_coop):
    response = api_action(editor_client, empty_own_coop, "delete")

    assert response.status_code == 403
    assert exists(empty_own_coop)


def test_pages_api_refuses_to_move_own_cooperative(editor_client, empty_own_coop, may_add_cooperatives):
    data = {"destination_page_id": may_add_cooperatives.pk, "position": "last-child"}

    response = api_action(editor_client, empty_own_coop, "move", data)

    assert response.status_code == 403
    assert not was_moved(empty_own_coop)


def test_pages_api_deletes_own_product(editor_client, own):
    response = api_action(editor_client, own.draft, "delete")

    assert response.status_code == 204
    assert not exists(own.draft)


def test_superuser_pages_api_deletes_a_cooperative(admin_client, empty_own_coop):
    response = api_action(admin_client, empty_own_coop, "delete")

    assert response.status_code == 204
    assert not exists(empty_own_coop)


# Superuser ----------------------------------------------------------------------------------


def test_superuser_sees_both_cooperatives_pages(admin_client, sides, cooperative_index):
    markers = [marker for side in sides.values() for marker in side.markers]

    search = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "chưa bán"})
    chooser = admin_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "chưa bán"})
    api = admin_client.get(API)
    explorers = [admin_client.get(reverse("wagtailadmin_explore", args=[s.coop.pk])) for s in sides.values()]

    for side in sides.values():
        assert shows(search, side.draft_marker) and shows(chooser, side.draft_marker)
        assert {side.product.pk, side.draft.pk} <= api_ids(api)
    assert all(any(shows(r, marker) for r in explorers) for marker in markers)
    browse = admin_client.get(reverse("wagtailadmin_choose_page_child", args=[cooperative_index.pk]))
    assert all(shows(browse, side.coop.title) for side in sides.values())
