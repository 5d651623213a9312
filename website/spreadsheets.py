"""Spreadsheet exports that cannot run what people typed.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before reading the rest) is taken by Excel, LibreOffice and Google Sheets
for a formula: ``=HYPERLINK("http://…","Bấm vào đây")`` typed as a buyer's name would become a
link in the cooperative's spreadsheet. In CSV, which has no types, such text is written with a
leading apostrophe, the spreadsheet programs' own mark for "this is text" (OWASP's advice for CSV
injection). In XLSX every text is written as it was typed, in a cell whose type is string, which
no spreadsheet program runs (an apostrophe there would show in the cell)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """`value` as a spreadsheet cell that is never a formula; anything but text is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """For an admin view with Wagtail's SpreadsheetExportMixin (a viewset's index view): every
    text cell of the CSV export goes through neutralise_formula, after Wagtail's own preparation
    of the value (which turns objects such as a page into their text); every text cell of the
    XLSX export keeps its text and is typed as a string ("s"), never a formula ("f")."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_XLSX:
            return value
        return neutralise_formula(value)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if isinstance(cell.value, str):
                cell.data_type = "s"
            yield cell
