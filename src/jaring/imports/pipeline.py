"""read → normalise → validate → exact duplicates → outcome of every row, all in memory.

Nothing here writes to the database, so `jaring import --dry-run` runs exactly this. The
services store the result (`ImportRow`) and commit it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jaring.core.errors import ValidationFailed
from jaring.core.spreadsheets import Sheet, read
from jaring.imports import columns, values
from jaring.imports.errors import ImportsError
from jaring.imports.lookups import Villages, category_table
from jaring.imports.models import Outcome
from jaring.imports.normalise import normalise
from jaring.imports.reasons import row_reason
from jaring.imports.validate import validate
from jaring.registry.bulk import workers_by_nik
from jaring.registry.names import name_key

Progress = Callable[[str, float], None]

# Worker fields a later list may change, as (row column, Worker column). Identity (NIK, name,
# birth date, sex) never changes through an import: a different name is another person.
UPDATABLE = (
    ("village_code", "village_id"),
    ("rt", "rt"),
    ("rw", "rw"),
    ("address", "address"),
    ("phone", "phone"),
    ("category_code", "category_id"),
    ("has_disability", "has_disability"),
    ("disability_kind", "disability_kind"),
    ("declared_income", "declared_income"),
    ("place_of_birth", "place_of_birth"),
    ("mother_maiden_name", "mother_maiden_name"),
    ("marital_status", "marital_status"),
    ("email", "email"),
)
_REGISTRY_SCHEMA = {
    "nik": pl.String,
    "worker_id": pl.Int64,
    "reg_name_key": pl.String,
    "reg_full_name": pl.String,
    **{f"reg_{c}": pl.String for c, _ in UPDATABLE},
}
_REGISTRY_SCHEMA.update({"reg_has_disability": pl.Boolean, "reg_declared_income": pl.Int64})

# The columns an ImportRow stores, in the registry's stored form.
STORED = (
    "row",
    "outcome",
    "nik",
    "full_name",
    "name_key",
    "birth_date",
    "sex",
    "village_code",
    "rt",
    "rw",
    "address",
    "phone",
    "category_code",
    "has_disability",
    "disability_kind",
    "declared_income",
    "consent_date",
    "place_of_birth",
    "mother_maiden_name",
    "marital_status",
    "email",
    "worker_id",
    "changes",
    "reasons",
)


class MappingNeeded(ValidationFailed):
    """The file was read but its columns need the officer: what was read comes along."""

    def __init__(self, sheet: Sheet, mapping: dict[str, str], *problems):
        super().__init__(*problems)
        self.sheet = sheet
        self.mapping = mapping


@dataclass
class Analysis:
    sheet: Sheet
    mapping: dict[str, str]
    rows: pl.DataFrame  # STORED columns, one per non-blank row
    counts: dict[str, int] = field(default_factory=dict)
    # Values of coded columns the rows could not use (imports.values.unrecognised).
    unrecognised: list[dict] = field(default_factory=list)

    def not_imported(self) -> pl.DataFrame:
        return self.rows.filter(pl.col("reasons").is_not_null())


def _nothing(stage: str, fraction: float) -> None:
    pass


def analyse(
    path: Path,
    *,
    region_code: str,
    mapping: dict[str, str] | None = None,
    header_row: int | None = None,
    value_map: dict[str, dict[str, str | None]] | None = None,
    today: dt.date,
    progress: Progress = _nothing,
) -> Analysis:
    """`value_map`: the officer's answers for values of coded columns (field -> {value key:
    code, or None to reject}), over the city's remembered wordings and the shipped ones."""
    progress("reading", 0.0)
    sheet = read(path, header_row=header_row, score=columns.score)
    chosen = mapping if mapping is not None else columns.guess_mapping(sheet.headers)
    try:
        mapping = columns.check_mapping(chosen, sheet.headers)
    except ValidationFailed as exc:
        raise MappingNeeded(sheet, chosen, *exc.problems) from None
    progress("checking", 0.2)
    frame = sheet.frame.with_row_index("row", offset=sheet.header_row + 1)
    cells = sheet.frame.columns
    # Blank lines between blocks of a list are not rows.
    frame = frame.filter(pl.any_horizontal(pl.col(c).str.strip_chars() != "" for c in cells))
    answers = values.table(region_code, value_map)
    frame = values.apply(frame, mapping, answers)
    norm = normalise(frame, mapping, today=today).with_columns(frame["row"].cast(pl.Int64))
    villages = Villages(region_code)
    checked = validate(norm, today=today, villages=villages, categories=category_table())
    unrecognised = values.unrecognised(
        checked,
        targets=values.Targets(region_code, villages),
        answers=answers,
        decided=value_map or {},
    )
    progress("registry", 0.6)
    rows = _outcomes(_against_registry(_in_file(_with_name_key(checked)), region_code))
    progress("registry", 0.8)
    counts = rows.group_by("outcome").len()
    summary = {o.value: 0 for o in Outcome}
    summary.update(dict(counts.iter_rows()))
    summary["rows"] = rows.height
    return Analysis(
        sheet=sheet,
        mapping=mapping,
        rows=rows.select(STORED),
        counts=summary,
        unrecognised=unrecognised,
    )


def _with_name_key(frame: pl.DataFrame) -> pl.DataFrame:
    # Names repeat: each distinct one is keyed once.
    keys = {n: name_key(n) for n in frame["full_name"].drop_nulls().unique().to_list()}
    return frame.with_columns(
        name_key=pl.col("full_name").replace_strict(keys, default=None, return_dtype=pl.String)
    )


def _in_file(frame: pl.DataFrame) -> pl.DataFrame:
    """Marks rows whose NIK an earlier row already has; the first occurrence is kept."""
    key = pl.when(pl.col("nik").str.contains(r"^\d{16}$")).then(pl.col("nik"))
    frame = frame.with_columns(first_row=pl.col("row").min().over(key))
    return frame.with_columns(
        duplicate_of=pl.when(key.is_not_null() & (pl.col("first_row") != pl.col("row"))).then(
            pl.col("first_row")
        )
    )


def registry_rows(niks: list[str]) -> pl.DataFrame:
    """The registered workers with these NIKs, in the row columns' terms (prefixed reg_)."""
    found = workers_by_nik(niks, ["nik", "id", "name_key", "full_name", *(w for _, w in UPDATABLE)])
    return pl.DataFrame(found, schema=_REGISTRY_SCHEMA, orient="row")


def _against_registry(frame: pl.DataFrame, region_code: str) -> pl.DataFrame:
    candidates = frame.filter(pl.col("reasons").is_null() & pl.col("duplicate_of").is_null())
    registered = registry_rows(candidates["nik"].to_list())
    frame = frame.join(registered, on="nik", how="left", maintain_order="left")
    # "Ya" with no kind says less than a kind the registry already has: the kind is kept.
    frame = frame.with_columns(
        disability_kind=pl.when(
            (pl.col("disability_kind") == "unspecified")
            & pl.col("reg_has_disability").fill_null(False)
            & (pl.col("reg_disability_kind").fill_null("") != "")
        )
        .then(pl.col("reg_disability_kind"))
        .otherwise(pl.col("disability_kind"))
    )
    in_region = (
        pl.lit(True)
        if not region_code
        else (pl.col("reg_village_code") == region_code)
        | pl.col("reg_village_code").str.starts_with(region_code + ".")
    )
    same_person = pl.col("name_key") == pl.col("reg_name_key")
    # A cell left empty keeps what the registry has: a list never erases data.
    changed = [
        pl.col(row).is_not_null() & pl.col(row).ne_missing(pl.col(f"reg_{row}"))
        for row, _ in UPDATABLE
        if row not in ("has_disability", "disability_kind")
    ]
    disability_given = pl.col("disability_raw").is_not_null() & (pl.col("disability_raw") != "")
    changed.append(
        disability_given
        & (
            pl.col("has_disability").ne_missing(pl.col("reg_has_disability"))
            | pl.col("disability_kind").fill_null("").ne_missing(pl.col("reg_disability_kind"))
        )
    )
    return frame.with_columns(
        registered=pl.col("worker_id").is_not_null(),
        in_region=in_region,
        same_person=same_person,
        any_change=pl.any_horizontal(changed),
        disability_given=disability_given,
    )


def _outcomes(frame: pl.DataFrame) -> pl.DataFrame:
    # A NIK registered outside the importer's region is refused like an invalid row, not shown
    # as a duplicate: the importer learns neither that it is registered nor where.
    frame = frame.with_columns(
        elsewhere=pl.col("reasons").is_null()
        & pl.col("duplicate_of").is_null()
        & pl.col("registered")
        & ~pl.col("in_region")
    )
    frame = frame.with_columns(
        outcome=pl.when(pl.col("reasons").is_not_null())
        .then(pl.lit(Outcome.REJECTED.value))
        .when(pl.col("duplicate_of").is_not_null())
        .then(pl.lit(Outcome.DUPLICATE_IN_FILE.value))
        .when(pl.col("elsewhere"))
        .then(pl.lit(Outcome.REJECTED.value))
        .when(pl.col("registered") & ~pl.col("same_person"))
        .then(pl.lit(Outcome.DUPLICATE_IN_REGISTRY.value))
        .when(pl.col("registered") & pl.col("any_change"))
        .then(pl.lit(Outcome.UPDATED.value))
        .when(pl.col("registered"))
        .then(pl.lit(Outcome.UNCHANGED.value))
        .otherwise(pl.lit(Outcome.NEW.value))
    )
    special = frame.filter(
        pl.col("duplicate_of").is_not_null()
        | pl.col("elsewhere")
        | pl.col("outcome").is_in([Outcome.DUPLICATE_IN_REGISTRY, Outcome.UPDATED])
    )
    extra = {"row": [], "reasons2": [], "changes": []}
    for row in special.iter_rows(named=True):
        reasons = json.loads(row["reasons"]) if row["reasons"] else []
        changes = None
        if row["duplicate_of"] is not None:
            reasons.append(
                row_reason(ImportsError.DUPLICATE_IN_FILE, "nik", first=row["duplicate_of"])
            )
        elif row["elsewhere"]:
            reasons.append(row_reason(ImportsError.NIK_NOT_REGISTRABLE, "nik"))
        elif row["outcome"] == Outcome.DUPLICATE_IN_REGISTRY:
            reasons.append(
                row_reason(ImportsError.NIK_OTHER_PERSON, "nik", name=row["reg_full_name"])
            )
        else:
            changes = json.dumps(_changes(row))
        extra["row"].append(row["row"])
        extra["reasons2"].append(json.dumps(reasons) if reasons else None)
        extra["changes"].append(changes)
    patch = pl.DataFrame(
        extra, schema={"row": pl.Int64, "reasons2": pl.String, "changes": pl.String}
    )
    return (
        frame.join(patch, on="row", how="left", maintain_order="left")
        .with_columns(reasons=pl.coalesce("reasons2", "reasons"))
        .with_columns(
            # Only rows that exist in the registry keep the worker they match.
            worker_id=pl.when(pl.col("outcome").is_in([Outcome.UPDATED, Outcome.UNCHANGED])).then(
                pl.col("worker_id")
            )
        )
    )


def _changes(row: dict) -> dict[str, list]:
    out = {}
    for column, _ in UPDATABLE:
        new, old = row[column], row[f"reg_{column}"]
        if column in ("has_disability", "disability_kind"):
            if not row["disability_given"]:
                continue
            new = new or ("" if column == "disability_kind" else False)
        if new is None or new == old:
            continue
        out[column] = [old, new]
    return out
