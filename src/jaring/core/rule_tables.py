"""The rule tables in force, for an area below contributions (a programme's budget).

Contributions keeps the versions an admin imports and merges them over the shipped files
(`contributions.rate_tables.current_tables`); it registers that function here in its
AppConfig.ready(), so that pricing a programme never imports contributions.
"""

from __future__ import annotations

from collections.abc import Callable

from jaring.rules.rates import RuleTables

_source: Callable[[], RuleTables] | None = None


def register(source: Callable[[], RuleTables]) -> None:
    global _source
    _source = source


def current_tables() -> RuleTables:
    if _source is None:
        raise LookupError("no rule-table source: contributions registers it when Django starts")
    return _source()
