"""The rule tables in force: the shipped files with every admin import merged over them.

`current_tables()` is what billing (and any caller wanting the admin's versions) passes to the
calculators in `jaring.rules`. It is rebuilt only when the imports change: one small query per
call decides that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jaring.contributions.models import RateImport
from jaring.rules.rates import RuleTables, build_tables, shipped_documents

DISCOUNTS = "contribution_discounts"
_cache: dict[tuple, RuleTables] = {}


def _key() -> tuple:
    return tuple(RateImport.objects.order_by("id").values_list("id", "sha256"))


def documents(imports: Iterable[RateImport]) -> list[dict[str, object]]:
    """Shipped documents, then each import's, with the end dates the imports gave applied."""
    imports = list(imports)
    docs = [*shipped_documents(), *(imp.document for imp in imports)]
    ends = {(c["table"], c["id"]): c["effective_to"] for imp in imports for c in imp.closes}
    if not ends:
        return docs
    out = []
    for doc in docs:
        out.append(
            {
                table: [
                    v | {"effective_to": ends[(table, v.get("id"))]}
                    if isinstance(v, dict) and (table, v.get("id")) in ends
                    else v
                    for v in versions
                ]
                if isinstance(versions, list)
                else versions
                for table, versions in doc.items()
            }
        )
    return out


def current_tables() -> RuleTables:
    key = _key()
    if key not in _cache:
        _cache.clear()
        _cache[key] = build_tables(*documents(RateImport.objects.order_by("id")))
    return _cache[key]


@dataclass(frozen=True)
class VersionRow:
    table: str
    id: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    status: str
    incomplete: bool
    note: str
    import_id: int | None  # None: shipped with Jaring

    def as_dict(self) -> dict[str, object]:
        return {
            "table": self.table,
            "id": self.id,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "source": self.source,
            "status": self.status,
            "incomplete": self.incomplete,
            "note": self.note,
            "origin": f"import #{self.import_id}" if self.import_id else "shipped",
        }


def version_rows(table: str | None = None) -> list[VersionRow]:
    """Every version of every table (or of `table`) in force order, with where it came from."""
    tables = current_tables()
    origin = {
        (name, v.get("id")): imp.pk
        for imp in RateImport.objects.order_by("id")
        for name, versions in imp.document.items()
        for v in versions
        if isinstance(v, dict)
    }
    rows = []
    for name in tables.__dataclass_fields__:
        if table and name != table:
            continue
        if name == DISCOUNTS:
            for d in tables.contribution_discounts:
                first = min(p.months_from for p in d.periods)
                last = max(p.months_to for p in d.periods)
                rows.append(
                    VersionRow(
                        name,
                        d.id,
                        first,
                        last,
                        d.regulation,
                        d.status,
                        False,
                        d.note,
                        origin.get((name, d.id)),
                    )
                )
            continue
        for version in getattr(tables, name):
            m = version.meta
            rows.append(
                VersionRow(
                    name,
                    m.id,
                    m.effective_from,
                    m.effective_to,
                    m.source,
                    m.status,
                    m.incomplete,
                    m.note,
                    origin.get((name, m.id)),
                )
            )
    return rows
