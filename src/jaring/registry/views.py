"""The registry's pages: the worker list (and its CSV), the worker page, registering and
correcting a worker through the services."""

from __future__ import annotations

import csv
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jaring.accounts import audit
from jaring.accounts.masking import display_phone, display_private, mask_phone
from jaring.accounts.permissions import PERSONAL_DATA
from jaring.core.cells import safe_cell
from jaring.registry import services
from jaring.registry.forms import (
    EditWorkerForm,
    ExportReasonForm,
    WorkerFilterForm,
    WorkerForm,
    initial_from,
)
from jaring.registry.history import worker_history
from jaring.registry.permissions import WORKERS
from jaring.registry.selectors import get_worker, search_workers, worker_reads
from jaring.rules.nik import mask
from jaring.web import region_choices
from jaring.web.feedback import refusal_kept
from jaring.web.paging import page_number, paginate


def filtered_workers(request):
    """The workers a request's filters select, within the user's scope; shared with the export."""
    form = WorkerFilterForm(request.GET, user=request.user)
    qs = search_workers(request.user, form.worker_filter())
    if province := form.province():
        # National users narrow by province before they pick a district.
        qs = qs.filter(province_code=province)
    return form, qs


@login_required
def worker_list(request):
    form, qs = filtered_workers(request)
    context = {
        "form": form,
        "page": paginate(qs, page_number(request.GET.get("page"))),
        "can_edit": WORKERS.may(request.user, "change"),
    }
    # htmx asks only for the table; a plain GET of the same URL renders the whole page.
    template = "registry/_results.html" if request.headers.get("HX-Target") == "results" else None
    return render(request, template or "registry/list.html", context)


@login_required
def worker_detail(request, pk: int):
    worker = get_worker(request.user, pk)
    if worker is None:
        # Outside the scope looks the same as absent: existence is not revealed.
        raise Http404
    return render(
        request,
        "registry/detail.html",
        {
            "worker": worker,
            "phone": display_phone(request.user, worker.phone),
            "mother_maiden_name": display_private(request.user, worker.mother_maiden_name),
            "history": worker_history(request.user, worker),
            "reads": worker_reads(worker),
            "can_edit": WORKERS.may(request.user, "change"),
        },
    )


# --- registering and correcting -----------------------------------------------------------------


def _require_editor(user) -> None:
    if not WORKERS.may(user, "change"):
        raise PermissionDenied


@login_required
def worker_create(request):
    _require_editor(request.user)
    if request.method == "POST":
        form = WorkerForm(request.POST, user=request.user)
        if form.is_valid():
            with refusal_kept() as refused:
                worker = services.create_worker(
                    actor=request.user, data=form.worker_input(), source="web"
                )
            if refused:
                form.add_problems(refused.error)
            else:
                messages.success(request, _("Worker registered."))
                return redirect("worker-detail", pk=worker.pk)
    else:
        form = WorkerForm(user=request.user, initial=region_choices.defaults(request.user))
    return render(request, "registry/form.html", {"form": form, "worker": None})


@login_required
def worker_edit(request, pk: int):
    _require_editor(request.user)
    worker = get_worker(request.user, pk)
    if worker is None:
        raise Http404
    if request.method == "POST":
        form = EditWorkerForm(request.POST, user=request.user)
        if form.is_valid():
            with refusal_kept() as refused:
                # The whole form goes in; the service records only what really changed.
                services.update_worker(
                    actor=request.user,
                    worker=worker,
                    changes=asdict(form.worker_input()),
                    reason=form.cleaned_data["reason"],
                )
            if refused:
                form.add_problems(refused.error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("worker-detail", pk=worker.pk)
    else:
        form = EditWorkerForm(user=request.user, initial=initial_from(worker))
    return render(request, "registry/form.html", {"form": form, "worker": worker})


# --- the list as CSV: same filters and scope as the page, streamed row by row -------------------

EXPORT_COLUMNS = [
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "district_code",
    "village_code",
    "village_name",
    "rt",
    "rw",
    "address",
    "phone",
    "category",
    "has_disability",
    "disability_kind",
    "declared_income",
    "source",
    "consent_date",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _same(value: str) -> str:
    return value


def _export_rows(user, qs):
    # Asked once, not per row (a quarter of the export's time): the export records its read
    # itself (`worker_export`), so it need not tell the read audit NIK by NIK either.
    whole = PERSONAL_DATA.may(user, "see")
    nik, phone = (_same, _same) if whole else (mask, mask_phone)
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for w in qs.iterator(chunk_size=2000):
        yield writer.writerow(
            safe_cell(v)
            for v in (
                nik(w.nik),
                w.full_name,
                w.birth_date.isoformat(),
                w.sex,
                w.district_code,
                w.village_id,
                w.village.name,
                w.rt,
                w.rw,
                w.address,
                phone(w.phone),
                w.category_id,
                "yes" if w.has_disability else "no",
                w.disability_kind,
                w.declared_income,
                w.source,
                w.consent_date.isoformat() if w.consent_date else "",
            )
        )


@login_required
def worker_export(request):
    """The list as CSV. With whole NIKs it is a read (recorded before the first row is sent);
    more than JARING_EXPORT_REASON_OVER people need a reason, asked on a page that posts back
    to this address with the same filters."""
    form, qs = filtered_workers(request)
    if PERSONAL_DATA.may(request.user, "see"):
        count = qs.count()
        reason = ExportReasonForm(request.POST if request.method == "POST" else None)
        if count > settings.JARING_EXPORT_REASON_OVER and not reason.is_valid():
            return render(request, "registry/export_reason.html", {"form": reason, "count": count})
        chosen = form.worker_filter()
        audit.record_read(
            actor=request.user,
            what=f"{request.method} {request.get_full_path()}",
            records=count,
            niks=qs.values_list("nik", flat=True),  # lazy: read only for a small read
            region_code=chosen.village or chosen.district or form.province() or None,
            reason=reason.cleaned_data["reason"] if reason.is_bound and reason.is_valid() else "",
        )
    response = StreamingHttpResponse(_export_rows(request.user, qs), content_type="text/csv")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="workers-{stamp}.csv"'
    return response
