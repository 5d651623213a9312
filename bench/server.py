"""The server under test and the processes around it: gunicorn in its own process group,
management commands, the throwaway PostgreSQL database, and single requests."""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BARE_PATH = "/bench/bare/"


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


def postgres(statement: str, database: str) -> None:
    """Create or drop the throwaway database (user postgres, trust auth on 127.0.0.1)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=HOST, port=5432, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(database)))


def postgres_database_exists(database: str) -> bool:
    import psycopg

    with psycopg.connect(host=HOST, port=5432, user="postgres", dbname="postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is not None
