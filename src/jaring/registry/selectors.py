"""Reads from the registry. Every query starts from `workers_for`, which applies the scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.permissions import PERSONAL_DATA
from jaring.accounts.scope import scope_q
from jaring.registry.models import Worker
from jaring.registry.names import name_key
from jaring.rules.nik import normalise


@dataclass
class WorkerFilter:
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""
    disability: str = ""  # "", "yes" or "no"


def workers_for(user: User) -> QuerySet[Worker]:
    return Worker.objects.filter(scope_q(user))


def _prefix_range(field: str, prefix: str) -> dict[str, str]:
    # A range instead of LIKE so that SQLite and PostgreSQL both use the plain B-tree index.
    return {f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"}


def search_workers(user: User, f: WorkerFilter) -> QuerySet[Worker]:
    # A record merged into another stays reachable by its page (history), not in lists.
    qs = workers_for(user).filter(merged_into__isnull=True)
    q = f.q.strip()
    if q:
        digits = normalise(q)
        if digits.isdigit():
            # Viewers see masked NIKs, so they may look one up only whole, never by prefix.
            if len(digits) == 16 or not PERSONAL_DATA.may(user, "see"):
                qs = qs.filter(nik=digits)
            else:
                qs = qs.filter(**_prefix_range("nik", digits))
        else:
            qs = qs.filter(**_prefix_range("name_key", name_key(q)))
    if f.district:
        qs = qs.filter(district_code=f.district)
    if f.village:
        qs = qs.filter(village_id=f.village)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.disability in ("yes", "no"):
        qs = qs.filter(has_disability=f.disability == "yes")
    return qs.select_related("village", "category").order_by("name_key", "id")


def get_worker(user: User, pk: int) -> Worker | None:
    return workers_for(user).select_related("village__parent", "category").filter(pk=pk).first()


def worker_reads(worker: Worker) -> list:
    """Who has seen this worker's whole NIK, newest first (accounts.audit.reads_of)."""
    return audit.reads_of(worker.nik, worker.village_id)


def membership_regencies(worker_ids: list[int]) -> set[str]:
    """The regencies the memberships of these workers are counted in (by sex and disability)."""
    found: set[str] = set()
    for start in range(0, len(worker_ids), 2000):
        chunk = worker_ids[start : start + 2000]
        found |= set(
            Worker.objects.filter(pk__in=chunk, memberships__isnull=False)
            .order_by()
            .values_list("memberships__regency_code", flat=True)
            .distinct()
        )
    return found


# A worker's registration recorded somewhere other than its audit events: an area that adds
# workers without a `create` event (imports: docs/decisions/0003-import-audit.md) registers, in
# its AppConfig.ready(), a function giving that entry or None.
RegistrationSource = Callable[[Worker], audit.Entry | None]
_registration_sources: list[RegistrationSource] = []


def add_registration_source(source: RegistrationSource) -> None:
    if source not in _registration_sources:
        _registration_sources.append(source)


def worker_history(worker: Worker) -> list[audit.Entry]:
    """Every change to the worker, newest first: its audit events, then its registration when
    another area keeps it."""
    events = [audit.Entry.of(e) for e in audit.history(worker)]
    for source in _registration_sources:
        if (registered := source(worker)) is not None:
            return [*events, registered]
    return events
