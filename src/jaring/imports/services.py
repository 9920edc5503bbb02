"""Writes of the import: accept a file, check it (in the background), commit it."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import polars as pl
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import in_scope, scope_code
from jaring.core import events, jobs
from jaring.core.errors import (
    Conflict,
    CoreError,
    DomainError,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from jaring.core.spreadsheets import check_size, sniff
from jaring.core.spreadsheets import file_problem as spreadsheet_problem
from jaring.imports import columns, exports, hooks, pipeline, selectors, staging, values
from jaring.imports.errors import ImportsError
from jaring.imports.models import ImportBatch, ImportRow, Outcome, Status, ValueSynonym
from jaring.imports.permissions import IMPORTS
from jaring.imports.reasons import file_problem
from jaring.regions.errors import RegionError
from jaring.regions.models import Region
from jaring.registry import services as registry

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]

# Share of the progress bar each stage ends at.
_STAGE_END = {"reading": 0.2, "checking": 0.6, "registry": 0.8, "saving": 0.95, "duplicates": 1.0}


def import_region(actor: User, region_code: str | None) -> str:
    """The region an import's rows must lie in: the one asked for, within the actor's scope."""
    own = scope_code(actor)
    if not region_code:
        if own == "":
            raise PermissionDenied(file_problem(CoreError.OUT_OF_SCOPE, code="-"))
        return own or ""
    region_code = region_code.strip()
    if not Region.objects.filter(code=region_code).exists():
        raise ValidationFailed(file_problem(RegionError.REGION_UNKNOWN, code=region_code))
    if not in_scope(actor, region_code):
        raise PermissionDenied(file_problem(CoreError.OUT_OF_SCOPE, code=region_code))
    return region_code


def create_batch(
    *,
    actor: User,
    upload: File,
    name: str,
    region_code: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportBatch:
    """Keeps the file and its hash and queues the check. Refuses, before reading anything,
    a file that is empty or too large, and one that is not a spreadsheet."""
    IMPORTS.check(actor, "import")
    region = import_region(actor, region_code)
    check_size(upload.size)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    batch = ImportBatch(
        created_by=actor,
        region_code=region,
        original_name=Path(name).name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        mapping=mapping or {},
        status=Status.QUEUED,
    )
    batch.file.save(Path(name).name, upload, save=False)
    try:
        batch.file_format = sniff(Path(batch.file.path))
    except DomainError:
        batch.file.delete(save=False)
        raise
    # Only a batch the actor may see: another region's imports are not theirs to know of.
    earlier = (
        selectors.batches_for(actor)
        .filter(sha256=batch.sha256, status=Status.COMMITTED)
        .order_by("committed_at")
        .first()
    )
    if earlier:
        batch.counts = {"same_file_as": earlier.pk}
    batch.save()
    return batch


def enqueue(batch: ImportBatch) -> None:
    result = check_batch_task.enqueue(batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))


def _reporter(batch_id: int, progress: Progress | None) -> Progress:
    """Stores the stage and the share done (for the page) and passes them on (for the CLI)."""

    def report(stage: str, fraction: float) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(stage=stage, progress=round(100 * fraction))
        if progress:
            progress(stage, fraction)

    return report


def check_batch(*, batch_id: int, progress: Progress | None = None) -> ImportBatch:
    """Reads, checks and stores every row's outcome; the batch ends ready, or says why not.

    A problem with the file never escapes as an exception: it is stored on the batch.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status in (Status.COMMITTED, Status.COMMITTING):
        raise Conflict(_already_committed())
    jobs.claim(ImportBatch.objects.filter(pk=batch.pk), status=Status.RUNNING, problems=[])
    with jobs.heartbeat(ImportBatch, batch.pk):
        return _check(batch, _reporter(batch.pk, progress))


def _check(batch: ImportBatch, report: Progress) -> ImportBatch:
    try:
        analysis = pipeline.analyse(
            Path(batch.file.path),
            region_code=batch.region_code,
            mapping=batch.mapping or None,
            header_row=batch.header_row if batch.mapping else None,
            value_map=batch.value_map,
            today=timezone.localdate(),
            progress=report,
        )
    except pipeline.MappingNeeded as exc:
        return _finish(
            batch,
            Status.NEEDS_MAPPING,
            unrecognised=[],
            problems=exc.problems,
            headers=exc.sheet.headers,
            header_row=exc.sheet.header_row,
            mapping=exc.mapping,
        )
    except DomainError as exc:
        return _finish(batch, Status.FAILED, problems=exc.problems)
    except Exception as exc:  # a bug must not kill the worker process or hide the batch
        log.exception("import batch %s failed", batch.pk)
        problem = spreadsheet_problem(CoreError.FILE_UNREADABLE, detail=type(exc).__name__)
        return _finish(batch, Status.FAILED, problems=[problem])
    counts = dict(analysis.counts)
    counts["probable_duplicates"] = _stage(analysis, batch.pk, report)
    if "same_file_as" in batch.counts:
        counts["same_file_as"] = batch.counts["same_file_as"]
    return _finish(
        batch,
        Status.READY,
        counts=counts,
        unrecognised=analysis.unrecognised,
        headers=analysis.sheet.headers,
        header_row=analysis.sheet.header_row,
        mapping=analysis.mapping,
        file_format=analysis.sheet.file_format,
    )


@task()
def check_batch_task(batch_id: int) -> str:
    """The check in the background: it runs in `jaring db_worker`, not in a request."""
    return check_batch(batch_id=batch_id).status


def _stage(analysis: pipeline.Analysis, batch_id: int, report: Progress) -> int | None:
    """Stores the analysis' rows as the batch's, then counts their probable duplicates."""
    report("saving", _STAGE_END["registry"])
    with transaction.atomic():
        ImportRow.objects.filter(batch_id=batch_id).delete()
        staging.save_rows(
            analysis.rows,
            batch_id=batch_id,
            originals=originals(analysis),
            progress=lambda f: report("saving", 0.8 + 0.15 * f),
        )
    report("duplicates", _STAGE_END["saving"])
    return probable_duplicates(batch_id)


# The batch id a dry run stages its rows under: no batch has it (ids start at 1), and the rows
# need none, as ImportRow.batch has no database constraint; a dry run may have no user to own one.
_DRY_RUN_BATCH = 0


def dry_run_probable_duplicates(analysis: pipeline.Analysis, progress: Progress) -> int | None:
    """What a check would count as probable duplicates among the analysis' rows, writing nothing.

    The check's own code stages and flags the rows, inside a transaction that is then rolled
    back: the rows, the pairs, their notes and a model trained on the way all go with it, and
    that code saves no file and queues no task that could escape it (only PostgreSQL's id
    sequences move on). The price: on SQLite the write lock is held while the rows are scored,
    and two dry runs at once wait for each other on the rows' (batch, row) key.
    """
    with transaction.atomic():
        found = _stage(analysis, _DRY_RUN_BATCH, progress)
        transaction.set_rollback(True)
    return found


def originals(analysis: pipeline.Analysis) -> dict[int, str]:
    """The cells as read, for the rows that go back to the sender."""
    wanted = analysis.not_imported()["row"]
    cells = analysis.sheet.frame.with_row_index("row", offset=analysis.sheet.header_row + 1)
    picked = cells.filter(pl.col("row").cast(pl.Int64).is_in(wanted.implode()))
    return {
        row.pop("row"): json.dumps(row, ensure_ascii=False) for row in picked.iter_rows(named=True)
    }


def probable_duplicates(batch_id: int) -> int | None:
    """How many new rows the probable-duplicate detector flags; None when it is not installed."""
    if hooks.duplicate_check is None:
        return None
    try:
        return hooks.duplicate_check.flag(batch_id)
    except DomainError as exc:  # e.g. no model can be trained yet: the rows are still checked
        log.warning("import batch %s: probable duplicates not checked: %s", batch_id, exc)
        return None


def _finish(batch: ImportBatch, status: str, problems=(), **fields) -> ImportBatch:
    fields["problems"] = [p.as_dict() if isinstance(p, Problem) else p for p in problems]
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, finished_at=timezone.now(), stage="", progress=100, **fields
    )
    batch.refresh_from_db()
    return batch


def check_again(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Puts a batch back in the queue to be checked again (`enqueue` it, or `check_batch` it
    at once): one whose check or commit was interrupted (then commit it), or one checked
    before the registry changed."""
    IMPORTS.check(actor, "import")
    if not in_scope(actor, batch.region_code):
        raise PermissionDenied(file_problem(CoreError.OUT_OF_SCOPE, code=batch.region_code or "-"))
    queued = ImportBatch.objects.filter(
        pk=batch.pk, status__in=(Status.FAILED, Status.READY, Status.NEEDS_MAPPING)
    ).update(status=Status.QUEUED, stage="", progress=0, problems=[], task_id="")
    if not queued:
        raise Conflict(_already_committed())
    batch.refresh_from_db()
    return batch


def remap(
    *, actor: User, batch: ImportBatch, mapping: dict[str, str], header_row: int | None = None
) -> ImportBatch:
    """The officer's mapping replaces the guess; the batch is checked again."""
    IMPORTS.check(actor, "import")
    if batch.status in (Status.COMMITTED, Status.COMMITTING, Status.RUNNING):
        raise Conflict(_already_committed())
    if batch.headers:
        mapping = columns.check_mapping(mapping, batch.headers)
    batch.mapping = mapping
    batch.header_row = header_row or batch.header_row
    batch.status = Status.QUEUED
    batch.task_id = ""  # the last check's task has ended: it is not this one (core.jobs)
    batch.save(update_fields=["mapping", "header_row", "status", "task_id"])
    return batch


def _already_committed() -> Problem:
    return Problem(
        ImportsError.BATCH_COMMITTED,
        "Impor ini sudah disimpan ke registri atau sedang diproses.",
        "This import is already committed or is being processed.",
    )


def commit_batch(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Adds the new workers and applies the updates: all of them in one transaction, or none."""
    IMPORTS.check(actor, "import")
    if not in_scope(actor, batch.region_code):
        raise PermissionDenied(file_problem(CoreError.OUT_OF_SCOPE, code=batch.region_code or "-"))
    claimed = jobs.claim(
        ImportBatch.objects.filter(pk=batch.pk, status=Status.READY),
        status=Status.COMMITTING,
        stage="committing",
        progress=0,
    )
    if not claimed:
        raise Conflict(not_ready_problem())
    with jobs.heartbeat(ImportBatch, batch.pk):
        return _commit(actor, batch)


def not_ready_problem() -> Problem:
    """A commit of an import not checked yet, or committed already (the preview says it too)."""
    return Problem(
        ImportsError.BATCH_NOT_READY,
        "Impor ini belum siap disimpan (belum diperiksa, atau sudah disimpan).",
        "This import is not ready to commit (not checked yet, or already committed).",
    )


def _commit(actor: User, batch: ImportBatch) -> ImportBatch:
    try:
        with transaction.atomic():
            # Locked until the commit ends: a recovery sweep on another machine waits for it
            # and then finds the batch committed, never committed and "interrupted" both.
            list(ImportBatch.objects.select_for_update().filter(pk=batch.pk).values_list("pk"))
            source = f"impor #{batch.pk}: {batch.original_name}"[:100]
            added = registry.register_from_import(
                actor=actor,
                # Each worker points at its row, its registration record.
                rows=selectors.batch_rows(batch, outcome=Outcome.NEW),
                region_code=batch.region_code,
                # The check's count: near enough to choose whether to rebuild the indexes,
                # and counting the rows again scans a million of them (0.5 s).
                adding=batch.counts.get("new", 0),
                source=source,
            )
            updated = _apply_updates(actor, batch)
            # E.g. the batch's probable duplicates waiting for review are about workers now.
            events.import_committed.send(sender="imports", batch_id=batch.pk)
            # One event for the batch, when it changed the registry (the same file again
            # changes nothing); each added worker's registration is its ImportRow.
            if added or updated:
                audit.record(
                    actor=actor,
                    action="import",
                    target=batch,
                    region_code=batch.region_code,
                    before=None,
                    after={
                        "file": batch.original_name,
                        "sha256": batch.sha256,
                        "workers_added": added,
                        "workers_updated": updated,
                    },
                    reason=source,
                )
            # In the commit's transaction: a process dying before it commits leaves the batch
            # committing (then interrupted, rolled back), never committed without its workers.
            counts = dict(batch.counts) | {"committed_new": added, "committed_updated": updated}
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=Status.COMMITTED,
                committed_at=timezone.now(),
                committed_by=actor,
                counts=counts,
                stage="",
                progress=100,
            )
    except DomainError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(status=Status.READY, stage="")
        raise Conflict(
            Problem(
                ImportsError.REGISTRY_CHANGED,
                "Registri berubah sejak berkas diperiksa; periksa ulang berkas ini lalu simpan.",
                "The registry changed since the file was checked; check it again, then commit.",
            ),
            *exc.problems,
        ) from exc
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).update(status=Status.READY, stage="")
        raise
    batch.refresh_from_db()
    return batch


def _apply_updates(actor: User, batch: ImportBatch) -> int:
    """The changes a later list brings to registered workers; the registry audits each."""
    attribute = dict(pipeline.UPDATABLE)
    changes = {
        worker_id: {attribute[c]: new for c, (_, new) in staging.decode_json(found).items()}
        for worker_id, found in selectors.batch_rows(batch, outcome=Outcome.UPDATED).values_list(
            "worker_id", "changes"
        )
    }
    if not changes:
        return 0
    return registry.apply_import_updates(
        actor=actor, changes=changes, reason=f"impor #{batch.pk}: {batch.original_name}"
    )


def rejected_file(*, actor: User, batch: ImportBatch, what: str) -> bytes:
    """The rows not imported, as xlsx. They hold the NIKs as the list wrote them, so handing
    the file out is a read of those people (the read audit, as for the worker export)."""
    rows = selectors.rejected_rows(batch)
    audit.record_read(
        actor=actor,
        what=what,
        records=rows.count(),
        # Lazy: record_read reads them only for a read small enough to name its people.
        niks=rows.exclude(nik="").values_list("nik", flat=True),
        region_code=batch.region_code,
    )
    return exports.rejected_xlsx(batch)


# The value-mapping step (issue 13) and the city's remembered wordings.


def map_values(
    *,
    actor: User,
    batch: ImportBatch,
    mappings: list[values.ValueMapping],
    remember: bool = True,
) -> tuple[ImportBatch, int]:
    """The officer's answers for values the check did not recognise: every row with the value
    follows (a code, or None to reject those rows); the batch is checked again. With
    `remember`, and for an actor who may keep the city's synonyms, each value mapped to a code
    is remembered for the city's later imports (audited). Returns the batch and how many
    wordings were remembered. All or nothing: one bad mapping refuses them all."""
    IMPORTS.check(actor, "import")
    if not in_scope(actor, batch.region_code):
        raise PermissionDenied(file_problem(CoreError.OUT_OF_SCOPE, code=batch.region_code or "-"))
    clean = values.check(values.Targets(batch.region_code), mappings)
    keep = remember and IMPORTS.may(actor, "synonyms")
    with transaction.atomic():
        queued = ImportBatch.objects.filter(
            pk=batch.pk, status__in=(Status.FAILED, Status.READY, Status.NEEDS_MAPPING)
        )
        locked = queued.select_for_update().first()
        if locked is None:
            raise Conflict(_already_committed())
        answers = {field: dict(found) for field, found in locked.value_map.items()}
        for m in clean:
            answers.setdefault(m.field, {})[values.value_key(m.value)] = m.code
        remembered = 0
        if keep:
            region = values.city_of(batch.region_code)
            for m in clean:
                if m.code is not None:
                    remembered += _remember(actor, region, m)
        queued.update(
            value_map=answers, status=Status.QUEUED, stage="", progress=0, problems=[], task_id=""
        )
    batch.refresh_from_db()
    return batch, remembered


def _remember(actor: User, region_code: str, m: values.ValueMapping) -> int:
    """Adds or changes the city's wording; 1 when something changed."""
    key = values.value_key(m.value)
    found = ValueSynonym.objects.filter(region_code=region_code, field=m.field, value_key=key)
    synonym = found.select_for_update().first()
    if synonym is not None:
        if synonym.code == m.code:
            return 0
        before = synonym.snapshot()
        synonym.code = m.code
        synonym.save(update_fields=["code", "updated_at"])
        _audit(actor, "update", synonym, before)
        return 1
    synonym = ValueSynonym.objects.create(
        region_code=region_code,
        field=m.field,
        value=m.value[:100],
        value_key=key[:100],
        code=m.code,
        created_by=actor,
    )
    _audit(actor, "create", synonym, None)
    return 1


def _audit(actor: User, action: str, synonym: ValueSynonym, before: dict | None) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=synonym,
        region_code=synonym.region_code,
        before=before,
        after=None if action == "delete" else synonym.snapshot(),
    )


def _synonym_region(actor: User, region_code: str | None) -> str:
    IMPORTS.check(actor, "synonyms")
    return values.city_of(import_region(actor, region_code))


def add_synonym(
    *, actor: User, field: str, value: str, code: str, region_code: str | None = None
) -> ValueSynonym:
    """A city's wording for a code, from the synonyms page; one wording has one code."""
    region = _synonym_region(actor, region_code)
    (clean,) = values.check(values.Targets(region), [values.ValueMapping(field, value, code)])
    key = values.value_key(clean.value)
    with transaction.atomic():
        existing = ValueSynonym.objects.filter(region_code=region, field=field, value_key=key)
        if existing.exists():
            other = existing.first()
            raise Conflict(
                Problem(
                    ImportsError.SYNONYM_EXISTS,
                    f"'{value}' sudah dipadankan dengan {other.code}; ubah padanan itu.",
                    f"'{value}' is already mapped to {other.code}; change that mapping.",
                    field="value",
                )
            )
        synonym = ValueSynonym.objects.create(
            region_code=region,
            field=field,
            value=clean.value[:100],
            value_key=key[:100],
            code=clean.code,
            created_by=actor,
        )
        _audit(actor, "create", synonym, None)
    return synonym


def change_synonym(*, actor: User, synonym: ValueSynonym, code: str) -> ValueSynonym:
    IMPORTS.check(actor, "synonyms")
    if not in_scope(actor, synonym.region_code):
        raise PermissionDenied(
            file_problem(CoreError.OUT_OF_SCOPE, code=synonym.region_code or "-")
        )
    targets = values.Targets(synonym.region_code)
    (clean,) = values.check(targets, [values.ValueMapping(synonym.field, synonym.value, code)])
    if clean.code == synonym.code:
        return synonym
    with transaction.atomic():
        before = synonym.snapshot()
        synonym.code = clean.code
        synonym.save(update_fields=["code", "updated_at"])
        _audit(actor, "update", synonym, before)
    return synonym


def delete_synonym(*, actor: User, synonym: ValueSynonym) -> None:
    IMPORTS.check(actor, "synonyms")
    if not in_scope(actor, synonym.region_code):
        raise PermissionDenied(
            file_problem(CoreError.OUT_OF_SCOPE, code=synonym.region_code or "-")
        )
    with transaction.atomic():
        _audit(actor, "delete", synonym, synonym.snapshot())
        synonym.delete()
