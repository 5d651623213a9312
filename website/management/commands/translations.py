"""Keep the message catalogues of every app up to date: `python manage.py translations`
(or `make messages`).

For each app (or those named with --app) it extracts the strings with Django's makemessages
into <app>/locale/{vi,en,hmn}/LC_MESSAGES/django.po, fills the English catalogue (our msgids
are English), writes the Vietnamese translation beside each Hmong entry as a translator's note
(a Hmong translator in Vietnam reads Vietnamese), and compiles the .mo files, which are
committed so that a deployment needs no gettext tools. Needs GNU gettext (Debian: gettext) and
polib, a development dependency: a deployment ships the command, not the tools it needs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def project_apps() -> list[str]:
    """The project's own apps that have message catalogues (a `locale/` folder), in
    INSTALLED_APPS order: each app brings its own, and this command names none of them."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base and (Path(config.path) / "locale").is_dir()
    ]


APPS = project_apps()
VI_NOTE = "vi: "
# Vietnamese and Hmong mark no grammatical plural; English does.
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);"}
DEFAULT_PLURAL_FORMS = "nplurals=1; plural=0;"

if TYPE_CHECKING:
    import polib


def catalogue(app_dir: Path, language: str) -> Path:
    return app_dir / "locale" / language / "LC_MESSAGES" / "django.po"


def fill_english(po: polib.POFile) -> None:
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")


def annotate_from_vietnamese(po: polib.POFile, vi: polib.POFile) -> None:
    for entry in po:
        source = vi.find(entry.msgid, msgctxt=entry.msgctxt) if entry.msgctxt else vi.find(entry.msgid)
        if source is None:
            continue
        text = source.msgstr or (source.msgstr_plural.get(0, "") if source.msgstr_plural else "")
        lines = [line for line in entry.tcomment.splitlines() if not line.startswith(VI_NOTE)]
        if text:
            lines.append(VI_NOTE + text.replace("\n", " "))
        entry.tcomment = "\n".join(lines)


class Command(BaseCommand):
    help = "Extract, fill and compile the message catalogues (vi, en, hmn and any in LANGUAGES)."

    def add_arguments(self, parser):
        parser.add_argument("--app", action="append", choices=APPS, help="Only this app (repeatable).")

    def handle(self, *args, app=None, **options):
        try:
            import polib
        except ImportError:
            raise CommandError(
                "polib is missing: it comes with the development dependencies "
                "(pip install --require-hashes -r requirements/dev.txt, or make install)."
            ) from None
        languages = [code for code, _name in settings.LANGUAGES]
        for name in app or APPS:
            app_dir = Path(settings.BASE_DIR) / name
            (app_dir / "locale").mkdir(exist_ok=True)
            command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "makemessages"]
            command += [f"--locale={code}" for code in languages]
            command += ["--add-location=file", "--no-obsolete", "--ignore=migrations/*", "--ignore=locale/*"]
            result = subprocess.run(command, cwd=app_dir, capture_output=True, text=True)
            if result.returncode:
                raise CommandError(f"makemessages failed in {name}:\n{result.stderr}")
            vi = polib.pofile(str(catalogue(app_dir, "vi")))
            for code in languages:
                path = catalogue(app_dir, code)
                po = polib.pofile(str(path), wrapwidth=0)
                po.metadata["Language"] = code
                po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
                po.metadata["Plural-Forms"] = PLURAL_FORMS.get(code, DEFAULT_PLURAL_FORMS)
                po.metadata["Project-Id-Version"] = f"commune-market {name}"
                po.metadata_is_fuzzy = False
                if code == "en":
                    fill_english(po)
                elif code != "vi":
                    annotate_from_vietnamese(po, vi)
                po.save(str(path))
                po.save_as_mofile(str(path.with_suffix(".mo")))
            untranslated = [e.msgid for e in vi if not e.translated() and not e.obsolete]
            self.stdout.write(f"{name}: {len(vi)} strings, {len(untranslated)} not yet in Vietnamese")
