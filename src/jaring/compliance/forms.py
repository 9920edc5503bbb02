"""Forms of the compliance pages: a case step, closing, a list upload, the yearly report, and
the public report of an employer."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.accounts.scope import scope_code
from jaring.compliance.models import CloseReason, EmployerList, SourceKind, Step
from jaring.regions.models import Level, Region
from jaring.web.forms import MultipleFileField

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"))
    taken_on = forms.DateField(label=_("Date of the letter or visit"), widget=_DATE)
    officer_name = forms.CharField(label=_("Officer's name (on the letter)"), max_length=150)
    notes = forms.CharField(
        label=_("Findings and agreed steps"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence = forms.CharField(
        label=_("Evidence (delivery receipt, photos, minutes)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    follow_up = forms.DateField(label=_("Follow-up date (coaching)"), widget=_DATE, required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Step.choices)
        self.fields["step"].choices = [(s, labels[s]) for s in steps]
        self.fields["taken_on"].initial = timezone.localdate()


class EvidenceForm(forms.Form):
    """Files proving a step already taken."""

    step = forms.TypedChoiceField(label=_("Step"), coerce=int)
    files = MultipleFileField(label=_("Evidence files (PDF, JPEG or PNG)"))

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [
            (s.pk, f"{s.taken_on:%d-%m-%Y} · {s.get_step_display()}") for s in steps
        ]


class OpenForm(forms.Form):
    """Opening a case: today, or the day a case begun on paper was opened."""

    opened_on = forms.DateField(
        label=_("Opened on"), widget=_DATE, initial=timezone.localdate, required=False
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the case closes"), choices=CloseReason.choices)
    on = forms.DateField(label=_("Date"), widget=_DATE, initial=timezone.localdate)
    workers_added = forms.IntegerField(label=_("Workers brought in"), min_value=0, initial=0)
    wages_added = forms.IntegerField(
        label=_("Monthly wages brought in (Rp)"), min_value=0, initial=0
    )


def _cities(user) -> list[tuple[str, str]]:
    """The user's city; for a national user every city (Kemendagri: city codes start at 71)."""
    code = scope_code(user)
    regions = Region.objects.filter(level=Level.REGENCY).order_by("code")
    if code:
        regions = regions.filter(code=code[:5])
    elif code == "":
        return []
    return [(r.code, f"{r.name} ({r.code})") for r in regions if int(r.code[3:5]) >= 71]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"), choices=SourceKind.choices[:4])
    region = forms.ChoiceField(label=_("City"))
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _cities(user)


class ReportForm(forms.Form):
    region = forms.ChoiceField(label=_("City"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _cities(user)
        self.fields["year"].initial = timezone.localdate().year


class PublicReportForm(forms.Form):
    employer_name = forms.CharField(label=_("Name of the workplace"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    village_code = forms.ChoiceField(label=_("Kelurahan"))
    workers = forms.IntegerField(
        label=_("How many people work there (about)"), min_value=1, required=False
    )
    note = forms.CharField(
        label=_("What happened (optional; no names needed)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = EmployerList.objects.values("regency_code").distinct()
        villages = Region.objects.filter(
            level=Level.VILLAGE, parent__parent_id__in=cities
        ).select_related("parent__parent")
        self.fields["village_code"].choices = [("", "—")] + [
            (v.code, f"{v.name}, {v.parent.parent.name}") for v in villages.order_by("code")
        ]
