"""The query-count guard for list pages and list API routes (Zulip's `assert_database_query_count`).

A list must make as many queries for many rows as for one: a query per row (an N+1: a foreign
key or a count read row by row) grows with the page, and the guard fails, showing the queries.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


def queries(fetch: Callable[[], HttpResponse]) -> list[str]:
    """The SQL `fetch()` runs; it must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200, response.content[:500]
    return [q["sql"] for q in ctx.captured_queries]


def assert_flat(
    fetch: Callable[[], HttpResponse],
    add: Callable[[], object],
    *,
    more: int = 4,
    shown: Callable[[HttpResponse], int] | None = None,
    at_most: int | None = None,
) -> None:
    """`fetch()` asks for a list; `add()` puts one more row on it. After one `add()` and after
    `more` further ones, the list makes no more queries (a first fetch fills caches first), and
    never more than `at_most` when given. `shown(response)`, when given, counts the rows
    listed, to prove the rows are on the list."""
    add()
    fetch()
    one = queries(fetch)
    if at_most is not None:
        assert len(one) <= at_most, _growth([], one)
    if shown is not None:
        before = shown(fetch())
    for _ in range(more):
        add()
    many = queries(fetch)
    if shown is not None:
        assert shown(fetch()) == before + more, "the rows added are not on the list"
    assert len(many) <= len(one), _growth(one, many)


def _growth(one: list[str], many: list[str]) -> str:
    lines = [f"{len(one)} queries for one row, {len(many)} for the list:"]
    lines += [f"  {sql[:300]}" for sql in many]
    return "\n".join(lines)
