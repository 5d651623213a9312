"""`python manage.py import_growing_areas FILE [--dry-run] [--valid-only] [--user USERNAME]`

Imports growing-area codes from a CSV or XLSX spreadsheet (see growers/importer/columns.py for the
accepted headings). Prints one line per row and a summary. Nothing is written when any row is
invalid, unless --valid-only; --dry-run never writes. A boundary given as a file name
(e.g. "vung-17.kml") is read from the spreadsheet's own folder."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from growers.importer import BOUNDARY_FILE_SUFFIXES, ImportFileError, ImportReport, import_growing_areas


class Command(BaseCommand):
    help = gettext_lazy("Import growing-area codes from a CSV or XLSX spreadsheet.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("the .csv or .xlsx file"))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("check and report; write nothing")
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help=gettext_lazy("import the valid rows even if other rows are invalid"),
        )
        parser.add_argument("--user", help=gettext_lazy("the username recorded in each code's history"))

    def handle(self, *args, file, dry_run, valid_only, user, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror or error}
            ) from error
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(_("No user called “%(user)s”.") % {"user": user}) from error

        def boundary_file(name: str) -> bytes | None:
            # Only a plain file name beside the spreadsheet: the cell must not reach elsewhere.
            candidate = path.parent / name
            if Path(name).name != name or not name.lower().endswith(BOUNDARY_FILE_SUFFIXES):
                return None
            return candidate.read_bytes() if candidate.is_file() else None

        try:
            report = import_growing_areas(
                name=path.name,
                content=content,
                user=actor,
                dry_run=dry_run,
                valid_only=valid_only,
                boundary_files=boundary_file,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error

        self.print_report(report)
        if report.written:
            written = len(report.changing_rows)
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Written: %(count)d code created or updated.",
                        "Written: %(count)d codes created or updated.",
                        written,
                    )
                    % {"count": written}
                )
            )
            if report.invalid_rows:
                skipped = ", ".join(str(row.row_number) for row in report.invalid_rows)
                self.stdout.write(
                    self.style.WARNING(_("Skipped the invalid rows: %(rows)s.") % {"rows": skipped})
                )
        elif dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            invalid = len(report.invalid_rows)
            raise CommandError(
                ngettext(
                    "%(count)d row is invalid, so nothing was written. Correct it, "
                    "or import only the valid rows with --valid-only.",
                    "%(count)d rows are invalid, so nothing was written. Correct them, "
                    "or import only the valid rows with --valid-only.",
                    invalid,
                )
                % {"count": invalid}
            )

    def print_report(self, report: ImportReport) -> None:
        no_code = _("(no code)")
        width = max((len(row.code or no_code) for row in report.rows), default=4)
        for row in report.rows:
            # Columns padded for the eye; the words come from the catalogue.
            line = _("Row %(number)s  %(code)s  %(action)s") % {
                "number": f"{row.row_number:>4}",
                "code": f"{row.code or no_code:<{width}}",
                "action": row.action_label,
            }
            if row.changes:
                line += " (" + ", ".join(row.changes) + ")"
            self.stdout.write(self.style.ERROR(line) if row.errors else line)
            for note in row.notes:
                self.stdout.write(f"          {note}")
            for error in row.errors:
                self.stdout.write(self.style.ERROR(f"          ✗ {error}"))
        if report.ignored_columns:
            self.stdout.write(
                _("Columns not used: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        self.stdout.write(report.summary())
