"""A refusal shown on the next page: each of its problems as an error message.

A refusal a view lets through is rendered by `web.middleware.RefusalMiddleware`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpRequest

from jaring.core.errors import DomainError, NotFound


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
