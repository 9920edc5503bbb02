"""What an app above the exchange plugs into `jaring bpjs`: BPJS's monthly statement is
reconciled by contributions (it owns the bills), registered in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

_statement: Callable[..., object] | None = None


def register_statement(importer: Callable[..., object]) -> None:
    global _statement
    _statement = importer


def import_statement(**kwargs) -> object:
    """contributions.statement_services.import_statement(**kwargs)."""
    if _statement is None:
        raise RuntimeError("no statement importer registered (contributions not installed?)")
    return _statement(**kwargs)
