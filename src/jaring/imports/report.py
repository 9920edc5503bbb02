"""The summary of an import that the CLI prints and the API returns."""

from __future__ import annotations

import json

from jaring.imports import hooks
from jaring.imports.models import ImportBatch, Outcome
from jaring.imports.pipeline import Analysis
from jaring.imports.selectors import rejected_rows
from jaring.imports.staging import decode_json

COUNTED = ("rows", *(o.value for o in Outcome), "probable_duplicates")


def _summary(counts: dict, rejections: list[dict]) -> dict[str, object]:
    out: dict[str, object] = {key: counts.get(key, 0) for key in COUNTED}
    # None: the probable-duplicate check did not run (detector not installed, or no model can
    # be trained on the registry yet).
    out["probable_duplicates"] = counts.get("probable_duplicates")
    out["same_file_as"] = counts.get("same_file_as")
    out["rejections"] = rejections
    return out


def of_analysis(analysis: Analysis, probable_duplicates: int | None) -> dict[str, object]:
    rejections = [
        {"row": row, "nik": nik, "outcome": outcome, "reasons": json.loads(reasons)}
        for row, nik, outcome, reasons in analysis.not_imported()
        .select("row", "nik", "outcome", "reasons")
        .iter_rows()
    ]
    counts = dict(analysis.counts) | {"probable_duplicates": probable_duplicates}
    return {
        "batch": None,
        "status": "dry_run",
        "mapping": analysis.mapping,
        **_summary(counts, rejections),
        "unrecognised": analysis.unrecognised,
    }


def of_batch(batch: ImportBatch) -> dict[str, object]:
    rejections = [
        {"row": row, "nik": nik, "outcome": outcome, "reasons": decode_json(reasons)}
        for row, nik, outcome, reasons in rejected_rows(batch).values_list(
            "row_number", "nik", "outcome", "reasons"
        )
    ]
    return {
        "batch": batch.pk,
        "status": batch.status,
        "file": batch.original_name,
        "sha256": batch.sha256,
        "mapping": batch.mapping,
        "errors": batch.problems,
        **_summary(batch.counts, rejections),
        "unrecognised": batch.unrecognised,
        "value_map": batch.value_map,
        "probable_pairs": _probable_pairs(batch.pk),
    }


def _probable_pairs(batch_id: int) -> list[dict[str, object]]:
    """Each probable duplicate of the batch: its rows, the registered worker, probability."""
    return [] if hooks.duplicate_check is None else hooks.duplicate_check.pairs(batch_id)
