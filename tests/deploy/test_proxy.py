"""compose.yaml's proxy as a buyer and an attacker meet it: deploy/nginx.conf run by Debian's nginx
in front of the production run of tests/deploy/test_media.py (its gunicorn, started by the image's
entrypoint), with the port, media and static folders and upstream swapped for the test's. Product
photos and their renditions come from the media folder through nginx, not from a gunicorn worker;
documents and anything outside the media folder do not; pages are passed through to the site and
leave it gzip-compressed, the trace page within its budget (DESIGN §5) as the proxy sends it;
static files come from the collected folder; slow clients do not hold the web process."""

import contextlib
import gzip
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.test_entrypoint import free_port, get, manage
from tests.deploy.test_media import MAKE_IMAGE, production_site, status_of  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
MIME_TYPES = "/etc/nginx/mime.types"  # Debian's, as in the official image

try:
    import yaml
except ImportError:  # PyYAML comes with the dev dependencies (requirements/dev.txt)
    yaml = None


# The trace page's budget (DESIGN §5): the bytes of one TCP round trip, gzip-compressed.
GZIP_BUDGET = 14_000

# The budget's page (tests/traceability/test_trace_page.py): a published batch with 30 events,
# each with its photo, under a product of a cooperative, citing a valid growing-area code.
MAKE_TRACE_PAGE = """
import datetime, wagtail_factories
from django.utils import timezone
from wagtail.models import Collection, Page, Site
from growers.factories import (CooperativeIndexPageFactory, CooperativePageFactory,
    GrowingAreaFactory, GrowingAreaIndexPageFactory)
from products.factories import ProductPageFactory, ProductVariantFactory
from traceability.factories import BatchPageFactory, TraceEventFactory
from website.factories import HomePageFactory
Page.objects.filter(depth=2).delete()
home = HomePageFactory(parent=Page.get_first_root_node())
Site.objects.all().delete()
Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
GrowingAreaIndexPageFactory(parent=home)
coop = CooperativePageFactory(parent=CooperativeIndexPageFactory(parent=home),
    title="HTX Thảo quả Sì Lở Lầu", slug="htx-thao-qua")
product = ProductPageFactory(parent=coop, title="Thảo quả khô")
ProductVariantFactory(page=product, gtin="96385074", stock=10)
area = GrowingAreaFactory(code="VN-SLL-0001", village="Sì Lở Lầu", commune="Sì Lở Lầu", cooperative=coop)
batch = BatchPageFactory(parent=product, lot="TQ2026-01")
batch.growing_areas.set([area])
batch.save_revision().publish()
batch.refresh_from_db()
start = timezone.now() - datetime.timedelta(days=60)
types = ["planting", "harvest", "processing", "packing", "inspection", "shipping", "other"]
collection = Collection.get_first_root_node()
for n in range(30):
    TraceEventFactory(batch=batch, sort_order=n, event_type=types[n % len(types)],
        occurred_at=start + datetime.timedelta(days=n, hours=n % 5),
        notes=f"Bước {n + 1}: ghi chép của tổ sản xuất về lô hàng.",
        photo=wagtail_factories.ImageFactory(collection=collection, title=f"IMG_{n:04d}"))
print(batch.short_code)
"""


def rendered_config(tmp: Path, port: int, upstream: str, media: Path, static: Path) -> Path:
    server = (ROOT / "deploy" / "nginx.conf").read_text()
    for written, replacement in [
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server web:8000;", f"server {upstream};"),
        ("/app/media/", f"{media}/"),
        ("/app/static/", f"{static}/"),
    ]:
        assert written in server, f"deploy/nginx.conf no longer says {written!r}"
        server = server.replace(written, replacement)
    temp = tmp / "nginx-temp"
    temp.mkdir()
    config = tmp / "nginx.conf"
    config.write_text(
        # As root (a container or CI), workers would otherwise run as nobody, who cannot read tmp_path.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\ndaemon off;\npid {tmp}/nginx.pid;\nerror_log stderr warn;\n"
        + "events {}\nhttp {\n"
        # As the official image's http block: the file types, for the static files.
        + f"include {MIME_TYPES};\ndefault_type application/octet-stream;\n"
        + f"access_log off;\nclient_body_temp_path {temp}/body;\nproxy_temp_path {temp}/proxy;\n"
        + f"fastcgi_temp_path {temp}/fastcgi;\nuwsgi_temp_path {temp}/uwsgi;\nscgi_temp_path {temp}/scgi;\n"
        + server
        + "\n}\n"
    )
    return config


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """The image's build step (deploy/collect-static.sh), whose folder the proxy's image gets
    (Dockerfile, stage `proxy`). Once for every test here, into a folder of its own: the web
    process's STATIC_ROOT stays empty, so whatever answers these files is nginx."""
    static = tmp_path_factory.mktemp("collected-static")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "STATIC_ROOT": str(static),
    }
    build = subprocess.run(
        ["sh", "deploy/collect-static.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert build.returncode == 0, build.stderr
    return static


@pytest.fixture
def proxied_site(production_site, collected_static, tmp_path_factory):  # noqa: F811 (the imported fixture)
    if NGINX is None:
        print("skipped: needs nginx (Debian package nginx-light or nginx)")
        pytest.skip("needs nginx (Debian package nginx-light or nginx)")
    site, env = production_site
    tmp = tmp_path_factory.mktemp("proxy")
    port = free_port()
    config = rendered_config(
        tmp, port, site.removeprefix("http://"), Path(env["MEDIA_ROOT"]), collected_static
    )
    proxy = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if status_of(f"http://127.0.0.1:{port}/healthz") == 200:
                    break
            except OSError:
                pass
            if proxy.poll() is not None or time.monotonic() > deadline:
                proxy.terminate()
                pytest.fail(f"nginx did not come up:\n{proxy.communicate(timeout=10)[0]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", {**env, "SITE": site, "PROXY_STATIC_ROOT": str(collected_static)}
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def fetch(url: str, **headers):
    """The answer as sent: urllib leaves a gzip-encoded body compressed."""
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    return urllib.request.urlopen(request, timeout=5)


def test_buyer_gets_product_photos_from_the_proxy_in_front(proxied_site):
    proxy, env = proxied_site
    media = Path(env["MEDIA_ROOT"])
    original_url, rendition_url = manage(env, MAKE_IMAGE).splitlines()[-1].split()

    original = fetch(proxy + original_url)
    rendition = fetch(proxy + rendition_url)

    assert original.status == 200
    assert original.headers["Content-Type"] == "image/png"
    # From the folder by nginx itself (its ETag and byte ranges), not passed on to a gunicorn worker.
    assert original.headers["Accept-Ranges"] == "bytes"
    assert original.headers["ETag"]
    assert original.read() == (media / original_url.removeprefix("/media/")).read_bytes()
    assert "max-age=86400" in original.headers["Cache-Control"]
    assert rendition.status == 200
    assert rendition.headers["Content-Type"] == "image/webp"
    assert rendition.read()[:4] == b"RIFF"
    assert rendition.headers["Accept-Ranges"] == "bytes"
    assert status_of(proxy + "/media/original_images/missing.png") == 404


def test_attacker_gets_no_documents_and_nothing_outside_media_through_the_proxy(proxied_site):
    proxy, env = proxied_site
    media = Path(env["MEDIA_ROOT"])
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 private")
    (media / "original_images").mkdir(exist_ok=True)
    (media / "original_images" / "page.html").write_text("<script>alert(1)</script>")
    (media.parent / "outside.png").write_bytes(b"\x89PNG outside")

    for path in [
        "/media/documents/private.pdf",
        "/media/original_images/page.html",
        "/media/../outside.png",
        "/media/%2e%2e/outside.png",
        "/media/original_images/..%2f..%2foutside.png",
        "/media/images/%2e%2e/%2e%2e/outside.png",
        "/media/original_images/",
        "/media/",
    ]:
        assert status_of(proxy + path) in (403, 404), path


def test_visitor_gets_the_site_pages_through_the_proxy(proxied_site):
    proxy, _env = proxied_site

    page = fetch(proxy + "/")
    health = fetch(proxy + "/healthz")

    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert health.status == 200


def test_buyer_gets_the_trace_page_compressed_within_its_budget_as_the_proxy_sends_it(proxied_site):
    proxy, env = proxied_site
    short_code = manage(env, MAKE_TRACE_PAGE).splitlines()[-1]

    page = fetch(f"{proxy}/t/{short_code}", **{"Accept-Encoding": "gzip"})
    sent = page.read()
    plain = fetch(f"{proxy}/t/{short_code}")

    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(sent).decode()
    assert "Thảo quả khô" in html and "Bước 30:" in html
    print(f"trace page with 30 events as served: {len(html.encode())} bytes, {len(sent)} bytes gzip")
    assert len(sent) <= GZIP_BUDGET
    # A client that asks for no compression gets the page as it is.
    assert plain.headers["Content-Encoding"] is None
    assert "Bước 30:" in plain.read().decode()


def test_browser_gets_static_files_from_the_proxy_cached_for_a_year(proxied_site):
    proxy, env = proxied_site
    static = Path(env["PROXY_STATIC_ROOT"])
    manifest = json.loads((static / "staticfiles.json").read_text())
    hashed = "/static/" + manifest["paths"]["wagtailadmin/css/core.css"]

    stylesheet = fetch(proxy + hashed, **{"Accept-Encoding": "gzip"})
    unhashed = fetch(proxy + "/static/wagtailadmin/css/core.css")

    assert stylesheet.status == 200
    assert stylesheet.headers["Content-Type"].startswith("text/css")
    assert stylesheet.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(stylesheet.read()) == (static / hashed.removeprefix("/static/")).read_bytes()
    assert "max-age=31536000" in stylesheet.headers["Cache-Control"]
    assert "immutable" in stylesheet.headers["Cache-Control"]
    # A name without its hash changes content with the next release: not kept for a year.
    assert unhashed.status == 200
    assert "max-age=31536000" not in (unhashed.headers["Cache-Control"] or "")
    # The web process has none of these files (its STATIC_ROOT is empty): the proxy answered
    # from the collected folder itself.
    assert status_of(env["SITE"] + hashed) == 404
    assert status_of(proxy + "/static/website/missing.css") == 404
    assert status_of(proxy + "/static/../manage.py") in (400, 403, 404)


class SlowClients:
    """Connections that send a request one byte at a time and never finish it, as a slow phone
    network or an attacker (slowloris) does, until closed: its headers, or (`bodies`) its headers
    at once and then a body that the site reads whole (a bank notice to the webhook, which checks
    its signature over the body)."""

    def __init__(self, address: str, count: int, *, bodies: bool = False):
        host, port = address.removeprefix("http://").split(":")
        self.sockets = [socket.create_connection((host, int(port)), timeout=5) for _ in range(count)]
        if bodies:
            self.request = b'{"note": "' + b"a" * 10_000 + b'"}'
            head = (
                "POST /webhooks/bank/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"X-Signature: {'0' * 64}\r\nContent-Length: {len(self.request)}\r\n\r\n"
            )
            for sock in self.sockets:
                sock.sendall(head.encode())
        else:
            self.request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
        self.stop = threading.Event()
        self.dribbler = threading.Thread(target=self.dribble, daemon=True)
        self.dribbler.start()

    def dribble(self):
        for byte in self.request:
            for sock in self.sockets:
                with contextlib.suppress(OSError):  # one the server closed
                    sock.send(bytes([byte]))
            if self.stop.wait(0.1):
                return

    def close(self):
        self.stop.set()
        self.dribbler.join(timeout=5)
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def bank_webhook(monkeypatch):
    """The bank's webhook configured (production_site takes the environment as it is)."""
    monkeypatch.setenv("BANK_WEBHOOK_SECRET", secrets.token_urlsafe(48))


def answered_within(url: str, seconds: float) -> bool:
    started = time.monotonic()
    try:
        get(url).read()
    except (OSError, TimeoutError):
        return False
    return time.monotonic() - started < seconds


@pytest.mark.usefixtures("bank_webhook")  # before proxied_site starts the site
def test_slow_clients_do_not_hold_the_web_process_behind_the_proxy(proxied_site):
    proxy, env = proxied_site
    site = env["SITE"]  # gunicorn itself: one sync worker in this run (WEB_CONCURRENCY=1)

    assert env["BANK_WEBHOOK_SECRET"]
    slow_headers, slow_bodies = SlowClients(proxy, 6), SlowClients(proxy, 6, bodies=True)
    try:
        time.sleep(1)
        assert answered_within(proxy + "/healthz", 2)
        assert answered_within(proxy + "/", 2)
    finally:
        slow_headers.close()
        slow_bodies.close()

    # Without the proxy, one slow client is enough to hold the only worker: the test sees the harm.
    for direct in [SlowClients(site, 1), SlowClients(site, 1, bodies=True)]:
        try:
            time.sleep(1)
            assert not answered_within(site + "/healthz", 2)
        finally:
            direct.close()


def test_compose_puts_the_proxy_in_front_with_the_media_volume_read_only():
    if yaml is None:
        pytest.skip("needs PyYAML (in requirements/dev.txt)")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]

    proxy = services["proxy"]
    # nginx, with this build's collected static files (the Dockerfile's stage `proxy`).
    assert proxy["build"]["target"] == "proxy"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM nginx:" in dockerfile.split(" AS proxy")[0].splitlines()[-1]
    assert "COPY --from=site /app/static /app/static" in dockerfile
    mounts = {volume.split(":")[1]: volume for volume in proxy["volumes"]}
    assert mounts["/app/media"] == "media:/app/media:ro"
    assert mounts["/etc/nginx/conf.d/default.conf"].startswith("./deploy/nginx.conf:")
    assert mounts["/etc/nginx/conf.d/default.conf"].endswith(":ro")
    assert proxy["ports"]
    # Only the proxy is reachable from outside (else a client could skip it and forge
    # X-Forwarded-For), and the web process leaves the media to it.
    web = services["web"]
    assert not web.get("ports")
    assert web["environment"]["SERVE_MEDIA"] == "0"
    assert web["environment"]["RATE_LIMIT_PROXY_COUNT"] == "1"
    assert "media" in compose["volumes"]


def test_compose_bounds_redis_and_lets_it_drop_the_least_recently_used_keys():
    if yaml is None:
        pytest.skip("needs PyYAML (in requirements/dev.txt)")
    command = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=True))

    # docs/deploy.md, "Redis memory": a cache of bounded size, never written to disk.
    assert options["--maxmemory"] == "256mb"
    assert options["--maxmemory-policy"] == "allkeys-lru"
    assert options["--save"] == ""
    assert options["--appendonly"] == "no"
