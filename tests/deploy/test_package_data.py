"""What `pip install .` puts in site-packages (the image's build stage installs the project so):
setuptools' own build step, run here into a temporary folder, must carry every file the apps read
at run time besides their Python modules, the labels' fonts and their licence among them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("website", "growers", "products", "traceability", "orders", "demo")


def data_files(folder: Path) -> set[str]:
    return {
        str(path.relative_to(folder))
        for app in APPS
        for path in (folder / app).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


def test_installing_the_project_carries_the_label_fonts_and_every_data_file(tmp_path):
    build = subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "egg_info",
            "--egg-base",
            str(tmp_path),
            "build_py",
            "--build-lib",
            str(tmp_path / "lib"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr

    installed = data_files(tmp_path / "lib")
    assert {
        "traceability/fonts/DejaVuSans.ttf",
        "traceability/fonts/DejaVuSans-Bold.ttf",
        "traceability/fonts/LICENSE",
    } <= installed
    assert data_files(ROOT) - installed == set()
