"""compose.yaml's proxy as a buyer and an attacker meet it: deploy/nginx.conf run by Debian's nginx
in front of the production run of tests/deploy/test_media.py (its gunicorn, started by the image's
entrypoint), with the port, media folder and upstream swapped for the test's. Product photos and
their renditions come from the media folder through nginx, not from a gunicorn worker; documents and
anything outside the media folder do not; pages are passed through to the site."""

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.test_entrypoint import free_port, manage
from tests.deploy.test_media import MAKE_IMAGE, production_site, status_of  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)

try:
    import yaml
except ImportError:  # PyYAML comes with the dev dependencies (requirements/dev.txt)
    yaml = None


def rendered_config(tmp: Path, port: int, upstream: str, media: Path) -> Path:
    server = (ROOT / "deploy" / "nginx.conf").read_text()
    for written, replacement in [
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server web:8000;", f"server {upstream};"),
        ("/app/media/", f"{media}/"),
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
        + f"access_log off;\nclient_body_temp_path {temp}/body;\nproxy_temp_path {temp}/proxy;\n"
        + f"fastcgi_temp_path {temp}/fastcgi;\nuwsgi_temp_path {temp}/uwsgi;\nscgi_temp_path {temp}/scgi;\n"
        + server
        + "\n}\n"
    )
    return config


@pytest.fixture
def proxied_site(production_site, tmp_path_factory):  # noqa: F811 (the imported fixture)
    if NGINX is None:
        print("skipped: needs nginx (Debian package nginx-light or nginx)")
        pytest.skip("needs nginx (Debian package nginx-light or nginx)")
    site, env = production_site
    tmp = tmp_path_factory.mktemp("proxy")
    port = free_port()
    config = rendered_config(tmp, port, site.removeprefix("http://"), Path(env["MEDIA_ROOT"]))
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
        yield f"http://127.0.0.1:{port}", env
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def fetch(url: str):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})
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


def test_compose_puts_the_proxy_in_front_with_the_media_volume_read_only():
    if yaml is None:
        pytest.skip("needs PyYAML (in requirements/dev.txt)")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]

    proxy = next(service for service in services.values() if str(service.get("image")).startswith("nginx"))
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
