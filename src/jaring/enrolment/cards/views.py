"""The public status check pages: no login, CSRF on, nothing cached."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jaring.core.http import client_address
from jaring.enrolment.cards.public import TooManyAttempts, check_card, check_cover
from jaring.rules.nik import normalise

_TEMPLATE = "enrolment/public/check.html"


class CheckForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=24)
    birth_date = forms.DateField(
        label=_("Birth date"), input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
    )

    def clean_nik(self) -> str:
        nik = normalise(self.cleaned_data["nik"])
        if not (len(nik) == 16 and nik.isdigit()):
            raise ValidationError(_("A NIK has 16 digits."))
        return nik


def _page(request, context: dict, status: int = 200):
    response = render(request, _TEMPLATE, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def status_check(request):
    form = CheckForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context["covers"] = check_cover(
                nik=form.cleaned_data["nik"],
                birth_date=form.cleaned_data["birth_date"],
                client=client_address(request),
            )
        except TooManyAttempts as exc:
            context["limited"] = exc.problems[0].message
            return _page(request, context, status=429)
        context["answered"] = True
    return _page(request, context)


@never_cache
@require_http_methods(["GET"])
def card_status(request, token: str):
    context: dict = {"form": CheckForm(), "from_card": True}
    try:
        context["covers"] = check_card(token=token, client=client_address(request))
    except TooManyAttempts as exc:
        context["limited"] = exc.problems[0].message
        return _page(request, context, status=429)
    context["answered"] = True
    return _page(request, context)
