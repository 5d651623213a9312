"""The message catalogues of every app: present for each language, complete in Vietnamese (the
language of the site, tested against a fresh extraction from the code), English filled, nothing
fuzzy, the compiled .mo files the same as their .po files, and the Hmong catalogue carrying the
Vietnamese beside each entry for its translator."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from django.conf import settings
from django.core.management import CommandError, call_command

from website.management.commands.translations import APPS, VI_NOTE

BASE_DIR = Path(settings.BASE_DIR)
SOURCE_SUFFIXES = (".py", ".html", ".txt")


def catalogue(app: str, language: str) -> Path:
    return BASE_DIR / app / "locale" / language / "LC_MESSAGES" / "django.po"


def entries(po: polib.POFile):
    return [entry for entry in po if not entry.obsolete]


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def msgstrs(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("app", APPS)
def test_catalogue_exists_is_filled_and_has_nothing_fuzzy(app, language):
    path = catalogue(app, language)
    assert path.is_file(), f"{path} missing: run `manage.py translations --app {app}`"
    po = polib.pofile(str(path))

    assert entries(po), f"{path} is empty"
    assert not po.metadata_is_fuzzy, f"{path}: the header is marked fuzzy"
    fuzzy = [entry.msgid for entry in entries(po) if "fuzzy" in entry.flags]
    assert not fuzzy, f"{path}: fuzzy entries (check and remove the flag): {fuzzy}"
    empty = [entry.msgid for entry in entries(po) if not all(msgstrs(entry))]
    assert not empty, f"{path}: untranslated entries: {empty}"
    if language == "en":  # the msgids are English
        assert all(entry.msgstr == entry.msgid for entry in entries(po) if not entry.msgid_plural)


@pytest.mark.parametrize("language", ["vi", "en", "hmn"])
@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogue_matches_its_source(app, language, tmp_path):
    path = catalogue(app, language)
    committed = path.with_suffix(".mo")
    assert committed.is_file(), f"{committed} missing: run `manage.py translations --app {app}`"
    fresh = tmp_path / "django.mo"
    polib.pofile(str(path)).save_as_mofile(str(fresh))

    def messages(mo_path):
        with open(mo_path, "rb") as handle:
            return gettext.GNUTranslations(handle)._catalog

    assert messages(committed) == messages(fresh), f"{committed} is stale: recompile it from {path.name}"


@pytest.mark.parametrize("app", APPS)
def test_hmong_catalogue_notes_the_vietnamese_beside_each_entry(app):
    path = catalogue(app, "hmn")
    assert path.is_file(), f"{path} missing: run `manage.py translations --app {app}`"
    hmong = polib.pofile(str(path))
    vietnamese = {key(entry): entry for entry in entries(polib.pofile(str(catalogue(app, "vi"))))}

    assert hmong.metadata.get("Language") == "hmn"
    assert {key(entry) for entry in entries(hmong)} == set(vietnamese), f"{path} and the vi catalogue differ"
    missing = []
    for entry in entries(hmong):
        text = msgstrs(vietnamese[key(entry)])[0]
        if VI_NOTE + text.replace("\n", " ") not in entry.tcomment.splitlines():
            missing.append(entry.msgid)
    assert not missing, f"{path}: no Vietnamese note (re-run `manage.py translations --app {app}`): {missing}"


def extract(app: str, into: Path) -> polib.POFile:
    """makemessages run on a copy of the app's code as it is now, as `manage.py translations`
    runs it, without touching the committed catalogues."""
    copy = into / app

    def not_source(folder, names):
        # Only what makemessages reads (Python, templates); no catalogues, migrations or media.
        skipped = {"locale", "migrations", "__pycache__"}
        return [
            name
            for name in names
            if name in skipped or (Path(folder, name).is_file() and not name.endswith(SOURCE_SUFFIXES))
        ]

    shutil.copytree(BASE_DIR / app, copy, ignore=not_source)
    (copy / "locale").mkdir()
    # The settings `manage.py translations` runs with (manage.py's default).
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", "--locale=vi", "--no-obsolete"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("app", APPS)
def test_every_string_in_the_code_is_in_the_vietnamese_catalogue(app, tmp_path):
    if shutil.which("xgettext") is None:
        message = "xgettext (GNU gettext) is not installed: the catalogues cannot be checked against the code"
        print(message)
        pytest.skip(message)
    committed = {key(entry) for entry in entries(polib.pofile(str(catalogue(app, "vi"))))}

    in_code = extract(app, tmp_path)

    missing = [entry.msgid for entry in entries(in_code) if key(entry) not in committed]
    assert not missing, (
        f"strings in {app}'s code missing from {catalogue(app, 'vi')} "
        f"(run `manage.py translations --app {app}` and translate them): {missing}"
    )


def test_the_command_says_what_is_missing_where_polib_is_not_installed(monkeypatch):
    # A deployment installs the runtime lock only: polib is a development tool.
    monkeypatch.setitem(sys.modules, "polib", None)  # as if not installed: its import fails

    with pytest.raises(CommandError, match="polib"):
        call_command("translations", app=["orders"])
