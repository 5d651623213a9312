"""Production start-up: refuses to start misconfigured with one clear line, passes Django's
deploy check when configured, answers /healthz, logs JSON. The settings module is imported in a
subprocess, as gunicorn or manage.py would."""

import datetime
import json
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

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)


def run_production(code: str, **env) -> subprocess.CompletedProcess:
    """As a deployment starts: none of the test run's own switches (the browser tests allow async-
    unsafe calls for the whole process, which the deploy check rightly refuses). A database on a
    SQLite file that is never created unless the test gives its own; None unsets a variable."""
    unset = (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "BACKGROUND_TASKS",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "BANK_WEBHOOK_SECRET",
        "REDIS_URL",
        "RATE_LIMIT_PROXY_COUNT",
        "SITE_BASE_URL",
        "WEB_CONCURRENCY",
    )
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.setdefault("DATABASE_URL", "sqlite:////nonexistent/commune-market-never-opened.sqlite3")
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production")
    for key, value in env.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
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
        # The placeholder from a template, repeated until it is long enough.
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "changeme" * 7}, "SECRET_KEY is too weak"),
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "x7Kq2" * 12}, "SECRET_KEY is too weak"),
        (
            {"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "please-change-this-secret-key-" + GOOD_KEY[:30]},
            "SECRET_KEY is too weak",
        ),
        (
            {"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "django-insecure-" + GOOD_KEY},
            "SECRET_KEY is too weak",
        ),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS is '*'"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "shop.example.vn,*"}, "ALLOWED_HOSTS is '*'"),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": None},
            "DATABASE_URL is not set",
        ),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": " "},
            "DATABASE_URL is not set",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "example.org",
                "STRIPE_SECRET_KEY": "sk_live_" + GOOD_KEY,
            },
            "STRIPE_WEBHOOK_SECRET is not set",
        ),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", "SITE_BASE_URL": "shop.example.vn"},
            "SITE_BASE_URL is not an address",
        ),
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
        "import config.wsgi",
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


DEPLOY_CHECK = (
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)
# Behind one TLS proxy (SECURE_SSL_REDIRECT's default), with Redis shared by the web processes.
CONFIGURED = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/8",
    "RATE_LIMIT_PROXY_COUNT": "1",
    "SITE_BASE_URL": "https://example.org",
}


def test_configured_production_passes_the_deploy_check(tmp_path):
    result = run_production(DEPLOY_CHECK, **CONFIGURED, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "check_id", "words"),
    [
        # Several gunicorn workers (WEB_CONCURRENCY, 2 unless set) each keep their own counters.
        ({"REDIS_URL": None}, "website.W001", "WEB_CONCURRENCY"),
        ({"REDIS_URL": None, "WEB_CONCURRENCY": "4"}, "website.W001", "4 web processes"),
        # A TLS proxy in front (the HTTPS redirect is on) that nobody counted: every client shares
        # the proxy's address, so one client's bad logins lock out all staff.
        ({"RATE_LIMIT_PROXY_COUNT": None}, "website.W002", "RATE_LIMIT_PROXY_COUNT"),
        # Served without a TLS proxy but told to trust X-Forwarded-For: any client names itself.
        (
            {"SECURE_SSL_REDIRECT": "0", "SITE_BASE_URL": "http://example.org"},
            "website.W003",
            "X-Forwarded-For",
        ),
        # Links in mail and on printed labels would say http:// (or the development address).
        ({"SITE_BASE_URL": "http://example.org"}, "website.W004", "SITE_BASE_URL"),
        ({"SITE_BASE_URL": None}, "website.W004", "SITE_BASE_URL"),
        # The bank issues its secret; the operator may not be able to choose a longer one.
        ({"BANK_WEBHOOK_SECRET": "bank123"}, "website.W005", "BANK_WEBHOOK_SECRET"),
        ({"BANK_WEBHOOK_SECRET": "changeme" * 5}, "website.W005", "BANK_WEBHOOK_SECRET"),
    ],
)
def test_operator_sees_a_deploy_check_warning_for_a_risky_setting(tmp_path, env, check_id, words):
    result = run_production(
        DEPLOY_CHECK, **{**CONFIGURED, **env}, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )

    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("?: (website.")]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith(f"?: ({check_id}) ")
    assert words in warnings[0]


def test_production_starts_with_the_short_secret_a_bank_issued(tmp_path):
    # As gunicorn --preload loads the site: it starts, and the weak secret is a logged warning.
    result = run_production(
        "import config.wsgi",
        **CONFIGURED,
        BANK_WEBHOOK_SECRET="bank123",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONWARNINGS="ignore::UserWarning",
    )

    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [entry["check"] for entry in entries if entry.get("check")] == ["website.W005"]
    assert "bank123" not in result.stdout


def test_single_web_process_without_redis_passes_the_deploy_check(tmp_path):
    result = run_production(
        DEPLOY_CHECK,
        **{**CONFIGURED, "REDIS_URL": None, "WEB_CONCURRENCY": "1"},
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr


def test_production_started_without_redis_says_so_in_its_log(tmp_path):
    # As gunicorn --preload loads the site: the warning is a JSON log line on stdout.
    result = run_production(
        "import config.wsgi",
        **{**CONFIGURED, "REDIS_URL": None},
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONWARNINGS="ignore::UserWarning",
    )

    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    warnings = [entry for entry in entries if entry.get("check") == "website.W001"]
    assert len(warnings) == 1, result.stdout
    assert warnings[0]["level"] == "WARNING"
    assert "REDIS_URL" in warnings[0]["message"]


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
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
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
    logged = (
        f"{SETUP}; import logging; log = logging.getLogger('orders');"
        " log.warning('paid twice: %s', 'A1', extra={'order': 'A1'})\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('Đơn hàng không gửi được')"
    )
    result = run_production(logged, **CONFIGURED)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    warning, failure = (json.loads(line) for line in lines)
    assert warning["level"] == "WARNING"
    assert warning["logger"] == "orders"
    assert warning["message"] == "paid twice: A1"
    assert warning["order"] == "A1"
    assert datetime.datetime.fromisoformat(warning["time"]).utcoffset() == datetime.timedelta(0)
    assert failure["level"] == "ERROR"
    assert "ZeroDivisionError" in failure["exception"]
    assert "Đơn hàng không gửi được" in lines[1]  # readable as written, not \u escapes


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
    assert writer.stdout.strip() == "OutageTolerantRedisCache"  # Django's, surviving an outage
    read = f"{SETUP}; from django.core.cache import cache; print(cache.get('shared'))"
    reader = run_production(read, **env)
    assert reader.stdout.strip() == "from one process", reader.stderr
    # Another site (or a benchmark run) on the same Redis, under its own prefix, sees none of it.
    other = run_production(read, **{**env, "CACHE_KEY_PREFIX": "another-site"})
    assert other.stdout.strip() == "None", other.stderr
