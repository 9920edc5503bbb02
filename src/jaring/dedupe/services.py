"""Writes for probable-duplicate detection: training, runs, the queue, and officers' decisions."""

from __future__ import annotations

import logging
import os
import time

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import in_scope
from jaring.core import events, jobs
from jaring.core.errors import Conflict, CoreError, PermissionDenied, Problem, ValidationFailed
from jaring.dedupe import frames, linkage, row_notes, store
from jaring.dedupe.errors import DedupeError
from jaring.dedupe.models import (
    DedupeModel,
    DedupeRun,
    ModelKind,
    PairStatus,
    ProbableDuplicate,
    RunStatus,
)
from jaring.dedupe.permissions import DUPLICATES
from jaring.dedupe.selectors import FILLED_ON_MERGE, get_pair, pairs_for
from jaring.imports.models import ImportBatch, ImportRow, Outcome
from jaring.imports.models import Status as ImportStatus
from jaring.registry.models import Worker
from jaring.registry.services import snapshot

log = logging.getLogger(__name__)

# Below this, random pairs of the registry say too little about how strangers agree (u), and
# the default model is used instead; a city registry passes it with its first list.
MIN_RECORDS_TO_TRAIN = 1000


def default_threshold() -> float:
    return float(
        getattr(settings, "JARING_DEDUPE_THRESHOLD", None)
        or os.environ.get("JARING_DEDUPE_THRESHOLD", linkage.DEFAULT_THRESHOLD)
    )


def _check_threshold(threshold: float) -> float:
    if not 0 < threshold < 1:
        raise ValidationFailed(
            Problem(
                DedupeError.THRESHOLD_INVALID,
                "Ambang peluang harus di antara 0 dan 1.",
                "The probability threshold must lie between 0 and 1.",
                field="threshold",
            )
        )
    return threshold


# --- the model ----------------------------------------------------------------------------------


def train_model(*, registry: pl.DataFrame | None = None) -> DedupeModel:
    """Trains on the registry (no labels) and saves the model as the current one."""
    registry = frames.registry_frame() if registry is None else registry
    if len(registry) < MIN_RECORDS_TO_TRAIN:
        raise Conflict(
            Problem(
                DedupeError.TOO_FEW_RECORDS,
                f"Model duplikat butuh sedikitnya {MIN_RECORDS_TO_TRAIN} pekerja terdaftar untuk "
                f"dilatih; baru ada {len(registry)}. Model bawaan Jaring tetap dipakai.",
                f"The duplicate model needs at least {MIN_RECORDS_TO_TRAIN} registered workers "
                f"to be trained; there are {len(registry)}. Jaring's default model stays in use.",
            )
        )
    trained = linkage.train(registry)
    return DedupeModel.objects.create(
        record_count=trained.record_count,
        backend=linkage.backend_name(),
        kind=ModelKind.REGISTRY,
        version=linkage.MODEL_VERSION,
        model=trained.as_dict(),
    )


def default_model() -> DedupeModel:
    """Jaring's default model, saved once so that pairs can say it scored them."""
    shipped = linkage.default_model()
    saved, _ = DedupeModel.objects.get_or_create(
        kind=ModelKind.DEFAULT,
        version=linkage.MODEL_VERSION,
        defaults={
            "record_count": shipped.record_count,
            "backend": "",
            "model": shipped.as_dict(),
        },
    )
    return saved


def current_model(*, registry: pl.DataFrame | None = None, retrain: bool = False) -> DedupeModel:
    """The model to score with: the newest trained on this registry, else one trained now if
    the registry is large enough (or `retrain`), else Jaring's default.

    A city's first lists are checked with the default model; the first check after the
    registry holds MIN_RECORDS_TO_TRAIN workers trains one on them.
    """
    saved = DedupeModel.objects.filter(
        version=linkage.MODEL_VERSION, kind=ModelKind.REGISTRY
    ).first()
    if saved is not None and not retrain:
        return saved
    size = len(registry) if registry is not None else live_workers().count()
    if size < MIN_RECORDS_TO_TRAIN:
        return default_model()
    return train_model(registry=registry)


def live_workers():
    return Worker.objects.filter(merged_into__isnull=True)


# --- the queue ----------------------------------------------------------------------------------


def _decided_nik_pairs() -> pl.Series:
    """NIK pairs an officer has decided on (merged or distinct): never queued again."""
    decided = ProbableDuplicate.objects.exclude(
        status__in=[PairStatus.PENDING, PairStatus.OBSOLETE]
    ).values_list("nik_pair", flat=True)
    return pl.Series("nik_pair", list(decided), dtype=pl.String)


def _with_people(pairs: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """Pairs with each side's NIK and village (nik_a/village_code_a for unique_id_l...)."""

    def side(frame: pl.DataFrame, suffix: str, key: str) -> pl.DataFrame:
        return frame.select(
            pl.col("unique_id").alias(key),
            pl.col("nik").alias(f"nik_{suffix}"),
            pl.col("village_code").alias(f"village_code_{suffix}"),
        )

    return pairs.join(side(left, "a", "unique_id_l"), on="unique_id_l").join(
        side(right, "b", "unique_id_r"), on="unique_id_r"
    )


def _queue_worker_pairs(
    pairs: pl.DataFrame, registry: pl.DataFrame, model: DedupeModel, run: DedupeRun | None
) -> dict[str, int]:
    pairs = _with_people(pairs, registry, registry).with_columns(
        pl.min_horizontal("unique_id_l", "unique_id_r").alias("low"),
        pl.max_horizontal("unique_id_l", "unique_id_r").alias("high"),
        store.nik_pair(pl.col("nik_a"), pl.col("nik_b")).alias("nik_pair"),
    )
    found = len(pairs)
    decided = pairs.filter(pl.col("nik_pair").is_in(_decided_nik_pairs().implode()))
    pairs = pairs.filter(~pl.col("nik_pair").is_in(decided["nik_pair"].implode()))
    existing = pl.DataFrame(
        list(
            ProbableDuplicate.objects.filter(other_worker__isnull=False).values_list(
                "worker_id", "other_worker_id"
            )
        ),
        schema={"low": pl.Int64, "high": pl.Int64},
        orient="row",
    )
    new = pairs.join(existing, on=["low", "high"], how="anti")
    store.insert(
        store.pair_rows(
            new,
            model,
            worker="low",
            other_worker="high",
            batch_id=None,
            run_id=run.pk if run else None,
        )
    )
    return {
        "pairs_found": found,
        "new_pairs": len(new),
        "already_queued": len(pairs) - len(new),
        "already_decided": len(decided),
    }


# --- runs ---------------------------------------------------------------------------------------


def start_run(*, actor: User | None, threshold: float | None = None, retrain: bool = False):
    """Queues a full run for the background worker (`jaring db_worker`)."""
    DUPLICATES.check(actor, "decide")
    run = DedupeRun.objects.create(
        started_by=actor,
        threshold=_check_threshold(threshold or default_threshold()),
        retrain=retrain,
    )
    result = run_dedupe_task.enqueue(run.pk)
    DedupeRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def run_dedupe(
    *,
    actor: User | None = None,
    threshold: float | None = None,
    retrain: bool = False,
    run: DedupeRun | None = None,
) -> DedupeRun:
    """Detection over the whole registry; fills the review queue. Returns the finished run."""
    if run is None:
        run = DedupeRun.objects.create(
            started_by=actor,
            threshold=_check_threshold(threshold or default_threshold()),
            retrain=retrain,
        )
    jobs.claim(DedupeRun.objects.filter(pk=run.pk), status=RunStatus.RUNNING)
    with jobs.heartbeat(DedupeRun, run.pk):
        return _detect(run)


def _detect(run: DedupeRun) -> DedupeRun:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    try:
        registry = frames.registry_frame()
        timings["read"] = time.perf_counter() - start
        saved = current_model(registry=registry, retrain=run.retrain)
        model = linkage.TrainedModel.from_dict(saved.model)
        timings["model"] = time.perf_counter() - start - sum(timings.values())
        pairs = linkage.score_registry(registry, model, threshold=run.threshold)
        timings["predict"] = time.perf_counter() - start - sum(timings.values())
        with transaction.atomic():
            counts = _queue_worker_pairs(pairs, registry, saved, run)
        timings["queue"] = time.perf_counter() - start - sum(timings.values())
    except Exception as exc:
        log.exception("dedupe run %s failed", run.pk)
        DedupeRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    timings["total"] = time.perf_counter() - start
    summary = {
        **counts,
        "records": len(registry),
        "threshold": run.threshold,
        "model": {
            "id": saved.pk,
            "trained_at": saved.trained_at.isoformat(),
            "record_count": saved.record_count,
            "backend": saved.backend,
            "kind": saved.kind,
            "description": str(saved.description),
            "retrained": saved.kind == ModelKind.REGISTRY and saved.trained_at >= run.created_at,
        },
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    DedupeRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, model=saved, summary=summary, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


@task()
def run_dedupe_task(run_id: int) -> str:
    """A full run in the background: it runs in `jaring db_worker`, not in a request."""
    return run_dedupe(run=DedupeRun.objects.get(pk=run_id)).status


def _laps(timings: dict[str, float]):
    """A stopwatch writing the seconds since its last lap into `timings` under each name."""
    last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[name] = round(now - last, 2)
        last = now

    return lap


def find_probable_duplicates_for_batch(
    *, batch_id: int, threshold: float | None = None, timings: dict[str, float] | None = None
) -> int:
    """Checks an import batch's new rows against the registry and against each other.

    Queues row–worker pairs and row–row pairs (the same person typed twice with another NIK)
    and notes each flagged row's pairs among its reasons, for the preview. Returns how many
    pairs were put in the queue. Called by the import check; an empty registry or one too small
    to train on is checked with Jaring's default model, so a city's first list is checked too.
    Both checks score with the prior of the registry and the rows together, as a full run after
    the commit would: they find the pairs it would find. `timings`, if given, receives the
    seconds each step took.
    """
    lap = _laps({} if timings is None else timings)
    threshold = _check_threshold(threshold or default_threshold())
    rows = frames.batch_frame(batch_id)
    if rows.is_empty():
        return 0
    registry = frames.registry_frame()
    lap("read")
    saved = current_model(registry=registry)
    model = linkage.TrainedModel.from_dict(saved.model)
    decided = _decided_nik_pairs().implode()

    def undecided(pairs: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
        pairs = _with_people(pairs, rows, right).with_columns(
            store.nik_pair(pl.col("nik_a"), pl.col("nik_b")).alias("nik_pair")
        )
        return pairs.filter(~pl.col("nik_pair").is_in(decided))

    to_registry = linkage.score_candidates(rows, registry, model, threshold=threshold)
    lap("against_registry")
    # Rows with equal NIKs never get here (the import's exact check took them).
    within = linkage.score_registry(
        rows, model, threshold=threshold, records=len(registry) + len(rows)
    )
    to_registry, within = linkage.one_of_twins_across(rows, registry, to_registry, within)
    to_registry, within = undecided(to_registry, registry), undecided(within, rows)
    lap("within_file")
    with transaction.atomic():
        ProbableDuplicate.objects.filter(batch_id=batch_id, status=PairStatus.PENDING).delete()
        common = {"model": saved, "batch_id": batch_id, "run_id": None}
        store.insert(
            store.pair_rows(to_registry, worker="unique_id_r", import_row="unique_id_l", **common)
        )
        store.insert(
            store.pair_rows(
                within, import_row="unique_id_l", other_import_row="unique_id_r", **common
            )
        )
        row_notes.write(batch_id)
    lap("queue")
    return len(to_registry) + len(within)


def rows_committed(*, batch_id: int) -> int:
    """The batch's rows are workers now: its pairs still waiting become worker–worker pairs.

    Called by the import commit inside its transaction, after the new workers are added (a
    committed row's worker has the row's NIK). Returns how many pairs were carried over.
    """
    pending = list(
        ProbableDuplicate.objects.filter(
            batch_id=batch_id, status=PairStatus.PENDING, import_row__isnull=False
        ).select_related("import_row", "other_import_row")
    )
    if not pending:
        return 0
    added = ImportRow.objects.filter(batch_id=batch_id, outcome=Outcome.NEW).values("nik")
    worker_of = dict(Worker.objects.filter(nik__in=added).values_list("nik", "pk"))
    carried, gone = [], []
    for pair in pending:
        ids = [worker_of.get(pair.import_row.nik)]
        ids.append(
            worker_of.get(pair.other_import_row.nik) if pair.other_import_row else pair.worker_id
        )
        if None in ids:  # a row that was not added: nothing left to decide
            gone.append(pair.pk)
            continue
        pair.worker_id, pair.other_worker_id = min(ids), max(ids)
        pair.import_row = pair.other_import_row = None
        carried.append(pair)
    ProbableDuplicate.objects.bulk_update(
        carried, ["worker", "other_worker", "import_row", "other_import_row"], batch_size=1000
    )
    ProbableDuplicate.objects.filter(pk__in=gone).update(status=PairStatus.OBSOLETE)
    return len(carried)


# --- decisions ----------------------------------------------------------------------------------


def _pending_pair(actor: User, pair_id: int) -> ProbableDuplicate:
    # Another region's pair is not found before the role is asked about (accounts.scope).
    pair = pairs_for(actor).select_for_update().filter(pk=pair_id).first()
    if pair is None:
        get_pair(actor, pair_id)  # raises NotFound
    DUPLICATES.check(actor, "decide")
    if not pair.is_pending:
        raise Conflict(
            Problem(
                DedupeError.PAIR_DECIDED,
                "Pasangan ini sudah diputuskan.",
                "This pair has already been decided.",
                params={"status": pair.status},
            )
        )
    return pair


def _decide(pair: ProbableDuplicate, actor: User, status: str, note: str, kept=None) -> None:
    pair.status = status
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.note = note.strip()
    pair.kept = kept
    pair.save(update_fields=["status", "decided_by", "decided_at", "note", "kept"])


def _label(record: Worker | ImportRow) -> dict[str, object]:
    if isinstance(record, Worker):
        return {"worker": record.pk}
    return {"import_row": record.pk, "batch": record.batch_id, "row": record.row_number}


def _region(record: Worker | ImportRow) -> str:
    return record.village_id if isinstance(record, Worker) else record.village_code


def _records(pair: ProbableDuplicate) -> list[Worker | ImportRow]:
    both = (pair.worker, pair.other_worker, pair.import_row, pair.other_import_row)
    return [r for r in both if r is not None]


@transaction.atomic
def mark_distinct(*, actor: User, pair_id: int, note: str = "") -> ProbableDuplicate:
    """The two are different people: remembered, and never asked again."""
    pair = _pending_pair(actor, pair_id)
    _decide(pair, actor, PairStatus.DISTINCT, note)
    records = _records(pair)
    for record, other in zip(records, reversed(records), strict=True):
        audit.record(
            actor=actor,
            action="marked_distinct",
            target=record,
            region_code=_region(record),
            before=None,
            after={"distinct_from": _label(other), "pair": pair.pk},
            reason=note,
        )
    if pair.import_row_id:
        row_notes.write(pair.batch_id, rows=[pair.import_row_id, pair.other_import_row_id])
    return pair


def _fill_blanks(kept: Worker, source: dict[str, object]) -> dict[str, object]:
    filled = {}
    for field in FILLED_ON_MERGE:
        if getattr(kept, field) in ("", None) and source.get(field) not in ("", None):
            setattr(kept, field, source[field])
            filled[field] = source[field]
    if not kept.has_disability and source.get("has_disability"):
        kept.has_disability = True
        kept.disability_kind = source.get("disability_kind") or ""
        filled["has_disability"] = True
    return filled


def _check_in_scope(actor: User, *workers: Worker) -> None:
    for w in workers:
        if not in_scope(actor, w.village_id):
            raise PermissionDenied(
                Problem(
                    CoreError.OUT_OF_SCOPE,
                    "Pekerja ini di luar wilayah kerja Anda.",
                    "This worker is outside your region.",
                )
            )


def _already_merged() -> Conflict:
    return Conflict(
        Problem(
            DedupeError.ALREADY_MERGED,
            "Salah satu pekerja sudah digabung ke data lain.",
            "One of the workers has already been merged into another record.",
        )
    )


def _take_details(actor: User, kept: Worker, source: dict, label: dict, note: str, **more):
    """Fills the kept worker's blanks from the record given up; audits it as the merge."""
    before = snapshot(kept)
    filled = _fill_blanks(kept, source)
    if filled:
        kept.save()
    audit.record(
        actor=actor,
        action="merge",
        target=kept,
        region_code=kept.village_id,
        before={k: before.get(k) for k in filled},
        after={**{k: snapshot(kept).get(k) for k in filled}, "merged_from": label, **more},
        reason=note,
    )


@transaction.atomic
def merge(*, actor: User, pair_id: int, keep: int | None = None, note: str = "") -> Worker:
    """The two are one person: keep one worker, fill its blanks from the other.

    Worker–worker: `keep` is the id of the worker to keep (default: the older record); the
    other is marked `merged_into` the kept one — both keep their history, and each gets an
    audit event naming the other — and its memberships and claims move to the kept one (the
    areas that own them answer `core.events.worker_merged`: `enrolment.merge`, `claims.merge`).
    Import row–worker: the worker is kept and takes the row's missing details; the row becomes
    "already registered" and is not added when the import is committed. Two rows of one import
    are merged once committed (both are workers then).
    """
    pair = _pending_pair(actor, pair_id)
    if pair.is_within_file:
        raise Conflict(
            Problem(
                DedupeError.ROWS_NOT_COMMITTED,
                "Kedua baris belum menjadi pekerja: simpan impor ini dulu, lalu gabungkan kedua "
                "pekerja (pasangan ini tetap di antrean).",
                "Neither row is a worker yet: commit the import first, then merge the two "
                "workers (this pair stays in the queue).",
            )
        )
    kept = (
        _merge_row(actor, pair, note)
        if pair.import_row_id
        else _merge_workers(actor, pair, keep, note)
    )
    _decide(pair, actor, PairStatus.MERGED, note, kept=kept)
    return kept


def _merge_row(actor: User, pair: ProbableDuplicate, note: str) -> Worker:
    batch = ImportBatch.objects.select_for_update().get(pk=pair.batch_id)
    if batch.status != ImportStatus.READY:
        raise Conflict(
            Problem(
                DedupeError.BATCH_NOT_OPEN,
                "Impor ini sedang diperiksa atau disimpan; putuskan setelah selesai.",
                "This import is being checked or committed; decide when it is done.",
            )
        )
    kept = Worker.objects.select_for_update().get(pk=pair.worker_id)
    if kept.merged_into_id:
        raise _already_merged()
    _check_in_scope(actor, kept)
    row = ImportRow.objects.select_for_update().get(pk=pair.import_row_id)
    source = {f: getattr(row, f) for f in (*FILLED_ON_MERGE, "has_disability")}
    source["disability_kind"] = row.disability_kind
    _take_details(actor, kept, source, _label(row), note)
    row.outcome, row.worker_id = Outcome.UNCHANGED, kept.pk
    row.reasons = [row_notes.merged_note(kept.pk)]
    row.save(update_fields=["outcome", "worker_id", "reasons"])
    counts = dict(batch.counts)
    counts[Outcome.NEW] = counts.get(Outcome.NEW, 1) - 1
    counts[Outcome.UNCHANGED] = counts.get(Outcome.UNCHANGED, 0) + 1
    ImportBatch.objects.filter(pk=batch.pk).update(counts=counts)
    # The row's other open pairs are about a row that will not become a worker.
    others = ProbableDuplicate.objects.filter(
        Q(import_row=row) | Q(other_import_row=row), status=PairStatus.PENDING
    ).exclude(pk=pair.pk)
    touched = {r for ids in others.values_list("import_row_id", "other_import_row_id") for r in ids}
    others.update(status=PairStatus.OBSOLETE)
    row_notes.write(batch.pk, rows=touched - {row.pk, None})
    return kept


def _merge_workers(actor: User, pair: ProbableDuplicate, keep: int | None, note: str) -> Worker:
    ids = {pair.worker_id, pair.other_worker_id}
    keep = keep or min(ids)
    if keep not in ids:
        raise ValidationFailed(
            Problem(
                DedupeError.KEEP_INVALID,
                "Pekerja yang dipertahankan harus salah satu dari pasangan ini.",
                "The worker to keep must be one of this pair.",
                field="keep",
            )
        )
    locked = {w.pk: w for w in Worker.objects.select_for_update().filter(pk__in=ids)}
    kept, merged = locked[keep], locked[(ids - {keep}).pop()]
    if kept.merged_into_id or merged.merged_into_id:
        raise _already_merged()
    _check_in_scope(actor, kept, merged)
    carried: dict[str, list[int]] = {}
    for _receiver, done in events.worker_merged.send(
        sender="dedupe", actor=actor, kept=kept, merged=merged, note=note
    ):
        carried |= done or {}
    source = snapshot(merged)
    label = {"worker": merged.pk, "nik": merged.nik}
    _take_details(actor, kept, source, label, note, memberships=carried)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    audit.record(
        actor=actor,
        action="merged_into",
        target=merged,
        region_code=merged.village_id,
        before={"merged_into": None},
        after={"merged_into": kept.pk, "nik": kept.nik, "memberships": carried},
        reason=note,
    )
    # Other open pairs of the merged record are about a record that is no longer live.
    ProbableDuplicate.objects.filter(
        Q(worker=merged) | Q(other_worker=merged), status=PairStatus.PENDING
    ).exclude(pk=pair.pk).update(status=PairStatus.OBSOLETE)
    return kept
