"""Pages: the hand-over list, recording a member's choice, self-paying members and one member's
self-payment page; the public page where a worker records their own choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jaring.continuity import selectors, services
from jaring.continuity.forms import ChoiceForm, PaymentForm, PublicChoiceForm
from jaring.continuity.models import Choice, CoverStatus
from jaring.continuity.permissions import CONTINUITY
from jaring.core.errors import DomainError, NotFound
from jaring.core.http import client_address
from jaring.enrolment.cards.public import TooManyAttempts
from jaring.enrolment.selectors import memberships_for
from jaring.web.feedback import problems_on_form, refusal_kept, refusals_as_messages


def _viewer(request) -> None:
    if not CONTINUITY.may(request.user, "view"):
        raise Http404


def _days(request) -> int:
    text = request.GET.get("days", "")
    return min(int(text), 366) if text.isdigit() else services.notice_days()


@login_required
def handover(request):
    _viewer(request)
    days = _days(request)
    ending = selectors.handover(request.user, within_days=days)
    villages = selectors.handover_by_village(ending)
    village = request.GET.get("village", "")
    if village:
        ending = ending.filter(village_id=village)
    page = Paginator(ending, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "continuity/handover.html",
        {
            "page": page,
            "villages": villages,
            "village": village,
            "days": days,
            "choices": dict(Choice.choices),
            "can_choose": CONTINUITY.may(request.user, "choose"),
        },
    )


@login_required
def choose(request, pk: int):
    _viewer(request)
    membership = (
        memberships_for(request.user)
        .select_related("worker", "village", "programme")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    form = ChoiceForm(request.POST or None)
    if request.method == "POST":
        if not CONTINUITY.may(request.user, "choose"):
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            with refusal_kept(form) as refused:
                chosen = services.record_choice(
                    actor=request.user,
                    membership_id=membership.pk,
                    data=services.ChoiceInput(
                        d["choice"], d["income"], d["channel"], d["jht"], d["note"]
                    ),
                )
            if not refused:
                messages.success(request, _("The member's choice is recorded."))
                if chosen.cover_id:
                    return redirect("continuity:cover", pk=chosen.cover_id)
                return redirect("continuity:handover")
    return render(request, "continuity/choose.html", {"membership": membership, "form": form})


@login_required
def covers(request):
    _viewer(request)
    listed = selectors.with_status_today(selectors.covers_for(request.user))
    listed = listed.select_related("worker", "village")
    status = request.GET.get("status", "")
    if status in CoverStatus.values:
        listed = listed.filter(status_today=status)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "continuity/covers.html",
        {"page": page, "status": status, "statuses": CoverStatus.choices},
    )


@login_required
def cover(request, pk: int):
    _viewer(request)
    try:
        chosen = selectors.get_cover(request.user, pk)
    except NotFound:
        raise Http404 from None
    today = timezone.localdate()
    arrears = selectors.arrears(chosen, today)
    form = PaymentForm(
        request.POST or None,
        initial={
            "paid_on": today,
            "channel": chosen.channel,
            "amount": sum(m.amount for m in arrears) or None,
            "months": len(arrears) or 1,
        },
    )
    can_pay = CONTINUITY.may(request.user, "pay")
    if request.method == "POST":
        if not can_pay:
            raise Http404
        if request.POST.get("action") == "stop":
            with refusals_as_messages(request):
                services.stop(actor=request.user, cover_id=chosen.pk)
                messages.success(request, _("The self-paid cover has stopped."))
            return redirect("continuity:cover", pk=chosen.pk)
        if request.POST.get("action") == "reactivate":
            with refusals_as_messages(request):
                new = services.reactivate(actor=request.user, cover_id=chosen.pk)
                messages.success(request, _("A new self-paid cover starts today."))
                return redirect("continuity:cover", pk=new.pk)
            return redirect("continuity:cover", pk=chosen.pk)
        if form.is_valid():
            d = form.cleaned_data
            with refusal_kept(form) as refused:
                payment = services.record_payment(
                    actor=request.user,
                    cover_id=chosen.pk,
                    data=services.PaymentInput(
                        d["months"], d["amount"], d["channel"], d["reference"], d["paid_on"]
                    ),
                )
            if not refused:
                messages.success(
                    request, _("Payment %(reference)s recorded.") % {"reference": payment.reference}
                )
                return redirect("continuity:cover", pk=chosen.pk)
    return render(
        request,
        "continuity/cover.html",
        {
            "cover": chosen,
            "months": selectors.cover_months(chosen),
            "payments": chosen.payments.order_by("-paid_on", "-id"),
            "arrears": arrears,
            "form": form,
            # Not a cover past the lapse rule today, even before the daily run records it.
            "can_pay": can_pay and chosen.status_today == CoverStatus.ACTIVE,
            "can_reactivate": can_pay and chosen.status != CoverStatus.ACTIVE,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_choice(request):
    form = PublicChoiceForm(request.POST or None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            chosen = services.record_own_choice(
                nik=d["nik"],
                birth_date=d["birth_date"],
                client=client_address(request),
                data=services.ChoiceInput(d["choice"], d["income"], d["channel"], d["jht"]),
            )
        except TooManyAttempts as exc:
            context["limited"] = exc.problems[0].message
            status = 429
        except DomainError as exc:
            # Unlike an officer's page, a NIK and birth date that match nobody is said on the
            # form (the same words as a wrong pair), not a 404: the public learns nothing more.
            problems_on_form(form, exc)
        else:
            context["chosen"] = chosen
            context["starts"] = chosen.cover.start_date if chosen.cover else None
            context["due"] = services.first_due(chosen.cover) if chosen.cover else None
    response = render(request, "continuity/public_choose.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
