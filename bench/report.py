"""DESIGN §5's budgets, and judging and printing the measured rows against them."""

import math
import os
from pathlib import Path

from bench.server import BARE_PATH

# DESIGN §5, as fractions of the bare view's requests per second. The demo's busiest trace page,
# cached, is one hot trace page; a page rendered fresh has no target of its own (the market day's
# targets say how often that may happen), and is measured for the record.
TARGET_CATALOGUE = 0.05
# DESIGN §5's market day: 1,000 live batches, scans spread evenly over them, with and without one
# completed purchase a second beside them; and one batch's trace page alone ("hot").
TARGET_MARKET_SPREAD = 0.30
TARGET_MARKET_SPREAD_WITH_PURCHASES = 0.25
TARGET_MARKET_HOT_TRACE = 0.30
TARGET_TRACE_CACHED = TARGET_MARKET_HOT_TRACE
# DESIGN §5: the trace page fits in the first TCP round trip.
TRACE_GZIP_BUDGET = 14_000


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
        if "purchases_recorded" in row:
            ok = ok and row["purchases_recorded"]
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


def gunicorn_log_tail(log_path: Path) -> None:
    if log_path.exists():
        tail = log_path.read_text(errors="replace").splitlines()[-20:]
        if tail:
            print("\nLast lines of gunicorn's log:\n  " + "\n  ".join(tail))
