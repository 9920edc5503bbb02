"""Membership pages: the filtered list with bulk actions, the expiry list, one membership; and a
programme's pages that read its memberships: its detail page (members by status, budget,
what-if) and who is eligible, with the enrolment of the eligible (programs sits below).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from jaring.accounts import audit
from jaring.core import formats
from jaring.core.permissions import allowed
from jaring.enrolment import selectors, services
from jaring.enrolment.eligibility import REASON_BY_CODE, REASONS
from jaring.enrolment.models import EndReason, MembershipStatus
from jaring.enrolment.permissions import MEMBERSHIPS
from jaring.programs import what_if
from jaring.programs.permissions import PROGRAMMES
from jaring.programs.selectors import get_programme, programmes_for
from jaring.web.feedback import refusal_kept, refusals_as_messages
from jaring.web.paging import page_number, paginate
from jaring.web.preview import Preview, confirming, rehearse_changes, render_preview


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _filter(source) -> selectors.MembershipFilter:
    return selectors.MembershipFilter(
        programme=_int(source.get("programme")),
        status=source.get("status", ""),
        q=source.get("q", ""),
        district=source.get("district", ""),
        village=source.get("village", ""),
        category=source.get("category", ""),
        expiring_within=_int(source.get("expiring_within")),
    )


@login_required
def membership_list(request):
    f = _filter(request.GET)
    qs = selectors.search_memberships(request.user, f)
    return render(
        request,
        "enrolment/list.html",
        {
            "filter": f,
            "page": paginate(qs, page_number(request.GET.get("page"))),
            "statuses": MembershipStatus.choices,
            "end_reasons": EndReason.choices,
            "programmes": programmes_for(request.user),
            "may_verify": MEMBERSHIPS.may(request.user, "verify"),
            "may_end": MEMBERSHIPS.may(request.user, "end"),
            "may_renew": MEMBERSHIPS.may(request.user, "renew"),
        },
    )


_ACTIONS = {
    "verify": gettext_lazy("Verify"),
    "end": gettext_lazy("End"),
    "renew": gettext_lazy("Renew into"),
    "expire": gettext_lazy("Expire lapsed cover"),
}


def _run_bulk(request, f, qs, action: str) -> int:
    reason = request.POST.get("reason", "")
    if action == "verify":
        return services.verify(actor=request.user, memberships=qs, reason=reason)
    if action == "end":
        return services.end(
            actor=request.user,
            memberships=qs,
            end_reason=request.POST.get("end_reason", ""),
            note=reason,
        )
    if action == "renew":
        into = get_programme(request.user, _int(request.POST.get("into")) or 0)
        return services.renew(actor=request.user, memberships=qs, into=into, reason=reason)
    if action == "expire":
        programme = get_programme(request.user, f.programme) if f.programme else None
        return services.expire_lapsed(actor=request.user, programme=programme)
    raise Http404


@login_required
@require_POST
def bulk_action(request):
    """Verify, end or renew the ticked memberships, or, as an explicit choice, every one the
    list's filter selects: all or nothing. First a preview (the action rehearsed: how many,
    who, any refusal), then the confirmation does it."""
    post = request.POST
    f = _filter(post)
    action = post.get("action", "")
    if action not in _ACTIONS:
        raise Http404
    everyone = post.get("selection") == "all" or action == "expire"
    ids = [] if everyone else _selected_ids(post, "membership")
    qs = selectors.search_memberships(request.user, f)
    if not everyone:
        qs = qs.filter(pk__in=ids)
    back = post.get("next") or reverse("enrolment:list")
    if not confirming(request):
        if not everyone and not ids:
            messages.error(request, _("Tick the memberships first, or choose all matching."))
            return redirect(back)
        with refusal_kept() as refused:
            n, changes = rehearse_changes(lambda: _run_bulk(request, f, qs, action))
        n = 0 if refused else n
        label = str(_ACTIONS[action])
        preview = Preview(
            title=label,
            lead=ngettext(
                "%(what)s: %(n)s membership will change.",
                "%(what)s: %(n)s memberships will change.",
                n,
            )
            % {"what": label, "n": formats.number(n)},
            action=reverse("enrolment:bulk"),
            back=back,
            back_label=_("Memberships"),
            confirm_label=_("Confirm"),
            count=n,
            changes=[] if refused else changes,
            names=list(
                qs.order_by("worker__full_name").values_list("worker__full_name", flat=True)[:20]
            ),
            problems=refused.problems,
        )
        return render_preview(request, preview)
    with refusals_as_messages(request):
        n = _run_bulk(request, f, qs, action)
        messages.success(request, _("%(n)d memberships changed.") % {"n": n})
    return redirect(back)


_FIELDS = {
    "status": gettext_lazy("Status"),
    "end_reason": gettext_lazy("End reason"),
    "kpj": "KPJ",
    "start_date": gettext_lazy("Cover from"),
    "end_date": gettext_lazy("Cover until"),
    "programme": gettext_lazy("Programme"),
    "outcome": gettext_lazy("BPJS's answer"),
    "reason": gettext_lazy("Reason"),
}
_VALUES = {**dict(MembershipStatus.choices), **dict(EndReason.choices)}


def _changes_in_words(event) -> list[tuple[str, str, str]]:
    """(field, before, after) of a history event, with statuses and reasons in words."""
    before, after = event.before or {}, event.after or {}

    def word(value) -> str:
        if value is None or value == "":
            return "–"
        return str(_VALUES.get(value, value)) if isinstance(value, str) else str(value)

    return [
        (str(_FIELDS.get(k, k.replace("_", " "))), word(before.get(k)), word(after.get(k)))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]


@login_required
def membership_detail(request, pk: int):
    m = selectors.get_membership(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("activate", "reject"):
            raise Http404
        raw = request.POST.get("start_date", "") if action == "activate" else ""
        try:
            start_date = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            messages.error(request, _("Not a valid date (YYYY-MM-DD)."))
            return redirect("enrolment:detail", m.pk)
        with refusals_as_messages(request):
            if action == "activate":
                services.activate(
                    actor=request.user,
                    membership=m,
                    kpj=request.POST.get("kpj", ""),
                    start_date=start_date,
                )
            else:
                services.reject_submission(
                    actor=request.user, membership=m, reason=request.POST.get("reason", "")
                )
        return redirect("enrolment:detail", m.pk)
    return render(
        request,
        "enrolment/detail.html",
        {
            "m": m,
            "history": [(e, _changes_in_words(e)) for e in audit.history(m)],
            "may_activate": MEMBERSHIPS.may(request.user, "activate"),
        },
    )


@login_required
def programme_detail(request, pk: int):
    """A programme: its terms, its members by status, its budget and the what-if questions."""
    programme = get_programme(request.user, pk)
    context: dict = {
        "programme": programme,
        "counts": [
            (status, MembershipStatus(status).label, n)
            for status, n in selectors.status_counts(request.user, programme).items()
        ],
        "can_manage": PROGRAMMES.may(request.user, "manage"),
        "can_bpjs": allowed(request.user, "exchange.exchange")
        or allowed(request.user, "cards.print"),
        "what_if": request.GET,
    }
    with refusal_kept() as refused:
        context["budget"] = selectors.programme_budget(programme)
        if request.GET.get("budget") or request.GET.get("workers"):
            context |= what_if.answer(
                programme,
                budget_rp=request.GET.get("budget"),
                workers=request.GET.get("workers"),
                months=request.GET.get("months"),
                category=request.GET.get("category", ""),
            )
    context["what_if_errors"] = refused.problems
    return render(request, "enrolment/programme.html", context)


def _eligibility_filter(source) -> selectors.EligibilityFilter:
    return selectors.EligibilityFilter(
        eligible=source.get("eligible", ""),
        reason=source.get("reason", ""),
        q=source.get("q", ""),
        district=source.get("district", ""),
        village=source.get("village", ""),
        category=source.get("category", ""),
    )


def _selected_ids(source, name: str = "worker") -> list[int]:
    return sorted({i for i in (_int(v) for v in source.getlist(name)) if i is not None})


def _enrol_selection(request, programme):
    """The enrol form's two steps: "preview" says who, how many and at what cost against the
    remaining budget; "confirm" enrols exactly that selection. The selection is the ticked
    workers, or, as an explicit choice ("all"), every eligible worker matching the filter."""
    post = request.POST
    f = _eligibility_filter(post)
    everyone = post.get("selection") == "all"
    ids = [] if everyone else _selected_ids(post)
    workers = selectors.candidates_for(request.user, programme, f)
    if not everyone:
        workers = workers.filter(pk__in=ids)
    back = request.get_full_path()
    if not confirming(request):
        if not everyone and not ids:
            messages.error(request, _("Tick the workers to enrol, or choose all matching."))
            return redirect(back)
        with refusal_kept() as refused:
            preview = services.enrol_preview(
                actor=request.user, programme=programme, workers=workers, only_eligible=True
            )
        if refused:
            return render(
                request,
                "enrolment/enrol_preview.html",
                {"programme": programme, "problems": refused.problems, "back": back},
                status=409,
            )
        return render(
            request,
            "enrolment/enrol_preview.html",
            {
                "programme": programme,
                "preview": preview,
                "problems": preview.problems,
                "held_back": [
                    (REASON_BY_CODE[code].problem(programme).message, n)
                    for code, n in preview.held_back.items()
                ],
                "names": workers.order_by("full_name").values_list("full_name", flat=True)[:20],
                "everyone": everyone,
                "ids": ids,
                "filter": f,
                "reason": post.get("reason", ""),
                "back": back,
            },
        )
    with refusals_as_messages(request):
        n = services.enrol(
            actor=request.user,
            programme=programme,
            workers=workers,
            only_eligible=True,
            reason=post.get("reason", ""),
        )
        messages.success(request, _("%(n)d workers enrolled as candidates.") % {"n": n})
        messages.info(
            request,
            _("They are listed below; to undo, tick them and end them as withdrawn."),
        )
        candidates = f"?programme={programme.pk}&status={MembershipStatus.CANDIDATE}"
        return redirect(reverse("enrolment:list") + candidates)
    return redirect(back)


@login_required
def programme_eligibility(request, pk: int):
    """Who is eligible and why not, filterable by reason; enrol the eligible part in one go."""
    programme = get_programme(request.user, pk)
    if request.method == "POST":
        return _enrol_selection(request, programme)
    f = _eligibility_filter(request.GET)
    judge, qs, counts = selectors.eligibility_list(request.user, programme, f)
    page = paginate(qs, page_number(request.GET.get("page")))
    rows = [(w, judge.reasons_of(w)) for w in page.rows]
    return render(
        request,
        "enrolment/programme_eligibility.html",
        {
            "programme": programme,
            "filter": f,
            "counts": counts,
            "reasons": [(r.code, r.problem(programme).message, counts[r.code]) for r in REASONS],
            "page": page,
            "rows": rows,
            "can_enrol": MEMBERSHIPS.may(request.user, "enrol"),
        },
    )
