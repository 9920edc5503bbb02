"""What the import preview says about a row with a probable duplicate.

The row's probable duplicates waiting for review are written among its reasons (the preview,
the API and the CLI show every row's reasons), as "probably the same person as row 7" or "as
registered worker #123". A `new` row has no other reasons, so its reasons are exactly these
notes and are rewritten whenever its pairs change (a check, a decision).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from jaring.core.errors import Problem
from jaring.dedupe.errors import DedupeError
from jaring.dedupe.models import PairStatus, ProbableDuplicate
from jaring.imports.models import ImportRow, Outcome
from jaring.imports.reasons import problem_reason

CODE = DedupeError.PROBABLE_DUPLICATE


def _note(pair_id: int, probability: float, *, row: int | None, worker: int | None) -> dict:
    p = f"{probability:.3f}"
    if row is not None:
        problem = Problem(
            CODE,
            f"Mungkin orang yang sama dengan baris {row} (peluang {p}); menunggu keputusan "
            "petugas di antrean duplikat.",
            f"Probably the same person as row {row} (probability {p}); waiting for an "
            "officer's decision in the duplicate queue.",
            params={"pair": pair_id, "row": row, "probability": probability},
        )
    else:
        problem = Problem(
            CODE,
            f"Mungkin orang yang sama dengan pekerja terdaftar #{worker} (peluang {p}); "
            "menunggu keputusan petugas di antrean duplikat.",
            f"Probably the same person as registered worker #{worker} (probability {p}); "
            "waiting for an officer's decision in the duplicate queue.",
            params={"pair": pair_id, "worker": worker, "probability": probability},
        )
    return {**problem_reason(problem), "params": problem.params}


def merged_note(worker_id: int) -> dict:
    """The reason of a row an officer merged into a registered worker."""
    return problem_reason(
        Problem(
            DedupeError.MERGED_INTO_WORKER,
            f"Petugas menyatakan baris ini pekerja terdaftar #{worker_id}; tidak ditambahkan, "
            "data yang kosong pada pekerja itu diisi dari baris ini.",
            f"An officer decided this row is registered worker #{worker_id}; it is not added, "
            "and that worker's empty details were filled from it.",
        )
    )


def write(batch_id: int, rows: Iterable[int] | None = None) -> None:
    """Rewrites the notes of the batch's new rows (or of `rows` only) from their pending pairs."""
    pending = ProbableDuplicate.objects.filter(
        batch_id=batch_id, status=PairStatus.PENDING, import_row__isnull=False
    )
    targets = ImportRow.objects.filter(batch_id=batch_id, outcome=Outcome.NEW)
    if rows is not None:
        rows = list(rows)
        targets = targets.filter(pk__in=rows)
        pending = pending.filter(import_row__in=rows) | pending.filter(other_import_row__in=rows)
    notes: dict[int, list[tuple[float, dict]]] = defaultdict(list)
    for pk, row, other_row, row_number, other_number, worker, probability in pending.values_list(
        "pk",
        "import_row_id",
        "other_import_row_id",
        "import_row__row_number",
        "other_import_row__row_number",
        "worker_id",
        "match_probability",
    ):
        if other_row is None:
            notes[row].append((probability, _note(pk, probability, row=None, worker=worker)))
            continue
        notes[row].append((probability, _note(pk, probability, row=other_number, worker=None)))
        notes[other_row].append((probability, _note(pk, probability, row=row_number, worker=None)))
    targets.filter(reasons__isnull=False).update(reasons=None)
    if rows is not None:
        notes = {r: n for r, n in notes.items() if r in set(rows)}
    values = [
        (json.dumps([n for _, n in sorted(found, key=lambda f: -f[0])]), row)
        for row, found in notes.items()
    ]
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {ImportRow._meta.db_table} SET reasons = {cast} "
            f"WHERE id = %s AND outcome = '{Outcome.NEW.value}'",
            values,
        )
