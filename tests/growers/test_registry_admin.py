"""The agriculture officer's register of growing-area codes in the Wagtail admin
(growers/viewsets/): who may do what on every view, the status actions and their history,
filters and search, the registration form's validation, the dashboard panel.

Wagtail answers a refused admin request with a redirect to the dashboard (and the message
"Sorry, you do not have permission…"), an anonymous one with a redirect to the login page.
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale, ModelLogEntry, Page, Site
from wagtail.test.utils.form_data import inline_formset

from growers.factories import (
    CooperativeEditorFactory,
    CooperativeIndexPageFactory,
    CooperativePageFactory,
    GrowingAreaFactory,
    HouseholdFactory,
    InspectionFactory,
    OfficerFactory,
)
from growers.models import GrowingArea, GrowingAreaStatus, StatusChange
from growers.services import change_status
from growers.viewsets import DASHBOARD_LIMIT, GrowingAreasDashboardPanel
from tests.helpers import area_form_data
from website.factories import HomePageFactory, UserFactory
from website.models import User

TODAY = timezone.localdate()
ROLES = ["officer", "editor", "plain", "anonymous", "superuser"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A cooperative and one user per role, built once for the module inside a transaction that
    is rolled back after its last test (each test runs in a savepoint of its own)."""
    with django_db_blocker.unblock(), transaction.atomic():
        root = Page.get_first_root_node()
        Page.objects.filter(depth=2).delete()
        home = HomePageFactory(parent=root)
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        coop = CooperativePageFactory(parent=CooperativeIndexPageFactory(parent=home), title="HTX Thảo quả")
        officer = OfficerFactory(username="officer", first_name="Cán bộ", last_name="Nông nghiệp")
        editor = CooperativeEditorFactory(username="coop-editor", cooperative=coop)
        plain = UserFactory(username="plain")
        plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
        superuser = UserFactory(username="admin", is_superuser=True, is_staff=True)
        yield {
            "coop": coop.pk,
            "users": {
                role: user.pk
                for role, user in [
                    ("officer", officer),
                    ("editor", editor),
                    ("plain", plain),
                    ("superuser", superuser),
                ]
            },
        }
        transaction.set_rollback(True)


@pytest.fixture
def users(world, db) -> dict[str, User]:
    return {role: User.objects.get(pk=pk) for role, pk in world["users"].items()}


@pytest.fixture
def area(world, db) -> GrowingArea:
    return GrowingAreaFactory(code="VN-DTOR-0017", name="Vùng thảo quả Nậm Xe", village="Nậm Xe")


@pytest.fixture
def suspended_area(world, db, users) -> GrowingArea:
    area = GrowingAreaFactory(code="VN-DTOR-0018", name="Vùng sâm Lai Châu")
    change_status(area=area, to_status="suspended", reason="Pesticide residue found", user=users["officer"])
    area.refresh_from_db()
    return area


def login(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def url(name, *args):
    return reverse(f"growing_areas:{name}", args=args)


def edit_form_data(area: GrowingArea, **overrides) -> dict:
    fields = {
        "code": area.code,
        "name": area.name,
        "village": area.village,
        "area_hectares": str(area.area_hectares),
        "latitude": str(area.latitude),
        "longitude": str(area.longitude),
        "decision_number": area.decision_number,
        "issued_on": area.issued_on.isoformat(),
        "valid_until": area.valid_until.isoformat(),
    }
    return area_form_data(**{**fields, **overrides})


def register_state() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(GrowingArea.objects.order_by("pk").values()),
        list(StatusChange.objects.order_by("pk").values()),
        ModelLogEntry.objects.count(),
    )


def assert_permission_denied(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def assert_login_required(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def wagtail_says(text: str) -> str:
    """Wagtail's own words, in the admin's language (LANGUAGE_CODE is Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


# Permissions on every view -----------------------------------------------------------------


@dataclass
class Case:
    """One request to one admin view of the register, who may make it, and what it does."""

    name: str
    method: str
    allowed: set[str]
    path: callable
    data: callable = None
    done: callable = None  # checks the effect of an allowed POST
    content_type: str = "text/html"


VIEWERS = {"officer", "editor", "superuser"}
OFFICERS = {"officer", "superuser"}

CASES = [
    Case("index", "get", VIEWERS, lambda a, s: url("index")),
    Case("index_results", "get", VIEWERS, lambda a, s: url("index_results")),
    Case("export_csv", "get", VIEWERS, lambda a, s: url("index") + "?export=csv", content_type="text/csv"),
    Case(
        "export_xlsx",
        "get",
        VIEWERS,
        lambda a, s: url("index") + "?export=xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Case("add", "get", OFFICERS, lambda a, s: url("add")),
    Case(
        "add",
        "post",
        OFFICERS,
        lambda a, s: url("add"),
        data=lambda a, s: area_form_data(),
        done=lambda a, s: GrowingArea.objects.filter(code="VN-SLL-0100").exists(),
    ),
    Case("edit", "get", OFFICERS, lambda a, s: url("edit", a.pk)),
    Case(
        "edit",
        "post",
        OFFICERS,
        lambda a, s: url("edit", a.pk),
        data=lambda a, s: edit_form_data(a, name="Tên mới"),
        done=lambda a, s: GrowingArea.objects.get(pk=a.pk).name == "Tên mới",
    ),
    Case("inspect", "get", VIEWERS, lambda a, s: url("inspect", a.pk)),
    Case("history", "get", OFFICERS, lambda a, s: url("history", a.pk)),
    Case("history_results", "get", OFFICERS, lambda a, s: url("history_results", a.pk)),
    Case("usage", "get", OFFICERS, lambda a, s: url("usage", a.pk)),
    Case("delete", "get", {"superuser"}, lambda a, s: url("delete", a.pk)),
    Case(
        "delete",
        "post",
        {"superuser"},
        lambda a, s: url("delete", a.pk),
        data=lambda a, s: {},
        done=lambda a, s: not GrowingArea.objects.filter(pk=a.pk).exists(),
    ),
    Case("suspend", "get", OFFICERS, lambda a, s: url("suspend", a.pk)),
    Case(
        "suspend",
        "post",
        OFFICERS,
        lambda a, s: url("suspend", a.pk),
        data=lambda a, s: {"reason": "Inspection failed", "effective_date": TODAY.isoformat()},
        done=lambda a, s: GrowingArea.objects.get(pk=a.pk).status == GrowingAreaStatus.SUSPENDED,
    ),
    Case("reinstate", "get", OFFICERS, lambda a, s: url("reinstate", s.pk)),
    Case(
        "reinstate",
        "post",
        OFFICERS,
        lambda a, s: url("reinstate", s.pk),
        data=lambda a, s: {"reason": "Residue test passed", "effective_date": TODAY.isoformat()},
        done=lambda a, s: GrowingArea.objects.get(pk=s.pk).status == GrowingAreaStatus.ACTIVE,
    ),
    Case("revoke", "get", OFFICERS, lambda a, s: url("revoke", a.pk)),
    Case(
        "revoke",
        "post",
        OFFICERS,
        lambda a, s: url("revoke", a.pk),
        data=lambda a, s: {"reason": "Area abandoned", "effective_date": TODAY.isoformat(), "confirm": "on"},
        done=lambda a, s: GrowingArea.objects.get(pk=a.pk).status == GrowingAreaStatus.REVOKED,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{case.name}-{case.method}" for case in CASES])
def test_each_role_gets_exactly_its_permissions_on_every_view(
    client, users, area, suspended_area, role, case
):
    login(client, users, role)
    before = register_state()
    path = case.path(area, suspended_area)

    if case.method == "get":
        response = client.get(path)
    else:
        response = client.post(path, case.data(area, suspended_area))

    if role == "anonymous":
        assert_login_required(response)
    elif role not in case.allowed:
        assert_permission_denied(response)
        assert messages_of(response) == [
            wagtail_says("Sorry, you do not have permission to access this area.")
        ]
    elif case.method == "get":
        assert response.status_code == 200
        assert response["Content-Type"].startswith(case.content_type)
    else:
        assert response.status_code == 302, response.context and response.context.get("form").errors
        assert response["Location"] != reverse("wagtailadmin_home")
        assert case.done(area, suspended_area)
    if role not in case.allowed or case.method == "get":
        assert register_state() == before


def test_a_group_given_the_delete_permission_still_cannot_delete(client, users, area):
    officer = users["officer"]
    officer.user_permissions.add(Permission.objects.get(codename="delete_growingarea"))
    client.force_login(officer)

    assert_permission_denied(client.get(url("delete", area.pk)))
    assert_permission_denied(client.post(url("delete", area.pk)))
    assert GrowingArea.objects.filter(pk=area.pk).exists()
    assert url("delete", area.pk) not in client.get(url("edit", area.pk)).content.decode()


def test_the_group_editor_does_not_offer_the_delete_permission(client, users):
    client.force_login(users["superuser"])

    content = client.get(reverse("wagtailusers_groups:add")).content.decode()

    # The custom permission's name, through the catalogue (the admin is Vietnamese by default).
    assert "Có thể tạm đình chỉ, khôi phục hoặc thu hồi mã số vùng trồng" in content
    delete_id = Permission.objects.get(codename="delete_growingarea").pk
    assert f'value="{delete_id}"' not in content


@pytest.mark.parametrize(
    ("role", "sees_panel"),
    [("officer", True), ("editor", True), ("superuser", True), ("plain", False)],
)
def test_dashboard_panel_is_shown_only_to_those_who_may_see_the_register(
    client, users, area, role, sees_panel
):
    login(client, users, role)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert ("Mã số vùng trồng" in response.content.decode()) is sees_panel


def test_dashboard_needs_a_login(client):
    assert_login_required(client.get(reverse("wagtailadmin_home")))


@pytest.mark.parametrize(("role", "shown"), [("officer", True), ("editor", True), ("plain", False)])
def test_admin_menu_shows_the_register_to_those_who_may_see_it(client, users, role, shown):
    login(client, users, role)

    content = client.get(reverse("wagtailadmin_home")).content.decode()

    assert (url("index") in content) is shown


# Status actions -----------------------------------------------------------------------------


def post_status(client, action, area, reason="Inspection found pesticide residue", day=None, **extra):
    data = {"reason": reason, "effective_date": (day or TODAY).isoformat(), **extra}
    return client.post(url(action, area.pk), data)


@pytest.fixture
def officer_client(client, users):
    client.force_login(users["officer"])
    return client


def test_suspending_and_reinstating_keep_each_change_in_the_history(officer_client, users, area):
    last_week = TODAY - timedelta(days=7)

    response = post_status(officer_client, "suspend", area, reason="Residue above MRL", day=last_week)
    assert response["Location"] == url("edit", area.pk)
    assert "Đã tạm đình chỉ mã số VN-DTOR-0017." in messages_of(response)
    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.SUSPENDED

    post_status(officer_client, "reinstate", area, reason="Retest passed")
    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.ACTIVE

    rows = list(area.status_changes.order_by("changed_at", "pk"))
    assert [
        (row.from_status, row.to_status, row.reason, row.effective_date, row.changed_by) for row in rows
    ] == [
        ("active", "suspended", "Residue above MRL", last_week, users["officer"]),
        ("suspended", "active", "Retest passed", TODAY, users["officer"]),
    ]
    assert all(abs(row.changed_at - timezone.now()) < timedelta(minutes=1) for row in rows)


def test_revoking_asks_for_confirmation_and_says_it_is_final(officer_client, area):
    form_page = officer_client.get(url("revoke", area.pk)).content.decode()
    assert "Thu hồi mã số VN-DTOR-0017 là vĩnh viễn" in form_page

    response = post_status(officer_client, "revoke", area, reason="Area abandoned")

    assert response.status_code == 200
    assert "Hãy đánh dấu vào ô để xác nhận" in response.content.decode()
    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.ACTIVE
    assert not area.status_changes.exists()


def test_revoking_is_final(officer_client, area):
    post_status(officer_client, "revoke", area, reason="Area abandoned", confirm="on")
    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.REVOKED
    before = register_state()

    for action in ("reinstate", "suspend", "revoke"):
        for response in (
            officer_client.get(url(action, area.pk)),
            post_status(officer_client, action, area, reason="Try again", confirm="on"),
        ):
            assert response.status_code == 302
            assert response["Location"] == url("edit", area.pk)
            assert any("thu hồi là vĩnh viễn" in message for message in messages_of(response))
    assert register_state() == before


def test_a_suspended_code_can_be_revoked(officer_client, suspended_area):
    post_status(officer_client, "revoke", suspended_area, reason="Owner left the cooperative", confirm="on")

    suspended_area.refresh_from_db()
    assert suspended_area.status == GrowingAreaStatus.REVOKED
    assert suspended_area.status_changes.first().from_status == GrowingAreaStatus.SUSPENDED


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_status_change_needs_a_reason(officer_client, area, reason):
    response = post_status(officer_client, "suspend", area, reason=reason)

    assert response.status_code == 200
    assert "Hãy ghi lý do thay đổi." in response.content.decode()
    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.ACTIVE


def test_a_refused_transition_is_explained_not_an_error(officer_client, area):
    response = officer_client.get(url("reinstate", area.pk), follow=True)

    assert response.status_code == 200
    assert "Mã số VN-DTOR-0017 đang ở trạng thái “còn hiệu lực” nên không thể khôi phục." in (
        response.content.decode()
    )


def test_a_status_change_refused_by_the_service_is_explained(officer_client, area, monkeypatch):
    """Another officer changed the code between the form and its submission: the service,
    checking under a row lock, refuses; the officer reads why."""
    from growers.exceptions import StatusChangeRefused
    from growers.viewsets import status_actions

    def refuse(**kwargs):
        raise StatusChangeRefused("This code is revoked; revoking is final.")

    monkeypatch.setattr(status_actions, "change_status", refuse)

    response = post_status(officer_client, "suspend", area)

    assert response.status_code == 302
    assert "This code is revoked; revoking is final." in messages_of(response)


def test_the_effective_date_defaults_to_today_and_cannot_be_in_the_future(officer_client, area):
    form = officer_client.get(url("suspend", area.pk)).context["form"]
    assert form["effective_date"].value() == TODAY

    response = post_status(officer_client, "suspend", area, day=TODAY + timedelta(days=1))

    assert "ngày không thể ở tương lai" in response.content.decode()
    assert GrowingArea.objects.get(pk=area.pk).status == GrowingAreaStatus.ACTIVE


def test_the_effective_date_cannot_precede_the_last_change(officer_client, suspended_area):
    response = post_status(officer_client, "reinstate", suspended_area, day=TODAY - timedelta(days=1))

    assert "lần thay đổi trạng thái gần nhất" in response.content.decode()
    assert GrowingArea.objects.get(pk=suspended_area.pk).status == GrowingAreaStatus.SUSPENDED


@pytest.mark.parametrize(
    ("fixture", "offered", "not_offered"),
    [
        ("area", {"suspend", "revoke"}, {"reinstate"}),
        ("suspended_area", {"reinstate", "revoke"}, {"suspend"}),
    ],
)
def test_status_buttons_offer_only_the_allowed_actions(
    officer_client, request, fixture, offered, not_offered
):
    target = request.getfixturevalue(fixture)
    pages = [
        officer_client.get(url("edit", target.pk)).content.decode(),
        officer_client.get(url("inspect", target.pk)).content.decode(),
        officer_client.get(url("index")).content.decode(),
    ]
    for content in pages:
        assert all(url(action, target.pk) in content for action in offered)
        assert not any(url(action, target.pk) in content for action in not_offered)


def test_a_revoked_code_offers_no_status_action(officer_client, area):
    change_status(area=area, to_status="revoked", reason="Abandoned", user=None)

    content = officer_client.get(url("edit", area.pk)).content.decode()

    assert not any(url(action, area.pk) in content for action in ("suspend", "reinstate", "revoke"))


def test_viewers_see_no_status_action_and_no_household_names(client, users, area):
    HouseholdFactory(area=area, head_name="Lò Thị Mai", phone="0912345678")
    client.force_login(users["editor"])

    content = client.get(url("inspect", area.pk)).content.decode()
    listing = client.get(url("index")).content.decode()

    for action in ("suspend", "reinstate", "revoke"):
        assert url(action, area.pk) not in content + listing
    assert url("edit", area.pk) not in content + listing
    assert "Lò Thị Mai" not in content and "0912345678" not in content
    assert "1 hộ thành viên." in content


def test_officers_see_the_households_when_inspecting(officer_client, area):
    HouseholdFactory(area=area, head_name="Lò Thị Mai", phone="0912345678")

    content = officer_client.get(url("inspect", area.pk)).content.decode()

    assert "Lò Thị Mai" in content and "0912345678" in content


@pytest.mark.parametrize("view", ["inspect", "edit"])
def test_status_history_is_shown_on_inspect_and_edit(officer_client, suspended_area, view):
    content = officer_client.get(url(view, suspended_area.pk)).content.decode()

    assert "Pesticide residue found" in content
    assert "Còn hiệu lực → Tạm đình chỉ" in content
    assert "Cán bộ Nông nghiệp" in content  # who


def test_inspect_shows_inspections_and_effective_status(officer_client, area):
    area.valid_until = TODAY - timedelta(days=1)
    area.save()
    InspectionFactory(area=area, inspector="Vàng A Sử", notes="Sạch cỏ")

    content = officer_client.get(url("inspect", area.pk)).content.decode()

    assert "Vàng A Sử" in content and "Sạch cỏ" in content
    assert "Hết hạn" in content


# History ------------------------------------------------------------------------------------


def test_history_lists_creation_edits_and_status_changes(officer_client, users):
    officer_client.post(url("add"), area_form_data())
    area = GrowingArea.objects.get(code="VN-SLL-0100")
    officer_client.post(url("edit", area.pk), edit_form_data(area, name="Vùng thảo quả (mở rộng)"))
    post_status(officer_client, "suspend", area, reason="Residue above MRL")
    post_status(officer_client, "reinstate", area, reason="Retest passed")
    post_status(officer_client, "revoke", area, reason="Merged into VN-SLL-0101", confirm="on")

    content = officer_client.get(url("history", area.pk)).content.decode()

    for message in (
        wagtail_says("Created"),
        wagtail_says("Edited"),
        "Đã tạm đình chỉ: Residue above MRL",
        "Đã khôi phục: Retest passed",
        "Đã thu hồi: Merged into VN-SLL-0101",
    ):
        assert message in content
    actions = list(ModelLogEntry.objects.for_instance(area).values_list("action", "user__username"))
    assert sorted(actions) == sorted(
        [
            ("wagtail.create", "officer"),
            ("wagtail.edit", "officer"),
            ("growers.growing_area.suspend", "officer"),
            ("growers.growing_area.reinstate", "officer"),
            ("growers.growing_area.revoke", "officer"),
        ]
    )


# Listing: filters, search, export -----------------------------------------------------------


@pytest.fixture
def register(world, db):
    """One code of each kind, with two crops in three villages."""
    areas = {
        "active": GrowingAreaFactory(code="VN-AAA-0001", name="Thảo quả Nậm Xe", village="Nậm Xe"),
        "expiring": GrowingAreaFactory(
            code="VN-AAA-0002", name="Thảo quả Sì Lở", valid_until=TODAY + timedelta(days=20)
        ),
        "expiring_later": GrowingAreaFactory(
            code="VN-AAA-0003",
            name="Sâm Lai Châu Pa Vây Sử",
            valid_until=TODAY + timedelta(days=60),
            crop_name="Sâm Lai Châu",
            village="Pa Vây Sử",
        ),
        "expired": GrowingAreaFactory(
            code="VN-AAA-0004", name="Thảo quả Hoang Thèn", valid_until=TODAY - timedelta(days=1)
        ),
        "suspended": GrowingAreaFactory(
            code="VN-AAA-0005", name="Sâm Lai Châu Sì Lở", crop_name="Sâm Lai Châu"
        ),
        "revoked": GrowingAreaFactory(code="VN-AAA-0006", name="Thảo quả cũ"),
    }
    change_status(area=areas["suspended"], to_status="suspended", reason="Residue", user=None)
    change_status(area=areas["revoked"], to_status="revoked", reason="Abandoned", user=None)
    return areas


def listed(client, query: str) -> set[str]:
    response = client.get(url("index") + query)
    assert response.status_code == 200
    return {area.code for area in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=active", {"active", "expiring", "expiring_later"}),
        ("?status=expired", {"expired"}),
        ("?status=suspended", {"suspended"}),
        ("?status=revoked", {"revoked"}),
        ("?crop=Sâm Lai Châu", {"expiring_later", "suspended"}),
        ("?village=Nậm Xe", {"active"}),
        ("?village=Pa Vây Sử", {"expiring_later"}),
        ("?expiring=30", {"expiring"}),
        ("?expiring=90", {"expiring", "expiring_later"}),
        ("?status=active&crop=Thảo quả", {"active", "expiring"}),
    ],
)
def test_filters_select_codes_by_status_crop_village_and_expiry(officer_client, register, query, expected):
    assert listed(officer_client, query) == {register[key].code for key in expected}


def test_filter_choices_list_the_crops_and_villages_in_the_register(officer_client, register):
    filters = officer_client.get(url("index")).context["filters"].form

    assert [value for value, _label in filters.fields["crop"].choices if value] == [
        "Sâm Lai Châu",
        "Thảo quả",
    ]
    assert "Pa Vây Sử" in [value for value, _label in filters.fields["village"].choices]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("VN-AAA-0004", {"expired"}),
        ("vn aaa 0004", {"expired"}),
        ("vnaaa0005", {"suspended"}),
        ("Hoang Thèn", {"expired"}),
        ("Sì Lở", {"expiring", "suspended"}),
    ],
)
def test_search_finds_codes_by_code_as_typed_or_loosely_and_by_name(
    officer_client, register, query, expected
):
    assert listed(officer_client, f"?q={query}") == {register[key].code for key in expected}


def test_search_works_on_the_results_url_too(officer_client, register):
    response = officer_client.get(url("index_results") + "?q=VN-AAA-0006")

    assert {area.code for area in response.context["object_list"]} == {"VN-AAA-0006"}


def test_export_lists_each_code_with_its_effective_status(officer_client, register):
    response = officer_client.get(url("index") + "?export=csv&status=expired")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert [row[:3] for row in rows[1:]] == [["VN-AAA-0004", "Thảo quả Hoang Thèn", "Hết hạn"]]


def test_listing_query_count_does_not_grow_with_the_register(officer_client, register):
    officer_client.get(url("index"))  # warms caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        officer_client.get(url("index"))
    for _number in range(10):
        change_status(area=GrowingAreaFactory(), to_status="suspended", reason="Residue", user=None)
    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(url("index"))

    assert len(response.context["object_list"]) == len(register) + 10
    assert len(many) == len(few)


def test_listing_shows_the_status_a_buyer_sees(officer_client, register):
    content = officer_client.get(url("index")).content.decode()

    for word in ("Còn hiệu lực", "Hết hạn", "Tạm đình chỉ", "Đã thu hồi"):
        assert word in content


# The registration form ----------------------------------------------------------------------


def test_officer_registers_a_code_with_households_and_an_inspection(officer_client):
    data = area_form_data(
        code="  vn-sll-0200 ",
        households=inline_formset(
            [{"head_name": "Lò Văn Sáng", "village": "", "phone": "", "area_hectares": "1.2"}]
        ),
        inspections=inline_formset(
            [{"date": TODAY.isoformat(), "inspector": "Vàng A Sử", "result": "passed", "notes": ""}]
        ),
    )

    response = officer_client.post(url("add"), data)

    assert response.status_code == 302
    area = GrowingArea.objects.get(code="VN-SLL-0200")
    assert area.lookup_key == "VNSLL0200"
    assert area.status == GrowingAreaStatus.ACTIVE
    assert area.households.get().head_name == "Lò Văn Sáng"
    assert area.inspections.get().inspector == "Vàng A Sử"


def test_the_form_does_not_expose_the_status(officer_client, area):
    form = officer_client.get(url("edit", area.pk)).context["form"]
    assert "status" not in form.fields
    add_page = officer_client.get(url("add")).content.decode()
    assert 'name="status"' not in add_page
    assert "Trạng thái hiện tại" not in add_page  # no history panel before there is a code

    officer_client.post(url("edit", area.pk), edit_form_data(area, status="revoked"))

    area.refresh_from_db()
    assert area.status == GrowingAreaStatus.ACTIVE
    assert not area.status_changes.exists()


def test_an_area_without_a_boundary_shows_an_empty_boundary_box(officer_client, area):
    form = officer_client.get(url("edit", area.pk)).context["form"]

    assert form["boundary"].value() == ""
    assert ">null<" not in str(form["boundary"])


SQUARE = (
    '{"type": "Polygon", "coordinates": '
    "[[[103.27, 22.62], [103.28, 22.62], [103.28, 22.63], [103.27, 22.63], [103.27, 22.62]]]}"
)


@pytest.mark.parametrize(
    ("overrides", "field_name", "message"),
    [
        ({"code": "1-BAD"}, "code", "không phải là mã số vùng trồng"),
        ({"code": "VN_DTOR_0017"}, "code", "không phải là mã số vùng trồng"),
        ({"code": "vn-dtor-0017"}, "code", "Mã số này đã được đăng ký."),
        ({"code": "VN.DTOR.0017"}, "code", "quá giống mã số đã đăng ký VN-DTOR-0017"),
        (
            {"valid_until": (TODAY - timedelta(days=10)).isoformat()},
            "valid_until",
            "Ngày hết hiệu lực phải sau ngày cấp.",
        ),
        ({"area_hectares": "0"}, "area_hectares", "Diện tích phải lớn hơn 0 ha."),
        ({"area_hectares": "-2"}, "area_hectares", "Diện tích phải lớn hơn 0 ha."),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "nằm ngoài Việt Nam"),
        (
            {"boundary": '{"type": "Polygon", "coordinates": [[[103.27, 22.62]'},
            "boundary",
            "không phải là JSON hợp lệ",
        ),
        (
            {"boundary": '{"type": "Point", "coordinates": [103.27, 22.62]}'},
            "boundary",
            "chỉ Polygon hoặc MultiPolygon",
        ),
        (
            {
                "boundary": SQUARE.replace(
                    "[103.28, 22.63], [103.27, 22.63]", "[103.27, 22.63], [103.28, 22.63]"
                )
            },
            "boundary",
            "tự cắt chính nó",
        ),
    ],
)
def test_the_form_explains_what_is_wrong(officer_client, area, overrides, field_name, message):
    before = register_state()

    response = officer_client.post(url("add"), area_form_data(**overrides))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field_name, []))
    assert message in errors
    assert register_state() == before


def test_a_valid_boundary_is_kept(officer_client):
    officer_client.post(url("add"), area_form_data(boundary=SQUARE))

    assert GrowingArea.objects.get(code="VN-SLL-0100").boundary["type"] == "Polygon"


def test_a_boundary_can_be_uploaded_as_kml(officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    kml = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs><LinearRing>'
        "<coordinates>103.27,22.62,0 103.28,22.62,0 103.28,22.63,0 103.27,22.62,0</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    )
    data = area_form_data()
    data["boundary_file"] = SimpleUploadedFile(
        "area.kml", kml.encode(), "application/vnd.google-earth.kml+xml"
    )

    response = officer_client.post(url("add"), data)

    assert response.status_code == 302
    assert GrowingArea.objects.get(code="VN-SLL-0100").boundary["coordinates"][0][1] == [103.28, 22.62]


def test_a_bad_boundary_file_is_explained(officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = area_form_data()
    data["boundary_file"] = SimpleUploadedFile("area.shp", b"\x00", "application/octet-stream")

    response = officer_client.post(url("add"), data)

    assert "phải là GeoJSON (.geojson) hoặc KML (.kml)" in " ".join(
        response.context["form"].errors["boundary_file"]
    )


# Dashboard panel ----------------------------------------------------------------------------


def render_panel(user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return GrowingAreasDashboardPanel(request).render_html({"request": request})


def test_dashboard_panel_lists_codes_expiring_soon_and_suspended_codes(users, register):
    html = render_panel(users["officer"])

    assert "VN-AAA-0002" in html  # expires in 20 days
    assert "VN-AAA-0003" not in html  # in 60 days
    assert "VN-AAA-0005" in html and "Residue" in html  # suspended, with why
    assert url("edit", register["expiring"].pk) in html
    assert "1 mã số đã hết hạn, cần được gia hạn." in html


def test_dashboard_panel_links_viewers_to_the_inspect_view(users, register):
    html = render_panel(users["editor"])

    assert url("inspect", register["expiring"].pk) in html
    assert url("edit", register["expiring"].pk) not in html


def test_dashboard_panel_renders_nothing_for_users_who_may_not_see_the_register(users, register):
    assert render_panel(users["plain"]) == ""


def test_dashboard_panel_query_count_does_not_grow_with_the_register(users, world, db):
    officer = users["officer"]
    render_panel(officer)  # warms the permission cache
    GrowingAreaFactory(valid_until=TODAY + timedelta(days=5))
    change_status(area=GrowingAreaFactory(), to_status="suspended", reason="Residue", user=None)
    with CaptureQueriesContext(connection) as few:
        render_panel(officer)

    for days in range(6, 16):
        GrowingAreaFactory(valid_until=TODAY + timedelta(days=days))
        change_status(area=GrowingAreaFactory(), to_status="suspended", reason="Residue", user=None)
    with CaptureQueriesContext(connection) as many:
        html = render_panel(officer)

    assert len(many) == len(few)
    assert html.count(reverse("growing_areas:index") + "edit/") == 2 * DASHBOARD_LIMIT


def test_area_factory_makes_a_currently_valid_code(world, db):
    area = GrowingAreaFactory(area_hectares=Decimal("1.00"))

    assert area.is_valid
    assert GrowingArea.objects.currently_valid().filter(pk=area.pk).exists()


def test_a_kml_boundary_with_an_xml_entity_is_refused_not_expanded(officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    kml = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY corners SYSTEM "file:///etc/passwd">]>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs><LinearRing>'
        "<coordinates>&corners;</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    )
    data = area_form_data()
    data["boundary_file"] = SimpleUploadedFile(
        "area.kml", kml.encode(), "application/vnd.google-earth.kml+xml"
    )

    response = officer_client.post(url("add"), data)

    errors = " ".join(response.context["form"].errors["boundary_file"])
    assert "Tệp KML khai báo thực thể XML" in errors
    assert "root:" not in response.content.decode()
    assert not GrowingArea.objects.filter(code="VN-SLL-0100").exists()


def test_officer_choosing_a_translated_copy_of_a_cooperative_records_the_cooperative_itself(
    officer_client, world
):
    from growers.models import CooperativePage

    coop = CooperativePage.objects.get(pk=world["coop"])
    hmong = Locale.objects.get_or_create(language_code="hmn")[0]
    copy = coop.copy_for_translation(hmong, copy_parents=True)

    response = officer_client.post(url("add"), area_form_data(cooperative=copy.pk))

    assert response.status_code == 302
    assert GrowingArea.objects.get(code="VN-SLL-0100").cooperative_id == coop.pk
