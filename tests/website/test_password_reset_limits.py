"""The admin's "forgot password" form cannot be used to flood an inbox: mails per recipient and
per client are limited, and the answer is always the same page, as Django gives it, whether the
address belongs to an account or not."""

import pytest

from django.core.cache import cache
from django.test import override_settings

from website.factories import UserFactory

LIMITS = {"password_reset_recipient": (2, 3600), "password_reset_client": (4, 3600)}
URL = "/admin/password_reset/"


@pytest.fixture(autouse=True)
def limits_on(db):
    cache.clear()
    with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS):
        yield
    cache.clear()


@pytest.fixture
def editor(db):
    return UserFactory(username="coop-editor", email="editor@example.org", is_staff=True)


def ask(client, email, address="203.0.113.20"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


def test_reset_mails_to_one_address_stop_after_the_limit(client, editor, mailoutbox):
    answers = [ask(client, editor.email, address=f"198.51.100.{n}") for n in range(5)]

    assert len([m for m in mailoutbox if m.to == [editor.email]]) == 2
    # The same answer every time: nothing tells the asker that mails stopped.
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/admin/password_reset/done/")}


def test_one_client_cannot_ask_for_resets_without_end(client, editor, mailoutbox):
    for n in range(4):
        ask(client, f"nobody{n}@example.org")  # unknown addresses count too
    answer = ask(client, editor.email)

    assert mailoutbox == []
    assert (answer.status_code, answer["Location"]) == (302, "/admin/password_reset/done/")
    # Another client still can.
    ask(client, editor.email, address="198.51.100.77")
    assert len(mailoutbox) == 1


def test_unknown_address_gets_the_same_answer_as_a_known_one(client, editor):
    known, unknown = ask(client, editor.email), ask(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
