"""A refusal shown on the next page: each of its problems as an error message."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from jaring.core.errors import DomainError


def show_problems(request: HttpRequest, exc: DomainError) -> None:
    for problem in exc.problems:
        messages.error(request, problem.message)
