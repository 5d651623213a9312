"""The checkout scenario of bench/run.py (`--scenario checkout`): concurrent buyers going through
the whole flow, each with their own session, against the site under gunicorn.

One checkout is what a buyer's browser does, without following the cart's redirect:

    GET  <product page>                      the add-to-cart form and its CSRF token
    POST /cart/add/   variant, quantity 1    303 back to the product page
    GET  /checkout/                          the form, with its hidden checkout_id
    POST /checkout/   name, phone, pickup, vietqr, checkout_id        303 to /checkout/done/<uuid>/
    GET  /checkout/done/<uuid>/              the confirmation page, 200

Each buyer is a thread with one keep-alive `http.client` connection; every checkout starts with
an empty cookie jar (a new buyer, a new session), so the session does not grow from one checkout
to the next. Bounded by time and by a count of checkouts per buyer.

Also the preparation (stock large enough that it never runs out) and the consistency check
afterwards (no stock below zero, one order per successful checkout, the stock taken equal to the
units ordered), run in the runner's process with the server's settings and database.
"""

import http.client
import math
import random
import re
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

BENCH_STOCK = 1_000_000
# A ceiling per buyer, so that the run stops even if time misbehaves.
MAX_CHECKOUTS_PER_BUYER = 20_000
CHECKOUT_FIELDS = {
    "name": "Người mua thử",
    "phone": "0912345678",
    "delivery_method": "pickup",
    "payment_method": "vietqr",
    "email": "",
    "note": "",
    "delivery_address": "",
}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CHECKOUT_ID_INPUT = re.compile(rb'name="checkout_id" value="([0-9a-f-]{36})"')
DONE_PATH = re.compile(r"^/checkout/done/[0-9a-f-]{36}/$")
# The form's words for a shortage (forms.CartLineForm, cart.CartLine.problem, services.OutOfStock).
OUT_OF_STOCK = re.compile("hết hàng|Chỉ còn|Only \\d+ left|Not enough left".encode())


# Preparation and consistency, in the runner's process (Django set up with the bench settings).


def buyable_products() -> list[tuple[str, int]]:
    """(product page path, variant id) for every variant a buyer can put in the cart, with stock
    raised to BENCH_STOCK so that the run never runs out."""
    from django.db import connections

    from products.models import ProductVariant

    variants = ProductVariant.objects.filter(is_active=True, page__live=True).select_related("page")
    ProductVariant.objects.update(stock=BENCH_STOCK)
    targets = []
    for variant in variants.order_by("pk"):
        url = variant.page.get_url()
        if url:
            targets.append((urlsplit(url).path, variant.pk))
    connections.close_all()
    return targets


def database_state() -> dict:
    from django.db import connections
    from django.db.models import Min, Sum

    from orders.models import Order, OrderLine
    from products.models import ProductVariant

    state = {
        "orders": Order.objects.count(),
        "units_ordered": OrderLine.objects.aggregate(total=Sum("quantity"))["total"] or 0,
        "stock_total": ProductVariant.objects.aggregate(total=Sum("stock"))["total"] or 0,
        "stock_min": ProductVariant.objects.aggregate(low=Min("stock"))["low"],
    }
    connections.close_all()
    return state


def consistency(before: dict, after: dict, checkouts: int) -> dict:
    orders = after["orders"] - before["orders"]
    units = after["units_ordered"] - before["units_ordered"]
    stock_taken = before["stock_total"] - after["stock_total"]
    checks = {
        "no stock below zero": after["stock_min"] is None or after["stock_min"] >= 0,
        "orders = successful checkouts": orders == checkouts,
        "stock taken = units ordered": stock_taken == units,
    }
    return {
        "orders_placed": orders,
        "units_ordered": units,
        "stock_taken": stock_taken,
        "stock_min": after["stock_min"],
        "checks": checks,
        "ok": all(checks.values()),
    }


# The load generator.


class Failure(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


class Buyer:
    """One browser: a keep-alive connection and a cookie jar."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()  # http.client reconnects on the next request
            raise Failure("socket error", repr(error)) from error
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def checkout(self, product_path: str, variant_id: int) -> float:
        """One whole checkout as a new buyer; returns the final POST's latency in ms."""
        self.cookies = {}
        status, _, body = self.request("GET", product_path)
        token = CSRF_INPUT.search(body)
        if status != 200 or token is None:
            raise Failure("product page", f"status {status}, CSRF token {'found' if token else 'missing'}")
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "variant": variant_id, "quantity": 1}
        status, headers, _ = self.request("POST", "/cart/add/", {**form, "next": product_path})
        if status != 303:
            raise Failure("add to cart", f"status {status}")
        status, _, body = self.request("GET", "/checkout/")
        token, checkout_id = CSRF_INPUT.search(body), CHECKOUT_ID_INPUT.search(body)
        if status != 200 or token is None or checkout_id is None:
            raise Failure("checkout form", f"status {status}")
        form = {
            **CHECKOUT_FIELDS,
            "csrfmiddlewaretoken": token.group(1).decode(),
            "checkout_id": checkout_id.group(1).decode(),
        }
        started = time.perf_counter()
        status, headers, body = self.request("POST", "/checkout/", form)
        post_ms = (time.perf_counter() - started) * 1000
        done = urlsplit(headers.get("location", "")).path
        if status != 303 or not DONE_PATH.match(done):
            kind = "out of stock" if OUT_OF_STOCK.search(body) else "checkout POST"
            raise Failure(kind, f"status {status}")
        status, _, _ = self.request("GET", done)
        if status != 200:
            raise Failure("confirmation page", f"status {status}")
        return post_ms


def percentile(values: list[float], pct: float) -> float:
    return values[max(0, math.ceil(pct / 100 * len(values)) - 1)] if values else math.nan


def run_checkout_load(
    host: str, port: int, targets: list[tuple[str, int]], seconds: float, buyers: int, seed: int = 0
) -> dict:
    """`buyers` threads checking out for `seconds`, each a random variant, quantity 1."""
    deadline = time.monotonic() + seconds
    post_ms: list[float] = []
    flow_ms: list[float] = []
    failures: dict[str, int] = {}
    examples: dict[str, str] = {}
    lock = threading.Lock()

    def worker(number: int):
        rng = random.Random(seed * 1000 + number)
        buyer = Buyer(host, port)
        mine_post, mine_flow, mine_failures, mine_examples = [], [], {}, {}
        attempts = 0
        while time.monotonic() < deadline and attempts < MAX_CHECKOUTS_PER_BUYER:
            attempts += 1
            path, variant_id = rng.choice(targets)
            started = time.perf_counter()
            try:
                latency = buyer.checkout(path, variant_id)
            except Failure as failure:
                mine_failures[failure.kind] = mine_failures.get(failure.kind, 0) + 1
                mine_examples.setdefault(failure.kind, str(failure))
                continue
            mine_flow.append((time.perf_counter() - started) * 1000)
            mine_post.append(latency)
        buyer.conn.close()
        with lock:
            post_ms.extend(mine_post)
            flow_ms.extend(mine_flow)
            for kind, count in mine_failures.items():
                failures[kind] = failures.get(kind, 0) + count
            for kind, example in mine_examples.items():
                examples.setdefault(kind, example)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    post_ms.sort()
    flow_ms.sort()
    return {
        "checkouts": len(post_ms),
        "checkouts_per_s": len(post_ms) / elapsed,
        "elapsed_s": elapsed,
        "post_p50_ms": percentile(post_ms, 50),
        "post_p95_ms": percentile(post_ms, 95),
        "post_p99_ms": percentile(post_ms, 99),
        "flow_p50_ms": percentile(flow_ms, 50),
        "flow_p95_ms": percentile(flow_ms, 95),
        "failures": sum(failures.values()),
        "failure_kinds": failures,
        "failure_examples": examples,
    }


class PacedPurchases:
    """One buyer completing a purchase every `interval` seconds in a thread of its own, for
    `seconds`, beside another load (the market-day scenario): each purchase a new session (an
    empty cookie jar) and the whole checkout above. A purchase that takes longer than the
    interval is followed at once by the next, so the pace is kept where the server allows it."""

    def __init__(self, host: str, port: int, targets: list[tuple[str, int]], interval: float = 1.0, seed=0):
        self.host, self.port, self.targets, self.interval = host, port, targets, interval
        self.rng = random.Random(seed)
        self.flow_ms: list[float] = []
        self.failures: dict[str, int] = {}
        self.examples: dict[str, str] = {}
        self.thread: threading.Thread | None = None

    def start(self, seconds: float) -> None:
        self.thread = threading.Thread(target=self._run, args=(seconds,), daemon=True)
        self.thread.start()

    def _run(self, seconds: float) -> None:
        buyer = Buyer(self.host, self.port)
        started = time.monotonic()
        deadline = started + seconds
        due = started
        while due < deadline:
            time.sleep(max(0.0, due - time.monotonic()))
            path, variant_id = self.rng.choice(self.targets)
            began = time.perf_counter()
            try:
                buyer.checkout(path, variant_id)
            except Failure as failure:
                self.failures[failure.kind] = self.failures.get(failure.kind, 0) + 1
                self.examples.setdefault(failure.kind, str(failure))
            else:
                self.flow_ms.append((time.perf_counter() - began) * 1000)
            due += self.interval
        buyer.conn.close()

    def result(self, timeout: float = 60) -> dict:
        """Wait for the last purchase and sum up."""
        if self.thread is not None:
            self.thread.join(timeout=timeout)
        flow_ms = sorted(self.flow_ms)
        return {
            "interval_s": self.interval,
            "attempted": len(flow_ms) + sum(self.failures.values()),
            "purchases": len(flow_ms),
            "flow_p50_ms": percentile(flow_ms, 50),
            "flow_p95_ms": percentile(flow_ms, 95),
            "failures": sum(self.failures.values()),
            "failure_kinds": dict(self.failures),
            "failure_examples": dict(self.examples),
        }
