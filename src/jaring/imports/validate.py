"""Every row checked against the registry's rules, fast enough for a million rows.

The rules and their messages live in one place: `registry.validation.check_fields` (which asks
`rules.nik`). Running it on every row of a big list would take ~15 µs a row, so a column-wise
screen first picks out the rows it can prove clean; `check_fields` then runs on the others
("suspects") and gives their reasons. The screen is conservative by construction, and a test
checks that no row it calls clean gets a problem from `check_fields`.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from jaring.core.errors import CoreError
from jaring.imports.errors import ImportsError
from jaring.imports.lookups import Villages
from jaring.imports.normalise import per_value, ymd
from jaring.imports.reasons import problem_reason, row_reason
from jaring.registry.errors import RegistryError
from jaring.registry.validation import WorkerInput, check_fields
from jaring.rules import nik as nik_rules
from jaring.rules.errors import RuleCode

# Codes of the prefix checks in rules.nik.parse, which come before the birth date and serial.
_PREFIX_REASONS = {
    RuleCode.PROVINCE_UNKNOWN,
    RuleCode.REGENCY_UNKNOWN,
    RuleCode.DISTRICT_ZERO,
    RuleCode.DISTRICT_NEVER_EXISTED,
}


def good_prefixes(niks: pl.Series, today: dt.date) -> list[str]:
    """The 6-digit region prefixes (of 16-digit NIKs) that rules.nik accepts.

    `parse` checks the prefix before anything else, so one NIK with a valid date and serial
    per distinct prefix tells whether that prefix is good.
    """
    prefixes = niks.filter(niks.str.contains(r"^\d{16}$")).str.slice(0, 6).unique()
    return [
        p
        for p in prefixes.to_list()
        if nik_rules.parse(p + "0101900001", today=today).reason not in _PREFIX_REASONS
    ]


def decode_nik(frame: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Adds nik_ok, nik_birth_date and nik_sex: what rules.nik.parse would find, column-wise.

    Birth dates repeat, so each distinct DDMMYY part of the NIKs is decoded once.
    """
    nik = pl.col("nik")
    well_formed = nik.str.contains(r"^\d{16}$").fill_null(False)
    parts = frame.select(
        well_formed=well_formed,
        ddmmyy=pl.when(well_formed).then(nik.str.slice(6, 6)),
        good_prefix=nik.str.slice(0, 6).is_in(good_prefixes(frame["nik"].drop_nulls(), today)),
        serial_ok=nik.str.slice(12, 4) != "0000",
    )
    dd = pl.col("ddmmyy").str.slice(0, 2).cast(pl.Int32, strict=False)
    female = dd > 40
    day = pl.when(female).then(dd - 40).otherwise(dd)
    month = pl.col("ddmmyy").str.slice(2, 2)
    yy = pl.col("ddmmyy").str.slice(4, 2).cast(pl.Int32, strict=False)
    this_century = ymd(yy + 2000, month, day)
    birth = (
        pl.when(this_century <= pl.lit(today))
        .then(this_century)
        .otherwise(ymd(yy + 1900, month, day))
    )
    decoded = per_value(
        parts,
        ["ddmmyy"],
        {
            "nik_birth_date": birth,
            "nik_sex": pl.when(female).then(pl.lit("F")).when(~female).then(pl.lit("M")),
        },
    )
    col = pl.col
    return (
        pl.concat([frame, parts, decoded], how="horizontal")
        .with_columns(
            nik_ok=(
                col("well_formed")
                & ~col("nik_mangled")
                & col("good_prefix")
                & col("nik_birth_date").is_not_null()
                & col("serial_ok")
            ).fill_null(False)
        )
        .drop("well_formed", "ddmmyy", "good_prefix", "serial_ok")
    )


def _unreadable(raw: str, value: str) -> pl.Expr:
    return pl.col(raw).is_not_null() & pl.col(value).is_null()


def screen(frame: pl.DataFrame, today: dt.date) -> pl.Expr:
    """True for rows that `check_fields` would pass and that have no import problem."""
    optional_code = lambda c: pl.col(c).is_null() | pl.col(c).str.contains(r"^\d{3}$")  # noqa: E731
    return (
        pl.col("nik_ok")
        & pl.col("full_name").is_not_null()
        & ~pl.col("full_name").str.starts_with("=")
        & (pl.col("birth_date") == pl.col("nik_birth_date"))
        & (pl.col("birth_date") <= pl.lit(today))
        & (pl.col("sex") == pl.col("nik_sex"))
        & optional_code("rt")
        & optional_code("rw")
        & ~(pl.col("rt_rw_raw").is_not_null() & pl.col("rt").is_null())
        & pl.col("phone_ok")
        & ~pl.col("disability_bad")
        & (~pl.col("has_disability") | pl.col("disability_kind").is_not_null())
        & ~_unreadable("income_raw", "declared_income")
        & ~_unreadable("consent_raw", "consent_date")
        & (pl.col("consent_date").is_null() | (pl.col("consent_date") <= pl.lit(today)))
        & pl.col("village_code").is_not_null()
        & pl.col("category_code").is_not_null()
        & ~_unreadable("marital_status_raw", "marital_status")
        & _plain("place_of_birth", 100)
        & _plain("mother_maiden_name", 150)
        & (
            pl.col("email").is_null()
            # registry.validation's _EMAIL (Python's $ also passes a final newline: the
            # screen is the stricter); a suspect gets check_fields' reason.
            | (_plain("email", 254) & pl.col("email").str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"))
        )
    ).fill_null(False)


def _plain(column: str, limit: int) -> pl.Expr:
    """An optional text the registry takes: empty, or short enough and not a formula."""
    c = pl.col(column)
    return c.is_null() | ((c.str.len_chars() <= limit) & ~c.str.starts_with("="))


def validate(
    frame: pl.DataFrame, *, today: dt.date, villages: Villages, categories: dict[str, str]
) -> pl.DataFrame:
    """Adds village_code, category_code and `reasons` (JSON list, null for a clean row).

    Empty birth-date and sex cells take the values the NIK holds.
    """
    frame = decode_nik(frame, today)
    frame = frame.with_columns(
        birth_date=pl.when(pl.col("birth_date_raw").is_null())
        .then(pl.col("nik_birth_date"))
        .otherwise(pl.col("birth_date")),
        sex=pl.when(pl.col("sex_raw").is_null()).then(pl.col("nik_sex")).otherwise(pl.col("sex")),
    )
    category = (
        pl.col("category_raw")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]", "")
        .replace_strict(categories, default=None, return_dtype=pl.String)
    )
    frame = frame.hstack(per_value(frame, ["category_raw"], {"category_code": category}))
    frame = villages.column(frame)
    clean = frame.select(screen(frame, today)).to_series()
    suspects = frame.filter(~clean)
    reasons = [json.dumps(_reasons(row, today)) for row in suspects.iter_rows(named=True)]
    reason_of = pl.DataFrame(
        {"row": suspects["row"], "reasons": pl.Series(reasons, dtype=pl.String)},
        schema={"row": frame.schema["row"], "reasons": pl.String},
    ).filter(pl.col("reasons") != "[]")
    return frame.join(reason_of, on="row", how="left", maintain_order="left")


def _reasons(row: dict, today: dt.date) -> list[dict]:
    """Every reason a suspect row cannot be imported: the registry's, then the import's own."""
    own: list[dict] = []
    if row["nik_mangled"]:
        own.append(row_reason(ImportsError.NIK_EXCEL_MANGLED, "nik", text=row["nik_raw"]))
    name = row["full_name"] or ""
    if name.startswith("="):
        own.append(row_reason(RegistryError.NAME_FORMULA, "full_name", text=name[:40]))
    if row["birth_date_raw"] is not None and row["birth_date"] is None:
        own.append(
            row_reason(
                ImportsError.DATE_UNREADABLE,
                "birth_date",
                label="Tanggal lahir",
                label_en="Birth date",
                text=row["birth_date_raw"],
            )
        )
    if row["sex_raw"] is not None and row["sex"] is None:
        own.append(row_reason(ImportsError.SEX_UNREADABLE, "sex", text=row["sex_raw"]))
    if row["rt_rw_raw"] is not None and row["rt"] is None:
        own.append(row_reason(ImportsError.RT_RW_UNREADABLE, "rt", text=row["rt_rw_raw"]))
    if row["village_reason"]:
        own.append(json.loads(row["village_reason"]))
    if row["category_raw"] is None:
        own.append(row_reason(ImportsError.CATEGORY_REQUIRED, "category"))
    elif row["category_code"] is None:
        own.append(row_reason(RegistryError.CATEGORY_UNKNOWN, "category", text=row["category_raw"]))
    if row["disability_bad"]:
        own.append(
            row_reason(
                ImportsError.DISABILITY_UNREADABLE, "has_disability", text=row["disability_raw"]
            )
        )
    if row["income_raw"] is not None and row["declared_income"] is None:
        own.append(
            row_reason(ImportsError.INCOME_UNREADABLE, "declared_income", text=row["income_raw"])
        )
    if row["consent_raw"] is not None and row["consent_date"] is None:
        own.append(
            row_reason(
                ImportsError.DATE_UNREADABLE,
                "consent_date",
                label="Tanggal persetujuan",
                label_en="Consent date",
                text=row["consent_raw"],
            )
        )
    if row["marital_status_raw"] is not None and row["marital_status"] is None:
        own.append(
            row_reason(
                ImportsError.MARITAL_UNREADABLE, "marital_status", text=row["marital_status_raw"]
            )
        )
    data = WorkerInput(
        nik=row["nik"] or "",
        full_name=name,
        birth_date=row["birth_date"],
        sex=row["sex"] or "",
        village_code=row["village_code"] or "",
        category_code=row["category_code"] or "",
        rt=row["rt"] or "",
        rw=row["rw"] or "",
        address=row["address"] or "",
        phone=row["phone"] or "",
        has_disability=row["has_disability"],
        disability_kind=row["disability_kind"] or "",
        declared_income=row["declared_income"],
        consent_date=row["consent_date"],
        place_of_birth=row["place_of_birth"] or "",
        mother_maiden_name=row["mother_maiden_name"] or "",
        marital_status=row["marital_status"] or "",
        email=row["email"] or "",
    )
    # A cell the import could not read has its own reason; the rules would only call it empty.
    explained = {r["field"] for r in own}
    if row["nik_mangled"]:
        explained.add("nik")
    registry = [
        problem_reason(p)
        for p in check_fields(data, today)
        if not (p.field in explained and (p.code == CoreError.REQUIRED or p.field == "nik"))
    ]
    return registry + own
