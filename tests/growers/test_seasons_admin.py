"""Seasons in the admin (issue 19, item 3): officers see and declare every code's seasons; a
cooperative's editors those of the codes registered to their cooperative; nobody else anything.
A season's start is declared with the crop and area prefilled from the code; overlapping seasons
and dates out of order are refused; its end (the actual yield) has its own small form."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Permission
from django.urls import reverse

from growers.factories import GrowingAreaFactory
from growers.models import Season
from website.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN, DENIED, OK, MISSING = "login", "denied", 200, 404


def make_season(area, starts_on=datetime.date(2026, 3, 1), **extra):
    values = {
        "crop": "thao-qua",
        "area_hectares": Decimal("2"),
        "expected_yield_kg": Decimal("600"),
        "starts_on": starts_on,
        "expected_harvest_on": starts_on + datetime.timedelta(days=240),
        "ends_on": starts_on + datetime.timedelta(days=300),
        **extra,
    }
    return Season.objects.create(growing_area=area, **values)


@pytest.fixture
def world(coop1, coop2, officer, coop1_editor, coop2_editor):
    area1 = GrowingAreaFactory(code="VN-SLL-0101", cooperative=coop1, area_hectares=Decimal("3.5"))
    area2 = GrowingAreaFactory(code="VN-SLL-0202", cooperative=coop2, crop_name="Chè shan tuyết")
    nobody = UserFactory(username="nobody")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    users = {
        "anonymous": None,
        "coop1": coop1_editor,
        "coop2": coop2_editor,
        "officer": officer,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "nobody": nobody,
    }
    return {
        "area1": area1,
        "area2": area2,
        "season1": make_season(area1),
        "season2": make_season(area2),
        "users": users,
    }


def as_role(client, world, role):
    client.logout()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            return DENIED
        return location
    return response.status_code


def season_form(area, starts="2027-03-01", harvest="2027-10-15", ends="2027-12-31", **extra):
    return {
        "growing_area": str(area.pk),
        "crop": "thao-qua",
        "variety": "Thảo quả quả to",
        "area_hectares": "3.5",
        "standard": "vietgap",
        "expected_yield_kg": "900",
        "starts_on": starts,
        "expected_harvest_on": harvest,
        "ends_on": ends,
        "market": "site",
        **extra,
    }


# Who sees what -------------------------------------------------------------------------------

# role: (index shows season1, season2), edit season1, edit season2, end of season1, delete season1
EXPECTED = {
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "coop1": ((True, False), OK, MISSING, OK, DENIED),
    "coop2": ((False, True), MISSING, OK, MISSING, MISSING),
    "officer": ((True, True), OK, OK, OK, OK),
    "superuser": ((True, True), OK, OK, OK, OK),
    # Without any season to see, a season's delete page does not exist for them.
    "nobody": (DENIED, DENIED, DENIED, DENIED, MISSING),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_and_opens_only_the_seasons_it_may(client, world, role):
    index, edit1, edit2, end1, delete1 = EXPECTED[role]
    as_role(client, world, role)
    s1, s2 = world["season1"], world["season2"]

    response = client.get(reverse("seasons:index"))
    if isinstance(index, tuple):
        assert response.status_code == 200
        rows = " ".join(
            row.get_text() for row in BeautifulSoup(response.content, "html.parser").select("tbody tr")
        )
        assert ("VN-SLL-0101" in rows, "VN-SLL-0202" in rows) == index
    else:
        assert answer(response) == index
    assert answer(client.get(reverse("seasons:edit", args=[s1.pk]))) == edit1
    assert answer(client.get(reverse("seasons:edit", args=[s2.pk]))) == edit2
    assert answer(client.get(reverse("seasons:declare_end", args=[s1.pk]))) == end1
    assert answer(client.get(reverse("seasons:delete", args=[s1.pk]))) == delete1
    history = {"anonymous": LOGIN, "coop2": MISSING, "nobody": MISSING}.get(role, OK)
    for view in ("history", "usage"):
        assert answer(client.get(reverse(f"seasons:{view}", args=[s1.pk]))) == history
    add = answer(client.get(reverse("seasons:add")))
    assert add == (OK if role in ("coop1", "coop2", "officer", "superuser") else index)


@pytest.mark.parametrize("role", ["anonymous", "coop2", "nobody"])
def test_refused_roles_change_nothing_by_posting(client, world, role):
    as_role(client, world, role)
    s1 = world["season1"]
    before = list(Season.objects.order_by("pk").values())

    client.post(reverse("seasons:add"), season_form(world["area1"]))
    client.post(reverse("seasons:edit", args=[s1.pk]), season_form(world["area1"], starts="2026-02-01"))
    client.post(reverse("seasons:declare_end", args=[s1.pk]), {"actual_yield_kg": "10"})
    client.post(reverse("seasons:delete", args=[s1.pk]))

    assert list(Season.objects.order_by("pk").values()) == before


def test_a_cooperative_editor_may_not_delete_a_season(client, world):
    as_role(client, world, "coop1")
    assert answer(client.post(reverse("seasons:delete", args=[world["season1"].pk]))) == DENIED
    assert Season.objects.filter(pk=world["season1"].pk).exists()


def test_the_officer_deletes_a_season_declared_by_mistake(client, world):
    as_role(client, world, "officer")
    client.post(reverse("seasons:delete", args=[world["season2"].pk]))
    assert not Season.objects.filter(pk=world["season2"].pk).exists()


# Declaring a season's start ------------------------------------------------------------------


def test_the_add_form_is_prefilled_from_the_code(client, world):
    as_role(client, world, "coop1")
    page = BeautifulSoup(
        client.get(reverse("seasons:add") + f"?area={world['area1'].pk}").content, "html.parser"
    )
    assert page.select_one("select[name=crop] option[selected]")["value"] == "thao-qua"
    assert page.select_one("input[name=area_hectares]")["value"] == "3.50"
    offered = [option.text for option in page.select("select[name=growing_area] option") if option["value"]]
    assert len(offered) == 1 and "VN-SLL-0101" in offered[0]


def test_a_cooperative_editor_declares_a_season_of_its_code(client, world):
    as_role(client, world, "coop1")
    response = client.post(reverse("seasons:add"), season_form(world["area1"]))
    assert answer(response) == reverse("seasons:index")
    season = Season.objects.get(growing_area=world["area1"], starts_on=datetime.date(2027, 3, 1))
    assert (season.crop, season.expected_yield_kg, season.declared_by) == (
        "thao-qua",
        Decimal("900"),
        world["users"]["coop1"],
    )


def test_a_cooperative_editor_cannot_declare_for_another_cooperatives_code(client, world):
    as_role(client, world, "coop1")
    response = client.post(reverse("seasons:add"), season_form(world["area2"]))
    assert response.status_code == 200
    assert "growing_area" in response.context["form"].errors
    assert not Season.objects.filter(starts_on=datetime.date(2027, 3, 1)).exists()


def test_the_officer_declares_for_any_code(client, world):
    as_role(client, world, "officer")
    response = client.post(reverse("seasons:add"), season_form(world["area2"]))
    assert answer(response) == reverse("seasons:index")


@pytest.mark.parametrize(
    ("dates", "field", "words"),
    [
        (
            {"starts": "2026-06-01", "ends": "2026-12-31", "harvest": "2026-11-01"},
            "starts_on",
            "đã có một vụ",
        ),
        (
            {"starts": "2027-06-01", "ends": "2027-03-01", "harvest": "2027-05-01"},
            "ends_on",
            "không thể kết thúc",
        ),
        ({"starts": "2027-03-01", "ends": "2027-12-31", "harvest": "2027-01-01"}, "expected_harvest_on", ""),
        ({"starts": "2027-03-01", "ends": "2027-12-31", "harvest": "2028-01-02"}, "expected_harvest_on", ""),
        ({"starts": "not a date", "ends": "2027-12-31", "harvest": "2027-10-01"}, "starts_on", ""),
    ],
)
def test_overlapping_seasons_and_bad_dates_are_refused(client, world, dates, field, words):
    as_role(client, world, "coop1")
    before = Season.objects.count()
    response = client.post(reverse("seasons:add"), season_form(world["area1"], **dates))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert Season.objects.count() == before


# Declaring its end ---------------------------------------------------------------------------


def test_the_holder_declares_the_actual_yield(client, world):
    as_role(client, world, "coop1")
    s1 = world["season1"]
    empty = client.post(reverse("seasons:declare_end", args=[s1.pk]), {"actual_yield_kg": ""})
    assert empty.status_code == 200 and "Hãy ghi số kg" in empty.content.decode()
    negative = client.post(reverse("seasons:declare_end", args=[s1.pk]), {"actual_yield_kg": "-5"})
    assert negative.status_code == 200

    done = client.post(reverse("seasons:declare_end", args=[s1.pk]), {"actual_yield_kg": "580.5"})
    assert answer(done) == reverse("seasons:index")
    s1.refresh_from_db()
    assert s1.actual_yield_kg == Decimal("580.5")
    assert s1.actual_declared_by == world["users"]["coop1"] and s1.actual_declared_at is not None


def test_the_growing_areas_page_lists_its_seasons(client, world):
    as_role(client, world, "officer")
    page = client.get(reverse("growing_areas:inspect", args=[world["area1"].pk])).content.decode()
    assert "01/03/2026–26/12/2026" in page and reverse("seasons:add") + f"?area={world['area1'].pk}" in page
    assert "0 / 600 kg (0%)" in page
