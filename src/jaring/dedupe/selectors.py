"""Reads for the review queue. Every query starts from `pairs_for`, which applies the scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from jaring.accounts.masking import display_nik, display_phone
from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.core.errors import CoreError, NotFound, Problem
from jaring.dedupe.models import DedupeModel, DedupeRun, PairStatus, ProbableDuplicate
from jaring.regions.models import Region
from jaring.registry.models import Sex

# Fields a merge copies from the merged record into the kept one when the kept one lacks them,
# with what the officer is told before merging.
FILLED_ON_MERGE = ("phone", "address", "rt", "rw", "declared_income", "consent_date")
_FILLED_LABELS = {
    "phone": _("phone"),
    "address": _("address"),
    "rt": "RT",
    "rw": "RW",
    "declared_income": _("declared income"),
    "consent_date": _("consent date"),
}


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


def _with_row_villages(qs: QuerySet[ProbableDuplicate]) -> QuerySet[ProbableDuplicate]:
    # An import row holds a village code, not a key: its name is read with the pair, not per row.
    def name(row: str) -> Subquery:
        return Subquery(
            Region.objects.filter(code=OuterRef(f"{row}__village_code")).values("name")[:1]
        )

    return qs.annotate(
        row_village_name=name("import_row"), other_row_village_name=name("other_import_row")
    )


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
    return _with_row_villages(
        qs.select_related(
            "worker__village",
            "other_worker__village",
            "import_row",
            "other_import_row",
            "decided_by",
            "model",
        )
    ).order_by("-match_probability", "id")


def get_pair(user: User, pk: int) -> ProbableDuplicate:
    """The pair, if the user may see it; NotFound otherwise (as if it did not exist)."""
    pair = (
        _with_row_villages(pairs_for(user))
        .select_related(
            "worker__village",
            "other_worker__village",
            "import_row",
            "other_import_row",
            "kept",
            "model",
        )
        .filter(pk=pk)
        .first()
    )
    if pair is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Pasangan tidak ditemukan.", "Pair not found."))
    return pair


def records(user: User, pair: ProbableDuplicate) -> list[dict[str, object]]:
    """The two records of a pair from `queue` or `get_pair`, side by side, NIKs shown as the
    user may see them."""
    out = []
    for kind, rec in (("worker", pair.worker), ("worker", pair.other_worker)):
        if rec is not None:
            out.append(
                {
                    "kind": kind,
                    "id": rec.pk,
                    "nik": display_nik(user, rec.nik),
                    "full_name": rec.full_name,
                    "birth_date": rec.birth_date,
                    "sex": rec.sex,
                    "sex_text": _sex_text(rec.sex),
                    "village_code": rec.village_id,
                    "village_name": rec.village.name,
                    "phone": display_phone(user, rec.phone),
                    "address": rec.address,
                    "merged_into": rec.merged_into_id,
                }
            )
    for row, village_name in (
        (pair.import_row, pair.row_village_name),
        (pair.other_import_row, pair.other_row_village_name),
    ):
        if row is None:
            continue
        out.append(
            {
                "kind": "import_row",
                "id": row.pk,
                "batch": row.batch_id,
                "row": row.row_number,
                "nik": display_nik(user, row.nik) if row.nik else "",
                "full_name": row.full_name,
                "birth_date": row.birth_date,
                "sex": row.sex,
                "sex_text": _sex_text(row.sex),
                "village_code": row.village_code,
                "village_name": village_name or "",
                "phone": display_phone(user, row.phone),
                "address": row.address,
                "merged_into": None,
            }
        )
    return out


def _sex_text(code: str) -> str:
    return str(Sex(code).label) if code in Sex.values else ""


def merge_fills(pair: ProbableDuplicate) -> dict[int, list[str]]:
    """Per worker that could be kept, the details it lacks that the other record would fill."""
    records = [r for r in (pair.worker, pair.other_worker, pair.import_row) if r is not None]
    out = {}
    for kept in (pair.worker, pair.other_worker):
        if kept is None:
            continue
        other = next(r for r in records if r is not kept)
        out[kept.pk] = [
            str(_FILLED_LABELS[f])
            for f in FILLED_ON_MERGE
            if getattr(kept, f) in ("", None) and getattr(other, f, None) not in ("", None)
        ]
    return out


def latest_model() -> DedupeModel | None:
    return DedupeModel.objects.first()


def get_run(pk: int) -> DedupeRun:
    run = DedupeRun.objects.select_related("model").filter(pk=pk).first()
    if run is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Proses tidak ditemukan.", "Run not found."))
    return run


def latest_run() -> DedupeRun | None:
    return DedupeRun.objects.select_related("model").first()


def batch_pairs(batch_id: int) -> list[dict[str, object]]:
    """An import's probable duplicates for its summary: the rows (spreadsheet row numbers) and
    the registered worker of each pair, its probability and status."""
    pairs = ProbableDuplicate.objects.filter(batch_id=batch_id).order_by("-match_probability", "id")
    return [
        {
            "pair": pk,
            "rows": [n for n in (row, other_row) if n is not None],
            "worker": worker if row is not None else None,
            "match_probability": round(probability, 4),
            "status": status,
        }
        for pk, row, other_row, worker, probability, status in pairs.values_list(
            "pk",
            "import_row__row_number",
            "other_import_row__row_number",
            "worker_id",
            "match_probability",
            "status",
        )
    ]
