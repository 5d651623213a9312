"""Guessing passwords from the outside: every form that checks a password (the admin's login, the
front-end login in every language, password reset and its confirmation link, a private page's
password) is limited per address, and failed guesses of one account lock only that account, for
clients that have not signed in to it before."""

import pytest

from django.test import override_settings

from wagtail.models import PageViewRestriction

from website.factories import UserFactory

LIMITS = {"login": (3, 60), "login_failures": (5, 900)}
ATTACKER = "203.0.113.66"


@pytest.fixture(autouse=True)
def limits_on(db):
    with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS):
        yield


@pytest.fixture
def editors(db):
    return {
        name: UserFactory(username=name, password=f"demo-{name}", is_superuser=True, is_staff=True)
        for name in ("coop1", "coop2")
    }


@pytest.fixture
def private_page(coop1):
    restriction = PageViewRestriction.objects.create(
        page=coop1, restriction_type="password", password="secret"
    )
    return f"/_util/authenticate_with_password/{restriction.pk}/{coop1.pk}/"


def guess(client, path, address=ATTACKER, username="coop1", password="wrong"):
    data = {"username": username, "password": password, "email": "x@example.com", "return_url": "/"}
    data.update({"new_password1": "x", "new_password2": "y"})
    return client.post(path, data, REMOTE_ADDR=address)


PASSWORD_PATHS = [
    "/admin/login/",
    "/_util/login/",
    "/en/_util/login/",
    "/hmn/_util/login/",
    "/admin/password_reset/",
    "/admin/password_reset/confirm/MQ/bad-token/",
]


@pytest.mark.parametrize("path", PASSWORD_PATHS)
def test_an_attacker_guessing_passwords_is_refused_after_the_limit_on_every_login_path(
    client, editors, home, path
):
    answers = [guess(client, path).status_code for _ in range(4)]

    assert 429 not in answers[:3]
    assert answers[3] == 429


def test_an_attacker_guessing_a_private_pages_password_is_refused_after_the_limit(client, private_page):
    answers = [guess(client, private_page).status_code for _ in range(4)]

    assert answers[:3] == [200, 200, 200]  # the password form again
    assert answers[3] == 429


def test_guesses_from_many_addresses_lock_the_account_guessed_and_no_other(client, editors, home):
    # One wrong guess from each of many addresses: no address reaches its own limit.
    answers = [guess(client, "/_util/login/", address=f"198.51.100.{n}").status_code for n in range(1, 7)]
    fresh_address = guess(client, "/admin/login/", address="192.0.2.200")
    other_user = guess(
        client, "/admin/login/", address="192.0.2.201", username="coop2", password="demo-coop2"
    )

    assert answers[:5] == [200] * 5
    assert answers[5] == 429
    assert fresh_address.status_code == 429  # the admin's login shares the account's count
    assert other_user.status_code == 302  # coop2 signs in
    assert "_auth_user_id" in client.session


def test_the_owner_signs_in_from_a_browser_used_before_while_their_account_is_being_guessed(
    client, editors, home
):
    from django.test import Client

    assert guess(client, "/admin/login/", address="192.0.2.10", password="demo-coop1").status_code == 302
    client.post("/admin/logout/", REMOTE_ADDR="192.0.2.10")
    attacker = Client()
    for n in range(1, 7):
        guess(attacker, "/admin/login/", address=f"198.51.100.{n}")
    assert guess(attacker, "/admin/login/", address="198.51.100.99", password="demo-coop1").status_code == 429

    owner = guess(client, "/admin/login/", address="192.0.2.11", password="demo-coop1")

    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(editors["coop1"].pk)


def test_a_private_pages_password_is_locked_when_guessed_from_many_addresses(client, private_page):
    answers = [guess(client, private_page, address=f"198.51.100.{n}").status_code for n in range(1, 8)]

    assert answers[:5] == [200] * 5
    assert answers[5:] == [429, 429]


def test_staff_over_the_limit_see_a_plain_message_in_their_language(client, editors, home):
    for n in range(1, 7):
        guess(client, "/admin/login/", address=f"198.51.100.{n}")

    refused = guess(client, "/admin/login/", address="192.0.2.50", password="demo-coop1")
    refused_en = guess(client, "/en/_util/login/", address="192.0.2.51", password="demo-coop1")

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/plain")
    assert 1 <= int(refused["Retry-After"]) <= 900
    assert "Quá nhiều lần đăng nhập sai" in refused.content.decode()
    assert "Too many failed sign-ins" in refused_en.content.decode()
