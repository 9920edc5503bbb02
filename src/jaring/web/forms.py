"""The shared forms: the login, the province → district → village pickers that area forms
build on, and the field for uploaded documents (PDF, JPEG, PNG)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jaring.accounts.models import User
from jaring.core.uploads import KINDS
from jaring.regions.models import Level
from jaring.web import region_choices

_ACCEPT = ",".join(f".{ext}" for _, _, ext in KINDS) + ",.jpeg"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several documents in one field; their content is checked by the service (core.uploads)."""

    widget = MultipleFileInput(attrs={"accept": _ACCEPT})

    def clean(self, data, initial=None):
        # The content checks are the service's: here only collect what was sent.
        if isinstance(data, list | tuple):
            return [d for d in data if d]
        return [data] if data else []


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's own wording repeats "nama pengguna" in Indonesian.
        "invalid_login": _("Wrong username or password. Capital and small letters count."),
    }


# The empty choice of each region select, as a filter ("all") or as a form field ("choose").
EMPTY_LABELS = {
    "filter": {
        "province": _("All provinces"),
        "district": _("All districts"),
        "village": _("All villages"),
    },
    "form": {
        "province": _("Choose a province"),
        "district": _("Choose a district"),
        "village": _("Choose a village"),
    },
}


def region_options(regions, empty_label) -> list:
    """Choices for a region select; districts of several cities are grouped by city."""
    found = list(regions)
    parents = {r.parent_id for r in found}
    if len(parents) <= 1 or found[0].level != Level.DISTRICT:
        return [("", empty_label)] + [(r.code, _label(r)) for r in found]
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in found:
        groups.setdefault(r.parent.name, []).append((r.code, r.name))
    return [("", empty_label), *groups.items()]


def _label(region) -> str:
    if region.retired_on is None:
        return region.name
    return _("%(name)s (no longer in the list)") % {"name": region.name}


def village_options(user: User, district: str, purpose: str, current: str = "") -> list:
    """A form offers no village a newer list retired (but the one a record already has); a
    filter offers them all, the retired ones marked."""
    if not district:
        return [("", _("Choose a district first"))]
    found = region_choices.villages(user, district)
    if purpose == "form":
        found = [v for v in found if v.retired_on is None or v.code == current]
    return region_options(found, EMPTY_LABELS[purpose]["village"])


class RegionForm(forms.Form):
    """Province (national users only) → district → village, limited to the user's scope, as a
    filter: "all …" is the empty choice, and a choice outside the lists is dropped."""

    purpose = "filter"
    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    village = forms.ChoiceField(label=_("Village"), required=False)

    def __init__(self, data=None, *, user: User, initial=None):
        super().__init__(data, initial=initial)
        self._set_region_choices(user)

    def _offer(self, name: str, choices: list) -> None:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices
        else:
            field.widget.choices = choices

    def _set_region_choices(self, user: User) -> None:
        data = self.data if self.is_bound else self.initial
        labels = EMPTY_LABELS[self.purpose]
        if region_choices.needs_province(user):
            self._offer("province", region_options(region_choices.provinces(), labels["province"]))
        else:
            del self.fields["province"]
        self._offer(
            "district",
            region_options(
                region_choices.districts(user, data.get("province", "")), labels["district"]
            ),
        )
        self._offer(
            "village",
            village_options(
                user, data.get("district", ""), self.purpose, current=data.get("village", "")
            ),
        )
        # htmx reloads the select below the one that changed; without JS the form still submits.
        for field, below, target in (
            ("province", "district", "#id_district"),
            ("district", "village", "#id_village"),
        ):
            if field in self.fields:
                self.fields[field].widget.attrs.update(
                    {
                        "hx-get": reverse("region-select", args=[below]) + f"?for={self.purpose}",
                        "hx-target": target,
                        "hx-swap": "outerHTML",
                        "hx-include": "#id_province, #id_district",
                    }
                )


class RegionInputForm(RegionForm):
    """The same selects in a form that records a place: the empty choice asks for one, and the
    values are plain text behind the selects, so that a bad or out-of-scope value reaches the
    area's service and gets its message alongside every other problem."""

    purpose = "form"
    province = forms.CharField(label=_("Province"), required=False, widget=forms.Select)
    district = forms.CharField(label=_("District"), required=False, widget=forms.Select)
    village = forms.CharField(label=_("Village"), required=False, widget=forms.Select)
