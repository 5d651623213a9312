"""The benchmarks, one function each: the read-only pages, a sheet of 1,000 QR labels
(bench/labels.py), the market day (bench/market_day.py), and concurrent buyers checking out
(bench/checkout.py). Each returns (passed, its results for the JSON file)."""

import logging
import math
import os
import time
from pathlib import Path

from bench.inprocess import (
    demo_category_slug,
    describe_cache,
    inspect_trace_page,
    live_batch_short_code,
    scan_total,
)
from bench.load import Bench, fetch_each, run_python_load
from bench.report import (
    TARGET_CATALOGUE,
    TARGET_MARKET_HOT_TRACE,
    TARGET_MARKET_SPREAD,
    TARGET_MARKET_SPREAD_WITH_PURCHASES,
    TARGET_TRACE_CACHED,
    TRACE_GZIP_BUDGET,
    gunicorn_log_tail,
    judge,
    print_table,
    print_trace_summary,
)
from bench.server import BARE_PATH, HOST, fetch, gunicorn


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
            bench.measure("trace page, fresh", trace["path"], "fresh", None)
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
    units = labels.unit_sheet(short_code)
    print(
        f"Units: {units['units']:,} serialised unit labels and their PIN labels, {units['pages']} A4 pages, "
        f"{units['bytes']:,} bytes; made and rendered in {units['first_seconds']:.2f} s "
        f"({units['make_seconds']:.2f} s making the units, {units['render_seconds']:.2f} s the PDF), "
        f"printed again in {units['again_seconds']:.2f} s (targets {labels.UNIT_SHEET_TARGET_SECONDS:g} s, "
        f"{labels.UNIT_REPRINT_TARGET_SECONDS:g} s, {labels.UNIT_SHEET_TARGET_BYTES:,} bytes): "
        f"{'pass' if units['pass'] else 'FAIL'}."
    )
    ok = whole and clean and units["pass"]
    return ok, {"tool": bench.tool, "sheet": sheet, "units": units, "rows": bench.rows}


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


# One purchase completed every this many seconds during the market day's second spread run.
PURCHASE_INTERVAL_SECONDS = 1.0


def market_day_scenario(args, env: dict, port: int, workdir: Path) -> tuple[bool, dict]:
    """DESIGN §5's market day: `--batches` live batches (made once, bench/market_day.py), then in
    one server run the bare view, one hot trace page, scans spread evenly over every batch, the
    same while a buyer completes a purchase every second, the catalogue, and the bare view again.
    Passes when each meets its ratio, every scan was counted and every purchase recorded."""
    from bench import checkout, market_day

    started = time.monotonic()
    # The pages' creation logs a line or more each (production logging): not worth printing.
    logging.disable(logging.INFO)
    try:
        short_codes, made = market_day.ensure_market_batches(args.batches)
    finally:
        logging.disable(logging.NOTSET)
    creation = {"batches": len(short_codes), "made": made, "seconds": time.monotonic() - started}
    print(
        f"Market day: {len(short_codes):,} live batches ({made:,} made now in {creation['seconds']:.1f} s, "
        f"{len(short_codes) - made:,} already there), {len(market_day.STORY)} trace events each.",
        flush=True,
    )
    paths = market_day.trace_paths(short_codes)
    spread = (paths, market_day.write_wrk_script(paths, workdir / "market-day.lua"))
    hot_code = live_batch_short_code()
    targets = checkout.buyable_products()
    if not (hot_code and targets):
        print("No live batch or no variant on sale in the demo data: no market day.")
        return False, {"available": False}
    hot_path = f"/t/{hot_code}"

    bench = Bench(args, port)
    log_path = workdir / "gunicorn.log"
    phase = "market day"
    print(
        f"Load generator: {bench.tool}; {args.connections} connections, {args.seconds:g} s per measurement; "
        f"a purchase every {PURCHASE_INTERVAL_SECONDS:g} s during the second spread run.",
        flush=True,
    )
    print(f"Server run (load average {os.getloadavg()[0]:.2f})", flush=True)
    with gunicorn(env, port, log_path):
        bench.measure("bare view", BARE_PATH, phase)
        bench.measure("hot trace page", hot_path, phase, TARGET_MARKET_HOT_TRACE)
        # Every batch's first scan renders its page; the measured runs are of a market in full swing.
        first_pass = fetch_each(port, paths, args.connections)
        print(f"  every batch scanned once: {first_pass['ok']:,} answered 2xx, {first_pass['not_ok']} not")

        def counted(row: dict, before: int) -> None:
            row["scans_delta"] = market_day.settled_scan_sum(short_codes) - before
            row["scans_answered"] = row["requests"] - row["non_2xx"]
            # In flight when the load generator stopped, or timed out on its side: counted by
            # the server, never answered to the generator. At most one per connection.
            leeway = args.connections + row["socket_errors"]
            row["scans_counted"] = (
                row["scans_answered"] <= row["scans_delta"] <= row["scans_answered"] + leeway
            )

        holder: dict = {}

        def before_spread():
            holder["scans"] = market_day.settled_scan_sum(short_codes)
            return {}

        row = bench.measure(
            "scans spread", paths[0], phase, TARGET_MARKET_SPREAD, before_spread, spread=spread
        )
        counted(row, holder["scans"])

        purchases = checkout.PacedPurchases(HOST, port, targets, PURCHASE_INTERVAL_SECONDS, seed=3)

        def before_with_purchases():
            holder["scans"] = market_day.settled_scan_sum(short_codes)
            holder["database"] = checkout.database_state()
            purchases.start(args.seconds)
            return {}

        row = bench.measure(
            "spread + purchases",
            paths[0],
            phase,
            TARGET_MARKET_SPREAD_WITH_PURCHASES,
            before_with_purchases,
            spread=spread,
        )
        bought = purchases.result()
        counted(row, holder["scans"])
        consistency = checkout.consistency(holder["database"], checkout.database_state(), bought["purchases"])
        row["purchases"] = bought["purchases"]
        row["purchases_recorded"] = bought["purchases"] > 0 and bought["failures"] == 0 and consistency["ok"]

        bench.measure("catalogue", "/shop/", phase, TARGET_CATALOGUE)
        bench.measure("bare view, again", BARE_PATH, phase, warm_up=False)

    judge(bench.rows)
    print_table(bench.rows, bench.tool)
    print(f"\nSpread over {len(paths):,} batches' trace pages /t/<short code>, each in turn.")
    for row in bench.rows:
        if "scans_counted" in row:
            verdict = "every one counted" if row["scans_counted"] else "NOT every one counted once"
            print(
                f"  scans during '{row['label']}': {row['scans_delta']:,} counted for "
                f"{row['scans_answered']:,} answered 2xx -> {verdict}"
            )
    print(
        f"Purchases: {bought['purchases']} completed of {bought['attempted']} attempted in "
        f"{args.seconds:g} s, each a new session through the whole checkout "
        f"(p50 {bought['flow_p50_ms']:.0f} ms, "
        f"p95 {bought['flow_p95_ms']:.0f} ms); {consistency['orders_placed']} orders placed, "
        f"stock taken {consistency['stock_taken']}, units ordered {consistency['units_ordered']}."
    )
    for kind, count in bought["failure_kinds"].items():
        print(f"  failure '{kind}': {count} (e.g. {bought['failure_examples'][kind]})")
    for name, ok in consistency["checks"].items():
        print(f"  {name}: {'ok' if ok else 'FAIL'}")
    cache = describe_cache()
    if args.db != "postgres" or not cache.startswith("Redis"):
        print(
            f"Note: DESIGN §5's market-day targets are for PostgreSQL + Redis; this run had {args.db} and "
            f"{cache}. Use --db postgres with REDIS_URL set for numbers to compare with them."
        )
    ok = not any(row["result"] in ("FAIL", "errors") for row in bench.rows) and first_pass["not_ok"] == 0
    if not ok:
        gunicorn_log_tail(log_path)
    return ok, {
        "tool": bench.tool,
        "creation": creation,
        "hot_path": hot_path,
        "first_pass": first_pass,
        "targets": {
            "hot_trace": TARGET_MARKET_HOT_TRACE,
            "spread": TARGET_MARKET_SPREAD,
            "spread_with_purchases": TARGET_MARKET_SPREAD_WITH_PURCHASES,
            "catalogue": TARGET_CATALOGUE,
        },
        "purchases": bought,
        "consistency": consistency,
        "rows": bench.rows,
    }
