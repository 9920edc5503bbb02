"""Reading the registry: the worker list and the worker page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from jaring.accounts.scope import can_edit_workers
from jaring.registry.selectors import get_worker, search_workers
from jaring.web.forms import WorkerFilterForm
from jaring.web.history import worker_history
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
        "can_edit": can_edit_workers(request.user),
    }
    # htmx asks only for the table; a plain GET of the same URL renders the whole page.
    template = "workers/_results.html" if request.headers.get("HX-Target") == "results" else None
    return render(request, template or "workers/list.html", context)


@login_required
def worker_detail(request, pk: int):
    worker = get_worker(request.user, pk)
    if worker is None:
        # Outside the scope looks the same as absent: existence is not revealed.
        raise Http404
    return render(
        request,
        "workers/detail.html",
        {
            "worker": worker,
            "history": worker_history(request.user, worker),
            "can_edit": can_edit_workers(request.user),
        },
    )
