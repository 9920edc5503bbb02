"""The registry's forms only convert what the browser sends; its services decide what is
valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jaring.accounts.models import User
from jaring.core.errors import DomainError
from jaring.registry.models import DisabilityKind, MaritalStatus, OccupationCategory, Sex
from jaring.registry.selectors import WorkerFilter
from jaring.registry.validation import WorkerInput
from jaring.web.feedback import problems_on_form
from jaring.web.forms import RegionForm, RegionInputForm

DISABILITY_CHOICES = [("", _("All")), ("yes", _("With disability")), ("no", _("Without"))]


class WorkerFilterForm(RegionForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("NIK or name"), "autocomplete": "off"}
        ),
    )
    category = forms.ChoiceField(label=_("Occupation"), required=False)
    disability = forms.ChoiceField(
        label=_("Disability"), required=False, choices=DISABILITY_CHOICES
    )

    def __init__(self, data, *, user: User):
        super().__init__(data, user=user)
        self.fields["category"].choices = [("", _("All occupations"))] + [
            (c.code, str(c)) for c in OccupationCategory.objects.all()
        ]

    def worker_filter(self) -> WorkerFilter:
        # A choice outside the lists (another scope, a village of another district) is
        # dropped on its own; the other filters still apply.
        self.is_valid()
        data = self.cleaned_data
        return WorkerFilter(
            q=data.get("q", ""),
            district=data.get("district", ""),
            village=data.get("village", ""),
            category=data.get("category", ""),
            disability=data.get("disability", ""),
        )

    def province(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("province", "")


class ExportReasonForm(forms.Form):
    """Why a large list of whole NIKs is taken out of Jaring (kept with its read event)."""

    reason = forms.CharField(
        label=_("Reason for the export"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the read audit with your name, the time and the number of people."),
    )


# A browser's date input speaks ISO dates whatever the page language.
_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
# The length limit is a hint for the browser; the services give the message.
_RT_RW_ATTRS = {"maxlength": 3, "inputmode": "numeric", "size": 4}


class WorkerForm(RegionInputForm):
    """Every field is optional here: required-ness and all other rules live in the services.

    Region and category are plain text behind a select, so that a bad or out-of-scope value
    gets the service's own message alongside every other problem.
    """

    # Set when the NIK is already registered, so the page can link to that worker.
    existing_worker_url = ""

    nik = forms.CharField(
        label="NIK", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=_DATE)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    rt = forms.CharField(label="RT", required=False, widget=forms.TextInput(_RT_RW_ATTRS))
    rw = forms.CharField(label="RW", required=False, widget=forms.TextInput(_RT_RW_ATTRS))
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    category = forms.CharField(label=_("Occupation"), required=False, widget=forms.Select)
    has_disability = forms.BooleanField(label=_("Has a disability"), required=False)
    disability_kind = forms.ChoiceField(
        label=_("Kind of disability"), required=False, choices=[("", "—"), *DisabilityKind.choices]
    )
    declared_income = forms.IntegerField(
        label=_("Declared monthly income (Rp)"), required=False, min_value=0
    )
    consent_date = forms.DateField(label=_("Consent date"), required=False, widget=_DATE)
    place_of_birth = forms.CharField(label=_("Place of birth"), required=False, max_length=100)
    mother_maiden_name = forms.CharField(
        label=_("Mother's maiden name"),
        required=False,
        max_length=150,
        help_text=_("BPJS asks for it to confirm the person; shown masked to viewers."),
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"), required=False, choices=[("", "—"), *MaritalStatus.choices]
    )
    email = forms.CharField(
        label=_("Email"), required=False, max_length=254, widget=forms.EmailInput
    )
    nik_override_reason = forms.CharField(
        label=_("Reason for accepting a birth date or sex that disagrees with the NIK"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, user: User, initial=None):
        super().__init__(data, user=user, initial=initial)
        self._offer(
            "category", [("", "—")] + [(c.code, str(c)) for c in OccupationCategory.objects.all()]
        )

    def worker_input(self) -> WorkerInput:
        d = self.cleaned_data
        return WorkerInput(
            nik=d["nik"],
            full_name=d["full_name"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            village_code=d["village"],
            category_code=d["category"],
            rt=d["rt"],
            rw=d["rw"],
            address=d["address"],
            phone=d["phone"],
            has_disability=d["has_disability"],
            disability_kind=d["disability_kind"],
            declared_income=d["declared_income"],
            consent_date=d["consent_date"],
            nik_override_reason=d["nik_override_reason"],
            place_of_birth=d["place_of_birth"],
            mother_maiden_name=d["mother_maiden_name"],
            marital_status=d["marital_status"],
            email=d["email"],
        )

    def add_problems(self, exc: DomainError) -> None:
        """Puts each domain problem on its field, and keeps the link to the worker a NIK is
        already registered to."""
        problems_on_form(self, exc)
        for p in exc.problems:
            if p.params.get("worker_url"):
                self.existing_worker_url = p.params["worker_url"]


class EditWorkerForm(WorkerForm):
    reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def initial_from(worker) -> dict[str, object]:
    return {
        "nik": worker.nik,
        "full_name": worker.full_name,
        "birth_date": worker.birth_date,
        "sex": worker.sex,
        "district": worker.district_code,
        "village": worker.village_id,
        "rt": worker.rt,
        "rw": worker.rw,
        "address": worker.address,
        "phone": worker.phone,
        "category": worker.category_id,
        "has_disability": worker.has_disability,
        "disability_kind": worker.disability_kind,
        "declared_income": worker.declared_income,
        "consent_date": worker.consent_date,
        "nik_override_reason": worker.nik_override_reason,
        "place_of_birth": worker.place_of_birth,
        "mother_maiden_name": worker.mother_maiden_name,
        "marital_status": worker.marital_status,
        "email": worker.email,
    }
