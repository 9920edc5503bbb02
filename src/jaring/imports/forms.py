from django import forms
from django.utils.translation import gettext_lazy as _

from jaring.imports.columns import FIELDS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List of workers (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv,.ods"}),
    )
    region = forms.CharField(
        label=_("Region code (optional)"),
        required=False,
        max_length=13,
        help_text=_("Leave empty to import into your whole region."),
    )


class MappingForm(forms.Form):
    """One choice of column per field the import knows."""

    header_row = forms.IntegerField(label=_("Header row"), min_value=1)

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *((h, h) for h in headers)]
        for f in FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f"{f.label}{' *' if f.required else ''}", choices=choices, required=False
            )

    def mapping(self) -> dict[str, str]:
        return {f.name: self.cleaned_data[f.name] for f in FIELDS if self.cleaned_data[f.name]}


REJECT = "__reject__"


class ValuesForm(forms.Form):
    """The review step's answers: one choice per value the check did not recognise."""

    remember = forms.BooleanField(
        label=_("Remember these answers for the city's next imports"), required=False
    )

    def __init__(self, *args, entries: list[dict], targets, may_remember: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        if not may_remember:
            del self.fields["remember"]
        else:
            self.fields["remember"].initial = True
        for i, entry in enumerate(entries):
            field = entry["field"]
            every = targets.choices(field)
            suggested = [(c, every[c].label()) for c in entry["suggestions"] if c in every]
            others = [(c, ch.label()) for c, ch in every.items() if c not in entry["suggestions"]]
            choices = [("", _("— choose —"))]
            if suggested:
                choices.append((_("Closest"), suggested))
            choices.append((_("All"), others))
            choices.append((REJECT, _("Reject these rows")))
            initial = ""
            if "decision" in entry:
                initial = entry["decision"] or REJECT
            self.fields[f"v{i}"] = forms.ChoiceField(
                label=entry["value"], choices=choices, required=False, initial=initial
            )

    def rows(self):
        """(entry, bound field) for the template."""
        return [(e, self[f"v{i}"]) for i, e in enumerate(self.entries)]

    def answers(self) -> list[tuple[dict, str | None]]:
        """(entry, code or None to reject) for each value the officer answered."""
        out = []
        for i, entry in enumerate(self.entries):
            chosen = self.cleaned_data.get(f"v{i}")
            if chosen:
                out.append((entry, None if chosen == REJECT else chosen))
        return out


class SynonymForm(forms.Form):
    field = forms.ChoiceField(label=_("Column"))
    value = forms.CharField(label=_("Value as written"), max_length=100)
    code = forms.ChoiceField(label=_("Stands for"))
    region = forms.CharField(
        label=_("Region code (optional)"),
        required=False,
        max_length=13,
        help_text=_("Leave empty for your city."),
    )

    def __init__(self, *args, field_names: dict[str, str], targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = list(field_names.items())
        groups = []
        for field, name in field_names.items():
            if field == "village" and not targets.region_code:
                continue  # a whole country's villages: give the code through the API
            groups.append((name, [(c, ch.label()) for c, ch in targets.choices(field).items()]))
        self.fields["code"].choices = [("", _("— choose —")), *groups]
