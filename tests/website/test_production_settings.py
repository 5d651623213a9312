"""Production start-up: refuses to start misconfigured with one clear line, passes Django's
deploy check when configured, answers /healthz, logs JSON. The settings module is imported in a
subprocess, as gunicorn or manage.py would."""

import datetime
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from website.log_format import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)


def run_production(code: str, **env) -> subprocess.CompletedProcess:
    # As a deployment starts: none of the test run's own switches (the browser tests allow async-
    # unsafe calls for the whole process, which the deploy check rightly refuses).
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "BACKGROUND_TASKS")
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(DJANGO_SETTINGS_MODULE="website.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


SETUP = "import django; django.setup()"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY is not set"),
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "short"}, "SECRET_KEY is too weak"),
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "a" * 60}, "SECRET_KEY is too weak"),
        (
            {"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "django-insecure-" + GOOD_KEY},
            "SECRET_KEY is too weak",
        ),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is empty"),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", "BACKGROUND_TASKS": "celery"},
            "BACKGROUND_TASKS is 'celery'; set it to one of: immediate, database.",
        ),
    ],
)
def test_misconfigured_production_refuses_to_start_with_one_line(env, expected):
    result = run_production(SETUP, **env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Refusing to start: ")
    assert expected in lines[0]


def test_unreachable_database_refuses_to_start_with_one_line():
    # Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
    result = run_production(
        "import website.wsgi",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
        # whitenoise warns that static files are not collected (the image collects them).
        PYTHONWARNINGS="ignore::UserWarning",
    )

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Refusing to start: the database is unreachable")


def test_configured_production_passes_the_deploy_check(tmp_path):
    result = run_production(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_serves_static_files_compressed_with_hashed_names():
    result = run_production(
        SETUP + "; from django.conf import settings; "
        "print(settings.STORAGES['staticfiles']['BACKEND']); print(settings.MIDDLEWARE[1])",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        (None, "django_tasks.backends.immediate.ImmediateBackend"),
        ("", "django_tasks.backends.immediate.ImmediateBackend"),
        ("immediate", "django_tasks.backends.immediate.ImmediateBackend"),
        (" Database ", "django_tasks_db.backend.DatabaseBackend"),
    ],
)
def test_background_tasks_run_at_once_unless_a_worker_is_asked_for(value, backend):
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org"}
    if value is not None:
        env["BACKGROUND_TASKS"] = value
    result = run_production(
        SETUP + "; from django_tasks import task_backends; b = type(task_backends['default']); "
        "print(f'{b.__module__}.{b.__name__}')",
        **env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_healthz_says_how_long_queued_tasks_have_waited_for_a_worker(client, task_queue):
    from django_tasks_db.models import DBTaskResult

    from orders.tasks import expire_orders_task

    assert client.get(reverse("healthz")).json()["tasks"] == {"waiting": 0, "oldest_seconds": None}

    expire_orders_task.enqueue()
    expire_orders_task.enqueue()
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.earliest("enqueued_at").pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    response = client.get(reverse("healthz"))

    # A worker that is behind leaves the web process healthy: monitoring alerts on the age.
    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks["waiting"] == 2
    assert 600 <= tasks["oldest_seconds"] < 660

    task_queue.work()
    assert client.get(reverse("healthz")).json()["tasks"] == {"waiting": 0, "oldest_seconds": None}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("website.health.connection.cursor", side_effect=DatabaseError("gone")):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_log_lines_are_json_with_the_extra_fields():
    record = logging.LogRecord("orders", logging.WARNING, __file__, 1, "paid twice: %s", ("A1",), None)
    record.order = "A1"

    entry = json.loads(JsonFormatter().format(record))

    assert entry["level"] == "WARNING"
    assert entry["logger"] == "orders"
    assert entry["message"] == "paid twice: A1"
    assert entry["order"] == "A1"
    assert entry["time"].endswith("+00:00")


def test_mail_goes_through_the_configured_relay_and_gives_up_in_time():
    code = (
        f"{SETUP}; from django.conf import settings as s; import json; print(json.dumps(["
        "s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
        "s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL]))"
    )
    configured = run_production(
        code,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="cho-xa",
        EMAIL_HOST_PASSWORD="relay-secret",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="Chợ xã <no-reply@example.org>",
    )
    assert configured.returncode == 0, configured.stderr
    assert json.loads(configured.stdout) == [
        "smtp.example.org",
        587,
        "cho-xa",
        True,
        False,
        10,
        "Chợ xã <no-reply@example.org>",
        "Chợ xã <no-reply@example.org>",
    ]
    # Without a timeout, a relay that stops answering would hold the buyer's checkout forever.
    unset = run_production(code, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert json.loads(unset.stdout)[5] == 10

    both = run_production(
        SETUP, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1"
    )
    assert both.returncode == 2
    assert both.stderr.strip() == (
        "Refusing to start: EMAIL_USE_TLS and EMAIL_USE_SSL are both set; choose one (587: TLS, 465: SSL)."
    )


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_with_redis_url_every_process_shares_one_cache():
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(REDIS_URL)
    try:
        socket.create_connection((where.hostname, where.port or 6379), timeout=2).close()
    except OSError as error:
        pytest.skip(f"needs the Redis server on loopback ({REDIS_URL}): {error}")
    env = {
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "example.org",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-{secrets.token_hex(4)}",
    }
    writer = run_production(
        f"{SETUP}; from django.core.cache import caches; cache = caches['default']; "
        "cache.set('shared', 'from one process', 60); print(type(cache).__name__)",
        **env,
    )
    assert writer.returncode == 0, writer.stderr
    assert writer.stdout.strip() == "RedisCache"
    read = f"{SETUP}; from django.core.cache import cache; print(cache.get('shared'))"
    reader = run_production(read, **env)
    assert reader.stdout.strip() == "from one process", reader.stderr
    # Another site (or a benchmark run) on the same Redis, under its own prefix, sees none of it.
    other = run_production(read, **{**env, "CACHE_KEY_PREFIX": "another-site"})
    assert other.stdout.strip() == "None", other.stderr
