"""website/spreadsheets.py: the one rule both admin exports (orders, growing areas) apply."""

import datetime
from decimal import Decimal

import pytest

from website.spreadsheets import neutralise_formula


@pytest.mark.parametrize(
    "typed", ['=HYPERLINK("http://x","y")', "+84 912 345 678", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
)
def test_text_a_spreadsheet_would_run_is_written_as_text(typed):
    assert neutralise_formula(typed) == "'" + typed


@pytest.mark.parametrize(
    "value", ["Thảo quả", "VN-DTOR-0017", "", "a=b", -5, Decimal("-1.50"), None, datetime.date(2026, 1, 2)]
)
def test_other_values_are_unchanged(value):
    assert neutralise_formula(value) == value
