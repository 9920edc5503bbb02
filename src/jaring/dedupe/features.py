"""What the linkage model compares, derived from a person frame in Polars (no Django).

A person frame has `unique_id`, `nik`, `full_name`, `birth_date`, `sex`, `village_code` and
optionally `phone`, `address`, `rt` and `rw`.
The NIK is split into what it is made of (district of issue, birth-date part, serial) so the
model weighs each as its own evidence; a NIK that is not 16 digits gives no NIK evidence at all
rather than misaligned parts. Names are compared in their canonical form (`names.canonical`).
The model only uses columns computed here, never backend SQL functions, so the same settings
run on DuckDB and on Spark.
"""

from __future__ import annotations

import polars as pl

from jaring.dedupe.names import canonical

PERSON_COLUMNS = {
    "unique_id": pl.Int64,
    "nik": pl.String,
    "full_name": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "village_code": pl.String,
    "phone": pl.String,
    "address": pl.String,
    "rt": pl.String,
    "rw": pl.String,
}

# Dates a civil registry writes when the real one is not known (older people especially): many
# strangers share them, so sharing one says less than sharing another day.
PLACEHOLDER_DAYS = ("01-01", "07-01", "12-31")


def _address_key() -> pl.Expr:
    """Village, RT, RW and the street address in one form: what a household shares."""
    street = (
        pl.col("address")
        .str.to_lowercase()
        .str.replace_all(r"\b(jalan|jln|jl)\b", "jl")
        .str.replace_all(r"\b(nomor|no)\b", "no")
        .str.replace_all(r"[^a-z0-9]+", "")
    )
    rt_rw = pl.concat_str(
        pl.col("rt").str.replace(r"^0+", ""),
        pl.col("rw").str.replace(r"^0+", ""),
        separator="/",
        ignore_nulls=True,
    )
    return (
        pl.when(street.str.len_chars() >= 4)
        .then(pl.concat_str(pl.col("village_code"), rt_rw.fill_null(""), street, separator="|"))
        .alias("address_key")
    )


def _nik_birth() -> pl.Expr:
    """The NIK's birth-date part without its sex (a woman's day is written plus 40)."""
    day = pl.col("nik").str.slice(6, 2).cast(pl.Int32)
    day = pl.when(day > 40).then(day - 40).otherwise(day)
    return pl.concat_str(day.cast(pl.String).str.zfill(2), pl.col("nik").str.slice(8, 4))


def person_features(people: pl.DataFrame) -> pl.DataFrame:
    """The model's input columns: one row per person, nulls where a value is unknown."""
    nik = pl.col("nik").cast(pl.String).str.replace_all(r"[\s.\-]", "")
    nik = pl.when(nik.str.contains(r"^\d{16}$")).then(nik)
    missing = [c for c in ("phone", "address", "rt", "rw") if c not in people.columns]
    people = people.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
    # +62 812…, 0812…, 62812… are one number: keep what follows the country or trunk prefix.
    phone = pl.col("phone").cast(pl.String).str.replace_all(r"\D", "").str.replace(r"^(62|0)", "")
    sex = pl.col("sex").cast(pl.String).str.strip_chars().str.to_uppercase()
    frame = people.select(
        pl.col("unique_id").cast(pl.Int64),
        nik.alias("nik"),
        pl.col("full_name").cast(pl.String),
        pl.col("birth_date").cast(pl.Date),
        pl.when(sex.is_in(["M", "F"])).then(sex).alias("sex"),
        pl.col("village_code").cast(pl.String),
        pl.when(phone.str.len_chars() >= 8).then(phone).alias("phone"),
        _address_key(),
    )
    # Names and birth dates repeat across a registry: work each distinct value out once.
    names = (
        frame.select("full_name")
        .unique()
        .with_columns(canonical(pl.col("full_name")).alias("name"))
        .with_columns(
            pl.col("name").str.split(" ").alias("name_tokens"),
            pl.col("name").str.split(" ").list.len().cast(pl.Int32).alias("name_size"),
            pl.col("name").str.split(" ").list.sort().list.join(" ").alias("name_sorted"),
        )
    )
    dates = (
        frame.select("birth_date")
        .unique()
        .with_columns(
            pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("birth_date_text"),
            pl.col("birth_date").dt.year().cast(pl.Int32).alias("birth_year"),
            pl.col("birth_date").dt.strftime("%m-%d").alias("birth_month_day"),
        )
        .with_columns(pl.col("birth_month_day").is_in(PLACEHOLDER_DAYS).alias("placeholder_date"))
    )
    return (
        frame.join(names, on="full_name", how="left", nulls_equal=True)
        .join(dates, on="birth_date", how="left", nulls_equal=True)
        .drop("full_name")
        .with_columns(
            pl.col("nik").str.slice(0, 6).alias("nik_region"),
            pl.col("nik").str.slice(6, 6).alias("nik_dob"),
            pl.col("nik").str.slice(12, 4).alias("nik_serial"),
            pl.col("nik").str.slice(12, 4).cast(pl.Int32).alias("serial_number"),
            _nik_birth().alias("nik_birth"),
            pl.col("village_code").str.slice(0, 8).alias("district_code"),
        )
    )
