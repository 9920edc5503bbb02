"""Import pages: the list with the upload form, and one import's progress, preview and commit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jaring.imports import exports, selectors, services
from jaring.imports.columns import FIELDS
from jaring.imports.forms import MappingForm, UploadForm
from jaring.imports.models import ImportBatch, Outcome
from jaring.imports.permissions import IMPORTS
from jaring.imports.staging import decode_json
from jaring.web.feedback import refusals_as_messages


def _batch(request, pk: int) -> ImportBatch:
    return selectors.get_batch(request.user, pk)


@login_required
def batch_list(request):
    if not IMPORTS.may(request.user, "import"):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with refusals_as_messages(request):
            batch = services.create_batch(
                actor=request.user,
                upload=upload,
                name=upload.name,
                region_code=form.cleaned_data["region"] or None,
            )
            services.enqueue(batch)
            return redirect("imports:detail", pk=batch.pk)
    batches = selectors.batches_for(request.user).select_related("created_by")[:100]
    return render(request, "imports/list.html", {"form": form, "batches": batches})


@login_required
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    outcome = request.GET.get("outcome") or None
    if outcome not in {o.value for o in Outcome}:
        outcome = None
    rows = selectors.batch_rows(batch, outcome=outcome)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.reason_list = decode_json(row.reasons) or []
        row.change_list = decode_json(row.changes) or {}
    context = {
        "batch": batch,
        "page": page,
        "outcome": outcome,
        "outcomes": [(o.value, o.label, batch.counts.get(o.value, 0)) for o in Outcome],
        "mapping_form": _mapping_form(batch),
    }
    if request.headers.get("HX-Request"):
        if batch.is_busy:
            return render(request, "imports/_progress.html", context)
        # Done: htmx reloads the whole page to show the preview.
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "imports/detail.html", context)


def _mapping_form(batch: ImportBatch, data=None) -> MappingForm | None:
    if not batch.headers:
        return None
    initial = {f.name: batch.mapping.get(f.name, "") for f in FIELDS}
    initial["header_row"] = batch.header_row
    return MappingForm(data, headers=batch.headers, initial=initial)


@login_required
@require_POST
def batch_remap(request, pk: int):
    batch = _batch(request, pk)
    form = _mapping_form(batch, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, form.errors.as_text() if form else "")
        return redirect("imports:detail", pk=pk)
    with refusals_as_messages(request):
        batch = services.remap(
            actor=request.user,
            batch=batch,
            mapping=form.mapping(),
            header_row=form.cleaned_data["header_row"],
        )
        services.enqueue(batch)
    return redirect("imports:detail", pk=pk)


@login_required
@require_POST
def batch_check_again(request, pk: int):
    batch = _batch(request, pk)
    with refusals_as_messages(request):
        services.enqueue(services.check_again(actor=request.user, batch=batch))
    return redirect("imports:detail", pk=pk)


@login_required
@require_POST
def batch_commit(request, pk: int):
    batch = _batch(request, pk)
    with refusals_as_messages(request):
        services.commit_batch(actor=request.user, batch=batch)
    return redirect("imports:detail", pk=pk)


@login_required
def batch_rejected(request, pk: int):
    batch = _batch(request, pk)
    xlsx = services.rejected_file(
        actor=request.user, batch=batch, what=f"{request.method} {request.get_full_path()}"
    )
    response = HttpResponse(xlsx, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="ditolak-impor-{batch.pk}.xlsx"'
    return response


@login_required
def template(request):
    if request.GET.get("format") == "csv":
        response = HttpResponse(exports.template_csv(), content_type="text/csv; charset=utf-8")
        name = "template-impor-jaring.csv"
    else:
        response = HttpResponse(exports.template_xlsx(), content_type=exports.XLSX)
        name = "template-impor-jaring.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
