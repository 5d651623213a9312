"""Importing a file: the dry run that only reports, and the import that writes every row (or
only the valid ones) in one transaction, logged in Wagtail's history."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from .columns import find_layout
from .reading import BoundaryFiles, ImportFileError, read_table
from .rows import CREATE, UPDATE, ImportReport, PreparedRow, RowChecker


def check_file(*, name: str, content: bytes, boundary_files: BoundaryFiles = None) -> ImportReport:
    """The dry run: what importing the file would do, row by row; nothing is written.

    Raises ImportFileError when the file as a whole cannot be read."""
    return _check(name=name, content=content, boundary_files=boundary_files, lock=False)[0]


def _check(*, name, content, boundary_files, lock) -> tuple[ImportReport, list[PreparedRow]]:
    table = read_table(name, content)
    layout = find_layout(table)
    results, prepared = RowChecker(table, layout, boundary_files=boundary_files, lock=lock).check()
    return ImportReport(file_name=name, rows=results, ignored_columns=layout.ignored), prepared


def import_growing_areas(
    *,
    name: str,
    content: bytes,
    user=None,
    valid_only: bool = False,
    dry_run: bool = False,
    boundary_files: BoundaryFiles = None,
) -> ImportReport:
    """Check the file and, unless ``dry_run``, write it: every row, or nothing when any row is
    invalid, unless ``valid_only`` asks for the valid rows alone. One transaction; each code
    created or changed is logged in Wagtail's history under ``user``.

    Raises ImportFileError when the file as a whole cannot be read."""
    if dry_run:
        return check_file(name=name, content=content, boundary_files=boundary_files)
    try:
        with transaction.atomic():
            report, prepared = _check(name=name, content=content, boundary_files=boundary_files, lock=True)
            if not report.all_valid and not valid_only:
                return report
            for item in prepared:
                _write(item, user=user, file_name=name)
            report.written = True
    except IntegrityError as error:
        raise ImportFileError(
            _(
                "The register changed while the file was imported (another officer saving the same code?). "
                "Nothing was written; import the file again."
            )
        ) from error
    return report


def _write(item: PreparedRow, *, user, file_name: str) -> None:
    area, action = item.area, item.result.action
    if action == CREATE:
        area.save()
        log(
            instance=area,
            action="wagtail.create",
            user=user,
            content_changed=True,
            data={"import": file_name},
        )
    elif action == UPDATE:
        # Only the imported fields: a status changed meanwhile by another officer stays.
        area.save(update_fields=item.update_fields)
        log(
            instance=area,
            action="wagtail.edit",
            user=user,
            content_changed=True,
            data={"import": file_name, "changed": item.result.changes},
        )
