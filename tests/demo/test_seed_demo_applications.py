"""The demo's code applications and seasons (issue 19, item 7): an application in every status
of the officer's queue, taken there through the officer's own services; two declared seasons;
one code over its season's yield, which the officer's dashboard lists."""

from django.contrib.auth import get_user_model

from applications.models import Application, ApplicationStatus
from applications.selectors import possible_duplicates
from growers.models import Season
from tests.demo.conftest import seed_demo
from traceability.yields import usages_to_watch


def test_an_application_in_every_status(seeded):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    officer = get_user_model().objects.get(username="officer")
    for application in Application.objects.exclude(status=ApplicationStatus.RECEIVED):
        steps = list(application.steps.order_by("at", "pk"))
        assert steps[0].to_status == ApplicationStatus.RECEIVED
        assert steps[-1].to_status == application.status, application.number
        assert all(step.by == officer for step in steps[1:]), application.number
    for status in (ApplicationStatus.NEEDS_INFORMATION, ApplicationStatus.REFUSED):
        application = Application.objects.get(status=status)
        assert application.steps.get(to_status=status).reason.strip()


def test_the_granted_application_made_its_code_with_its_households(seeded, client):
    application = Application.objects.get(status=ApplicationStatus.GRANTED)
    area = application.growing_area
    assert area is not None and area.is_valid
    assert area.village == application.village
    assert area.area_hectares == application.total_hectares
    assert sorted(area.households.values_list("head_name", flat=True)) == sorted(
        application.households.values_list("head_name", flat=True)
    )
    assert area.contact_phone == application.phone
    page = client.get(f"/growing-areas/{area.code}/")
    assert page.status_code == 200 and area.code in page.content.decode()


def test_waiting_applications_are_dated_in_the_past_and_a_pair_is_flagged(seeded):
    waiting = Application.objects.open()
    assert waiting.count() >= 4
    ages = {application.received_at.date() for application in waiting}
    assert len(ages) >= 3  # received on different days, so waiting times differ
    flagged = [application for application in waiting if possible_duplicates(application)]
    assert flagged, "the household that asked twice is flagged"


def test_two_declared_seasons_and_one_code_over_its_yield(seeded):
    seasons = Season.objects.all()
    assert seasons.count() == 2
    assert all(season.expected_yield_kg for season in seasons)
    assert seasons.exclude(actual_yield_kg=None).count() == 1
    over = [usage for usage in usages_to_watch() if usage.is_over]
    assert [usage.area.code for usage in over] == ["LC-PT-SLL-003"]
    assert over[0].season is not None and over[0].used_kg > over[0].limit_kg


def test_second_run_adds_no_applications_or_seasons(seeded):
    before = (Application.objects.count(), Season.objects.count())
    output = seed_demo("--force")
    assert (Application.objects.count(), Season.objects.count()) == before
    assert "nothing changed" in output
