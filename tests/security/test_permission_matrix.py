"""Who may open or change what in the Wagtail admin: one matrix, as data, over every admin URL of
our models, for five roles:

- anonymous;
- editor_a, an editor of cooperative A (growers.services.ensure_cooperative_editors);
- editor_b, an editor of cooperative B, looking at cooperative A's things;
- officer, an agriculture officer (growers.services.ensure_officers_group);
- admin, a superuser.

What each answer means (assert exactly what Wagtail does):

- OK: 200 (a page, or a file of the expected type);
- LOGIN: 302 to the admin login page, with ?next= (Wagtail's require_admin_access);
- DENIED: 302 to the admin dashboard, Wagtail's wagtail.admin.auth.permission_denied (it adds
  "Sorry, you do not have permission…"; the words are not checked, they are being translated);
- 404: the object does not exist for this user (the order desk, the page chooser);
- 405: a POST-only view asked with GET;
- ELSEWHERE: 302 to another admin view (neither the login page nor the dashboard).

A refused POST may also be answered OK: the form shown again with its error, nothing done.

Views that change data are asked with GET by everyone, and additionally POSTed, with a valid
form, by each role that must be refused; the database must be left exactly as it was. No case
may answer 500 (the test client re-raises server errors)."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from django.urls import resolve, reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from applications.models import Application
from growers import import_views
from growers.models import GrowingArea, StatusChange
from orders.models import Order, OrderEvent, Payment, UnreadableBankNotice
from products.models import Category
from sms.models import Message
from tests.helpers import area_form_data, variant_rows
from traceability.models import BatchPage, Unit
from website.models import SiteSettings

from .conftest import ROLES, World, login

OK, LOGIN, DENIED, ELSEWHERE = "ok", "login", "denied", "elsewhere"
TODAY = timezone.localdate()
HTML = "text/html"
JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roles(editor_a, editor_b, officer, admin, anonymous=LOGIN) -> dict:
    return {
        "anonymous": anonymous,
        "editor_a": editor_a,
        "editor_b": editor_b,
        "officer": officer,
        "admin": admin,
    }


EVERYONE = roles(OK, OK, OK, OK)
OFFICERS = roles(DENIED, DENIED, OK, OK)
ADMIN_ONLY = roles(DENIED, DENIED, DENIED, OK)
OWN_COOPERATIVE = roles(OK, DENIED, DENIED, OK)


@dataclass
class Case:
    """One request; `expect` maps each role that makes it to the answer it must get. For a POST,
    only the roles that must be refused are listed."""

    name: str
    method: str
    url: Callable  # (world, client) -> str
    expect: dict
    data: Callable = None  # (world) -> dict, for POSTs
    content_type: str = HTML
    xfail: dict = field(default_factory=dict)  # role -> pytest mark, for known bugs


def GET(name, url, expect, content_type=HTML, xfail=None):
    return Case(name, "get", url, expect, content_type=content_type, xfail=xfail or {})


def POST(name, url, expect, data=lambda w: {}, xfail=None):
    return Case(name, "post", url, expect, data=data, xfail=xfail or {})


def refused(**expect) -> dict:
    """The roles refused a POST and how; anonymous is always sent to log in."""
    return {"anonymous": LOGIN, **expect}


# URLs and forms ---------------------------------------------------------------------------


def area_url(name, *args):
    return lambda w, c: reverse(f"growing_areas:{name}", args=[a(w) for a in args])


def status_form(**extra):
    return lambda w: {"reason": "Kiểm tra không đạt", "effective_date": TODAY.isoformat(), **extra}


CSV_FILE = (
    "Mã số vùng trồng,Tên vùng trồng,Bản,Cây trồng,Diện tích (ha),Vĩ độ,Kinh độ,Số quyết định,Ngày cấp,"
    "Hiệu lực đến\n"
    "VN-SLL-0200,Vùng mới,Sì Lở Lầu,Thảo quả,2.5,22.62,103.27,9/QĐ,01/03/2024,01/03/2029\n"
).encode()


def pending_import(w: World, client) -> str:
    """A spreadsheet kept in the session as after an upload (for any role, as if they had got
    past the upload form); the URL of its preview."""
    session = client.session
    token = import_views.keep_upload(
        SimpleNamespace(session=session), name="vung.csv", content=CSV_FILE, boundary_files={}
    )
    session.save()
    return reverse("growers_import_preview", kwargs={"token": token})


def pending_import_confirmation(w: World, client) -> str:
    """A spreadsheet kept in the session as by pending_import; the URL that confirms it."""
    token = resolve(pending_import(w, client)).kwargs["token"]
    return reverse("growers_import_confirm", kwargs={"token": token})


def import_upload_form(w: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("vung.csv", CSV_FILE, content_type="text/csv")}


def order_url(name, order):
    return lambda w, c: reverse(f"order_desk:{name}", args=[order(w).pk])


def unreadable_notice_url(w, c) -> str:
    """A signed bank body kept as unreadable (orders.webhooks): superusers only, read-only."""
    notice, _ = UnreadableBankNotice.objects.get_or_create(
        body_sha256="a" * 64,
        defaults={"body": "{not json", "body_size": 9, "reason": "the body must be JSON in UTF-8"},
    )
    return reverse("unreadable_bank_notices:inspect", args=[notice.pk])


def sms_message_url(name):
    """A text received by the SMS webhook (sms/): officers and superusers read it, nobody changes it."""

    def url(w, c) -> str:
        message, _ = Message.objects.get_or_create(
            direction="in",
            message_id="gw-matrix",
            defaults={"phone": "+84912345678", "text": "SLL ABC", "reply": "OK", "outcome": "answered"},
        )
        return reverse("sms_messages:index") + f"{name}/{message.pk}/"

    return url


def page_url(name, page, *extra):
    return lambda w, c: reverse(f"wagtailadmin_pages:{name}", args=[page(w).pk, *[e(w) for e in extra]])


def coop_a(w):
    return w.coop_a


def product_a(w):
    return w.product_a


def a_unit(w):
    """A live unit of batch A (made once per test, before the database state is read)."""
    from traceability.unit_services import units_for_printing

    return units_for_printing(w.batch_a, w.batch_a.product.variants.first(), 1)[0]


def batch_a(w):
    return w.batch_a


def common_page_fields(page) -> dict:
    return {
        "title": page.title + " (sửa)",
        "slug": page.slug,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }


def coop_form(w: World) -> dict:
    page = w.coop_a
    return nested_form_data(
        {
            **common_page_fields(page),
            "story": streamfield([]),
            "logo": "",
            "village": page.village,
            "address": page.address,
            "phone": "",
            "household_count": str(page.household_count),
            "photos": inline_formset([]),
            "certifications": inline_formset([]),
            "bank_bin": page.bank_bin,
            "bank_account_number": page.bank_account_number,
            "bank_account_name": page.bank_account_name,
        }
    )


def product_form(w: World) -> dict:
    page = w.product_a
    variants = variant_rows(page)
    return nested_form_data(
        {
            **common_page_fields(page),
            "summary": page.summary,
            "image": "",
            "description": streamfield([]),
            "category": "",
            "ocop_stars": "",
            "variants": inline_formset(variants, initial=len(variants), min=1),
            "gallery_images": inline_formset([]),
            "certifications": inline_formset([]),
        }
    )


def batch_form(w: World) -> dict:
    page = w.batch_a
    events = [
        {
            "id": str(e.pk),
            "event_type": e.event_type,
            "occurred_at": timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "time_zone": e.time_zone,
            "place": e.place,
            "responsible": e.responsible,
            "notes": e.notes,
            "photo": "",
        }
        for e in page.events.all()
    ]
    data = nested_form_data(
        {
            **common_page_fields(page),
            "lot": page.lot,
            "harvest_start": page.harvest_start.isoformat(),
            "harvest_end": page.harvest_end.isoformat() if page.harvest_end else "",
            "quantity_kg": str(page.quantity_kg),
            "package_count": str(page.package_count),
            "packed_on": page.packed_on.isoformat() if page.packed_on else "",
            "best_before": page.best_before.isoformat() if page.best_before else "",
            "shelf_life_days": "",
            "voice": streamfield([]),
            "events": inline_formset(events, initial=len(events)),
            "certifications": inline_formset([]),
            "lab_tests": inline_formset([]),
            "recalled_on": "",
            "recall_reason": "",
        }
    )
    data["growing_areas"] = [str(area.pk) for area in page.growing_areas.all()]
    return data


def copy_form(page, parent):
    return lambda w: {
        "new_title": page(w).title + " (bản sao)",
        "new_slug": page(w).slug + "-copy",
        "new_parent_page": str(parent(w).pk),
        "copy_subpages": "",
        "publish_copies": "",
    }


def settings_url(w, c):
    return reverse("wagtailsettings:edit", args=["website", "sitesettings", w.home.get_site().pk])


def snippet_url(name, *, pk=False):
    return lambda w, c: reverse(
        f"wagtailsnippets_products_category:{name}", args=[w.category.pk] if pk else []
    )


# The matrix ------------------------------------------------------------------------------------

CASES = [
    # The admin itself.
    GET("dashboard", lambda w, c: reverse("wagtailadmin_home"), EVERYONE),
    # Growing areas (growers/viewsets/): editors look, officers change, only a superuser deletes.
    GET("areas-index", area_url("index"), EVERYONE),
    GET("areas-index-results", area_url("index_results"), EVERYONE),
    GET("areas-export-csv", lambda w, c: reverse("growing_areas:index") + "?export=csv", EVERYONE, CSV),
    GET("areas-export-xlsx", lambda w, c: reverse("growing_areas:index") + "?export=xlsx", EVERYONE, XLSX),
    GET("areas-inspect", area_url("inspect", lambda w: w.area.pk), EVERYONE),
    GET("areas-add", area_url("add"), OFFICERS),
    POST(
        "areas-add",
        area_url("add"),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=lambda w: area_form_data(),
    ),
    GET("areas-edit", area_url("edit", lambda w: w.area.pk), OFFICERS),
    POST(
        "areas-edit",
        area_url("edit", lambda w: w.area.pk),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=lambda w: area_form_data(code=w.area.code, name="Tên mới"),
    ),
    GET("areas-history", area_url("history", lambda w: w.area.pk), OFFICERS),
    GET("areas-history-results", area_url("history_results", lambda w: w.area.pk), OFFICERS),
    GET("areas-usage", area_url("usage", lambda w: w.area.pk), OFFICERS),
    GET("areas-delete", area_url("delete", lambda w: w.area.pk), ADMIN_ONLY),
    POST(
        "areas-delete",
        area_url("delete", lambda w: w.area.pk),
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
    ),
    GET("areas-suspend", area_url("suspend", lambda w: w.area.pk), OFFICERS),
    POST(
        "areas-suspend",
        area_url("suspend", lambda w: w.area.pk),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=status_form(),
    ),
    GET("areas-revoke", area_url("revoke", lambda w: w.area.pk), OFFICERS),
    POST(
        "areas-revoke",
        area_url("revoke", lambda w: w.area.pk),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=status_form(confirm="on"),
    ),
    GET("areas-reinstate", area_url("reinstate", lambda w: w.suspended_area.pk), OFFICERS),
    POST(
        "areas-reinstate",
        area_url("reinstate", lambda w: w.suspended_area.pk),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=status_form(),
    ),
    # Growing-area import (growers/import_views.py).
    GET("import-upload", lambda w, c: reverse("growers_import"), OFFICERS),
    POST(
        "import-upload",
        lambda w, c: reverse("growers_import"),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=import_upload_form,
    ),
    GET("import-template", lambda w, c: reverse("growers_import_template"), OFFICERS, CSV),
    GET("import-preview", pending_import, OFFICERS),
    POST(
        "import-confirm",
        pending_import_confirmation,
        refused(editor_a=DENIED, editor_b=DENIED),
        data=lambda w: {"mode": "all", "sha256": hashlib.sha256(CSV_FILE).hexdigest()},
    ),
    # The officer's reports (commune/admin_views.py): counts of every cooperative's codes.
    GET("commune-reports", lambda w, c: reverse("commune_reports"), OFFICERS),
    GET("commune-report-xlsx", lambda w, c: reverse("commune_report_xlsx"), OFFICERS, XLSX),
    GET("commune-report-pdf", lambda w, c: reverse("commune_report_pdf"), OFFICERS, "application/pdf"),
    # The order desk (orders/viewsets/): each cooperative its own orders; officers read all.
    GET("orders-index", lambda w, c: reverse("order_desk:index"), EVERYONE),
    GET("orders-index-results", lambda w, c: reverse("order_desk:index_results"), EVERYONE),
    GET("orders-export-csv", lambda w, c: reverse("order_desk:index") + "?export=csv", EVERYONE, CSV),
    GET("orders-export-xlsx", lambda w, c: reverse("order_desk:index") + "?export=xlsx", EVERYONE, XLSX),
    GET("orders-bank-notices", lambda w, c: reverse("order_desk:bank_notices"), EVERYONE),
    GET("orders-bank-notices-results", lambda w, c: reverse("order_desk:bank_notices_results"), EVERYONE),
    GET("orders-inspect-a", order_url("inspect", lambda w: w.order_a), roles(OK, 404, OK, OK)),
    GET("orders-inspect-b", order_url("inspect", lambda w: w.order_b), roles(404, OK, OK, OK)),
    GET("orders-transition", order_url("transition", lambda w: w.order_a), roles(405, 405, DENIED, 405)),
    POST(
        "orders-transition",
        order_url("transition", lambda w: w.order_a),
        refused(editor_b=404, officer=DENIED),
        data=lambda w: {"to_status": "cancelled", "note": "Khách huỷ"},
    ),
    GET("orders-transfer", order_url("transfer", lambda w: w.order_a), roles(OK, 404, DENIED, OK)),
    POST(
        "orders-transfer",
        order_url("transfer", lambda w: w.order_a),
        refused(editor_b=404, officer=DENIED),
        data=lambda w: {"bank_reference": "FT24123456789", "amount": str(w.order_a.total)},
    ),
    # Signed bank bodies that could not be read: superusers only, and only to read.
    GET("unreadable-notices", lambda w, c: reverse("unreadable_bank_notices:index"), ADMIN_ONLY),
    GET(
        "unreadable-notices-results",
        lambda w, c: reverse("unreadable_bank_notices:index_results"),
        ADMIN_ONLY,
    ),
    GET("unreadable-notices-inspect", unreadable_notice_url, ADMIN_ONLY),
    GET(
        "unreadable-notices-edit-absent",
        lambda w, c: unreadable_notice_url(w, c).replace("inspect", "edit"),
        roles(404, 404, 404, 404),
    ),
    GET(
        "unreadable-notices-delete-absent",
        lambda w, c: unreadable_notice_url(w, c).replace("inspect", "delete"),
        roles(404, 404, 404, 404),
    ),
    # Texts in and out (sms/): officers and superusers, read-only; phone numbers are personal data.
    GET("sms-messages", lambda w, c: reverse("sms_messages:index"), OFFICERS),
    GET("sms-messages-results", lambda w, c: reverse("sms_messages:index_results"), OFFICERS),
    GET("sms-messages-inspect", sms_message_url("inspect"), OFFICERS),
    GET("sms-messages-edit-absent", sms_message_url("edit"), roles(404, 404, 404, 404)),
    GET("sms-messages-delete-absent", sms_message_url("delete"), roles(404, 404, 404, 404)),
    GET(
        "sms-messages-add-absent",
        lambda w, c: reverse("sms_messages:index") + "add/",
        roles(404, 404, 404, 404),
    ),
    # There is no add, edit or delete view of orders, for anybody (Wagtail's admin 404).
    GET("orders-edit-absent", lambda w, c: f"/admin/orders/edit/{w.order_a.pk}/", roles(404, 404, 404, 404)),
    GET(
        "orders-delete-absent",
        lambda w, c: f"/admin/orders/delete/{w.order_a.pk}/",
        roles(404, 404, 404, 404),
    ),
    # Labels and QR codes (traceability/admin_views.py): whoever may edit the batch.
    GET("labels", lambda w, c: reverse("traceability_batch_labels", args=[w.batch_a.pk]), OWN_COOPERATIVE),
    GET(
        "labels-pdf",
        lambda w, c: reverse("traceability_batch_labels", args=[w.batch_a.pk]) + "?layout=a4&count=3&skip=0",
        OWN_COOPERATIVE,
        "application/pdf",
    ),
    GET(
        "labels-qr-svg",
        lambda w, c: reverse("traceability_batch_qr_svg", args=[w.batch_a.pk]),
        OWN_COOPERATIVE,
        "image/svg+xml",
    ),
    GET(
        "labels-qr-png",
        lambda w, c: reverse("traceability_batch_qr_png", args=[w.batch_a.pk]),
        OWN_COOPERATIVE,
        "image/png",
    ),
    # Serialised units (traceability/admin_views.py): the batch's units list and voiding one.
    GET("units", lambda w, c: reverse("traceability_batch_units", args=[w.batch_a.pk]), OWN_COOPERATIVE),
    POST(
        "unit-void",
        lambda w, c: reverse("traceability_batch_unit_void", args=[w.batch_a.pk, a_unit(w).pk]),
        refused(editor_b=DENIED, officer=DENIED),
        data=lambda w: {"reason": "Nhãn bị rách"},
    ),
    # The officer's recall (traceability/recall_views.py).
    GET("recall-list", lambda w, c: reverse("traceability_recall_batches"), OFFICERS),
    GET("recall-batch", lambda w, c: reverse("traceability_recall_batch", args=[w.batch_a.pk]), OFFICERS),
    POST(
        "recall-batch",
        lambda w, c: reverse("traceability_recall_batch", args=[w.batch_a.pk]),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=lambda w: {"recalled_on": TODAY.isoformat(), "reason": "Nấm mốc"},
    ),
    # Seasons (growers/viewsets/seasons.py): officers, and the editors of a cooperative with a code
    # (cooperative B has none in this world); tested per season in tests/growers/test_seasons_admin.py.
    GET("seasons-index", lambda w, c: reverse("seasons:index"), roles(OK, DENIED, OK, OK)),
    GET("seasons-add", lambda w, c: reverse("seasons:add"), roles(OK, DENIED, OK, OK)),
    # The officer's confirmation of kilograms over a code's limit (traceability/yield_views.py);
    # end to end in tests/traceability/test_yield_limit_confirm.py.
    GET(
        "yield-confirm-absent",
        lambda w, c: reverse("traceability_confirm_yield", args=[987654]),
        roles(DENIED, DENIED, 404, 404),
    ),
    # The Category snippet: the site administrator's.
    GET("category-list", snippet_url("list"), ADMIN_ONLY),
    GET("category-list-results", snippet_url("list_results"), ADMIN_ONLY),
    GET("category-add", snippet_url("add"), ADMIN_ONLY),
    POST(
        "category-add",
        snippet_url("add"),
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
        data=lambda w: {"name": "Dược liệu", "slug": "duoc-lieu", "sort_order": "2"},
    ),
    GET("category-edit", snippet_url("edit", pk=True), ADMIN_ONLY),
    POST(
        "category-edit",
        snippet_url("edit", pk=True),
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
        data=lambda w: {"name": "Đổi tên", "slug": w.category.slug, "sort_order": "0"},
    ),
    GET("category-copy", snippet_url("copy", pk=True), ADMIN_ONLY),
    GET("category-history", snippet_url("history", pk=True), ADMIN_ONLY),
    GET("category-usage", snippet_url("usage", pk=True), ADMIN_ONLY),
    GET("category-delete", snippet_url("delete", pk=True), ADMIN_ONLY),
    POST(
        "category-delete",
        snippet_url("delete", pk=True),
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
    ),
    # Site settings.
    GET("site-settings", settings_url, ADMIN_ONLY),
    POST(
        "site-settings",
        settings_url,
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
        data=lambda w: {"sample_data_notice": "Dữ liệu mẫu", "contact_phone": "0213", "contact_email": ""},
    ),
    # Page choosers: any admin user opens them; another cooperative's subtree is not found.
    GET("chooser", lambda w, c: reverse("wagtailadmin_choose_page"), EVERYONE, JSON),
    GET(
        "chooser-home",
        lambda w, c: reverse("wagtailadmin_choose_page_child", args=[w.home.pk]),
        EVERYONE,
        JSON,
    ),
    GET(
        "chooser-coop-a",
        lambda w, c: reverse("wagtailadmin_choose_page_child", args=[w.coop_a.pk]),
        roles(OK, 404, 404, OK),
        JSON,
    ),
    GET(
        "chooser-product-a",
        lambda w, c: reverse("wagtailadmin_choose_page_child", args=[w.product_a.pk]),
        roles(OK, 404, 404, OK),
        JSON,
    ),
    GET(
        "chooser-search",
        lambda w, c: reverse("wagtailadmin_choose_page_search") + "?q=HTX",
        EVERYONE,
    ),
    GET(
        "chooser-chosen-multiple",
        lambda w, c: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={w.product_a.pk}",
        EVERYONE,
        JSON,
    ),
]


def media_bulk_url(kind, action):
    app_label, model_name = ("wagtailimages", "image") if kind == "image" else ("wagtaildocs", "document")
    return lambda w, c: (
        reverse("wagtail_bulk_action", args=[app_label, model_name, action])
        + (f"?id={getattr(w, f'{kind}_a').pk}")
    )


CASES += [
    # The explorer: another cooperative's editor is sent back to their own explorable root.
    GET(
        "explore-coop-a",
        lambda w, c: reverse("wagtailadmin_explore", args=[w.coop_a.pk]),
        roles(OK, ELSEWHERE, DENIED, OK),
    ),
    GET(
        "explore-coop-a-results",
        lambda w, c: reverse("wagtailadmin_explore_results", args=[w.coop_a.pk]),
        roles(OK, ELSEWHERE, DENIED, OK),
    ),
    # Cooperative A's media (growers/media.py): B's editors and the officer (no media permission)
    # find them nowhere; the administrator sees them as before.
    GET("api-image-a", lambda w, c: f"/admin/api/main/images/{w.image_a.pk}/", roles(OK, 404, 404, OK), JSON),
    GET(
        "api-document-a",
        lambda w, c: f"/admin/api/main/documents/{w.document_a.pk}/",
        roles(OK, 404, 404, OK),
        JSON,
    ),
    *(
        GET(f"bulk-{kind}-{action}", media_bulk_url(kind, action), roles(OK, 404, 404, OK))
        for kind in ("image", "document")
        for action in ("delete", "add_tags", "add_to_collection")
    ),
    GET(
        "image-chosen-a",
        lambda w, c: reverse("wagtailimages_chooser:chosen", args=[w.image_a.pk]),
        roles(OK, DENIED, DENIED, OK),
        JSON,
    ),
    GET(
        "document-chosen-a",
        lambda w, c: reverse("wagtaildocs_chooser:chosen", args=[w.document_a.pk]),
        roles(OK, DENIED, DENIED, OK),
        JSON,
    ),
    GET("images-index", lambda w, c: reverse("wagtailimages:index"), roles(OK, OK, DENIED, OK)),
    GET("documents-index", lambda w, c: reverse("wagtaildocs:index"), roles(OK, OK, DENIED, OK)),
    GET("image-chooser", lambda w, c: reverse("wagtailimages_chooser:choose"), EVERYONE, JSON),
    GET(
        "tag-autocomplete", lambda w, c: reverse("wagtailadmin_tag_autocomplete") + "?term=a", EVERYONE, JSON
    ),
]

# Wagtail's page views, for each of cooperative A's pages: its cooperative page, a product and
# a batch. Editors of A change, publish and lock them; nobody but a superuser deletes or moves
# the cooperative page; Wagtail lets a user who may change a leaf page delete it (a product with
# batches is not a leaf). The move and copy forms open for A's editors on all three pages: they
# offer only destinations the user may add to, and the confirmation refuses the rest.
PAGES = {"coop": (coop_a, coop_form), "product": (product_a, product_form), "batch": (batch_a, batch_form)}
DELETE = {"coop": ADMIN_ONLY, "product": ADMIN_ONLY, "batch": ADMIN_ONLY}
# A published batch has labels in circulation: only the administrator deletes or moves it
# (growers/wagtail_hooks.py may_delete_or_move), though Wagtail would let its editors, a batch
# being a leaf page.
MOVE = {"coop": ADMIN_ONLY, "product": OWN_COOPERATIVE, "batch": ADMIN_ONLY}
for kind, (page, form) in PAGES.items():
    CASES += [
        GET(f"page-{kind}-edit", page_url("edit", page), OWN_COOPERATIVE),
        POST(
            f"page-{kind}-edit", page_url("edit", page), refused(editor_b=DENIED, officer=DENIED), data=form
        ),
        GET(f"page-{kind}-history", page_url("history", page), OWN_COOPERATIVE),
        GET(f"page-{kind}-history-results", page_url("history_results", page), OWN_COOPERATIVE),
        GET(
            f"page-{kind}-revisions-compare",
            lambda w, c, page=page: reverse(
                "wagtailadmin_pages:revisions_compare", args=[page(w).pk, "earliest", "latest"]
            ),
            OWN_COOPERATIVE,
        ),
        GET(
            f"page-{kind}-revision-view",
            lambda w, c, page=page: reverse(
                "wagtailadmin_pages:revisions_view", args=[page(w).pk, page(w).latest_revision_id]
            ),
            OWN_COOPERATIVE,
        ),
        GET(f"page-{kind}-usage", page_url("usage", page), OWN_COOPERATIVE),
        GET(f"page-{kind}-workflow-history", page_url("workflow_history", page), OWN_COOPERATIVE),
        GET(f"page-{kind}-copy", page_url("copy", page), OWN_COOPERATIVE),
        POST(
            f"page-{kind}-copy",
            page_url("copy", page),
            # A's editors may not add a cooperative under the index: the form says so.
            refused(editor_b=DENIED, officer=DENIED, **({"editor_a": OK} if kind == "coop" else {})),
            data=copy_form(page, lambda w, page=page: page(w).get_parent()),
        ),
        GET(f"page-{kind}-move", page_url("move", page), OWN_COOPERATIVE),
        GET(
            f"page-{kind}-move-confirm",
            lambda w, c, page=page: reverse(
                "wagtailadmin_pages:move_confirm", args=[page(w).pk, page(w).get_parent().pk]
            ),
            MOVE[kind],
        ),
        GET(
            f"page-{kind}-delete",
            page_url("delete", page),
            # coop A has orders: even the administrator is sent back to its edit page, with the
            # reason, before any confirmation (growers/wagtail_hooks.py).
            {**DELETE[kind], "admin": ELSEWHERE} if kind == "coop" else DELETE[kind],
        ),
        POST(
            f"page-{kind}-delete",
            page_url("delete", page),
            refused(**{role: DENIED for role, answer in DELETE[kind].items() if answer == DENIED}),
        ),
        GET(f"page-{kind}-unpublish", page_url("unpublish", page), OWN_COOPERATIVE),
        POST(f"page-{kind}-unpublish", page_url("unpublish", page), refused(editor_b=DENIED, officer=DENIED)),
        GET(f"page-{kind}-preview", page_url("preview_on_edit", page), OWN_COOPERATIVE),
        GET(f"page-{kind}-view-draft", page_url("view_draft", page), OWN_COOPERATIVE),
        GET(f"page-{kind}-lock", page_url("lock", page), roles(405, 405, 405, 405)),
        POST(f"page-{kind}-lock", page_url("lock", page), refused(editor_b=DENIED, officer=DENIED)),
        GET(f"page-{kind}-unlock", page_url("unlock", page), roles(405, 405, 405, 405)),
    ]
CASES += [
    # Moving a product into the other cooperative: only a superuser moves across cooperatives.
    POST(
        "page-product-move-to-coop-b",
        lambda w, c: reverse("wagtailadmin_pages:move_confirm", args=[w.product_a.pk, w.coop_b.pk]),
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
    ),
    # Copying a product into the other cooperative.
    POST(
        "page-product-copy-to-coop-b",
        page_url("copy", product_a),
        refused(editor_a=DENIED, editor_b=DENIED, officer=DENIED),
        data=copy_form(product_a, lambda w: w.coop_b),
    ),
    # Only one page type goes under a product: straight on to the batch form.
    GET(
        "page-product-add-subpage",
        page_url("add_subpage", product_a),
        roles(ELSEWHERE, DENIED, DENIED, ELSEWHERE),
    ),
    GET(
        "page-batch-add",
        lambda w, c: reverse("wagtailadmin_pages:add", args=["traceability", "batchpage", w.product_a.pk]),
        OWN_COOPERATIVE,
    ),
]


# Code applications (applications/viewsets/): officers see and act on all; cooperative A's editors
# read their own application; B's editors are not shown it; nobody deletes one.


def matrix_application(w):
    """Cooperative A's application, with a plot, a household and a private file (made once per
    test, before the database state is read)."""
    from django.core.files.base import ContentFile

    from applications.models import ApplicationFile
    from applications.numbers import save_with_number

    application = Application.objects.filter(applicant_name="Hộ Giàng A Páo").first()
    if application is None:
        application = Application(
            applicant_name="Hộ Giàng A Páo",
            phone="+84912345678",
            village="Sì Lở Lầu",
            crop="thao-qua",
            cooperative=w.coop_a,
        )
        save_with_number(application)
        application.plots.create(area_hectares=2, latitude=22.62, longitude=103.27)
        application.households.create(head_name="Giàng A Páo")
        attachment = ApplicationFile(
            application=application,
            kind="document",
            original_name="so-do.pdf",
            content_type="application/pdf",
            size=8,
        )
        attachment.file.save("so-do.pdf", ContentFile(b"%PDF-1.4"), save=False)
        attachment.save()
    return application


def application_url(name, *extra):
    def url(w, c):
        application = matrix_application(w)
        args = [application.pk, *[e(application) for e in extra]]
        return reverse(f"code_applications:{name}", args=args)

    return url


def application_form(w) -> dict:
    return nested_form_data(
        {
            "applicant_kind": "household",
            "applicant_name": "Sùng A Dình",
            "cooperative": "",
            "phone": "0987654321",
            "email": "",
            "language": "vi",
            "village": "Nậm Xe",
            "crop": "gung",
            "crop_other": "",
            "variety": "",
            "standard": "",
            "notes": "",
            "plots": inline_formset(
                [{"area_hectares": "0.5", "description": "", "latitude": "", "longitude": ""}]
            ),
            "households": inline_formset([]),
        }
    )


CASES += [
    GET("code-applications", lambda w, c: reverse("code_applications:index"), EVERYONE),
    GET("code-applications-inspect", application_url("inspect"), roles(OK, 404, OK, OK)),
    GET(
        "code-applications-file",
        application_url("file", lambda a: a.files.get().pk),
        roles(OK, 404, OK, OK),
        content_type="application/pdf",
    ),
    GET("code-applications-step-ask", application_url("step", lambda a: "ask"), OFFICERS),
    POST(
        "code-applications-step-ask",
        application_url("step", lambda a: "ask"),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=lambda w: {"reason": "Gửi ảnh sổ đỏ"},
    ),
    GET("code-applications-add", lambda w, c: reverse("code_applications:add"), OFFICERS),
    POST(
        "code-applications-add",
        lambda w, c: reverse("code_applications:add"),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=application_form,
    ),
    GET("code-applications-edit", application_url("edit"), OFFICERS),
    POST(
        "code-applications-edit",
        application_url("edit"),
        refused(editor_a=DENIED, editor_b=DENIED),
        data=application_form,
    ),
    GET(
        "code-applications-delete-absent",
        lambda w, c: reverse("code_applications:index") + f"delete/{matrix_application(w).pk}/",
        roles(404, 404, 404, 404),
    ),
]


def db_state() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(
            Page.objects.order_by("pk").values_list(
                "pk", "title", "draft_title", "slug", "path", "live", "locked", "latest_revision_id"
            )
        ),
        Revision.objects.count(),
        list(GrowingArea.objects.order_by("pk").values()),
        StatusChange.objects.count(),
        list(Category.objects.order_by("pk").values()),
        list(SiteSettings.objects.order_by("pk").values()),
        list(Order.objects.order_by("pk").values("pk", "status", "paid_at")),
        OrderEvent.objects.count(),
        Payment.objects.count(),
        list(UnreadableBankNotice.objects.order_by("pk").values()),
        list(BatchPage.objects.order_by("pk").values("pk", "recalled_on", "recall_reason")),
        list(Unit.objects.order_by("pk").values("pk", "voided_at", "void_reason")),
        ModelLogEntry.objects.count(),
        PageLogEntry.objects.count(),
        list(Application.objects.order_by("pk").values("pk", "status", "phone", "applicant_name")),
    )


def assert_answer(response, expected, content_type):
    location = response.get("Location", "")
    if expected == OK:
        assert response.status_code == 200, (response.status_code, location)
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    elif expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith(reverse("wagtailadmin_login") + "?next="), location
    elif expected == DENIED:
        assert (response.status_code, location) == (302, reverse("wagtailadmin_home"))
    elif expected == ELSEWHERE:
        assert response.status_code == 302
        assert location.startswith("/admin/"), location
        assert location != reverse("wagtailadmin_home")
        assert not location.startswith(reverse("wagtailadmin_login")), location
    else:
        assert response.status_code == expected, (response.status_code, location)


MATRIX = [
    pytest.param(case, role, id=f"{case.name}-{case.method}-{role}", marks=case.xfail.get(role, ()))
    for case in CASES
    for role in ROLES
    if role in case.expect
]


@pytest.mark.parametrize(("case", "role"), MATRIX)
def test_permission_matrix(client, world, case, role):
    login(client, world, role)
    url = case.url(world, client)
    before = db_state()
    response = client.get(url) if case.method == "get" else client.post(url, case.data(world))
    assert_answer(response, case.expect[role], case.content_type)
    if case.method == "post" or case.expect[role] != OK:
        assert db_state() == before


# The refused forms above are valid: the first role allowed to send each one succeeds with it
# (a redirect to a success page), so a refusal is the permission check, never a form error.

# The administrator's delete of a cooperative with orders is refused with a message (orders keep
# their seller): tested on its own below, not as a success.
REFUSED_EVEN_TO_THE_ADMINISTRATOR = {"page-coop-delete"}

ALLOWED_POSTERS = [
    pytest.param(
        case,
        next(role for role in ("editor_a", "officer", "admin") if role not in case.expect),
        id=case.name,
    )
    for case in CASES
    if case.method == "post" and case.name not in REFUSED_EVEN_TO_THE_ADMINISTRATOR
]


def test_a_cooperative_with_orders_is_not_deleted_even_by_the_administrator(client, world):
    login(client, world, "admin")
    before = db_state()

    response = client.post(reverse("wagtailadmin_pages:delete", args=[world.coop_a.pk]), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("wagtailadmin_pages:edit", args=[world.coop_a.pk])
    assert "orders were placed" in response.content.decode() or "đơn hàng" in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(("case", "role"), ALLOWED_POSTERS)
def test_the_refused_forms_succeed_for_a_role_that_may_send_them(client, world, case, role):
    login(client, world, role)
    url = case.url(world, client)
    before = db_state()
    response = client.post(url, case.data(world))
    form = response.context.get("form") if response.context else None
    assert_answer(response, ELSEWHERE, HTML), form.errors if form is not None else response.status_code
    if case.name == "import-upload":  # kept in the session until confirmed
        assert import_views.SESSION_KEY in client.session
    else:
        assert db_state() != before


def test_copying_a_product_whose_pack_has_a_gtin_is_not_a_server_error(client, world):
    world.variant_a.gtin = "96385074"
    world.variant_a.save()
    login(client, world, "editor_a")
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[world.product_a.pk]),
        copy_form(product_a, coop_a)(world),
    )
    assert_answer(response, ELSEWHERE, HTML)
