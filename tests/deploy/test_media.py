"""Uploaded images as the public sees them on a production run without a bucket: the image's
entrypoint (migrate, gunicorn) with the production settings on loopback, no proxy in front
(SERVE_MEDIA, the fallback; compose.yaml puts nginx in front, tests/deploy/test_proxy.py). Product
photos and their renditions load; nothing else under MEDIA_ROOT (documents, which Wagtail serves
through its own view with their privacy) and nothing outside it."""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.test_entrypoint import free_port, get, manage

ROOT = Path(__file__).resolve().parents[2]

MAKE_IMAGE = """
import io, wagtail_factories
from PIL import Image as Pillow
photo = wagtail_factories.ImageFactory(title="Chè Shan Tuyết", file__filename="che.png",
    file__width=120, file__height=90, file__format="PNG")
rendition = photo.get_rendition("fill-60x60|format-webp")
print(photo.file.url, rendition.url)
"""


def status_of(url: str) -> int:
    try:
        return get(url).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def production_site(fresh_database, tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": fresh_database,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "SECURE_SSL_REDIRECT": "0",
        # No static files collected for this test: whitenoise says so once.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    server = subprocess.Popen(
        ["sh", "deploy/entrypoint.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.poll() is not None else "(still running)"
                    pytest.fail(f"the entrypoint did not come up:\n{output}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", env
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_buyer_sees_product_photos_on_a_production_run_without_a_bucket(production_site, tmp_path):
    site, env = production_site
    # The last line: the production settings log JSON lines on stdout before it.
    original_url, rendition_url = manage(env, MAKE_IMAGE).splitlines()[-1].split()
    assert original_url.startswith("/media/original_images/")
    assert rendition_url.startswith("/media/images/")

    original = get(site + original_url)
    rendition = get(site + rendition_url)

    assert original.status == 200
    assert original.headers["Content-Type"] == "image/png"
    assert original.read() == (tmp_path / original_url.removeprefix("/")).read_bytes()
    assert rendition.status == 200
    assert rendition.headers["Content-Type"] == "image/webp"
    assert rendition.read()[:4] == b"RIFF"
    assert "max-age" in rendition.headers["Cache-Control"]


def test_attacker_gets_nothing_but_images_from_media(production_site, tmp_path):
    site, _env = production_site
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 private")
    (media / "original_images").mkdir(exist_ok=True)
    (media / "original_images" / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG outside")

    for path in [
        "/media/../outside.png",
        "/media/%2e%2e/outside.png",
        "/media/original_images/..%2f..%2foutside.png",
        "/media/images/%2e%2e/%2e%2e/outside.png",
        "/media/documents/private.pdf",
        "/media/original_images/page.html",
        "/media/original_images/",
        "/media/",
    ]:
        assert status_of(site + path) == 404, path
