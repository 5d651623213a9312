"""A fresh PostgreSQL database per test, on the server on loopback (skipped, with the reason
printed, where there is none)."""

import os
import secrets

import pytest

PG_ADMIN_URL = os.environ.get("DEPLOY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_or_skip():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"needs the PostgreSQL server on loopback ({PG_ADMIN_URL}): {error}")


@pytest.fixture
def fresh_database():
    admin = postgres_or_skip()
    name = f"deploy_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
