"""Programme pages: list, create, edit, copy. The pages that read its memberships (its detail
page with the budget and what-if, eligibility and enrolment) are enrolment's."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.core.errors import DomainError
from jaring.programs import selectors, services
from jaring.programs.defaults import age_limits
from jaring.programs.models import (
    Benefits,
    CoverStartRule,
    Funder,
    ParticipationCode,
    Programme,
    ProgrammeStatus,
)
from jaring.programs.permissions import PROGRAMMES
from jaring.registry.models import OccupationCategory
from jaring.web.feedback import refusal_kept, refusals_as_messages


def _programme(request, pk: int) -> Programme:
    return selectors.get_programme(request.user, pk)


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int((raw or "").replace(".", "").replace(",", "").strip())
    except ValueError:
        return default


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


@login_required
def programme_list(request):
    qs = selectors.search_programmes(
        request.user,
        year=_int(request.GET.get("year")) or None,
        status=request.GET.get("status", ""),
    )
    return render(
        request,
        "programs/list.html",
        {
            "programmes": qs,
            "can_manage": PROGRAMMES.may(request.user, "manage"),
            "statuses": ProgrammeStatus.choices,
        },
    )


def _input_from_post(post) -> services.ProgrammeInput:
    categories = [
        services.CategoryTerms(
            c.code,
            _int(post.get(f"months_{c.code}")),
            _int(post.get(f"quota_{c.code}")),
            _int(post.get(f"base_{c.code}")),
        )
        for c in OccupationCategory.objects.all()
        if post.get(f"include_{c.code}")
    ]
    return services.ProgrammeInput(
        name=post.get("name", ""),
        funder=post.get("funder", ""),
        participation_code=post.get("participation_code", ""),
        region_code=post.get("region", ""),
        fiscal_year=_int(post.get("fiscal_year")),
        budget_ceiling=_int(post.get("budget_ceiling")),
        min_age=_int(post.get("min_age")),
        max_age=_int(post.get("max_age")),
        categories=categories,
        benefits=post.get("benefits", Benefits.JKK_JKM),
        cover_start_rule=post.get("cover_start_rule", CoverStartRule.ACCEPTANCE),
        legal_basis=post.get("legal_basis", ""),
        pks_number=post.get("pks_number", ""),
        pks_date=_date(post.get("pks_date")),
        status=post.get("status", ProgrammeStatus.DRAFT),
        pp50_discount=bool(post.get("pp50_discount")),
    )


def _form_context(data: services.ProgrammeInput, errors: DomainError | None = None) -> dict:
    terms = {t.category_code: t for t in data.categories}
    return {
        "data": data,
        "rows": [(c, terms.get(c.code)) for c in OccupationCategory.objects.all()],
        "errors": errors.by_field() if errors else {},
        "all_errors": errors.problems if errors else [],
        "funders": Funder.choices,
        "codes": ParticipationCode.choices,
        "benefit_choices": Benefits.choices,
        "start_rules": CoverStartRule.choices,
        "statuses": ProgrammeStatus.choices,
    }


def _over_ceiling(request, save) -> dict | None:
    """The planned cost and the ceiling of the programme as it would be saved, when the plan is
    over the ceiling and the officer has not ticked to save it anyway (services.over_ceiling:
    the API and the command ask the same). A refusal of the form itself is raised as the save
    raises it."""
    if request.POST.get("over_ceiling_ok"):
        return None
    over = services.over_ceiling(save)
    return {"planned": over.planned, "ceiling": over.ceiling, "over": over.over} if over else None


@login_required
def programme_create(request):
    if not PROGRAMMES.may(request.user, "manage"):
        raise Http404
    min_age, max_age = age_limits()
    data = services.ProgrammeInput(
        name="",
        funder=Funder.CITY_APBD,
        participation_code=ParticipationCode.SG,
        region_code=request.user.scope_id or "",
        fiscal_year=dt.date.today().year,
        budget_ceiling=0,
        min_age=min_age,
        max_age=max_age,
    )
    if request.method == "POST":
        data = _input_from_post(request.POST)
        with refusal_kept() as refused:
            over = _over_ceiling(
                request, lambda: services.create_programme(actor=request.user, data=data)
            )
            if over:
                return render(request, "programs/form.html", _form_context(data) | over)
            programme = services.create_programme(actor=request.user, data=data)
        if not refused:
            messages.success(request, _("Programme created."))
            return redirect("programs:detail", programme.pk)
        return render(request, "programs/form.html", _form_context(data, refused.error))
    return render(request, "programs/form.html", _form_context(data))


@login_required
def programme_edit(request, pk: int):
    programme = _programme(request, pk)
    data, error = services.programme_input(programme), None
    if request.method == "POST":
        data = _input_from_post(request.POST)

        def save():
            return services.update_programme(
                actor=request.user,
                programme=programme,
                changes=data.__dict__,
                reason=request.POST.get("reason", ""),
            )

        with refusal_kept() as refused:
            over = _over_ceiling(request, save)
            if over:
                context = _form_context(data) | over | {"programme": programme}
                return render(request, "programs/form.html", context)
            save()
        if not refused:
            messages.success(request, _("Programme saved."))
            return redirect("programs:detail", programme.pk)
        error = refused.error
    context = _form_context(data, error) | {"programme": programme}
    return render(request, "programs/form.html", context)


@login_required
@require_POST
def programme_copy(request, pk: int):
    programme = _programme(request, pk)
    with refusals_as_messages(request):
        copy = services.copy_to_next_year(actor=request.user, programme=programme)
        messages.success(request, _("Copied to the next fiscal year as a draft."))
        return redirect("programs:detail", copy.pk)
    return redirect("programs:detail", programme.pk)
