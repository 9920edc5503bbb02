"""Reads for the review queue. Every query starts from `pairs_for`, which applies the scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.dedupe.models import DedupeModel, DedupeRun, PairStatus, ProbableDuplicate


@dataclass
class PairFilter:
    status: str = PairStatus.PENDING
    kind: str = ""  # "", "workers" or "import"
    min_probability: float | None = None
    district: str = ""
    batch: int | None = None


def pairs_for(user: User) -> QuerySet[ProbableDuplicate]:
    """Pairs whose two records both lie within the user's region (see the model's docstring)."""
    return ProbableDuplicate.objects.filter(scope_q(user))


def queue(user: User, f: PairFilter) -> QuerySet[ProbableDuplicate]:
    qs = pairs_for(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind == "workers":
        qs = qs.filter(other_worker__isnull=False)
    elif f.kind == "import":
        qs = qs.filter(import_row__isnull=False)
    if f.min_probability is not None:
        qs = qs.filter(match_probability__gte=f.min_probability)
    if f.district:
        qs = qs.filter(district_code=f.district)
    if f.batch is not None:
        qs = qs.filter(batch_id=f.batch)
    return qs.select_related(
        "worker__village", "other_worker__village", "import_row", "decided_by"
    ).order_by("-match_probability", "id")


def get_pair(user: User, pk: int) -> ProbableDuplicate | None:
    return (
        pairs_for(user)
        .select_related("worker__village", "other_worker__village", "import_row", "kept")
        .filter(pk=pk)
        .first()
    )


def latest_model() -> DedupeModel | None:
    return DedupeModel.objects.first()


def get_run(pk: int) -> DedupeRun | None:
    return DedupeRun.objects.select_related("model").filter(pk=pk).first()


def latest_run() -> DedupeRun | None:
    return DedupeRun.objects.select_related("model").first()


def rows_merged_into_workers(batch_id: int) -> dict[int, int]:
    """Import rows an officer decided are an already registered worker: {row id: worker id}.

    The import commit leaves these rows out (the worker already took their details).
    """
    return dict(
        ProbableDuplicate.objects.filter(
            batch_id=batch_id, status=PairStatus.MERGED, import_row__isnull=False
        ).values_list("import_row_id", "worker_id")
    )


def pending_rows(batch_id: int) -> set[int]:
    """Import rows of a batch with a probable duplicate still waiting for a decision."""
    return set(
        ProbableDuplicate.objects.filter(
            batch_id=batch_id, status=PairStatus.PENDING, import_row__isnull=False
        ).values_list("import_row_id", flat=True)
    )
