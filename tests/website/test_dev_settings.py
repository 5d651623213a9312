"""The development settings (manage.py's default) show Django's debug page, with the settings, to
whoever gets an error: they refuse to start for a public host name. Started as an operator would,
`manage.py check` in a new process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage_check(**env) -> subprocess.CompletedProcess:
    # manage.py's own default settings: no DJANGO_SETTINGS_MODULE in the environment.
    unset = ("DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("hosts", ["shop.example.vn", "localhost,shop.example.vn", "*", "203.0.113.7"])
def test_operator_starting_dev_settings_for_a_public_host_is_refused(hosts):
    result = manage_check(ALLOWED_HOSTS=hosts)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Refusing to start: ")
    assert "config.settings.production" in lines[0]


@pytest.mark.parametrize(
    "hosts",
    [None, "localhost,127.0.0.1,[::1]", "shop.localhost,testserver", "192.168.1.20,10.0.0.5"],
)
def test_developer_on_their_own_machine_or_network_starts_dev_settings(hosts):
    result = manage_check(**({} if hosts is None else {"ALLOWED_HOSTS": hosts}))

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://market:secret@db.example.vn:5432/market",
        "postgres://market@203.0.113.9/market",
        "postgres://market@[2001:db8::5]/market",
    ],
)
def test_operator_starting_dev_settings_on_a_production_database_is_refused(database_url):
    # A proxy forwarding `Host: 127.0.0.1` would pass the host check; the database gives it away.
    result = manage_check(ALLOWED_HOSTS="localhost,127.0.0.1", DATABASE_URL=database_url)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Refusing to start: ")
    assert "DATABASE_URL" in lines[0]
    assert "config.settings.production" in lines[0]
    assert "secret" not in result.stderr


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:///db.sqlite3",
        "postgres://postgres@127.0.0.1:5432/market",
        "postgres://postgres@localhost/market",
        "postgres://market:market@db:5432/market",  # a container's name on this machine's network
        "postgres://market@192.168.1.5/market",
        "postgres:///market",  # the local socket
    ],
)
def test_developer_with_a_local_database_starts_dev_settings(database_url):
    result = manage_check(DATABASE_URL=database_url)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
