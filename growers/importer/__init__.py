"""Bulk import of growing-area codes from the spreadsheets officers keep (CSV or XLSX).

The file is read into rows, each row is checked by the model's own rules (``full_clean``, the
same as in the admin) plus the importer's (a code given twice in the file, cells that cannot
be read), and the result is an :class:`ImportReport` with one line per row, numbered as the
officer sees it in the spreadsheet. Writing is all or nothing unless the caller asks for the
valid rows only. A code already registered is matched by its lookup key ("vn dtor 0017"
finds VN-DTOR-0017) and updated, never duplicated; its status is never touched.

One job per module: ``reading`` (the files), ``columns`` (the headings), ``cells`` (one cell
into a value), ``rows`` (a row into a checked, unsaved code) and ``writing`` (the dry run and
the import). The names below are the importer's public ones, importable from here.
"""

from .cells import DATE_FORMATS, CellError, parse_boundary, parse_date, parse_decimal, parse_households
from .columns import (
    COLUMNS,
    COLUMNS_BY_FIELD,
    HEADING_TO_FIELD,
    MODEL_FIELDS,
    TEXT_FIELDS,
    Column,
    Layout,
    csv_template,
    describe_columns,
    find_layout,
    fold,
    template_headings,
)
from .reading import (
    BOUNDARY_FILE_SUFFIXES,
    HEADING_SEARCH_ROWS,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    BoundaryFiles,
    ImportFileError,
    Table,
    read_table,
)
from .rows import CREATE, UNCHANGED, UPDATE, ImportReport, RowResult
from .writing import check_file, import_growing_areas

__all__ = [
    "BOUNDARY_FILE_SUFFIXES",
    "COLUMNS",
    "COLUMNS_BY_FIELD",
    "CREATE",
    "DATE_FORMATS",
    "HEADING_SEARCH_ROWS",
    "HEADING_TO_FIELD",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "MODEL_FIELDS",
    "TEXT_FIELDS",
    "UNCHANGED",
    "UPDATE",
    "BoundaryFiles",
    "CellError",
    "Column",
    "ImportFileError",
    "ImportReport",
    "Layout",
    "RowResult",
    "Table",
    "check_file",
    "csv_template",
    "describe_columns",
    "find_layout",
    "fold",
    "import_growing_areas",
    "parse_boundary",
    "parse_date",
    "parse_decimal",
    "parse_households",
    "read_table",
    "template_headings",
]
