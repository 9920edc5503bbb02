"""Import pages: the list with the upload form, and one import's progress, preview and commit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jaring.accounts.scope import scope_code
from jaring.core import formats
from jaring.imports import exports, selectors, services, values
from jaring.imports.columns import FIELDS
from jaring.imports.forms import MappingForm, SynonymForm, UploadForm, ValuesForm
from jaring.imports.models import NOT_IMPORTED, ImportBatch, Outcome
from jaring.imports.models import Status as ImportStatus
from jaring.imports.permissions import IMPORTS
from jaring.imports.staging import decode_json
from jaring.web.feedback import refusal_kept, refusals_as_messages
from jaring.web.preview import Preview, confirming, render_preview


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
    problems = bool(request.GET.get("problems")) and outcome is None
    if problems:  # only the rows that will not be imported, whatever the reason
        rows = selectors.rejected_rows(batch).order_by("row_number")
    else:
        rows = selectors.batch_rows(batch, outcome=outcome)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    names = selectors.village_names(r.village_code for r in page.object_list)
    shown = [
        selectors.changes_shown(request.user, decode_json(r.changes)) for r in page.object_list
    ]
    for row, changes in zip(page.object_list, selectors.changes_in_words(shown), strict=True):
        row.reason_list = decode_json(row.reasons) or []
        row.change_list = changes
        row.village_name = names.get(row.village_code, "")
    context = {
        "batch": batch,
        "page": page,
        "outcome": outcome,
        "problems": problems,
        "problem_count": sum(batch.counts.get(o, 0) for o in NOT_IMPORTED),
        "region_name": selectors.region_name(batch.region_code) if batch.region_code else "",
        "outcomes": [(o.value, o.label, batch.counts.get(o.value, 0)) for o in Outcome],
        "mapping_form": _mapping_form(batch),
        "values_form": _values_form(request, batch),
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


def _field_names() -> dict[str, str]:
    """Coded field -> its name in the page's language."""
    labels = {f.name: str(f.label) for f in FIELDS}
    return {name: labels[name] for name in values.CODED}


def _values_form(request, batch: ImportBatch, data=None) -> ValuesForm | None:
    if not batch.unrecognised or batch.status not in ("ready", "failed"):
        return None
    names = _field_names()
    return ValuesForm(
        data,
        entries=[e | {"field_name": names.get(e["field"], e["field"])} for e in batch.unrecognised],
        targets=values.Targets(batch.region_code),
        may_remember=IMPORTS.may(request.user, "synonyms"),
    )


@login_required
@require_POST
def batch_values(request, pk: int):
    """The review step's answers: every row with a value follows; the batch is checked again."""
    batch = _batch(request, pk)
    form = _values_form(request, batch, request.POST)
    if form is None or not form.is_valid():
        return redirect("imports:detail", pk=pk)
    answers = form.answers()
    if not answers:
        messages.info(request, _("Choose what at least one value stands for, or reject its rows."))
        return redirect("imports:detail", pk=pk)
    with refusals_as_messages(request):
        batch, remembered = services.map_values(
            actor=request.user,
            batch=batch,
            mappings=[values.ValueMapping(e["field"], e["value"], code) for e, code in answers],
            remember=form.cleaned_data.get("remember", False),
        )
        services.enqueue(batch)
        if remembered:
            messages.success(
                request,
                _("%(n)d value(s) remembered for the city's next imports.") % {"n": remembered},
            )
    return redirect("imports:detail", pk=pk)


@login_required
def synonym_list(request):
    """The city's remembered values: listed, added, changed, forgotten."""
    if not IMPORTS.may(request.user, "import"):
        raise Http404
    may_edit = IMPORTS.may(request.user, "synonyms")
    names = _field_names()
    own = values.Targets(values.city_of(scope_code(request.user) or ""))
    form = SynonymForm(request.POST or None, field_names=names, targets=own)
    if request.method == "POST" and may_edit and form.is_valid():
        with refusal_kept(form) as refused:
            services.add_synonym(
                actor=request.user,
                field=form.cleaned_data["field"],
                value=form.cleaned_data["value"],
                code=form.cleaned_data["code"],
                region_code=form.cleaned_data["region"] or None,
            )
        if not refused:
            messages.success(request, _("Saved."))
            return redirect("imports:synonyms")
    found = list(selectors.synonyms_for(request.user))
    targets_of = {}
    for synonym in found:
        targets = targets_of.setdefault(synonym.region_code, values.Targets(synonym.region_code))
        synonym.field_name = names.get(synonym.field, synonym.field)
        synonym.code_label = targets.label(synonym.field, synonym.code)
        synonym.choices = [(c, ch.label()) for c, ch in targets.choices(synonym.field).items()]
    shipped = values.shipped()
    context = {
        "synonyms": found,
        "form": form,
        "may_edit": may_edit,
        "shipped_count": sum(len(words) for words in shipped.values()),
    }
    return render(request, "imports/synonyms.html", context)


@login_required
@require_POST
def synonym_change(request, pk: int):
    synonym = selectors.get_synonym(request.user, pk)
    with refusals_as_messages(request):
        if request.POST.get("delete"):
            services.delete_synonym(actor=request.user, synonym=synonym)
        else:
            services.change_synonym(
                actor=request.user, synonym=synonym, code=request.POST.get("code", "")
            )
        messages.success(request, _("Saved."))
    return redirect("imports:synonyms")


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
    if not confirming(request):
        return _commit_preview(request, batch)
    with refusals_as_messages(request):
        services.commit_batch(actor=request.user, batch=batch)
    return redirect("imports:detail", pk=pk)


def _commit_preview(request, batch: ImportBatch):
    """What saving the import will do, from its check: how many new and updated workers (who),
    what stays out and why, the probable duplicates left for review."""
    counts = batch.counts
    new, updated = counts.get(Outcome.NEW, 0), counts.get(Outcome.UPDATED, 0)
    facts = [(_("File"), batch.original_name)]
    if batch.region_code:
        facts.append((_("Region"), selectors.region_name(batch.region_code)))
    facts += [
        (str(o.label), formats.number(counts.get(o.value, 0)))
        for o in Outcome
        if o not in (Outcome.NEW, Outcome.UPDATED) and counts.get(o.value)
    ]
    notes = []
    if any(counts.get(o.value) for o in NOT_IMPORTED):
        notes.append(_("Rows not imported stay out; they are in the rejected rows' file."))
    if counts.get("probable_duplicates"):
        notes.append(
            ngettext(
                "%(n)s probable duplicate stays in the review queue: decide it after saving.",
                "%(n)s probable duplicates stay in the review queue: decide them after saving.",
                counts["probable_duplicates"],
            )
            % {"n": formats.number(counts["probable_duplicates"])}
        )
    problems = []
    if batch.status != ImportStatus.READY:
        problems = [services.not_ready_problem()]
    back = reverse("imports:detail", args=[batch.pk])
    preview = Preview(
        title=_("Save the import"),
        lead=_("%(new)s new workers will be registered and %(updated)s workers updated.")
        % {"new": formats.number(new), "updated": formats.number(updated)},
        action=reverse("imports:commit", args=[batch.pk]),
        back=back,
        back_label=batch.original_name,
        confirm_label=_("Save %(new)s new and %(updated)s updated workers")
        % {"new": formats.number(new), "updated": formats.number(updated)},
        count=new + updated,
        facts=facts,
        notes=notes,
        names=list(
            selectors.batch_rows(batch, outcome=Outcome.NEW).values_list("full_name", flat=True)[
                :20
            ]
        ),
        problems=problems,
    )
    return render_preview(request, preview)


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
        # The officer's own villages in the drop-down list (none for the whole country).
        xlsx = exports.template_xlsx(scope_code(request.user) or "")
        response = HttpResponse(xlsx, content_type=exports.XLSX)
        name = "template-impor-jaring.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
