"""The outbox page: messages to members with their status and retries (numbers masked, no NIK
in any text), counts per status, the numbers that opted out, and recording an opt-out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jaring.notify import selectors, services
from jaring.notify.forms import OptOutForm
from jaring.notify.models import MessageStatus
from jaring.notify.permissions import NOTIFY
from jaring.web.feedback import refusal_kept


@login_required
def outbox(request):
    if not NOTIFY.may(request.user, "view"):
        raise Http404
    can_send = NOTIFY.may(request.user, "send")
    form = OptOutForm(request.POST or None)
    if request.method == "POST":
        if not can_send:
            raise Http404
        if form.is_valid():
            with refusal_kept(form) as refused:
                services.opt_out(
                    actor=request.user,
                    phone=form.cleaned_data["phone"],
                    reason=form.cleaned_data["reason"],
                )
            if not refused:
                messages.success(request, _("This number will get no more messages."))
                return redirect("notify:outbox")
    status = request.GET.get("status", "")
    if status not in MessageStatus.values:
        status = ""
    found = selectors.messages(request.user, status=status)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    for m in page.object_list:
        m.masked = selectors.masked_phone(m.phone)
    counts = dict(
        selectors.messages_for(request.user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    opt_outs = list(selectors.opt_outs(request.user)[:20])
    for o in opt_outs:
        o.masked = selectors.masked_phone(o.phone)
    return render(
        request,
        "notify/outbox.html",
        {
            "page": page,
            "status": status,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in MessageStatus.choices],
            "opt_outs": opt_outs,
            "form": form,
            "can_send": can_send,
        },
    )
