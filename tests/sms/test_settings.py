"""The SMS settings as a deployment sets them (docs/deploy.md, "SMS"): read from the environment,
a gateway without an address refuses to start, a guessable webhook secret is a deploy warning."""

import json

import pytest

from tests.website.test_production_settings import CONFIGURED, DEPLOY_CHECK, SETUP, run_production

SHOW = SETUP + (
    "; from django.conf import settings as s; "
    "print(s.SMS_BACKEND, s.SMS_GATEWAY_URL or '-', s.SMS_KEYWORD, bool(s.SMS_WEBHOOK_SECRET))"
)


UNSET = dict.fromkeys(
    ["SMS_BACKEND", "SMS_GATEWAY_URL", "SMS_GATEWAY_TOKEN", "SMS_WEBHOOK_SECRET", "SMS_KEYWORD"]
)


def test_the_defaults_are_the_console_and_sll(tmp_path):
    result = run_production(SHOW, **CONFIGURED, **UNSET, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["console", "-", "SLL", "False"]


def test_the_environment_sets_the_gateway(tmp_path):
    result = run_production(
        SHOW,
        **CONFIGURED,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SMS_BACKEND="HTTP",
        SMS_GATEWAY_URL="https://sms.example.vn/send",
        SMS_GATEWAY_TOKEN="token",
        SMS_WEBHOOK_SECRET="s" * 40,
        SMS_KEYWORD="KT",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http", "https://sms.example.vn/send", "KT", "True"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SMS_BACKEND": "http"}, "SMS_BACKEND is 'http' but SMS_GATEWAY_URL is not an address"),
        (
            {"SMS_BACKEND": "http", "SMS_GATEWAY_URL": "sms.example.vn"},
            "SMS_BACKEND is 'http' but SMS_GATEWAY_URL is not an address",
        ),
        ({"SMS_BACKEND": "pigeon"}, "SMS_BACKEND is 'pigeon'; set it to one of: console, locmem, http."),
    ],
)
def test_a_gateway_misconfigured_refuses_to_start_with_one_line(tmp_path, env, expected):
    result = run_production(SETUP, **CONFIGURED, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Refusing to start: ")
    assert expected in lines[0]


@pytest.mark.parametrize("secret", ["sms123", "changeme" * 5])
def test_a_guessable_webhook_secret_is_a_deploy_warning(tmp_path, secret):
    result = run_production(
        DEPLOY_CHECK,
        **CONFIGURED,
        SMS_WEBHOOK_SECRET=secret,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("?: (sms.")]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("?: (sms.W001) SMS_WEBHOOK_SECRET is short or guessable")
    assert secret not in result.stderr


def test_a_guessable_webhook_secret_is_logged_at_start_up(tmp_path):
    result = run_production(
        "import config.wsgi",
        **CONFIGURED,
        SMS_WEBHOOK_SECRET="sms123",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [entry["check"] for entry in entries if entry.get("check")] == ["sms.W001"]
