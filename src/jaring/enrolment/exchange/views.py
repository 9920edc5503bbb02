"""The BPJS exchange page of a programme: send a batch, read the answer, print the cards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.core import formats
from jaring.enrolment.cards import services as cards
from jaring.enrolment.cards.pdf import LABELS
from jaring.enrolment.cards.permissions import CARDS
from jaring.enrolment.exchange import profiles
from jaring.enrolment.exchange import selectors as exchange_selectors
from jaring.enrolment.exchange import services as exchange_services
from jaring.enrolment.exchange.permissions import EXCHANGE
from jaring.enrolment.exchange.response import required_columns
from jaring.enrolment.exchange.submission import FORMATS
from jaring.programs.models import Programme
from jaring.programs.selectors import get_programme, programmes_for
from jaring.web.feedback import refusal_kept, show_problems
from jaring.web.preview import Preview, confirming, rehearse_changes, render_preview

_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _programme(request, pk: int) -> Programme:
    return get_programme(request.user, pk)


def _download(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=_CONTENT_TYPES[file_name.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _page(request, programme: Programme, **extra) -> HttpResponse:
    user = request.user
    can_exchange = EXCHANGE.may(user, "exchange")
    chosen = exchange_selectors.profile_name(programme)
    layouts = profiles.usable()
    current = next((p for p in layouts if p.name == chosen), None)
    context = {
        "profiles": layouts,
        "profile": current,
        "required_columns": list(required_columns(current).values()) if current else [],
        "optional_columns": current.optional_headers() if current else [],
        "programme": programme,
        "can_exchange": can_exchange,
        "can_print": CARDS.may(user, "print"),
        "batches": exchange_selectors.batches_for(user, programme) if can_exchange else [],
        "villages": exchange_selectors.villages_for(user, programme),
        "formats": FORMATS,
        "languages": sorted(LABELS),
        **extra,
    }
    context["waiting"] = sum(v["verified"] for v in context["villages"])
    context["active"] = sum(v["active"] for v in context["villages"])
    return render(
        request, "enrolment/exchange/page.html", context, status=400 if "problems" in extra else 200
    )


@login_required
def exchange_page(request, pk: int):
    return _page(request, _programme(request, pk))


def _export(request, programme: Programme, file_format: str) -> exchange_services.BatchFile:
    return exchange_services.export_batch(
        actor=request.user,
        programme_id=programme.pk,
        region_code=request.POST.get("village") or None,
        file_format=file_format,
        profile=request.POST.get("profile") or None,
    )


def _export_preview(request, programme: Programme) -> HttpResponse:
    """The batch rehearsed (as csv, the cheapest file: the format changes no count): how many
    members, who, in which layout; then the confirmation makes it."""
    names: list[str] = []

    def rehearsal():
        exported = _export(request, programme, "csv")
        names.extend(exchange_selectors.batch_names(exported.batch))
        return exported.batch

    with refusal_kept() as refused:
        batch, changes = rehearse_changes(rehearsal)
    n = 0 if refused else batch.line_count
    village = request.POST.get("village") or ""
    villages = {
        v["village_id"]: v["village__name"]
        for v in exchange_selectors.villages_for(request.user, programme)
    }
    layout = next((p for p in profiles.usable() if p.name == request.POST.get("profile")), None)
    facts = [
        (_("Programme"), programme.name),
        (_("Village"), villages.get(village, village) if village else _("All my villages")),
        (_("File"), request.POST.get("format", "xlsx")),
    ]
    if layout:
        facts.append((_("Layout"), layout.title_en if get_language() == "en" else layout.title_id))
    preview = Preview(
        title=_("Send a batch to BPJS"),
        lead=ngettext(
            "%(n)s verified member will be sent to BPJS in one batch and become submitted.",
            "%(n)s verified members will be sent to BPJS in one batch and become submitted.",
            n,
        )
        % {"n": formats.number(n)},
        action=reverse("enrolment:bpjs:export", args=[programme.pk]),
        back=reverse("enrolment:bpjs:page", args=[programme.pk]),
        back_label=_("BPJS exchange and cards"),
        confirm_label=ngettext("Send %(n)s member", "Send %(n)s members", n)
        % {"n": formats.number(n)},
        count=n,
        facts=facts,
        changes=[] if refused else changes,
        names=names,
        problems=refused.problems,
    )
    return render_preview(request, preview)


@login_required
@require_POST
def export_batch(request, pk: int):
    programme = _programme(request, pk)
    if not confirming(request):
        return _export_preview(request, programme)
    with refusal_kept() as refused:
        exported = _export(request, programme, request.POST.get("format", "xlsx"))
    if refused:
        return _page(request, programme, problems=refused.problems)
    messages.success(
        request,
        _("Batch %(reference)s made with %(count)d members; they are now submitted to BPJS.")
        % {"reference": exported.batch.reference, "count": exported.batch.line_count},
    )
    return redirect("enrolment:bpjs:page", pk=programme.pk)


@login_required
@require_POST
def choose_profile(request, pk: int):
    programme = _programme(request, pk)
    with refusal_kept() as refused:
        setting = exchange_services.choose_profile(
            actor=request.user, programme_id=programme.pk, profile=request.POST.get("profile", "")
        )
    if refused:
        return _page(request, programme, problems=refused.problems)
    messages.success(
        request,
        _("From now on this programme's batches use the profile %(profile)s.")
        % {"profile": setting.profile},
    )
    return redirect("enrolment:bpjs:page", pk=programme.pk)


@login_required
def batch_file(request, batch_id: int, file_format: str):
    with refusal_kept() as refused:
        exported = exchange_services.batch_file(
            actor=request.user, batch_id=batch_id, file_format=file_format
        )
    if refused:  # a file format the batch has no file in: no such file
        raise Http404
    return _download(exported.content, exported.file_name)


@login_required
@require_POST
def import_response(request, pk: int):
    programme = _programme(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, programme, problems=[], missing_file=True)
    with refusal_kept() as refused:
        report = exchange_services.import_response(
            actor=request.user,
            programme_id=programme.pk,
            data=upload.read(),
            file_name=upload.name,
        )
    if refused:
        return _page(request, programme, problems=refused.problems, file_name=upload.name)
    return _page(request, programme, report=report)


@login_required
def card_sheets(request, pk: int):
    programme = _programme(request, pk)
    village = request.GET.get("village") or None
    with refusal_kept() as refused:
        pdf = cards.print_sheets(
            actor=request.user,
            programme_id=programme.pk,
            region_code=village,
            base_url=request.build_absolute_uri("/"),
            language=request.GET.get("language", "id"),
            village_per_sheet=bool(request.GET.get("village_per_sheet")),
        )
    if refused:
        return _page(request, programme, problems=refused.problems)
    return _download(pdf, f"kartu-{programme.pk}{'-' + village if village else ''}.pdf")


@login_required
def membership_card(request, membership_id: int):
    if not CARDS.may(request.user, "print"):
        raise Http404  # a role that prints no cards has no card to get
    with refusal_kept() as refused:
        pdf = cards.print_card(
            actor=request.user,
            membership_id=membership_id,
            base_url=request.build_absolute_uri("/"),
            language=request.GET.get("language", "id"),
        )
    if refused:
        # The member is in the user's area: their page says why there is no card.
        show_problems(request, refused.error)
        return redirect("enrolment:detail", membership_id)
    return _download(pdf, f"kartu-{membership_id}.pdf")


@login_required
def exchange_index(request):
    """The menu's "BPJS and cards": the user's programmes, each with its exchange page."""
    if not (EXCHANGE.may(request.user, "exchange") or CARDS.may(request.user, "print")):
        raise Http404
    programmes = programmes_for(request.user).order_by("-fiscal_year", "name")
    return render(request, "enrolment/exchange/index.html", {"programmes": programmes})
