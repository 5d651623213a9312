"""The demo, seeded once per test module: `seed_demo` takes seconds, and every test of a module
reads the same site. Each test runs inside a savepoint of the module's transaction, so a test
that reruns the command or deletes part of the demo leaves the next test the seeded site."""

import io

import pytest

from django.core.management import call_command
from django.db import transaction

from tests.conftest import ensure_wagtail_base_rows


def seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> str:
    """What the first run printed. Built from a freshly migrated database (not from the `home`
    fixture), as `make run` builds it, inside a transaction rolled back after the module's last
    test."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_wagtail_base_rows()
        yield seed_demo("--force")
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_output, db) -> str:
    return demo_output
