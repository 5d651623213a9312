"""Backup and restore, proved: deploy/backup_restore_check.py dumps a database holding the demo
data, restores it into a new database and finds every table's row count identical."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, **kwargs)


def test_a_backup_of_the_demo_site_restores_with_every_row(fresh_database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for step in (["migrate", "--noinput"], ["seed_demo"]):
        result = run([sys.executable, "manage.py", *step], env)
        assert result.returncode == 0, result.stderr

    result = run([sys.executable, "deploy/backup_restore_check.py", "--keep", str(tmp_path / "backups")], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "restore check passed" in result.stdout
    assert "DIFFERS" not in result.stdout
    # The demo data is really in what was compared: products, batches and growing areas.
    counts = {
        line.split()[0]: line.split()[1] for line in result.stdout.splitlines() if line.startswith("public.")
    }
    assert int(counts["public.traceability_batchpage"]) >= 7
    assert int(counts["public.growers_growingarea"]) >= 8
    kept = list((tmp_path / "backups").glob("*.dump"))
    assert len(kept) == 1 and kept[0].stat().st_size > 10_000


def test_the_check_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    result = run([sys.executable, "deploy/backup_restore_check.py"], env)

    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
