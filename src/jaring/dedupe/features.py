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


def person_features(people: pl.DataFrame) -> pl.DataFrame:
    """The model's input columns: one row per person, nulls where a value is unknown."""
    nik = pl.col("nik").cast(pl.String).str.replace_all(r"[\s.\-]", "")
    nik = pl.when(nik.str.contains(r"^\d{16}$")).then(nik)
    name = (
        pl.col("full_name")
        .cast(pl.String)
        .str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace(_LEADING_TITLES, "")
        .str.replace(_DEGREES_AFTER_COMMA, "")
        .str.replace_all(_NOT_LETTERS, " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    born = pl.col("birth_date").cast(pl.Date)
    village = pl.col("village_code").cast(pl.String)
    if "phone" not in people.columns:
        people = people.with_columns(pl.lit(None, pl.String).alias("phone"))
    # +62 812…, 0812…, 62812… are one number: keep what follows the country or trunk prefix.
    phone = pl.col("phone").cast(pl.String).str.replace_all(r"\D", "").str.replace(r"^(62|0)", "")
    return (
        people.select(
            pl.col("unique_id").cast(pl.Int64),
            nik.alias("nik"),
            pl.when(name != "").then(name).alias("name"),
            born.alias("birth_date"),
            pl.col("sex").cast(pl.String),
            village.alias("village_code"),
            pl.when(phone.str.len_chars() >= 8).then(phone).alias("phone"),
        )
        .with_columns(
            pl.col("name").str.split(" ").list.sort().list.join(" ").alias("name_sorted"),
            pl.col("nik").str.slice(0, 6).alias("nik_region"),
            pl.col("nik").str.slice(6, 6).alias("nik_dob"),
            pl.col("nik").str.slice(12, 4).alias("nik_serial"),
            pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("birth_date_text"),
            pl.col("birth_date").dt.year().cast(pl.Int32).alias("birth_year"),
            pl.col("birth_date").dt.strftime("%m-%d").alias("birth_month_day"),
            pl.col("village_code").str.slice(0, 8).alias("district_code"),
        )
        .with_columns(
            # What the NIK's birth-date part would be if the birth-date field were right, so a
            # mistyped field and a mistyped NIK can be told apart.
            pl.when(pl.col("birth_date").is_not_null() & pl.col("sex").is_in(["M", "F"]))
            .then(
                pl.format(
                    "{}{}{}",
                    (
                        pl.col("birth_date").dt.day()
                        + pl.when(pl.col("sex") == "F").then(40).otherwise(0)
                    )
                    .cast(pl.String)
                    .str.zfill(2),
                    pl.col("birth_date").dt.month().cast(pl.String).str.zfill(2),
                    (pl.col("birth_date").dt.year() % 100).cast(pl.String).str.zfill(2),
                )
            )
            .alias("dob_as_nik")
        )
    )
