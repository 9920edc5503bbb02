"""Registering and correcting workers through the registry services."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jaring.accounts.scope import can_edit_workers
from jaring.core.errors import DomainError
from jaring.registry import services
from jaring.registry.selectors import get_worker
from jaring.web import region_choices
from jaring.web.forms import EditWorkerForm, WorkerForm, initial_from


def _require_editor(user) -> None:
    if not can_edit_workers(user):
        raise PermissionDenied


@login_required
def worker_create(request):
    _require_editor(request.user)
    if request.method == "POST":
        form = WorkerForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                worker = services.create_worker(
                    actor=request.user, data=form.worker_input(), source="web"
                )
            except DomainError as e:
                form.add_problems(e.problems)
            else:
                messages.success(request, _("Worker registered."))
                return redirect("worker-detail", pk=worker.pk)
    else:
        form = WorkerForm(user=request.user, initial=region_choices.defaults(request.user))
    return render(request, "workers/form.html", {"form": form, "worker": None})


@login_required
def worker_edit(request, pk: int):
    _require_editor(request.user)
    worker = get_worker(request.user, pk)
    if worker is None:
        raise Http404
    if request.method == "POST":
        form = EditWorkerForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                # The whole form goes in; the service records only what really changed.
                services.update_worker(
                    actor=request.user,
                    worker=worker,
                    changes=asdict(form.worker_input()),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as e:
                form.add_problems(e.problems)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("worker-detail", pk=worker.pk)
    else:
        form = EditWorkerForm(user=request.user, initial=initial_from(worker))
    return render(request, "workers/form.html", {"form": form, "worker": worker})
