"""What the linkage model compares, derived from a person frame in Polars (no Django).

A person frame has `unique_id`, `nik`, `full_name`, `birth_date`, `sex`, `village_code` and
optionally `phone`.
The NIK is split into what it is made of (district of issue, birth-date part, serial) so the
model weighs each as its own evidence; a NIK that is not 16 digits gives no NIK evidence at all
rather than misaligned parts. The model only uses columns computed here, never backend SQL
functions, so the same settings run on DuckDB and on Spark.
"""

from __future__ import annotations

import polars as pl

PERSON_COLUMNS = {
    "unique_id": pl.Int64,
    "nik": pl.String,
    "full_name": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "village_code": pl.String,
    "phone": pl.String,
}

# Honorifics and degrees that lists add or leave out at will ("Hj. Siti Aminah, S.Pd").
_LEADING_TITLES = r"^(?:(?:h|hj|hajjah|haji|dr|drs|dra|ir|prof|ust|ustadz|ustadzah)\.?\s+)+"
_DEGREES_AFTER_COMMA = r",.*$"
_NOT_LETTERS = r"[^a-z ]+"


def _name(full_name: pl.Expr) -> pl.Expr:
    name = (
        full_name.str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace(_LEADING_TITLES, "")
        .str.replace(_DEGREES_AFTER_COMMA, "")
        .str.replace_all(_NOT_LETTERS, " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return pl.when(name != "").then(name)


def person_features(people: pl.DataFrame) -> pl.DataFrame:
    """The model's input columns: one row per person, nulls where a value is unknown."""
    nik = pl.col("nik").cast(pl.String).str.replace_all(r"[\s.\-]", "")
    nik = pl.when(nik.str.contains(r"^\d{16}$")).then(nik)
    if "phone" not in people.columns:
        people = people.with_columns(pl.lit(None, pl.String).alias("phone"))
    # +62 812…, 0812…, 62812… are one number: keep what follows the country or trunk prefix.
    phone = pl.col("phone").cast(pl.String).str.replace_all(r"\D", "").str.replace(r"^(62|0)", "")
    frame = people.select(
        pl.col("unique_id").cast(pl.Int64),
        nik.alias("nik"),
        pl.col("full_name").cast(pl.String),
        pl.col("birth_date").cast(pl.Date),
        pl.col("sex").cast(pl.String),
        pl.col("village_code").cast(pl.String),
        pl.when(phone.str.len_chars() >= 8).then(phone).alias("phone"),
    )
    # Names and birth dates repeat across a registry: work each distinct value out once.
    names = (
        frame.select("full_name")
        .unique()
        .with_columns(_name(pl.col("full_name")).alias("name"))
        .with_columns(pl.col("name").str.split(" ").list.sort().list.join(" ").alias("name_sorted"))
    )
    dates = (
        frame.select("birth_date")
        .unique()
        .with_columns(
            pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("birth_date_text"),
            pl.col("birth_date").dt.year().cast(pl.Int32).alias("birth_year"),
            pl.col("birth_date").dt.strftime("%m-%d").alias("birth_month_day"),
        )
    )
    return (
        frame.join(names, on="full_name", how="left", nulls_equal=True)
        .join(dates, on="birth_date", how="left", nulls_equal=True)
        .drop("full_name")
        .with_columns(
            pl.col("nik").str.slice(0, 6).alias("nik_region"),
            pl.col("nik").str.slice(6, 6).alias("nik_dob"),
            pl.col("nik").str.slice(12, 4).alias("nik_serial"),
            pl.col("village_code").str.slice(0, 8).alias("district_code"),
        )
    )
