"""`make test` on a fresh clone, as the README says to run it: it installs axe-core for the
accessibility test (tests/browser/test_accessibility.py skips without it) whenever npm is there and
tests/browser/node_modules is missing or older than the lock file. `make -n` on a copy of the
Makefile and the files its targets depend on: what make would run, without running it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM_CI = "npm ci --no-audit --no-fund"
MAKE = shutil.which("make")


@pytest.fixture
def clone(tmp_path):
    if MAKE is None:
        pytest.skip("needs make (Debian package make)")
    for name in (
        "Makefile",
        "pyproject.toml",
        "requirements/runtime.txt",
        "requirements/dev.txt",
        "tests/browser/package.json",
        "tests/browser/package-lock.json",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    # The virtual environment is already installed: only the npm step is in question.
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".installed").touch()
    return tmp_path


def planned(clone: Path, path: str | None = None) -> str:
    # As a person types it: not inside another make (which would print "Entering directory …",
    # naming the temporary folder, itself under "pytest-of-…").
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    if path is not None:
        env["PATH"] = path
    result = subprocess.run(
        [MAKE, "-n", "test"], cwd=clone, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_test_installs_axe_core_when_missing_or_older_than_the_lock(clone):
    if shutil.which("npm") is None:
        pytest.skip("needs npm (Debian package npm)")

    fresh = planned(clone)
    assert NPM_CI in fresh
    assert fresh.index(NPM_CI) < fresh.index(".venv/bin/pytest")

    # Installed after the lock file was last changed: nothing to do.
    stamp = clone / "tests/browser/node_modules/.installed"
    stamp.parent.mkdir(parents=True)
    stamp.touch()
    os.utime(clone / "tests/browser/package-lock.json", (1_000_000_000, 1_000_000_000))
    assert NPM_CI not in planned(clone)

    # The lock file changed since (a new axe-core pinned): installed again.
    (clone / "tests/browser/package-lock.json").touch()
    assert NPM_CI in planned(clone)


def test_make_test_without_npm_runs_the_tests_all_the_same(clone, tmp_path_factory):
    empty = tmp_path_factory.mktemp("no-npm-on-path")

    plan = planned(clone, path=str(empty))

    assert "npm ci" not in plan
    assert ".venv/bin/pytest" in plan


def test_make_test_runs_the_tests_when_npm_cannot_reach_its_registry(clone, tmp_path_factory):
    # npm is installed but offline: `npm ci` fails. The suite still runs, with one line saying the
    # accessibility test will be skipped; and the install is tried again next time.
    tools = tmp_path_factory.mktemp("offline-npm")
    (tools / "npm").write_text("#!/bin/sh\necho 'npm error network request failed' >&2\nexit 1\n")
    (tools / "npm").chmod(0o755)
    (clone / ".venv" / "bin").mkdir()
    (clone / ".venv" / "bin" / "pytest").write_text("#!/bin/sh\necho 'the suite ran'\n")
    (clone / ".venv" / "bin" / "pytest").chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}

    result = subprocess.run([MAKE, "test"], cwd=clone, env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "the suite ran" in result.stdout
    notes = [line for line in (result.stdout + result.stderr).splitlines() if "accessibility test" in line]
    assert len(notes) == 1
    assert "skipped" in notes[0]
    assert not (clone / "tests/browser/node_modules/.installed").exists()
