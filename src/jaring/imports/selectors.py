"""Reads of imports, each through the one scoping rule: a batch is seen by importers whose
region holds the batch's region."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import can_edit_workers, scope_code
from jaring.core.errors import NotFound, Problem
from jaring.imports.models import NOT_IMPORTED, ImportBatch, ImportRow


def batches_for(user: User) -> QuerySet[ImportBatch]:
    if not can_edit_workers(user):
        return ImportBatch.objects.none()
    code = scope_code(user)
    if code is None:
        return ImportBatch.objects.all()
    if code == "":
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(Q(region_code=code) | Q(region_code__startswith=code + "."))


def get_batch(user: User, batch_id: int) -> ImportBatch:
    batch = batches_for(user).filter(pk=batch_id).select_related("created_by").first()
    if batch is None:
        raise NotFound(Problem("not_found", "Impor tidak ditemukan.", "Import not found."))
    return batch


def batch_rows(batch: ImportBatch, *, outcome: str | None = None) -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(batch=batch).order_by("row_number")
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows


def rejected_rows(batch: ImportBatch) -> QuerySet[ImportRow]:
    return batch_rows(batch).filter(outcome__in=NOT_IMPORTED)
