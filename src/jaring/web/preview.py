"""The confirmation step of a bulk action: what will happen, how many, who, any refusal, then
one button that does it. Every bulk page (enrolment's verify, end and renew; sending a batch to
BPJS; merging duplicates; committing an import; the billing run) shows its preview through
`render_preview` and the one template, web/preview.html.

The page posts the same form again with `step=confirm` (every field of the first post is
carried as a hidden input), so the confirmation does exactly what was previewed. Where the
action can be tried, the view rehearses it first (`core.rehearsal.rehearse`, or
`rehearse_changes` for the changes it would record), so the counts and refusals are the real
call's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jaring.accounts.models import AuditEvent
from jaring.core.errors import Problem
from jaring.core.rehearsal import rehearse
from jaring.core.words import event_words

T = TypeVar("T")

CONFIRM = "confirm"
_NOT_CARRIED = {"csrfmiddlewaretoken", "step"}


def confirming(request: HttpRequest) -> bool:
    """The post is the confirmation of a preview (else it asks for the preview)."""
    return request.POST.get("step") == CONFIRM


@dataclass
class Preview:
    """What a bulk action will do, in words for the officer."""

    title: str  # "Send to BPJS"
    lead: str  # the sentence with the count: "12 verified members will be sent…"
    action: str  # the URL the confirmation posts to
    back: str
    confirm_label: str
    count: int = 0
    facts: list[tuple[str, str]] = field(default_factory=list)
    # what changes, as (words, how many): "Moved to the kept record (merge)", 3
    changes: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    back_label: str = ""


def rehearse_changes(action: Callable[[], T]) -> tuple[T, list[tuple[str, int]]]:
    """`action()` rehearsed (nothing kept), with the changes it recorded in the audit, as
    (event in words, how many), most first: the preview's "what will change"."""

    def counted():
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = action()
        actions = (
            AuditEvent.objects.filter(id__gt=last)
            .values_list("action")
            .annotate(n=Count("id"))
            .order_by("-n", "action")
        )
        return result, list(actions)

    result, actions = rehearse(counted)
    return result, [(event_words(a), n) for a, n in actions]


def carried(request: HttpRequest, leave_out: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The first post's fields, as hidden inputs of the confirmation."""
    skip = _NOT_CARRIED | set(leave_out)
    return [(k, v) for k in request.POST if k not in skip for v in request.POST.getlist(k)]


def render_preview(
    request: HttpRequest, preview: Preview, *, leave_out: Iterable[str] = (), **extra
) -> HttpResponse:
    """The confirmation page; 409 when the action would be refused (nothing was changed)."""
    return render(
        request,
        "web/preview.html",
        {"preview": preview, "carried": carried(request, leave_out), **extra},
        status=409 if preview.problems else 200,
    )
