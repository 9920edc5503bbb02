"""Forms of the claim pages: register a claim (with children and transport rows), upload
documents, move a claim, choose a report."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.claims.entitlements import ChildInput, ClaimInput, HeirInput, Transport
from jaring.claims.models import ClaimKind, Disability, ReferenceKind, SchoolLevel
from jaring.web.forms import MultipleFileField

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClaimForm(forms.Form):
    member = forms.CharField(
        label=_("Member's NIK or KPJ"),
        max_length=20,
        help_text=_("The membership that covered the event date is used."),
    )
    kind = forms.ChoiceField(label=_("Kind of claim"), choices=ClaimKind.choices)
    event_date = forms.DateField(label=_("Date of the event"), widget=_DATE)
    claimed_on = forms.DateField(
        label=_("Date of the claim"), widget=_DATE, required=False, help_text=_("Default: today")
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    claimant_name = forms.CharField(label=_("Claimant (heir)"), max_length=150, required=False)
    claimant_relation = forms.CharField(
        label=_("Relation to the member"), max_length=60, required=False
    )
    medical_care = forms.BooleanField(
        label=_("Medical care (paid to the health facility as medically needed)"), required=False
    )
    medical_cost = forms.IntegerField(
        label=_("Medical care cost (rupiah)"),
        min_value=0,
        required=False,
        help_text=_("The health facility's bill, when known."),
    )
    months_incapacity = forms.IntegerField(
        label=_("Months unable to work"), min_value=1, max_value=600, required=False
    )
    disability = forms.ChoiceField(
        label=_("Disability"), choices=Disability.choices, required=False
    )
    disability_percent = forms.CharField(
        label=_("Disability % (official table)"), max_length=10, required=False
    )
    body_part = forms.CharField(
        label=_("Body part (code in the loaded disability table)"),
        max_length=40,
        required=False,
        help_text=_("Instead of the disability %, when the official table is loaded."),
    )
    function_lost_percent = forms.CharField(
        label=_("Function lost %"), max_length=10, required=False
    )
    home_care_cost = forms.IntegerField(
        label=_("Home care cost (rupiah)"), min_value=0, required=False
    )
    prior_months = forms.IntegerField(
        label=_("Months contributed before Jaring"),
        min_value=0,
        max_value=1200,
        initial=0,
        required=False,
        help_text=_("From BPJS records; needed for a JKM scholarship (3 years)."),
    )
    documents = MultipleFileField(label=_("Documents (PDF, JPEG or PNG)"), required=False)

    def claim_input(
        self,
        children: list[ChildInput],
        transport: list[Transport],
        heirs: list[HeirInput] = (),  # type: ignore[assignment]
    ) -> ClaimInput:
        d = self.cleaned_data
        return ClaimInput(
            kind=d["kind"],
            event_date=d["event_date"],
            claimed_on=d["claimed_on"] or timezone.localdate(),
            description=d["description"],
            claimant_name=d["claimant_name"],
            claimant_relation=d["claimant_relation"],
            medical_care=d["medical_care"],
            medical_cost=d["medical_cost"],
            months_incapacity=d["months_incapacity"],
            disability=d["disability"] or "",
            disability_percent=d["disability_percent"],
            body_part=d["body_part"],
            function_lost_percent=d["function_lost_percent"],
            home_care_cost=d["home_care_cost"],
            transport=tuple(transport),
            children=tuple(children),
            prior_months=d["prior_months"] or 0,
            heirs=tuple(heirs),
        )


class CorrectionForm(ClaimForm):
    """The claim form without the member (a correction keeps the membership), with a reason
    and the documents to remove."""

    reason = forms.CharField(label=_("Reason for the correction"), max_length=2000)
    remove_documents = forms.TypedMultipleChoiceField(
        label=_("Remove documents"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["member"]
        self.fields["claimed_on"].required = True
        self.fields["remove_documents"].choices = [
            (d.pk, d.original_name) for d in claim.documents.all()
        ]

    @classmethod
    def initial_of(cls, data: ClaimInput) -> dict:
        return {name: getattr(data, name) for name in cls.base_fields if hasattr(data, name)}


class ChildForm(forms.Form):
    name = forms.CharField(label=_("Child's name"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=_DATE, required=False)
    level = forms.ChoiceField(label=_("School level"), choices=SchoolLevel.choices, required=False)
    grade = forms.IntegerField(label=_("Year in the level"), min_value=1, initial=1, required=False)
    married = forms.BooleanField(label=_("Married"), required=False)
    working = forms.BooleanField(label=_("Working"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("birth_date"):
            self.add_error("birth_date", _("Give the child's birth date."))
        return data

    def child(self) -> ChildInput | None:
        d = self.cleaned_data
        if not d.get("name"):
            return None
        return ChildInput(
            name=d["name"],
            birth_date=d["birth_date"],
            level=d["level"] or "",
            grade=d["grade"] or 1,
            married=d["married"],
            working=d["working"],
        )


class TransportForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Transport to care"),
        choices=[
            ("", "—"),
            ("land", _("Land, river or lake")),
            ("sea", _("Sea")),
            ("air", _("Air")),
        ],
        required=False,
    )
    cost = forms.IntegerField(label=_("Cost (rupiah)"), min_value=0, required=False)

    def transport(self) -> Transport | None:
        d = self.cleaned_data
        if not d.get("mode"):
            return None
        return Transport(d["mode"], d.get("cost") or 0)


class HeirForm(forms.Form):
    name = forms.CharField(label=_("Heir's name"), max_length=150, required=False)
    relation = forms.CharField(label=_("Relation to the member"), max_length=60, required=False)
    share = forms.DecimalField(
        label=_("Share (%)"), max_digits=5, decimal_places=2, required=False, min_value=0
    )

    def heir(self) -> HeirInput | None:
        d = self.cleaned_data
        if not d.get("name") and d.get("share") is None:
            return None
        return HeirInput(d.get("name") or "", d.get("relation") or "", d.get("share") or 0)


ChildFormSet = forms.formset_factory(ChildForm, extra=3, max_num=10)
HeirFormSet = forms.formset_factory(HeirForm, extra=3, max_num=20)
TransportFormSet = forms.formset_factory(TransportForm, extra=2, max_num=5)


class DocumentForm(forms.Form):
    documents = MultipleFileField(label=_("Documents (PDF, JPEG or PNG)"))


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    paid_on = forms.DateField(label=_("Payment date"), widget=_DATE, required=False)
    reference_kind = forms.ChoiceField(
        label=_("Reference kind"),
        choices=ReferenceKind.choices,
        initial=ReferenceKind.TRANSFER,
        required=False,
    )
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        required=False,
        help_text=_("The SP2D or transfer number"),
    )
    amount = forms.IntegerField(
        label=_("Amount (rupiah)"),
        min_value=0,
        required=False,
        help_text=_("Default: all the lump sums still due"),
    )


class YearClaimForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Child"), coerce=int)
    school_year = forms.CharField(
        label=_("School year"), max_length=9, help_text=_("For example 2024/2025")
    )
    level = forms.ChoiceField(
        label=_("School level this year"),
        choices=[("", _("As scheduled")), *SchoolLevel.choices[1:]],
        required=False,
    )
    proof = forms.CharField(
        label=_("Proof of enrolment"),
        max_length=300,
        help_text=_("The school's letter that the child is in school: its number and date"),
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(c.pk, c.name) for c in claim.children.all()]


class YearPayForm(forms.Form):
    paid_on = forms.DateField(label=_("Payment date"), widget=_DATE, required=False)
    reference_kind = forms.ChoiceField(
        label=_("Reference kind"), choices=ReferenceKind.choices, initial=ReferenceKind.TRANSFER
    )
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)


class StopForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Child"), coerce=int)
    school_year = forms.CharField(
        label=_("From school year"), max_length=9, help_text=_("For example 2025/2026")
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("Left school, married or works")
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(c.pk, c.name) for c in claim.children.all()]


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("All programmes")
    )
    region = forms.CharField(
        label=_("Region code"),
        max_length=13,
        required=False,
        help_text=_("A province, city, district or village, e.g. 61.72"),
    )
    as_of = forms.DateField(label=_("Arrears as of"), widget=_DATE, required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
