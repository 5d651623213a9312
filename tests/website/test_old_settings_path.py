"""The settings moved from website.settings to config.settings in 0.2. A deployment whose
environment still names the old module keeps starting for one release, and says what to change."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["dev", "test"])
def test_the_old_settings_path_still_starts_and_says_the_new_one(name):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["DJANGO_SETTINGS_MODULE"] = f"website.settings.{name}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"website.settings.{name} has moved to config.settings.{name}" in result.stderr
