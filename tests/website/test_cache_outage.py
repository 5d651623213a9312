"""When Redis stops (website/cache.py, docs/deploy.md "When Redis is down"): every page still
answers, fresh; an administrator can still sign in; rate limits still limit, each process
counting alone; /healthz stays 200 but says the cache is unreachable; and once Redis answers
again, pages are served from the cache again without restarting anything. Each test starts its
own redis-server on a free port and stops it: the shared Redis on 6379 is never touched."""

import logging
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import closing

import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from growers.factories import GrowingAreaFactory
from orders.models import Order
from products.factories import ProductPageFactory, ProductVariantFactory
from tests.orders.conftest import CHECKOUT_FORM
from traceability.factories import BatchPageFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on the PATH"),
]

BACKEND = "website.cache.OutageTolerantRedisCache"


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, which the test stops and starts again on the same port.
    It keeps its data in a file across a stop (SHUTDOWN SAVE) when `persistent`: a Redis restored
    from its snapshot, or one a network fault hid for a while, comes back with what it held."""

    def __init__(self, *, persistent=False):
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="cache-outage-redis-")
        self.persistent = persistent
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--dir", self.folder, "--dbfilename", "dump.rdb"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as answer:
                    answer.sendall(b"PING\r\n")
                    if answer.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.persistent:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as command:
                command.sendall(b"SHUTDOWN SAVE\r\n")
                command.recv(16)
        else:
            self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def caches_for(url: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": url,
            # Try Redis again on every call once it failed: the test restarts it and goes on at once.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": 0, **options},
        }
    }


def cache_on(server: RedisServer, **settings):
    return override_settings(CACHES=caches_for(server.url), PAGE_CACHE_SECONDS=600, **settings)


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def persistent_redis_server():
    server = RedisServer(persistent=True)
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def variant(coop1):
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô", slug="thao-qua-kho")
    return ProductVariantFactory(page=product, pack_label="Túi 500 g", price=120000, stock=5)


@pytest.fixture
def batch(variant, coop1, registry):
    area = GrowingAreaFactory(code="VN-SLL-0001", village="Sì Lở Lầu", commune="Sì Lở Lầu", cooperative=coop1)
    batch = BatchPageFactory(parent=variant.page, lot="TQ2026-01")
    batch.growing_areas.set([area])
    batch.save_revision().publish()
    batch.refresh_from_db()
    return batch


@pytest.fixture
def public_pages(home, shop, registry, batch, variant):
    """The pages an anonymous visitor reads most: home, the catalogue, a product, a trace page,
    the registry."""
    return {
        "home": "/",
        "catalogue": shop.url,
        "product": variant.page.url,
        "trace": f"/t/{batch.short_code}",
        "registry": registry.url,
    }


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def cached_pages(client, pages: dict) -> set[str]:
    """The pages whose second request costs fewer queries than the first (served from the cache)."""
    cached = set()
    for name, path in pages.items():
        first = queries_for(client, path)
        if queries_for(client, path) < first:
            cached.add(name)
    return cached


def test_pages_answer_fresh_while_redis_is_down_and_are_cached_again_when_it_is_back(
    client, redis_server, public_pages, home
):
    with cache_on(redis_server):
        assert cached_pages(client, public_pages) >= {"home", "catalogue", "trace"}

        redis_server.stop()
        for path in public_pages.values():
            for _ in range(2):
                assert client.get(path).status_code == 200, path
        assert cached_pages(client, public_pages) == set()  # each request renders the page afresh
        home.title = "Chợ phiên mùa thảo quả"
        home.save_revision().publish()
        assert "Chợ phiên mùa thảo quả" in client.get("/").content.decode()

        redis_server.start()  # the same address; nothing restarted on the site's side
        assert cached_pages(client, public_pages) >= {"home", "catalogue", "trace"}
        assert "Chợ phiên mùa thảo quả" in client.get("/").content.decode()


def test_a_change_made_while_redis_was_unreachable_shows_once_it_answers_again(
    client, persistent_redis_server, home
):
    """Redis comes back holding the pages it cached before (restored from its snapshot, or after
    a network fault): the publish made meanwhile must not be hidden behind them."""
    with cache_on(persistent_redis_server):
        assert queries_for(client, "/") > queries_for(client, "/")  # cached
        persistent_redis_server.stop()
        home.title = "Chợ phiên mùa thảo quả"
        home.save_revision().publish()

        persistent_redis_server.start()
        assert "Chợ phiên mùa thảo quả" in client.get("/").content.decode()


def test_a_buyer_orders_while_redis_is_down(client, redis_server, public_pages, variant):
    with cache_on(redis_server, RATE_LIMITS_ENABLED=True):
        redis_server.stop()
        assert client.post("/cart/add/", {"variant": variant.pk, "quantity": 1}).status_code in (302, 303)
        assert client.get("/checkout/").status_code == 200
        placed = client.post("/checkout/", {**CHECKOUT_FORM, "checkout_id": client.session["checkout_id"]})

        assert placed.status_code == 303
        assert Order.objects.count() == 1
        variant.refresh_from_db()
        assert variant.stock == 4


def test_an_administrator_signs_in_through_the_login_form_while_redis_is_down(client, redis_server, home):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "a long pass phrase")
    with cache_on(redis_server, RATE_LIMITS_ENABLED=True):
        redis_server.stop()
        assert client.get("/admin/login/").status_code == 200
        signed_in = client.post("/admin/login/", {"username": "admin", "password": "a long pass phrase"})

        assert signed_in.status_code == 302
        assert client.get("/admin/").status_code == 200


def test_rate_limits_still_limit_while_redis_is_down(client, redis_server, home):
    limits = {"login": (3, 60), "trace_miss": (4, 600)}
    with cache_on(redis_server, RATE_LIMITS_ENABLED=True, RATE_LIMITS=limits):
        redis_server.stop()
        logins = [
            client.post(
                "/admin/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="203.0.113.7"
            ).status_code
            for _ in range(4)
        ]
        guesses = [client.get(f"/t/AAAA{n:04d}", REMOTE_ADDR="203.0.113.9").status_code for n in range(5)]

    assert logins == [200, 200, 200, 429]
    assert guesses == [404, 404, 404, 404, 429]


def test_failed_guesses_of_one_account_still_lock_it_while_redis_is_down(client, redis_server, home):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "a long pass phrase")
    limits = {"login": (100, 60), "login_failures": (3, 900)}
    with cache_on(redis_server, RATE_LIMITS_ENABLED=True, RATE_LIMITS=limits):
        redis_server.stop()
        answers = [
            client.post(
                "/admin/login/", {"username": "admin", "password": "guess"}, REMOTE_ADDR=f"198.51.100.{n}"
            ).status_code
            for n in range(4)
        ]

    assert answers == [200, 200, 200, 429]


def test_an_outage_is_logged_once_and_its_end_once(client, redis_server, public_pages, caplog):
    with cache_on(redis_server), caplog.at_level(logging.INFO, logger="website.cache"):
        client.get("/")
        redis_server.stop()
        for _ in range(3):
            for path in public_pages.values():
                client.get(path)
        down = [record for record in caplog.records if record.name == "website.cache"]
        redis_server.start()
        for path in public_pages.values():
            client.get(path)
    logged = [record for record in caplog.records if record.name == "website.cache"]

    assert [record.levelname for record in down] == ["WARNING"]
    assert "unreachable" in down[0].getMessage()
    assert [record.levelname for record in logged] == ["WARNING", "WARNING"]
    assert "answers again" in logged[1].getMessage()


def test_healthz_says_ok_when_the_cache_answers_and_degraded_when_it_does_not(client, redis_server):
    with cache_on(redis_server):
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}

        redis_server.stop()
        degraded = client.get("/healthz")

        assert degraded.status_code == 200  # the load balancer keeps the process: it serves pages
        answer = degraded.json()
        assert answer["status"] == "degraded"
        assert answer["database"] == "ok"
        assert answer["cache"] == "unreachable"
        assert "ConnectionError" in answer["reason"]

        redis_server.start()
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_counts_a_local_memory_cache_as_ok(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.fixture
def silent_redis():
    """An address where a connection is accepted (the kernel completes the handshake) but nothing
    is ever read or answered: a hung Redis, or a half-open connection."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    yield f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    silent.close()


def test_a_redis_that_accepts_but_never_answers_delays_a_page_by_its_timeout_only(
    client, public_pages, silent_redis
):
    """It costs one read timeout, then pages skip Redis until the next retry: the visitor gets
    the page, not a hung request."""
    options = {"socket_connect_timeout": 2, "socket_timeout": 2, "RETRY_SECONDS": 60}
    with override_settings(CACHES=caches_for(silent_redis, **options), PAGE_CACHE_SECONDS=600):
        started = time.monotonic()
        first = client.get("/")
        first_took = time.monotonic() - started
        started = time.monotonic()
        for path in public_pages.values():
            assert client.get(path).status_code == 200, path
        then_took = time.monotonic() - started

    assert first.status_code == 200
    assert first_took < 5  # one timeout, not one per cache call
    assert then_took < 6  # five pages, none waiting for Redis within RETRY_SECONDS


def test_the_production_settings_give_up_on_a_redis_that_never_answers_within_a_second(silent_redis):
    """redis' own read timeout is 5 seconds (none before redis-py 8), on every cache call of a
    request: a hung Redis would hold every web worker."""
    from tests.website.test_production_settings import GOOD_KEY, SETUP, run_production

    result = run_production(
        f"{SETUP}; import time; from django.core.cache import cache; started = time.monotonic(); "
        "answer = cache.get('page', 'missed'); print(answer, round(time.monotonic() - started, 1))",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="example.org",
        REDIS_URL=silent_redis,
    )

    assert result.returncode == 0, result.stderr
    answer, took = result.stdout.strip().splitlines()[-1].split()
    assert answer == "missed"
    assert float(took) < 2.5
    assert "Timeout reading" in result.stdout  # logged, as a warning
