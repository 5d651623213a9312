"""On a SQLite file, web processes take turns on a lock file to count scans
(traceability.services.sqlite_write_turn), instead of SQLite's polling, which sleeps a
millisecond or more between tries. The tests' own database is in memory: they point the lock at
a file database's name."""

import contextlib
import fcntl

import pytest

from django.db import connection

from traceability import services
from traceability.models import ScanDay

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the write turn is for SQLite files; PostgreSQL locks rows"
)


@pytest.fixture
def database_named(monkeypatch):
    """Make the default connection look like the SQLite file at the given path."""
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    monkeypatch.setattr(services, "_turn_files", {})

    def name(path):
        monkeypatch.setitem(connection.settings_dict, "NAME", str(path))
        return path

    yield name
    for handle in services._turn_files.values():
        if handle is not None:
            handle.close()


@pytest.fixture
def sqlite_file(tmp_path, database_named):
    return database_named(tmp_path / "site.sqlite3")


def held_by_someone(lock_path) -> bool:
    with open(lock_path, "a") as other_process:
        try:
            fcntl.flock(other_process, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other_process, fcntl.LOCK_UN)
        return False


def test_a_scan_is_counted_holding_the_turn_and_releases_it(sqlite_file, batch, monkeypatch):
    lock_path = f"{sqlite_file}-scans.lock"
    seen_while_counting = []
    real_turn = services.sqlite_write_turn

    @contextlib.contextmanager
    def watched_turn():
        with real_turn():
            seen_while_counting.append(held_by_someone(lock_path))
            yield

    monkeypatch.setattr(services, "sqlite_write_turn", watched_turn)
    services.count_scan(batch_id=batch.pk, package_count=5)  # the day's first: makes the row
    shown = services.count_scan(batch_id=batch.pk, package_count=5)

    assert seen_while_counting == [True, True]
    assert not held_by_someone(lock_path)
    assert shown["total"] == 2 and ScanDay.objects.get(batch=batch).count == 2


def test_the_turn_is_released_when_counting_fails(sqlite_file):
    lock_path = f"{sqlite_file}-scans.lock"

    with pytest.raises(RuntimeError), services.sqlite_write_turn():
        assert held_by_someone(lock_path)
        raise RuntimeError("the statement failed")

    assert not held_by_someone(lock_path)


def test_scans_are_counted_where_no_lock_file_can_be_made(tmp_path, database_named, batch):
    database_named(tmp_path / "no-such-folder" / "site.sqlite3")

    services.count_scan(batch_id=batch.pk, package_count=5)
    shown = services.count_scan(batch_id=batch.pk, package_count=5)

    assert shown["total"] == 2
