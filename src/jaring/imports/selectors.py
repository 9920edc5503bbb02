"""Reads of imports, each through the one scoping rule: a batch is seen by importers whose
region holds the batch's region."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jaring.accounts import audit
from jaring.accounts.masking import display_private
from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.core import formats
from jaring.core.errors import CoreError, NotFound, Problem
from jaring.imports.columns import FIELDS
from jaring.imports.models import NOT_IMPORTED, ImportBatch, ImportRow, Outcome, ValueSynonym
from jaring.imports.permissions import IMPORTS
from jaring.regions.models import Region
from jaring.registry.bulk import STORED
from jaring.registry.models import DisabilityKind, MaritalStatus, OccupationCategory, Worker
from jaring.registry.services import snapshot


def batches_for(user: User) -> QuerySet[ImportBatch]:
    if not IMPORTS.may(user, "import"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(scope_q(user, field="region_code"))


def get_batch(user: User, batch_id: int) -> ImportBatch:
    batch = batches_for(user).filter(pk=batch_id).select_related("created_by").first()
    if batch is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Impor tidak ditemukan.", "Import not found."))
    return batch


def synonyms_for(user: User) -> QuerySet[ValueSynonym]:
    """A city's remembered wordings: those of the user's region and below (an administrator
    sees every region's)."""
    if not IMPORTS.may(user, "import"):
        return ValueSynonym.objects.none()
    return ValueSynonym.objects.filter(scope_q(user, field="region_code")).select_related(
        "created_by"
    )


def get_synonym(user: User, synonym_id: int) -> ValueSynonym:
    synonym = synonyms_for(user).filter(pk=synonym_id).first()
    if synonym is None:
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Padanan tidak ditemukan.", "Synonym not found.")
        )
    return synonym


def batch_rows(batch: ImportBatch, *, outcome: str | None = None) -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(batch=batch).order_by("row_number")
    return _of_outcomes(rows, [outcome]) if outcome else rows


def village_names(codes) -> dict[str, str]:
    """Village code -> "Name (District)", for the codes a page of rows shows: one query."""
    found = Region.objects.filter(code__in=set(codes) - {""}).values_list(
        "code", "name", "parent__name"
    )
    return {code: f"{name} ({district})" for code, name, district in found}


def region_name(code: str) -> str:
    """A region's name with its parent ("Pasiran (Singkawang Barat)"), else the code."""
    found = Region.objects.filter(code=code).values_list("name", "parent__name").first()
    if not found:
        return code
    name, parent = found
    return f"{name} ({parent})" if parent else name


def rejected_rows(batch: ImportBatch) -> QuerySet[ImportRow]:
    return _of_outcomes(batch_rows(batch), NOT_IMPORTED)


def _of_outcomes(rows: QuerySet[ImportRow], outcomes) -> QuerySet[ImportRow]:
    """The rows with one of these outcomes. Other than `new`, they are found through the index
    of the rarer outcomes; SQLite uses that partial index only when the query repeats its
    condition word for word."""
    rows = rows.filter(outcome__in=outcomes)
    return rows if Outcome.NEW in outcomes else rows.exclude(outcome=Outcome.NEW)


def registration(worker: Worker) -> audit.Entry | None:
    """The `create` entry an import did not write as an event, read from the row the worker was
    created from (docs/decisions/0003-import-audit.md); the registry's worker history asks for
    it (registered in ImportsConfig.ready)."""
    if worker.import_row_id is None:
        return None
    row = ImportRow.objects.select_related("batch").filter(pk=worker.import_row_id).first()
    if row is None:
        return None
    as_registered = Worker(
        **{field: getattr(row, column) for field, column in STORED.items() if hasattr(row, column)}
    )
    return audit.Entry(
        actor=worker.created_by,
        at=worker.created_at,
        action="create",
        before=None,
        after=snapshot(as_registered),
        reason=f"impor #{row.batch_id}: {row.batch.original_name}, baris {row.row_number}",
    )


_CHANGE_FIELDS = {
    "village_code": "village",
    "category_code": "category",
    "has_disability": "disability",
    "rt": "rt_rw",
    "rw": "rt_rw",
}


def changes_in_words(rows_changes: list[dict]) -> list[list[tuple[str, str, str]]]:
    """Each row's changes as (field label, registered, from the file) in words: the village and
    occupation by name, a choice by its label, an income as money; one query for the villages
    and occupations of all the rows."""
    labels = {f.name: str(f.label) for f in FIELDS}
    codes = {v for ch in rows_changes for v in ch.get("village_code", []) if v}
    villages = village_names(codes)
    cats = {v for ch in rows_changes for v in ch.get("category_code", []) if v}
    en = (get_language() or "id").startswith("en")
    categories = dict(
        OccupationCategory.objects.filter(code__in=cats).values_list(
            "code", "name_en" if en else "name_id"
        )
    )
    choices = {
        "marital_status": dict(MaritalStatus.choices),
        "disability_kind": dict(DisabilityKind.choices),
    }

    def word(field: str, value) -> str:
        if value in (None, ""):
            return "–"
        if field == "village_code":
            return villages.get(value, value)
        if field == "category_code":
            return categories.get(value, value)
        if field == "has_disability":
            return str(_("Yes") if value else _("No"))
        if field == "declared_income":
            return formats.rupiah(value)
        if field in choices:
            return str(choices[field].get(value, value))
        return str(value)

    out = []
    for changes in rows_changes:
        out.append(
            [
                (
                    labels.get(_CHANGE_FIELDS.get(f, f), f.replace("_", " ")),
                    word(f, before),
                    word(f, after),
                )
                for f, (before, after) in changes.items()
            ]
        )
    return out


def changes_shown(user: User, changes: dict | None) -> dict:
    """An updated row's changes ({field: [registered, from the file]}) as the user may see
    them: the mother's maiden name masked as the worker page masks it."""
    changes = dict(changes or {})
    if "mother_maiden_name" in changes:
        changes["mother_maiden_name"] = [
            display_private(user, v or "") for v in changes["mother_maiden_name"]
        ]
    return changes
