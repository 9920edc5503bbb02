"""A refusal shown by the page itself: as error messages on the next page
(`refusals_as_messages`), or kept for the page the view renders (`refusal_kept`: on a form's
fields, beside an upload). A refusal a view lets through is rendered by
`web.middleware.RefusalMiddleware`; a record outside the user's region is the 404 page either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest

from jaring.core.errors import DomainError, NotFound, Problem


def problems_on_form(form, exc: DomainError) -> None:
    """Each problem on the form field it names ("children.0.level" on "children"), else on the
    form as a whole."""
    for problem in exc.problems:
        field = (problem.field or "").split(".")[0]
        form.add_error(field if field in form.fields else None, problem.message)


def show_problems(request: HttpRequest, exc: DomainError) -> None:
    for problem in exc.problems:
        messages.error(request, problem.message)


@contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[None]:
    """A form's action whose refusal is shown as messages, the view then going where it goes:

    with refusals_as_messages(request):
        services.commit_batch(actor=request.user, batch=batch)
        messages.success(request, _("Saved."))
    return redirect("imports:detail", pk=pk)
    """
    try:
        yield
    except NotFound:
        raise  # a record outside the user's region is the 404 page, as on every read
    except DomainError as exc:
        show_problems(request, exc)


@dataclass
class Refusal:
    """What `refusal_kept` caught: false when the action went through."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def problems(self) -> list[Problem]:
        return self.error.problems if self.error else []


@contextmanager
def refusal_kept(form=None) -> Iterator[Refusal]:
    """An action whose refusal the page it renders shows (on `form`'s fields when given); a
    record not found is the 404 page, as with `refusals_as_messages`:

    with refusal_kept(form) as refused:
        worker = services.create_worker(actor=request.user, data=form.worker_input())
    if not refused:
        return redirect("worker-detail", pk=worker.pk)
    return render(request, "registry/form.html", {"form": form})
    """
    refused = Refusal()
    try:
        yield refused
    except NotFound:
        raise  # a record outside the user's region is the 404 page, as on every read
    except DomainError as exc:
        refused.error = exc
        if form is not None:
            problems_on_form(form, exc)
