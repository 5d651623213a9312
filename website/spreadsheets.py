"""Spreadsheet exports that cannot run what people typed.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before reading the rest) is taken by Excel, LibreOffice and Google Sheets
for a formula: ``=HYPERLINK("http://…","Bấm vào đây")`` typed as a buyer's name would become a
link in the cooperative's spreadsheet. Such text is written with a leading apostrophe, the
spreadsheet programs' own mark for "this is text" (OWASP's advice for CSV injection)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """`value` as a spreadsheet cell that is never a formula; anything but text is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """For an admin view with Wagtail's SpreadsheetExportMixin (a viewset's index view): every
    text cell of the CSV and XLSX exports goes through neutralise_formula, after Wagtail's own
    preparation of the value (which turns objects such as a page into their text)."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))
