"""Dates typed day first, as the admin shows them (WAGTAIL_DATE_FORMAT), are read day first in
every language: 01/03/2026 is 1 March, and 26/11/2026 is a date."""

import datetime

import pytest

from django import forms
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField()


@pytest.mark.parametrize("language", ["vi", "en", "hmn"])
def test_dates_are_read_day_first_in_every_language(language):
    with translation.override(language):
        form = DateForm({"day": "01/03/2026", "moment": "26/11/2026 14:30"})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 3, 1)
    assert form.cleaned_data["moment"].replace(tzinfo=None) == datetime.datetime(2026, 11, 26, 14, 30)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_iso_dates_are_still_understood(language):
    with translation.override(language):
        form = DateForm({"day": "2026-03-01", "moment": "2026-03-01 08:00"})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 3, 1)
