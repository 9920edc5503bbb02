"""Review-queue pages: the queue with filters, one pair side by side with merge / distinct."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.dedupe import selectors, services
from jaring.dedupe.explain import describe, relatives
from jaring.dedupe.models import PairStatus
from jaring.dedupe.permissions import DUPLICATES
from jaring.web import region_choices
from jaring.web.feedback import refusal_kept, refusals_as_messages
from jaring.web.preview import Preview, confirming, rehearse_changes, render_preview


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
    pair = selectors.get_pair(request.user, pk)  # another region's pair: 404, ticked or not
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that the two are one person."))
        return redirect("dedupe:pair", pk=pk)
    keep_raw = request.POST.get("keep")
    keep = int(keep_raw) if keep_raw and keep_raw.isdigit() else None

    def do_merge():
        return services.merge(
            actor=request.user, pair_id=pk, keep=keep, note=request.POST.get("note", "")
        )

    if not confirming(request):
        return _merge_preview(request, pair, do_merge)
    with refusals_as_messages(request):
        do_merge()
        messages.success(request, _("Merged. Both records keep their history."))
    return redirect("dedupe:pair", pk=pk)


def _merge_preview(request, pair, do_merge):
    """The merge rehearsed: which record is kept, what it takes from the other, and what moves
    with it (memberships, claims, as the areas that own them would record it)."""
    with refusal_kept() as refused:
        kept, changes = rehearse_changes(do_merge)
    records = selectors.records(request.user, pair)
    facts = []
    if not refused:
        others = [r for r in records if not (r["kind"] == "worker" and r["id"] == kept.pk)]
        facts = [(_("Kept"), f"{_('Worker')} #{kept.pk} · {kept.full_name}")]
        facts += [(_("Merged into it"), _record_words(r)) for r in others]
        fills = selectors.merge_fills(pair).get(kept.pk)
        if fills:
            facts.append((_("It takes from the other"), ", ".join(fills)))
    back = reverse("dedupe:pair", args=[pair.pk])
    preview = Preview(
        title=_("Same person: merge"),
        lead=_("The two records become one person; both keep their history."),
        action=reverse("dedupe:merge", args=[pair.pk]),
        back=back,
        back_label=_("Probable duplicate"),
        confirm_label=_("Merge"),
        count=0 if refused else 1,
        facts=facts,
        changes=[] if refused else changes,
        problems=refused.problems,
    )
    return render_preview(request, preview)


def _record_words(record: dict) -> str:
    if record["kind"] == "worker":
        return f"{_('Worker')} #{record['id']} · {record['full_name']}"
    return _("Import #%(batch)s, row %(row)s · %(name)s") % {
        "batch": record["batch"],
        "row": record["row"],
        "name": record["full_name"],
    }


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
