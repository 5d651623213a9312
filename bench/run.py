"""Throughput of the site under gunicorn, as ratios against a bare Django view (DESIGN §5).

    .venv/bin/python bench/run.py [--seconds 10] [--connections 8] [--db sqlite|postgres]
    .venv/bin/python bench/run.py --scenario checkout --db postgres   # one benchmark only
    .venv/bin/python bench/run.py --scenario market-day --batches 1000 --db postgres

Makes a throwaway database, migrates it and loads the demo data, then serves the site with
production settings (bench/settings.py) under gunicorn, 2 sync workers, on 127.0.0.1, and runs
every benchmark on it: the pages (trace page cached and fresh, catalogue plain and filtered),
a sheet of 1,000 QR labels, the market day (scans spread over many batches, with and without a
purchase a second), and concurrent buyers checking out. Load comes from wrk (or a
small Python load generator when wrk is missing). Each result is printed as a ratio against a
bare Django view in the same server run, and all are written as JSON to bench/results/. See
bench/README.md.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"

# Run as a script, Python puts bench/ first on the path; the project root is what we need
# (and bench/settings.py must not be importable as a top-level "settings").
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.inprocess import describe_cache, setup_django  # noqa: E402 - needs the path above
from bench.scenarios import (  # noqa: E402
    checkout_scenario,
    labels_scenario,
    market_day_scenario,
    pages_scenario,
)
from bench.server import HOST, free_port, manage, postgres, postgres_database_exists  # noqa: E402

# In this order: checkout last, since it raises every stock and places orders.
SCENARIOS = {
    "pages": pages_scenario,
    "labels": labels_scenario,
    "market-day": market_day_scenario,
    "checkout": checkout_scenario,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10, help="measuring time per page (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="load generator threads for wrk (default 1)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--scenario",
        choices=["all", *SCENARIOS],
        default="all",
        help="all (default): every benchmark below, one after the other on the same data; "
        "pages: the read-only pages and their budgets; labels: a sheet of 1,000 QR labels; "
        "market-day: --batches live batches, scans spread over them with and without a purchase a "
        "second, one hot trace page and the catalogue; "
        "checkout: concurrent buyers (--connections of them) through the whole checkout",
    )
    parser.add_argument(
        "--batches",
        type=int,
        default=1000,
        help="live batches on the market day, made by the apps' factories (default 1000)",
    )
    parser.add_argument(
        "--keep-db",
        metavar="NAME",
        help="with --db postgres: use the PostgreSQL database NAME (created if missing) and keep it "
        "afterwards instead of a throwaway one, so that the next run reuses its market-day batches",
    )
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk when installed, else the built-in Python one (default auto)",
    )
    parser.add_argument(
        "--warmup", type=float, default=2, help="warm-up seconds before each measurement (default 2)"
    )
    parser.add_argument(
        "--results-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes (default bench/results)"
    )
    args = parser.parse_args()
    if not 1 <= args.seconds <= 300 or not 1 <= args.connections <= 256 or not 0 <= args.warmup <= 60:
        parser.error("--seconds must be 1-300, --connections 1-256 and --warmup 0-60")
    if not 1 <= args.batches <= 100_000:
        parser.error("--batches must be 1-100000")
    if args.keep_db and args.db != "postgres":
        parser.error("--keep-db needs --db postgres")
    scenarios = tuple(SCENARIOS) if args.scenario == "all" else (args.scenario,)

    # A SIGTERM (say from a CI timeout) unwinds like Ctrl-C, through the finally blocks below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = Path(tempfile.mkdtemp(prefix="commune-market-bench-"))
    pg_database = None
    try:
        port = free_port()
        if args.keep_db:
            if not postgres_database_exists(args.keep_db):
                postgres("CREATE DATABASE {}", args.keep_db)
            database_url = f"postgres://postgres@{HOST}:5432/{args.keep_db}"
        elif args.db == "postgres":
            pg_database = f"bench_{secrets.token_hex(6)}"
            postgres("CREATE DATABASE {}", pg_database)
            database_url = f"postgres://postgres@{HOST}:5432/{pg_database}"
        else:
            database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(workdir / "media"),
            # Nothing measured is a static file (the stylesheet is inlined); an empty folder
            # spares whitenoise's warning about a missing one.
            "STATIC_ROOT": str(workdir / "static"),
            "SITE_BASE_URL": f"http://{HOST}:{port}",
            # A shared Redis may hold another run's pages under the same addresses: keep apart.
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        }
        env.pop("BENCH_CACHE", None)
        (workdir / "media").mkdir()
        (workdir / "static").mkdir()

        print(f"Database: {args.db} ({database_url}); migrating and loading the demo data…", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--force")
        setup_django(env)
        cache_name = describe_cache()
        print(f"Cache: {cache_name}. Scenarios: {', '.join(scenarios)}.", flush=True)

        results, outcome = {}, {}
        context = {"args": args, "env": env, "port": port, "workdir": workdir}
        for name in scenarios:
            print(f"\n=== {name}", flush=True)
            ok, results[name] = SCENARIOS[name](**context)
            outcome[name] = "pass" if ok else "FAIL"

        args.results_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = args.results_dir / f"{stamp}-{args.db}-{args.scenario}.json"
        out.write_text(
            json.dumps(
                {
                    "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "db": args.db,
                    "cache": cache_name,
                    "seconds": args.seconds,
                    "connections": args.connections,
                    "batches": args.batches,
                    "server": "gunicorn, 2 sync workers, 127.0.0.1",
                    "cpus": os.cpu_count(),
                    "load_average_at_end": os.getloadavg(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "outcome": outcome,
                    **results,
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
        print("\n=== Summary")
        for name, verdict in outcome.items():
            print(f"  {name:<10} {verdict}")
        print(f"Results written to {out}")
        return 0 if all(verdict == "pass" for verdict in outcome.values()) else 1
    finally:
        if pg_database:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            postgres("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg_database)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
