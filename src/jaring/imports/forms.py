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
