"""Forms of the order desk in the Wagtail admin (orders/viewsets/)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StatusChangeForm(forms.Form):
    """One of the transitions ORDER_TRANSITIONS allows, chosen by the button pressed."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the order's timeline, e.g. the parcel's tracking number."),
    )


class TransferReceivedForm(forms.Form):
    """The cooperative has seen the transfer on its bank account."""

    bank_reference = forms.CharField(
        label=_("Bank transaction reference"),
        max_length=100,
        help_text=_("As shown in the bank app or on the statement, e.g. FT24123456789."),
    )
    amount = forms.IntegerField(
        label=_("Amount received (VND)"),
        min_value=1,
        help_text=_("Must be exactly the order total."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the order's timeline beside the bank reference."),
    )

    def clean_bank_reference(self):
        reference = " ".join(self.cleaned_data["bank_reference"].split())
        if not reference:
            raise forms.ValidationError(_("Enter the bank's transaction reference."))
        return reference
