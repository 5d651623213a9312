"""Guessing passwords from the outside: every form that checks a password (the admin's login, the
front-end login in every language, password reset and its confirmation link, a private page's
password) is limited per address, and failed guesses of one account lock only that account, for
clients that have not signed in to it before."""

import pytest

from django.test import override_settings

from wagtail.models import PageViewRestriction

from website.factories import UserFactory

LIMITS = {"login": (3, 60), "login_failures": (5, 900), "page_password_failures": (5, 900)}
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


def test_posts_without_the_forms_token_do_not_lock_the_account_they_name(client, editors, home):
    from django.test import Client

    attacker = Client(enforce_csrf_checks=True)  # posts straight at the form, never fetching it
    answers = [guess(attacker, "/admin/login/", address=f"198.51.100.{n}").status_code for n in range(1, 21)]

    owner = guess(client, "/admin/login/", address="192.0.2.30", password="demo-coop1")

    assert answers[0] == 403  # refused for the missing token, as every one of them
    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(editors["coop1"].pk)


def test_strangers_guessing_a_private_pages_password_do_not_lock_out_a_visitor_who_entered_it(
    client, coop1, private_page
):
    from django.test import Client

    visitor = guess(client, private_page, address="192.0.2.40", password="secret")
    assert visitor.status_code == 302
    attacker = Client()
    # Wrong passwords from many addresses, each under its own per-address limit, past the
    # page's own limit (higher than an account's: 5 here).
    with override_settings(RATE_LIMITS={**LIMITS, "page_password_failures": (20, 900)}):
        answers = [guess(attacker, private_page, address=f"198.51.100.{n}").status_code for n in range(1, 23)]
        newcomer = guess(Client(), private_page, address="192.0.2.41", password="secret")
        page_again = client.get(coop1.url, REMOTE_ADDR="192.0.2.40")
        reentered = guess(client, private_page, address="192.0.2.40", password="secret")

    assert answers[:10] == [200] * 10  # ten strangers cannot lock the page
    assert answers[-1] == 429
    assert page_again.status_code == 200
    assert coop1.title in page_again.content.decode()
    assert reentered.status_code == 302
    # A brand-new visitor meanwhile is told to wait (docs/deploy.md).
    assert newcomer.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in newcomer.content.decode()


def account_post(client, address, **data):
    return client.post("/admin/account/", data, REMOTE_ADDR=address)


def test_an_editor_saving_their_preferences_repeatedly_is_not_limited(client, editors, home):
    client.force_login(editors["coop1"])
    answers = [
        account_post(
            client,
            "192.0.2.60",
            **{
                "name_email-first_name": "Coop",
                "name_email-last_name": "One",
                "name_email-email": "coop1@example.com",
                "locale-preferred_language": "vi",
                "theme-theme": "system",
            },
        ).status_code
        for _ in range(15)
    ]

    assert 429 not in answers


def test_an_editor_session_guessing_the_old_password_on_the_account_page_is_limited(client, editors, home):
    client.force_login(editors["coop1"])
    answers = [
        account_post(
            client,
            "192.0.2.61",
            **{
                "password-old_password": f"guess{n}",
                "password-new_password1": "A-new-long-password-1",
                "password-new_password2": "A-new-long-password-1",
            },
        ).status_code
        for n in range(15)
    ]

    assert answers[0] == 200  # the form again: the old password is wrong
    assert answers[-1] == 429
