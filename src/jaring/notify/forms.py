from django import forms
from django.utils.translation import gettext_lazy as _


class OptOutForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
