"""The officer's list of texts in the Wagtail admin: officers and administrators read every text
in and out (phone numbers included), with filters and a search on the phone; cooperative editors,
other staff and anonymous visitors see neither the list, nor a text, nor the menu item. Nobody
adds, changes or deletes a text there."""

from datetime import timedelta

import pytest

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from sms.models import Message
from website.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE_IN = "+84912345678"
PHONE_OUT = "+84987654321"


@pytest.fixture
def texts():
    received = Message.objects.create(
        direction="in", message_id="gw-1", phone=PHONE_IN, text="SLL ABC", reply="OK", outcome="answered"
    )
    sent = Message.objects.create(
        direction="out",
        phone=PHONE_OUT,
        text="Don hang da gui",
        outcome="failed",
        reason="the gateway answered 500",
    )
    return received, sent


@pytest.fixture
def people(officer, coop1_editor):
    staff = UserFactory(username="staff")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {
        "officer": officer,
        "admin": UserFactory(username="admin", is_superuser=True),
        "coop1_editor": coop1_editor,
        "staff": staff,
    }


INDEX = "/admin/sms/messages/"


def urls(texts):
    received, _sent = texts
    return [
        INDEX,
        INDEX + "results/",
        INDEX + f"inspect/{received.pk}/",
        INDEX + f"?q={PHONE_IN[-6:]}",
    ]


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_administrators_read_every_text(client, texts, people, role):
    client.force_login(people[role])
    received, sent = texts

    listing = client.get(INDEX)
    assert listing.status_code == 200
    page = listing.content.decode()
    for expected in (PHONE_IN, PHONE_OUT, "SLL ABC", "Don hang da gui"):
        assert expected in page

    inspect = client.get(INDEX + f"inspect/{sent.pk}/")
    assert inspect.status_code == 200
    assert PHONE_OUT in inspect.content.decode()
    assert "the gateway answered 500" in inspect.content.decode()

    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu item


@pytest.mark.parametrize("role", ["coop1_editor", "staff"])
def test_editors_and_other_staff_see_no_text_nor_the_menu_item(client, texts, people, role):
    client.force_login(people[role])

    for url in urls(texts):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home")
        assert PHONE_IN not in response.content.decode()

    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert INDEX not in home.content.decode()
    assert PHONE_IN not in home.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, texts):
    for url in urls(texts):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("role", ["officer", "admin", "coop1_editor"])
@pytest.mark.parametrize(
    "view", ["add/", "edit/{pk}/", "delete/{pk}/", "history/{pk}/", "usage/{pk}/", "copy/{pk}/"]
)
def test_nobody_adds_changes_or_deletes_a_text(client, texts, people, role, view):
    client.force_login(people[role])
    received, _sent = texts
    url = INDEX + view.format(pk=received.pk)

    assert client.get(url).status_code == 404
    assert client.post(url, {"phone": "+840000", "text": "forged"}).status_code == 404
    received.refresh_from_db()
    assert (received.phone, received.text) == (PHONE_IN, "SLL ABC")


def test_only_the_view_permission_is_offered_to_groups():
    from sms.viewsets import message_viewset

    assert list(message_viewset.get_permissions_to_register().values_list("codename", flat=True)) == [
        "view_message"
    ]


def test_a_group_given_the_view_permission_reads_the_texts(client, texts):
    readers = Group.objects.create(name="Readers")
    readers.permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_message"]))
    user = UserFactory(username="reader")
    user.groups.add(readers)
    client.force_login(user)
    assert client.get(INDEX).status_code == 200
    # Change or delete permissions, given by hand, open nothing more.
    readers.permissions.add(*Permission.objects.filter(content_type__app_label="sms"))
    assert client.get(INDEX + "add/").status_code == 404


def test_the_officer_searches_by_phone(client, texts, officer):
    client.force_login(officer)
    page = client.get(INDEX, {"q": "912345"}).content.decode()
    assert PHONE_IN in page
    assert PHONE_OUT not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"direction": "in"}, PHONE_IN, PHONE_OUT),
        ({"direction": "out"}, PHONE_OUT, PHONE_IN),
        ({"outcome": "failed"}, PHONE_OUT, PHONE_IN),
        ({"outcome": "answered"}, PHONE_IN, PHONE_OUT),
    ],
)
def test_the_officer_filters_by_direction_and_outcome(client, texts, officer, query, shown, hidden):
    client.force_login(officer)
    page = client.get(INDEX, query).content.decode()
    assert shown in page
    assert hidden not in page


def test_the_officer_filters_by_date(client, texts, officer):
    received, _sent = texts
    Message.objects.filter(pk=received.pk).update(created=timezone.now() - timedelta(days=10))
    client.force_login(officer)
    today = timezone.localdate().isoformat()

    page = client.get(INDEX, {"created_from": today}).content.decode()

    assert PHONE_OUT in page
    assert PHONE_IN not in page


def test_the_officers_group_made_before_the_sms_app_is_given_the_permission(officer):
    from importlib import import_module

    from django.apps import apps as global_apps

    group = officer.groups.get()
    view = Permission.objects.get(content_type__app_label="sms", codename="view_message")
    group.permissions.remove(view)
    assert not Group.objects.filter(pk=group.pk, permissions=view).exists()

    import_module("sms.migrations.0002_officers_read_messages").grant(global_apps, None)

    assert Group.objects.filter(pk=group.pk, permissions=view).exists()
