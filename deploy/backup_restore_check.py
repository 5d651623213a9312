#!/usr/bin/env python3
"""Back up the site's PostgreSQL database and prove the backup restores.

    python deploy/backup_restore_check.py [--keep DIR]

Reads DATABASE_URL (the live database). Dumps it with pg_dump (custom format, compressed),
restores the dump into a new, empty database with pg_restore, compares the row count of every
table in both, prints them, drops the scratch database and exits 0 only when every count
matches. With --keep DIR the dump is kept as DIR/<database>-<UTC time>.dump: that file, plus the
media folder (or bucket), is the backup. Needs PostgreSQL's client tools (Debian:
postgresql-client) of the server's major version or newer, and psycopg.
"""

import argparse
import datetime
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()
        counts = {}
        for schema, table in tables:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            counts[f"{schema}.{table}"] = connection.execute(query).fetchone()[0]
        return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the dump in this folder")
    args = parser.parse_args()

    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point to the PostgreSQL database to back up.", file=sys.stderr)
        return 2
    source_name = urlsplit(source).path.lstrip("/")
    scratch_name = f"restore_check_{secrets.token_hex(4)}"
    scratch = with_database(source, scratch_name)
    maintenance = with_database(source, "postgres")

    with tempfile.TemporaryDirectory() as folder:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        dump = Path(folder) / f"{source_name}-{stamp}.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True)
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch_name)))
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(dump)], check=True
            )
            before, after = row_counts(source), row_counts(scratch)
        finally:
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch_name))
                )
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dump, args.keep / dump.name)
            print(f"backup kept: {args.keep / dump.name} ({dump.stat().st_size} bytes)")

    differing = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
    for table in sorted(before.keys() | after.keys()):
        mark = "DIFFERS" if table in differing else "ok"
        print(f"{table:60} {before.get(table, '-'):>8} {after.get(table, '-'):>8}  {mark}")
    total = sum(before.values())
    if differing:
        print(f"restore check FAILED: {len(differing)} table(s) differ", file=sys.stderr)
        return 1
    print(f"restore check passed: {len(before)} tables, {total} rows, identical after restore")
    return 0


if __name__ == "__main__":
    sys.exit(main())
