"""Load generators (wrk, or a small Python one) and Bench, which measures one page after
another against the server and keeps a row per measurement."""

import http.client
import itertools
import math
import re
import shutil
import subprocess
import threading
import time

from bench.server import HOST, fetch

# The Python load generator's ceiling per connection, so that it stops even if time misbehaves.
MAX_REQUESTS_PER_CONNECTION = 100_000
# A request slower than this counts as a socket error (a label sheet of 1,000 takes well under 1 s).
REQUEST_TIMEOUT_SECONDS = 10


# Load generators. Both return requests, rps, p50/p99 in ms, non-2xx and socket errors.

WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(
    url: str,
    seconds: float,
    connections: int,
    threads: int,
    headers: dict | None = None,
    script: str | None = None,
) -> dict:
    """`script`: a wrk Lua script choosing each request's path (bench/market_day.py's), else
    every request is for `url`."""
    command = [
        "wrk",
        *(arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")),
        *(["-s", script] if script else []),
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
    url: str,
    seconds: float,
    connections: int,
    threads: int,
    headers: dict | None = None,
    paths: list[str] | None = None,
) -> dict:
    """Threads with keep-alive connections (http.client reconnects when the server closes).
    Bounded by time and by request count. Much slower than wrk: it measures less of a server.
    With `paths`, the requests go round them in turn, all connections together (so they spread
    evenly), instead of all being for `url`'s path."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    paths = paths or [parts.path + (f"?{parts.query}" if parts.query else "")]
    # next() on a count is atomic under the GIL: the connections share one turn.
    turn = itertools.count()
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
                conn.request("GET", paths[next(turn) % len(paths)], headers=headers or {})
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


def fetch_each(port: int, paths: list[str], connections: int) -> dict:
    """GET every path once, over `connections` keep-alive connections: how many answered 2xx,
    how many did not."""
    counts = {"ok": 0, "not_ok": 0}
    lock = threading.Lock()

    def worker(share: list[str]):
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
        ok = not_ok = 0
        for path in share:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                not_ok += 1
                conn.close()
                continue
            if 200 <= response.status < 300:
                ok += 1
            else:
                not_ok += 1
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["not_ok"] += not_ok

    workers = [threading.Thread(target=worker, args=(paths[n::connections],)) for n in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return counts


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

    def load(
        self, path: str, seconds: float, connections: int | None = None, headers=None, spread=None
    ) -> dict:
        """`spread`: (paths, wrk script) to go round instead of loading `path` alone."""
        url = f"http://{HOST}:{self.port}{path}"
        connections = connections or self.args.connections
        if spread is None:
            generator = run_wrk if self.tool == "wrk" else run_python_load
            return generator(url, seconds, connections, self.args.threads, headers)
        paths, script = spread
        if self.tool == "wrk":
            return run_wrk(url, seconds, connections, self.args.threads, headers, script=str(script))
        return run_python_load(url, seconds, connections, self.args.threads, headers, paths=paths)

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
        spread: tuple[list[str], object] | None = None,
    ) -> dict:
        """Load `path` (or, with `spread`, go round its paths: `path` is then the first of them,
        whose status and size the row shows) and keep a row for it."""
        status, body, _ = fetch(self.port, path, headers)
        if warm_up and self.args.warmup:
            self.load(path, self.args.warmup, connections, headers, spread)
        extra = before_run() if before_run else {}
        result = self.load(path, self.args.seconds, connections, headers, spread)
        row = {"label": label, "path": path, "phase": phase, "status": status, "bytes": len(body)}
        row.update(result, target=target, **extra)
        self.rows.append(row)
        print(
            f"  {label:<22} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:.1f} ms"
            f"  p99 {result['p99_ms']:.1f} ms  status {status}",
            flush=True,
        )
        return row
