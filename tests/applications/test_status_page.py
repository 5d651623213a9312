"""The status page /growing-areas/apply/<number>/: the application shown to whoever holds its
number and the last 4 digits of its phone, and nothing to anyone else; wrong tries limited."""

import datetime
import re

import pytest

from django.test import Client
from django.utils import timezone

from applications.models import ApplicationStatus
from growers.factories import GrowingAreaFactory

from .apply_helpers import APPLY, form_data, make_application, move

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]


def url(application, prefix="/en"):
    return f"{prefix}/growing-areas/apply/{application.number}/"


def look(client, application_or_url, digits="5678", prefix="/en"):
    address = application_or_url if isinstance(application_or_url, str) else url(application_or_url, prefix)
    return client.post(address, {"digits": digits})


def test_the_page_asks_for_the_digits_and_shows_nothing_before(client):
    application = make_application()
    response = client.get(url(application))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The last 4 digits of the phone you gave" in page
    assert 'method="post"' in page
    assert "Received on" not in page and "Giàng Thị Mai" not in page
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("prefix", ["", "/en", "/hmn"])
def test_the_right_digits_show_the_status_in_every_language(client, prefix):
    application = make_application()
    response = look(client, application, prefix=prefix)
    assert response.status_code == 200
    page = response.content.decode()
    assert application.number in page
    assert timezone.localtime(application.received_at).strftime("%d/%m/%Y") in page
    assert "private" in response["Cache-Control"]


def test_each_step_its_date_and_message_the_planned_visit_and_the_code(client):
    application = make_application()
    move(application, ApplicationStatus.NEEDS_INFORMATION, "Xin bổ sung ảnh sổ đỏ.")
    move(
        application,
        ApplicationStatus.INSPECTION_PLANNED,
        "Cán bộ Lò Văn Minh sẽ đến.",
        planned_for=datetime.date(2026, 12, 20),
    )
    page = look(client, application).content.decode()
    assert "Xin bổ sung ảnh sổ đỏ." in page and "Cán bộ Lò Văn Minh sẽ đến." in page
    assert "Inspection planned" in page and "Needs information" in page
    assert "The officer will come on" in page and "20/12/2026" in page

    area = GrowingAreaFactory(code="LC-PT-0099")
    move(application, ApplicationStatus.INSPECTED)
    move(application, ApplicationStatus.GRANTED, "Chúc mừng!")
    application.growing_area = area
    application.save()
    page = look(client, application).content.decode()
    assert "Granted" in page and "The officer will come on" not in page
    assert 'href="/en/growing-areas/LC-PT-0099/"' in page


def test_a_refusal_says_why(client):
    application = make_application()
    move(application, ApplicationStatus.REFUSED, "Vườn nằm trong rừng phòng hộ.")
    page = look(client, application).content.decode()
    assert "Refused" in page
    assert "Why:" in page and "Vườn nằm trong rừng phòng hộ." in page


def test_under_the_minimum_the_warning_is_on_the_status_page_too(client):
    application = make_application(hectares="0.30")
    page = look(client, application).content.decode()
    assert "may group your plots with your neighbours" in page
    assert (
        "may group"
        not in look(client, make_application(phone="+84987654321"), digits="4321").content.decode()
    )


def test_wrong_digits_and_an_unknown_number_get_the_same_answer(client):
    application = make_application()
    wrong = look(client, application, digits="0000")
    unknown = look(client, "/en/growing-areas/apply/2026-9999/", digits="5678")
    garbage = look(client, "/en/growing-areas/apply/<script>/", digits="5678")
    for response in (wrong, unknown, garbage):
        assert response.status_code == 404
        page = response.content.decode()
        assert "We found no application with this number and these digits" in page
        assert "Received on" not in page and "Sì Lở Lầu</dd>" not in page

    def same(response, number):
        return re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode().replace(number, "N")
        )

    assert same(wrong, application.number) == same(unknown, "2026-9999")


@pytest.mark.parametrize("digits", ["", "12", "abcd", "123456789"])
def test_digits_that_are_not_four_digits_are_said_so(client, digits):
    response = look(client, make_application(), digits=digits)
    assert response.status_code == 400
    assert (
        "Write 4 digits" in response.content.decode() or "This field is required" in response.content.decode()
    )


def test_no_personal_data_beyond_the_applicants_own(client):
    application = make_application(email="mai@example.com", notes="Nhà tôi gần trường.")
    application.households.create(head_name="Lò Văn Pao", phone="+84987000111")
    page = look(client, application).content.decode()
    for private in (
        "Giàng Thị Mai",
        "+84912345678",
        "0912345678",
        "mai@example.com",
        "Lò Văn Pao",
        "987000111",
        "Nhà tôi",
    ):
        assert private not in page


def test_wrong_tries_are_limited_per_client(client, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"application_status_miss": (3, 3600)}
    application = make_application()
    for _ in range(3):
        assert look(client, application, digits="0000").status_code == 404
    refused = look(client, application, digits="5678")
    assert refused.status_code == 429
    assert "Too many wrong tries" in refused.content.decode()
    assert "Received on" not in refused.content.decode()
    # Right digits do not count: another client still sees it.
    assert look(Client(REMOTE_ADDR="10.9.9.9"), application).status_code == 200


def test_right_after_applying_the_browser_sees_the_status_without_the_digits(client):
    response = client.post("/en" + APPLY, form_data())
    received = client.get(response["Location"])
    assert received.status_code == 200
    number = response["Location"].split("/")[-3]
    status = client.get(f"/en/growing-areas/apply/{number}/")
    assert "Received on" in status.content.decode()
    # Another browser needs the digits.
    assert "Received on" not in Client().get(f"/en/growing-areas/apply/{number}/").content.decode()


def test_the_number_is_found_however_it_is_typed(client):
    application = make_application()
    compact = application.number.replace("-", "")
    assert look(client, f"/en/growing-areas/apply/{compact}/").status_code == 200


def test_the_registry_links_to_the_form(client, registry):
    page = client.get("/en/growing-areas/").content.decode()
    assert 'href="/en/growing-areas/apply/"' in page
    assert "No code yet?" in page
    # The registry page (which answers /growing-areas/<code>/) does not take the form's address.
    for path in ("/growing-areas/apply/", "/en/growing-areas/apply/", "/hmn/growing-areas/apply/"):
        response = client.get(path)
        assert response.status_code == 200 and 'name="applicant_name"' in response.content.decode()
    assert 'href="/growing-areas/apply/"' in client.get("/growing-areas/").content.decode()


@pytest.mark.parametrize("role", ["anonymous", "coop1_editor", "officer", "superuser"])
def test_every_role_needs_the_digits_and_sees_the_same_page(client, role, request, django_user_model):
    """The public status page gives nobody more, signed in or not (the officers' queue is in the
    admin): the same form without the digits, the same not-found with wrong ones."""
    if role == "superuser":
        client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x"))
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    application = make_application()
    assert "Received on" not in client.get(url(application)).content.decode()
    assert look(client, application, digits="0000").status_code == 404
    shown = look(client, application)
    assert shown.status_code == 200 and "Received on" in shown.content.decode()
    assert "Giàng Thị Mai" not in shown.content.decode()
