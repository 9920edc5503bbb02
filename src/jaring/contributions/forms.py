"""Forms of the billing pages: run a month, record a payment, add a rate-table version."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.contributions.models import Bill, BillStatus
from jaring.core import formats
from jaring.rules.tables import month_text, parse_month


class MonthField(forms.Field):
    widget = forms.TextInput(attrs={"placeholder": "YYYY-MM", "maxlength": 7})

    def to_python(self, value):
        if not value or not str(value).strip():
            return None
        month = parse_month(str(value))
        if month is None:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2026-05."))
        return month


class RunForm(forms.Form):
    month = MonthField(label=_("Contribution month (YYYY-MM)"))
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("All programmes")
    )

    def __init__(self, *args, programmes, **kwargs):
        kwargs.setdefault("initial", {"month": month_text(timezone.localdate())})
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class PaymentForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    paid_on = forms.DateField(
        label=_("Payment date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.IntegerField(label=_("Amount (rupiah)"), min_value=1)
    reference = forms.CharField(label=_("Reference (SP2D number)"), max_length=100)
    bills = forms.ModelMultipleChoiceField(
        label=_("Bills"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to pay the programme's open bills, oldest first."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    excess_to_credit = forms.BooleanField(
        label=_("Record an amount above the open bills as credit for the next bills"),
        required=False,
    )

    def __init__(self, *args, programmes, bills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["bills"].queryset = bills.exclude(status=BillStatus.PAID).order_by(
            "programme_id", "month"
        )
        self.fields["bills"].label_from_instance = _bill_label


def _bill_label(bill: Bill) -> str:
    return f"{bill.programme} · {month_text(bill.month)} · {formats.rupiah(bill.open_amount)}"


class RateFileForm(forms.Form):
    file = forms.FileField(
        label=_("Rate-table file (.toml or .json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".toml,.json"}),
    )
    close_previous = forms.BooleanField(
        label=_("Close the previous version (it ends the day before the new one starts)"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    dry_run = forms.BooleanField(label=_("Check only, do not add"), required=False)
