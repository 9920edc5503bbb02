"""The mandate form: the bank, the account number (only its last 4 digits are kept), the
bank's mandate number, the debit day, and the member's signed consent (date and document)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.autodebit.profiles import profiles


class MandateForm(forms.Form):
    bank = forms.ChoiceField(label=_("Bank"))
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=40,
        help_text=_("Only the last 4 digits are kept (••••1234)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    bank_mandate_ref = forms.CharField(label=_("The bank's mandate number"), max_length=60)
    debit_day = forms.IntegerField(
        label=_("Debit day of the month"),
        min_value=1,
        max_value=28,
        initial=10,
        help_text=_("1–28: the bank debits every month's contribution on this day."),
    )
    consent_date = forms.DateField(
        label=_("Consent signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_document = forms.FileField(
        label=_("Signed consent form"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [(p.code, p.name) for p in profiles().values()]
        self.fields["consent_date"].widget.attrs["max"] = timezone.localdate().isoformat()
