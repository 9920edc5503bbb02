"""Forms of the hand-over and self-payment pages (the public one included)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jaring.continuity.models import Channel, Choice
from jaring.rules.nik import normalise


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(label=_("Choice"), choices=Choice.choices, widget=forms.RadioSelect)
    income = forms.IntegerField(
        label=_("Monthly income (rupiah)"),
        required=False,
        min_value=1,
        help_text=_("For self-payment: the income base and the contribution follow from it."),
    )
    channel = forms.ChoiceField(
        label=_("How the member will pay"),
        choices=[("", "—"), *Channel.choices],
        required=False,
    )
    jht = forms.BooleanField(label=_("Also JHT (old-age savings)"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicChoiceForm(ChoiceForm):
    nik = forms.CharField(label=_("NIK"), max_length=24)
    birth_date = forms.DateField(
        label=_("Birth date"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    field_order = ["nik", "birth_date", "choice", "income", "channel", "jht"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]

    def clean_nik(self) -> str:
        nik = normalise(self.cleaned_data["nik"])
        if not (len(nik) == 16 and nik.isdigit()):
            raise ValidationError(_("A NIK has 16 digits."))
        return nik


class PaymentForm(forms.Form):
    months = forms.IntegerField(label=_("Months paid"), min_value=1, initial=1)
    amount = forms.IntegerField(label=_("Amount (rupiah)"), min_value=1)
    channel = forms.ChoiceField(label=_("Payment channel"), choices=Channel.choices)
    reference = forms.CharField(label=_("Reference (receipt or bank)"), max_length=100)
    paid_on = forms.DateField(
        label=_("Payment date"), widget=forms.DateInput(attrs={"type": "date"})
    )
