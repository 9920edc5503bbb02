"""A bulk action done and undone: what it would change, with its refusals, nothing kept.

`rehearse(action)` runs the service inside a transaction that is always rolled back, so the
preview of a bulk action (the page's confirmation step, an API's `dry_run`, a command's
`--dry-run`) applies exactly the rules, counts and refusals of the real call. Events the
service sends wait for a commit (`transaction.on_commit`) that never comes.

Cost: the real work, then a rollback; for the bulk paths (one UPDATE or INSERT … SELECT) that
is a fraction of a second at a city's size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


class _Undo(Exception):
    pass


def rehearse(action: Callable[[], T]) -> T:
    """The result `action()` would return; its writes are rolled back. A refusal is raised as
    the real call raises it."""
    result: list[T] = []
    try:
        with transaction.atomic():
            result.append(action())
            raise _Undo
    except _Undo:
        pass
    return result[0]
