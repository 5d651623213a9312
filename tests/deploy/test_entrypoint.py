"""The image's start-up, without a Docker engine (none runs on our machines): the Dockerfile's
build step (deploy/collect-static.sh) and its entrypoint (deploy/entrypoint.sh: migrate, then
gunicorn; or `worker`, compose.yaml's background-task worker) run here in the project's virtual
environment against the PostgreSQL server on loopback. The served site answers /healthz and its
hashed, compressed static files; the worker runs what was queued."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, **headers):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    return urllib.request.urlopen(request, timeout=5)


def test_image_build_step_and_entrypoint_serve_the_site(fresh_database, tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")},
        # The virtual environment's python and gunicorn first on PATH, as /venv/bin is in the image.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": fresh_database,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "SECURE_SSL_REDIRECT": "0",
        "BACKGROUND_TASKS": "database",
    }
    build = subprocess.run(
        ["sh", "deploy/collect-static.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert build.returncode == 0, build.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["website/site.css"]
    assert hashed_css != "website/site.css"

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
                health = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.poll() is not None else "(still running)"
                    pytest.fail(f"the entrypoint did not come up:\n{output}")
                time.sleep(0.5)
        assert health.status == 200
        assert json.loads(health.read()) == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "tasks": {"waiting": 0, "oldest_seconds": None},
        }

        css = get(f"http://127.0.0.1:{port}/static/{hashed_css}", **{"Accept-Encoding": "gzip"})
        assert css.status == 200
        assert css.headers["Content-Encoding"] == "gzip"
        assert "immutable" in css.headers["Cache-Control"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # The worker, on the database the entrypoint migrated: a task queued by the site is run.
    queued = manage(
        env, "from orders.tasks import expire_orders_task; print(expire_orders_task.enqueue().id)"
    )
    worker = subprocess.run(
        ["sh", "deploy/entrypoint.sh", "worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    status = manage(
        env,
        f"from django_tasks_db.models import DBTaskResult as R; print(R.objects.get(id='{queued}').status)",
    )
    assert status == "SUCCESSFUL"


def manage(env: dict, code: str) -> str:
    """Run Python in `manage.py shell` with the image's settings; its printed output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_worker_without_the_database_queue_refuses_to_start_with_one_line():
    env = {key: value for key, value in os.environ.items() if key not in ("BACKGROUND_TASKS",)}
    result = subprocess.run(
        ["sh", "deploy/entrypoint.sh", "worker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Refusing to start: ") and "BACKGROUND_TASKS=database" in lines[0]
