"""The floors (DESIGN §3): a module imports only from its own app or the floors below it, function-level
imports included. import-linter checks the contract written in pyproject.toml ([tool.importlinter]);
these tests run it so that `make test` and CI fail when someone adds an upward import."""

import importlib.util
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def lint_imports(*args, cwd):
    # The one installed beside this Python (the project's .venv/bin), so the check is the pinned one.
    command = Path(sys.executable).with_name("lint-imports")
    if not command.exists():
        found = shutil.which("lint-imports")
        if found is None:
            pytest.fail(
                "lint-imports is not installed: `make install` installs import-linter (a dev dependency)."
            )
        command = Path(found)
    return subprocess.run(
        [str(command), "--no-cache", "--no-logo", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def floors_contract():
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in settings["contracts"] if c["type"] == "layers"]
    return settings["root_packages"], contract


def test_no_module_imports_from_a_floor_above():
    result = lint_imports(cwd=REPO)
    assert result.returncode == 0, (
        "The floors check failed (DESIGN §3). Where a module imports from a floor above its own, move the "
        "code down, or let the higher app connect its own signal handler or hook.\n"
        + result.stdout
        + result.stderr
    )


def write_tree(root, root_packages, contract, modules):
    """A project of empty apps named like ours, with the floors contract (less the exceptions that
    name our real modules) and the given modules."""
    root.mkdir()
    for package in root_packages:
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("")
    for name, source in modules.items():
        (root / name).write_text(source)
    (root / "pyproject.toml").write_text(
        "[tool.importlinter]\n"
        f"root_packages = {json.dumps(root_packages)}\n\n"
        "[[tool.importlinter.contracts]]\n"
        f"name = {json.dumps(contract['name'])}\n"
        'type = "layers"\n'
        f"layers = {json.dumps(contract['layers'])}\n"
    )


def test_the_floors_check_reports_an_upward_import(tmp_path):
    root_packages, contract = floors_contract()
    downward_only = {
        "website/money.py": "",
        "traceability/labels.py": "from products import gtin\n",
        "products/gtin.py": "from growers import views\n",
        "orders/desk.py": "from traceability import labels\nfrom website import money\n\nOrder = object\n",
        "growers/views.py": "from website import money\n",
        "config/urls.py": "from orders import desk\n",
    }
    write_tree(tmp_path / "clean", root_packages, contract, downward_only)
    clean = lint_imports(cwd=tmp_path / "clean")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    # The same tree, but growers reaches up to orders inside a function, where imports hide best.
    upward = dict(downward_only)
    upward["growers/views.py"] += (
        "\n\ndef open_orders():\n    from orders.desk import Order\n\n    return Order\n"
    )
    write_tree(tmp_path / "broken", root_packages, contract, upward)
    broken = lint_imports(cwd=tmp_path / "broken")
    assert broken.returncode != 0
    assert "growers is not allowed to import orders" in broken.stdout
    assert "growers.views -> orders.desk" in broken.stdout


def test_the_drawing_of_the_floors_matches_the_code():
    script = REPO / "docs" / "architecture" / "draw_floors.py"
    spec = importlib.util.spec_from_file_location("draw_floors", script)
    draw_floors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(draw_floors)
    committed = (REPO / "docs" / "architecture" / "floors.svg").read_text()
    assert committed == draw_floors.draw(REPO), (
        "docs/architecture/floors.svg no longer shows the code's imports. Redraw it and commit it: "
        "python docs/architecture/draw_floors.py"
    )
