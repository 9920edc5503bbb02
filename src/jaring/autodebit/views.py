"""Pages: the auto-debit mandates (and the members who chose auto-debit and still need one),
the mandate form, ending a mandate, the signed consent form uploaded with it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.autodebit import selectors, services
from jaring.autodebit.forms import MandateForm
from jaring.autodebit.models import MandateStatus
from jaring.autodebit.permissions import AUTODEBIT
from jaring.autodebit.profiles import profiles
from jaring.continuity.selectors import get_cover
from jaring.core.errors import NotFound
from jaring.web.feedback import refusal_kept, refusals_as_messages


def _viewer(request) -> None:
    if not AUTODEBIT.may(request.user, "view"):
        raise Http404


@login_required
def mandates(request):
    _viewer(request)
    listed = selectors.mandate_list(request.user).order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status in MandateStatus.values:
        listed = listed.filter(status=status)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    banks = {p.code: p.name for p in profiles().values()}
    for m in page.object_list:
        m.bank_name = banks.get(m.bank, m.bank)
        m.has_file = services.has_consent_file(m)
    return render(
        request,
        "autodebit/mandates.html",
        {
            "page": page,
            "awaiting": selectors.awaiting_mandate(request.user)[:20],
            "status": status,
            "statuses": MandateStatus.choices,
            "can_record": AUTODEBIT.may(request.user, "mandate"),
        },
    )


@login_required
def new_mandate(request, pk: int):
    if not AUTODEBIT.may(request.user, "mandate"):
        raise Http404
    try:
        cover = get_cover(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = MandateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with refusal_kept(form) as refused:
            mandate = services.create_mandate(
                actor=request.user,
                cover_id=cover.pk,
                data=services.MandateInput(
                    bank=d["bank"],
                    account_number=d["account_number"],
                    bank_mandate_ref=d["bank_mandate_ref"],
                    debit_day=d["debit_day"],
                    consent_date=d["consent_date"],
                    consent_document="",
                ),
                document=d["consent_document"],
            )
        if not refused:
            messages.success(
                request,
                _("Auto-debit mandate recorded (account %(account)s).")
                % {"account": mandate.account_masked},
            )
            return redirect("autodebit:mandates")
    return render(request, "autodebit/mandate_form.html", {"cover": cover, "form": form})


@login_required
@require_POST
def end_mandate(request, pk: int):
    if not AUTODEBIT.may(request.user, "mandate"):
        raise Http404
    if not selectors.mandate_list(request.user).filter(pk=pk).exists():
        raise Http404
    with refusals_as_messages(request):
        services.cancel_mandate(
            actor=request.user, mandate_id=pk, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The mandate has ended: the bank is no longer asked to debit."))
    return redirect("autodebit:mandates")


@login_required
def consent_document(request, pk: int):
    """The signed consent form uploaded with a mandate, for users who see the mandate."""
    _viewer(request)
    mandate = selectors.mandate_list(request.user).filter(pk=pk).first()
    if mandate is None or not services.has_consent_file(mandate):
        raise Http404
    name = mandate.consent_document
    response = FileResponse(default_storage.open(name), as_attachment=False)
    response["Content-Disposition"] = (
        f'inline; filename="persetujuan-{mandate.pk}.{name.rsplit(".", 1)[-1]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
