"""Review-queue pages: the queue with filters, one pair side by side with merge / distinct."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.dedupe import selectors, services
from jaring.dedupe.explain import describe, relatives
from jaring.dedupe.models import PairStatus
from jaring.dedupe.permissions import DUPLICATES
from jaring.web import region_choices
from jaring.web.feedback import refusals_as_messages


def _filter(request) -> selectors.PairFilter:
    status = request.GET.get("status", PairStatus.PENDING)
    try:
        minimum = float(request.GET["min"]) if request.GET.get("min") else None
    except ValueError:
        minimum = None
    return selectors.PairFilter(
        status=status if status in PairStatus.values else "",
        kind=request.GET.get("kind", "")
        if request.GET.get("kind") in ("workers", "import")
        else "",
        min_probability=minimum,
        district=request.GET.get("district", "").strip(),
    )


@login_required
def queue(request):
    f = _filter(request)
    page = Paginator(selectors.queue(request.user, f), 50).get_page(request.GET.get("page"))
    for pair in page.object_list:
        pair.records = selectors.records(request.user, pair)
        pair.relatives = relatives(pair.explanation)
    context = {
        "page": page,
        "f": f,
        "statuses": PairStatus.choices,
        # By name where the user's scope lists them (a national user types a code instead).
        "districts": region_choices.districts(request.user),
        "can_decide": DUPLICATES.may(request.user, "decide"),
        "can_tune": DUPLICATES.may(request.user, "tune"),
        "run": selectors.latest_run(),
        "default_threshold": services.default_threshold(),
    }
    return render(request, "dedupe/queue.html", context)


@login_required
def pair_detail(request, pk: int):
    pair = selectors.get_pair(request.user, pk)
    context = {
        "pair": pair,
        "records": selectors.records(request.user, pair),
        "evidence": [describe(e) for e in pair.explanation],
        "relatives": relatives(pair.explanation),
        "fills": selectors.merge_fills(pair),
        "can_decide": DUPLICATES.may(request.user, "decide") and pair.is_pending,
    }
    return render(request, "dedupe/pair.html", context)


@login_required
@require_POST
def merge(request, pk: int):
    selectors.get_pair(request.user, pk)  # another region's pair is not found, confirmed or not
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that the two are one person."))
        return redirect("dedupe:pair", pk=pk)
    keep = request.POST.get("keep")
    with refusals_as_messages(request):
        services.merge(
            actor=request.user,
            pair_id=pk,
            keep=int(keep) if keep and keep.isdigit() else None,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Merged. Both records keep their history."))
    return redirect("dedupe:pair", pk=pk)


@login_required
@require_POST
def distinct(request, pk: int):
    with refusals_as_messages(request):
        services.mark_distinct(actor=request.user, pair_id=pk, note=request.POST.get("note", ""))
        messages.success(
            request, _("Marked as different people; this pair will not be asked again.")
        )
    return redirect("dedupe:pair", pk=pk)


@login_required
@require_POST
def start_run(request):
    # The threshold and retraining change what every officer's queue holds: administrators'.
    tune = DUPLICATES.may(request.user, "tune")
    try:
        threshold = (
            float(request.POST["threshold"]) if tune and request.POST.get("threshold") else None
        )
    except ValueError:
        messages.error(request, _("The threshold must be a number between 0 and 1."))
        return redirect("dedupe:queue")
    with refusals_as_messages(request):
        services.start_run(
            actor=request.user,
            threshold=threshold,
            retrain=tune and bool(request.POST.get("retrain")),
        )
        messages.success(request, _("Detection started; the queue fills when it is done."))
    return redirect("dedupe:queue")
