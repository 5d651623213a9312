"""Throughput of the site under gunicorn, as ratios against a bare Django view (DESIGN §5).

    .venv/bin/python bench/run.py [--seconds 10] [--connections 8] [--db sqlite|postgres]
    .venv/bin/python bench/run.py --scenario checkout --db postgres   # one benchmark only

Makes a throwaway database, migrates it and loads the demo data, then serves the site with
production settings (bench/settings.py) under gunicorn, 2 sync workers, on 127.0.0.1, and runs
every benchmark on it: the pages (trace page cached and fresh, catalogue plain and filtered),
a sheet of 1,000 QR labels, and concurrent buyers checking out. Load comes from wrk (or a
small Python load generator when wrk is missing). Each result is printed as a ratio against a
bare Django view in the same server run, and all are written as JSON to bench/results/. See
bench/README.md.
"""

import argparse
import contextlib
import datetime
import gzip
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"
BARE_PATH = "/bench/bare/"
# The Python load generator's ceiling per connection, so that it stops even if time misbehaves.
MAX_REQUESTS_PER_CONNECTION = 100_000
# A request slower than this counts as a socket error (a label sheet of 1,000 takes well under 1 s).
REQUEST_TIMEOUT_SECONDS = 10

# DESIGN §5, as fractions of the bare view's requests per second.
TARGET_TRACE_FRESH = 0.10
TARGET_TRACE_CACHED = 0.50
TARGET_CATALOGUE = 0.05
# DESIGN §5: the trace page fits in the first TCP round trip.
TRACE_GZIP_BUDGET = 14_000

# Run as a script, Python puts bench/ first on the path; the project root is what we need
# (and bench/settings.py must not be importable as a top-level "settings").
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


# Processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    """Run a management command with the benchmark's settings; stop with its output if it fails."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {result.returncode})")


def gunicorn_command() -> str:
    beside_python = Path(sys.executable).parent / "gunicorn"
    found = str(beside_python) if beside_python.exists() else shutil.which("gunicorn")
    if not found:
        raise SystemExit("gunicorn is not installed (it comes with the project: make install)")
    return found


@contextlib.contextmanager
def gunicorn(env: dict, port: int, log_path: Path):
    """Serve the site for the duration of the block; stop gunicorn and its workers whatever happens."""
    command = [
        gunicorn_command(),
        "config.wsgi:application",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(ROOT),
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
    ]
    with open(log_path, "ab") as log:
        # Its own session (process group), so that one signal reaches the master and its workers.
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_serving(port, process)
        yield
    finally:
        stop_group(process)


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode} before serving")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch(port, BARE_PATH)[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {BARE_PATH} within {timeout:.0f} s")


def stop_group(process: subprocess.Popen) -> None:
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    """One GET, redirects not followed: (status, body, headers)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


# Load generators. Both return requests, rps, p50/p99 in ms, non-2xx and socket errors.

WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(url: str, seconds: float, connections: int, threads: int, headers: dict | None = None) -> dict:
    command = [
        "wrk",
        *(arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        f"{REQUEST_TIMEOUT_SECONDS}s",
        "--latency",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout

    def number(pattern: str, default: float | None = None) -> float:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            if default is None:
                raise RuntimeError(f"cannot read wrk's output:\n{output}")
            return default
        return float(match.group(1))

    def percentile(pct: int) -> float:
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * WRK_UNITS_MS[match.group(2)] if match else math.nan

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(number(r"^\s+(\d+) requests in")),
        "rps": number(r"^Requests/sec:\s+([\d.]+)"),
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        # wrk counts 3xx as success; each URL is also fetched once beforehand (its "status"),
        # which shows a redirect.
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)", 0)),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def run_python_load(
    url: str, seconds: float, connections: int, threads: int, headers: dict | None = None
) -> dict:
    """Threads with keep-alive connections (http.client reconnects when the server closes).
    Bounded by time and by request count. Much slower than wrk: it measures less of a server."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    counts = {"non_2xx": 0, "socket_errors": 0}
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT_SECONDS)
        mine, non_2xx, socket_errors = [], 0, 0
        while time.monotonic() < deadline and len(mine) + socket_errors < MAX_REQUESTS_PER_CONNECTION:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                socket_errors += 1
                conn.close()
                continue
            mine.append((time.perf_counter() - started) * 1000)
            non_2xx += not 200 <= response.status < 300
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["non_2xx"] += non_2xx
            counts["socket_errors"] += socket_errors

    started = time.monotonic()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(pct: int) -> float:
        return latencies[max(0, math.ceil(pct / 100 * len(latencies)) - 1)] if latencies else math.nan

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        **counts,
    }


# In-process measurements, with the same settings and database as the server.


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def demo_category_slug() -> str | None:
    from products.models import Category

    category = Category.objects.order_by("sort_order", "name").first()
    return category.slug if category else None


def live_batch_short_code() -> str | None:
    """A live batch, preferring one that is not recalled and has the most trace events."""
    from django.db.models import Count

    try:
        from traceability.models import BatchPage
    except ImportError:
        return None
    batches = BatchPage.objects.live().annotate(event_count=Count("events"))
    batch = batches.filter(recalled_on__isnull=True).order_by("-event_count", "pk").first()
    batch = batch or batches.order_by("pk").first()
    return batch.short_code if batch else None


def scan_total(short_code: str) -> int:
    from django.db import connections
    from django.db.models import Sum

    from traceability.models import ScanDay

    total = ScanDay.objects.filter(batch__short_code=short_code).aggregate(total=Sum("count"))["total"]
    # Let go of the connection: on SQLite an idle one can hold up the server's writes.
    connections.close_all()
    return total or 0


def inspect_trace_page(path: str) -> dict:
    """Status, size, gzip size and SQL queries of one trace page, through Django's test client:
    rendered fresh (the page cache off), then twice through the page cache (the second is what
    a repeat scan gets)."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)

    def get():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body, len(queries)

    with override_settings(PAGE_CACHE_SECONDS=0):
        get()  # Wagtail's own lookups (site root paths) into the cache, as on a running server
        response, body, fresh_queries = get()
    get()
    _, _, cached_queries = get()
    connections.close_all()
    return {
        "status": response.status_code,
        "content_type": response.get("Content-Type", ""),
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body)),
        "queries_fresh": fresh_queries,
        "queries_cached": cached_queries,
        "has_script": b"<script" in body.lower(),
    }


# Measuring


class Bench:
    def __init__(self, args, port: int):
        self.args = args
        self.port = port
        if args.load_generator == "auto":
            self.tool = "wrk" if shutil.which("wrk") else "python"
        else:
            self.tool = args.load_generator
        if self.tool == "wrk" and not shutil.which("wrk"):
            raise SystemExit("wrk is not installed (apt install wrk), or use --load-generator python")
        self.rows: list[dict] = []

    def load(self, path: str, seconds: float, connections: int | None = None, headers=None) -> dict:
        url = f"http://{HOST}:{self.port}{path}"
        generator = run_wrk if self.tool == "wrk" else run_python_load
        return generator(url, seconds, connections or self.args.connections, self.args.threads, headers)

    def measure(
        self,
        label: str,
        path: str,
        phase: str,
        target=None,
        before_run=None,
        warm_up=True,
        connections: int | None = None,
        headers: dict | None = None,
    ) -> dict:
        status, body, _ = fetch(self.port, path, headers)
        if warm_up and self.args.warmup:
            self.load(path, self.args.warmup, connections, headers)
        extra = before_run() if before_run else {}
        result = self.load(path, self.args.seconds, connections, headers)
        row = {"label": label, "path": path, "phase": phase, "status": status, "bytes": len(body)}
        row.update(result, target=target, **extra)
        self.rows.append(row)
        print(
            f"  {label:<22} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:.1f} ms"
            f"  p99 {result['p99_ms']:.1f} ms  status {status}",
            flush=True,
        )
        return row


def judge(rows: list[dict]) -> None:
    """Fill in each row's ratio to the bare view of its own server run, and pass/fail. The bare
    view is measured first and last in each run; the ratio is to the mean of the two, so that a
    machine that gets busier or quieter during the run shows (as two different bare figures)
    rather than skewing the ratios unseen."""
    bare_runs: dict[str, list[float]] = {}
    for row in rows:
        if row["path"] == BARE_PATH:
            bare_runs.setdefault(row["phase"], []).append(row["rps"])
    bare = {phase: sum(values) / len(values) for phase, values in bare_runs.items()}
    for row in rows:
        row["ratio"] = row["rps"] / bare[row["phase"]] if bare.get(row["phase"]) else math.nan
        clean = 200 <= row["status"] < 300 and row["non_2xx"] == 0 and row["socket_errors"] == 0
        if row["target"] is None:
            row["result"] = "—" if clean else "errors"
            continue
        ok = clean and row["ratio"] >= row["target"]
        if "scans_counted" in row:
            ok = ok and row["scans_counted"]
        row["result"] = "pass" if ok else "FAIL"


def print_table(rows: list[dict], tool: str) -> None:
    header = (
        f"{'page':<24} {'rps':>8} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'target':>7}"
        "  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        target = f"≥{row['target']:.0%}" if row["target"] is not None else "—"
        print(
            f"{row['label']:<24} {row['rps']:>8.1f} {row['ratio']:>7.1%} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['non_2xx'] + row['socket_errors']:>8} {target:>7}  {row['result']}"
        )
    print()
    for row in rows:
        print(f"  {row['label']:<24} GET {row['path']}  (status {row['status']}, {row['bytes']} bytes)")
    for phase in dict.fromkeys(row["phase"] for row in rows):
        bare = [row["rps"] for row in rows if row["phase"] == phase and row["path"] == BARE_PATH]
        if len(bare) == 2 and abs(bare[0] - bare[1]) > 0.25 * max(bare):
            print(
                f"\nWarning: the bare view went from {bare[0]:.0f} to {bare[1]:.0f} req/s during the "
                f"'{phase}' server run: the machine's load changed, so its ratios are rough. Run again."
            )
    print(
        f"\nLoad generator: {tool}. Ratios are against the bare view of the same server run. "
        f"This machine has {os.cpu_count()} CPU(s), shared by the load generator and the server; "
        f"load average at the end {os.getloadavg()[0]:.2f}."
    )


def print_trace_summary(rows: list[dict], trace: dict | None) -> None:
    if trace is None:
        print("\nTrace page: not available (no live batch in the demo data)")
    elif trace.get("available") is False:
        print(f"\nTrace page: not available (GET {trace['path']} answered {trace['status']}); not loaded")
    else:
        print(
            f"\nTrace page {trace['path']} in-process: status {trace['status']}, {trace['bytes']} bytes, "
            f"{trace['gzip_bytes']} gzip bytes (budget {TRACE_GZIP_BUDGET}: "
            f"{'pass' if trace['gzip_bytes'] <= TRACE_GZIP_BUDGET else 'FAIL'}), "
            f"SQL queries {trace['queries_fresh']} fresh / {trace['queries_cached']} cached, "
            f"script tag: {'yes' if trace['has_script'] else 'no'}"
        )
        for row in rows:
            if "scans_counted" in row:
                verdict = "counted" if row["scans_counted"] else "NOT counted"
                print(
                    f"  scans during '{row['label']}': {row['scans_delta']} counted for "
                    f"{row['requests']} requests made -> {verdict}"
                )


SCENARIOS = ("pages", "labels", "checkout")


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
        "checkout: concurrent buyers (--connections of them) through the whole checkout",
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
    scenarios = SCENARIOS if args.scenario == "all" else (args.scenario,)

    # A SIGTERM (say from a CI timeout) unwinds like Ctrl-C, through the finally blocks below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = Path(tempfile.mkdtemp(prefix="commune-market-bench-"))
    pg_database = None
    try:
        port = free_port()
        if args.db == "postgres":
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
        # Checkout last: it raises every stock and places orders, which the others need not see.
        for name in scenarios:
            print(f"\n=== {name}", flush=True)
            ok, results[name] = {"pages": pages_scenario, "labels": labels_scenario}.get(
                name, checkout_scenario
            )(**context)
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


def describe_cache() -> str:
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if backend == "RedisCache":
        return "Redis (REDIS_URL), shared by both workers"
    return f"{backend}, one per worker process (set REDIS_URL to share one)"


def gunicorn_log_tail(log_path: Path) -> None:
    if log_path.exists():
        tail = log_path.read_text(errors="replace").splitlines()[-20:]
        if tail:
            print("\nLast lines of gunicorn's log:\n  " + "\n  ".join(tail))


def pages_scenario(args, env: dict, port: int, workdir: Path) -> tuple[bool, dict]:
    """The read-only pages against DESIGN §5's ratios: home, catalogue (plain and filtered) and
    the trace page from the cache (scans still counted), then the trace page rendered fresh."""
    category = demo_category_slug()
    short_code = live_batch_short_code()

    trace = None
    if short_code:
        trace = {"path": f"/t/{short_code}", **inspect_trace_page(f"/t/{short_code}")}
        if trace["status"] != 200:
            # Nothing worth loading (the resolver may not be wired yet): say so, measure the rest.
            print(f"Trace page not available: GET {trace['path']} answered {trace['status']}.")
            trace["available"] = False

    bench = Bench(args, port)
    print(f"Load generator: {bench.tool}; {args.connections} connections, {args.seconds:g} s per page.")
    log_path = workdir / "gunicorn.log"

    # Run 1: production settings as they are (the cache included).
    print(f"Server run 1: production cache (load average {os.getloadavg()[0]:.2f})", flush=True)
    with gunicorn(env, port, log_path):
        bench.measure("bare view", BARE_PATH, "cached")
        bench.measure("home", "/", "cached")
        bench.measure("catalogue", "/shop/", "cached", TARGET_CATALOGUE)
        if category:
            filtered = f"/shop/?category={category}&in_stock=on&ordering=price"
            bench.measure("catalogue, filtered", filtered, "cached", TARGET_CATALOGUE)
        if trace and trace.get("available", True):
            # The scan count is read after the warm-up, so its requests are not counted.
            holder = {}

            def before():
                holder["before"] = scan_total(short_code)
                return {}

            row = bench.measure("trace page, cached", trace["path"], "cached", TARGET_TRACE_CACHED, before)
            time.sleep(1)  # in case scans are written just after the response
            row["scans_delta"] = scan_total(short_code) - holder["before"]
            row["scans_counted"] = row["scans_delta"] >= row["requests"]
        bench.measure("bare view, again", BARE_PATH, "cached", warm_up=False)

    # Run 2: no cache at all, so that every page is rendered for every request.
    # Run 2: the page cache off, so that every page is rendered for every request, as a buyer's
    # first scan of a batch is; what else production keeps in its cache (Wagtail's site root
    # paths, the site settings) stays, as it does for that buyer.
    print("Server run 2: page cache off (PAGE_CACHE_SECONDS=0)", flush=True)
    with gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, port, log_path):
        bench.measure("bare view (page cache off)", BARE_PATH, "fresh")
        # For the record: DESIGN §5's catalogue budget is for the catalogue as served (run 1).
        bench.measure("catalogue, fresh", "/shop/", "fresh")
        if category:
            bench.measure("catalogue filtered, fresh", filtered, "fresh")
        if trace and trace.get("available", True):
            bench.measure("trace page, fresh", trace["path"], "fresh", TARGET_TRACE_FRESH)
        bench.measure("bare view, again", BARE_PATH, "fresh", warm_up=False)

    # Run 3, for the record: no cache at all (Django's dummy cache), the worst case of a cold
    # process whose cache is unreachable.
    if trace and trace.get("available", True):
        print("Server run 3: no cache at all (BENCH_CACHE=off)", flush=True)
        with gunicorn({**env, "BENCH_CACHE": "off"}, port, log_path):
            bench.measure("bare view (no cache)", BARE_PATH, "no cache")
            bench.measure("trace page, no cache", trace["path"], "no cache")
            bench.measure("bare view, again", BARE_PATH, "no cache", warm_up=False)

    judge(bench.rows)
    print_table(bench.rows, bench.tool)
    print_trace_summary(bench.rows, trace)
    if any(row["result"] in ("FAIL", "errors") for row in bench.rows):
        gunicorn_log_tail(log_path)
    ok = not any(row["result"] == "FAIL" for row in bench.rows)
    if trace and trace.get("available", True):
        ok = ok and trace["gzip_bytes"] <= TRACE_GZIP_BUDGET
    return ok, {
        "tool": bench.tool,
        "targets": {
            "trace_fresh": TARGET_TRACE_FRESH,
            "trace_cached": TARGET_TRACE_CACHED,
            "catalogue": TARGET_CATALOGUE,
            "trace_gzip_bytes": TRACE_GZIP_BUDGET,
        },
        "trace": trace,
        "rows": bench.rows,
    }


def labels_scenario(args, env: dict, port: int, workdir: Path) -> tuple[bool, dict]:
    """A sheet of 1,000 QR labels (bench/labels.py) from the admin, as an administrator, beside
    the bare view in the same server run. One connection per worker: a sheet's latency is then
    the time to make it, not time spent queueing behind another."""
    from bench import labels

    short_code = live_batch_short_code()
    if not short_code:
        print("No live batch in the demo data: no labels to print.")
        return False, {"available": False}
    path = labels.label_sheet_path(short_code)
    headers = {"Cookie": labels.admin_session_cookie()}
    bench = Bench(args, port)
    log_path = workdir / "gunicorn.log"
    print(f"Load generator: {bench.tool}; {args.seconds:g} s per measurement.", flush=True)
    with gunicorn(env, port, log_path):
        status, body, response_headers = fetch(port, path, headers)
        sheet = {
            "path": path,
            "status": status,
            "content_type": response_headers.get("content-type", ""),
            "bytes": len(body),
            "pages": labels.pdf_pages(body),
        }
        bench.measure("bare view", BARE_PATH, "labels")
        bench.measure("label sheet, 1,000", path, "labels", connections=2, headers=headers)
        bench.measure("bare view, again", BARE_PATH, "labels", warm_up=False)
    judge(bench.rows)
    row = bench.rows[1]
    whole = status == 200 and sheet["content_type"] == "application/pdf" and body.startswith(b"%PDF")
    whole = whole and sheet["pages"] == math.ceil(labels.LABELS_PER_SHEET_REQUEST / 24)
    print_table(bench.rows, bench.tool)
    print(
        f"\nSheet: status {status}, {sheet['content_type']}, {sheet['bytes']:,} bytes, {sheet['pages']} A4 "
        f"pages ({'whole' if whole else 'NOT whole: expected 42 pages of a PDF'}). "
        f"{row['rps']:.2f} sheets/s = {row['rps'] * labels.LABELS_PER_SHEET_REQUEST:,.0f} labels/s; "
        f"a sheet takes {row['p50_ms'] / 1000:.2f} s (p50), {row['p99_ms'] / 1000:.2f} s (p99)."
    )
    clean = all(r["result"] != "errors" for r in bench.rows)
    if not (whole and clean):
        gunicorn_log_tail(log_path)
    return whole and clean, {"tool": bench.tool, "sheet": sheet, "rows": bench.rows}


def checkout_scenario(args, env: dict, port: int, workdir: Path) -> tuple[bool, dict]:
    """Concurrent buyers through the whole checkout (bench/checkout.py), beside the bare view
    loaded by the Python load generator (the one the buyers use) in the same server run. Passes
    when every checkout succeeded and the database is consistent afterwards."""
    from bench import checkout

    targets = checkout.buyable_products()
    if not targets:
        print("No variant on sale in the demo data: nothing to check out.")
        return False, {"available": False}
    print(
        f"Checkout: {len(targets)} variants on sale, stock set to {checkout.BENCH_STOCK:,} each; "
        f"{args.connections} buyers, {args.seconds:g} s per measurement, Python load generator.",
        flush=True,
    )
    log_path = workdir / "gunicorn.log"
    bare_runs = []

    def bare(label: str) -> None:
        result = run_python_load(f"http://{HOST}:{port}{BARE_PATH}", args.seconds, args.connections, 1)
        bare_runs.append(result)
        print(f"  {label:<22} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:.1f} ms", flush=True)

    print(f"Server run (load average {os.getloadavg()[0]:.2f})", flush=True)
    with gunicorn(env, port, log_path):
        run_python_load(f"http://{HOST}:{port}{BARE_PATH}", args.warmup, args.connections, 1)
        bare("bare view")
        checkout.run_checkout_load(HOST, port, targets, args.warmup, args.connections, seed=1)
        before = checkout.database_state()
        flow = checkout.run_checkout_load(HOST, port, targets, args.seconds, args.connections, seed=2)
        print(
            f"  {'checkout':<22} {flow['checkouts_per_s']:>9.1f} checkouts/s  "
            f"POST p50 {flow['post_p50_ms']:.1f} ms  p95 {flow['post_p95_ms']:.1f} ms",
            flush=True,
        )
        time.sleep(0.5)
        after = checkout.database_state()
        bare("bare view, again")
    check = checkout.consistency(before, after, flow["checkouts"])

    bare_rps = sum(run["rps"] for run in bare_runs) / len(bare_runs)
    ratio = flow["checkouts_per_s"] / bare_rps if bare_rps else math.nan
    header = (
        f"{'flow':<10} {'checkouts/s':>11} {'ratio':>7} {'POST p50':>9} {'POST p95':>9} "
        f"{'flow p50':>9} {'flow p95':>9} {'failures':>8}  consistency"
    )
    print()
    print(header)
    print("-" * len(header))
    print(
        f"{'bare view':<10} {bare_rps:>11.1f} {1:>7.1%} {bare_runs[0]['p50_ms']:>9.1f} "
        f"{'':>9} {'':>9} {'':>9} {sum(r['non_2xx'] + r['socket_errors'] for r in bare_runs):>8}  —"
    )
    print(
        f"{'checkout':<10} {flow['checkouts_per_s']:>11.1f} {ratio:>7.2%} {flow['post_p50_ms']:>9.1f} "
        f"{flow['post_p95_ms']:>9.1f} {flow['flow_p50_ms']:>9.1f} {flow['flow_p95_ms']:>9.1f} "
        f"{flow['failures']:>8}  {'ok' if check['ok'] else 'INCONSISTENT'}"
    )
    print(
        f"\nBare view: {bare_runs[0]['rps']:.0f} then {bare_runs[-1]['rps']:.0f} req/s; ratio to their mean. "
        f"A checkout is 5 requests (product page, add to cart, checkout form, checkout POST, "
        f"confirmation): {5 * flow['checkouts_per_s']:.1f} req/s, "
        f"{5 * flow['checkouts_per_s'] / bare_rps if bare_rps else math.nan:.1%} of the bare view's."
    )
    print(f"Checkouts completed: {flow['checkouts']} in {flow['elapsed_s']:.1f} s; latencies in ms.")
    for kind, count in flow["failure_kinds"].items():
        print(f"  failure '{kind}': {count} (e.g. {flow['failure_examples'][kind]})")
    print(
        f"Consistency: {check['orders_placed']} orders placed for {flow['checkouts']} successful checkouts; "
        f"stock taken {check['stock_taken']}, units ordered {check['units_ordered']}; "
        f"lowest stock {check['stock_min']}."
    )
    for name, ok in check["checks"].items():
        print(f"  {name}: {'ok' if ok else 'FAIL'}")
    print(
        f"\nLoad generator: python (threads, keep-alive http.client, a cookie jar per buyer), for the "
        f"bare view and the buyers alike. Database: {args.db}. This machine has {os.cpu_count()} CPU(s), "
        f"shared by the load generator, gunicorn and the database; load average at the end "
        f"{os.getloadavg()[0]:.2f}."
    )
    ok = flow["failures"] == 0 and check["ok"]
    if not ok:
        gunicorn_log_tail(log_path)
    return ok, {
        "tool": "python",
        "buyers": args.connections,
        "bare": bare_runs,
        "bare_rps": bare_rps,
        "checkout": flow,
        "ratio": ratio,
        "consistency": check,
    }


def postgres(statement: str, database: str) -> None:
    """Create or drop the throwaway database (user postgres, trust auth on 127.0.0.1)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=HOST, port=5432, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(database)))


if __name__ == "__main__":
    sys.exit(main())
