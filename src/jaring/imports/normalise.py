"""Turning text cells into values, a whole column at a time.

Each function takes the text column and returns the value and, where a cell can be unreadable,
whether it was. What a value must satisfy is decided later, by the registry's rules.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
from lokal import normalize_phone

from jaring.imports.columns import FIELDS
from jaring.imports.lookups import shipped

_MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "peb": 2,
    "pebruari": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "agus": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "nop": 11,
    "november": 11,
    "nopember": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}
# Excel's day 0 in the 1900 date system (it counts a 29 February 1900 that never was).
_EXCEL_EPOCH = dt.date(1899, 12, 30)

_SEX = {
    "l": "M",
    "lk": "M",
    "laki": "M",
    "lakilaki": "M",
    "pria": "M",
    "m": "M",
    "male": "M",
    "p": "F",
    "pr": "F",
    "perempuan": "F",
    "wanita": "F",
    "w": "F",
    "f": "F",
    "female": "F",
}

DISABILITY_KINDS = {
    "fisik": "physical",
    "daksa": "physical",
    "tunadaksa": "physical",
    "physical": "physical",
    "intelektual": "intellectual",
    "grahita": "intellectual",
    "tunagrahita": "intellectual",
    "intellectual": "intellectual",
    "mental": "mental",
    "psikososial": "mental",
    "sensorik": "sensory",
    "netra": "sensory",
    "tunanetra": "sensory",
    "rungu": "sensory",
    "tunarungu": "sensory",
    "tuli": "sensory",
    "wicara": "sensory",
    "tunawicara": "sensory",
    "sensory": "sensory",
    "ganda": "multiple",
    "multi": "multiple",
    "multiple": "multiple",
    # The kind left unsaid: "Ya" with no kind is the same (see `disability`).
    "tidakdisebutkan": "unspecified",
    "tidakdiketahui": "unspecified",
    "lainnya": "unspecified",
    "unspecified": "unspecified",
    "notstated": "unspecified",
}
_YES = {"ya", "y", "yes", "ada", "1", "true", "benar"}
_NO = {"tidak", "t", "tdk", "no", "n", "tidakada", "0", "false", "bukan", "salah"}


def text(column: pl.Expr) -> pl.Expr:
    """Trimmed, with blank cells as null."""
    trimmed = column.str.strip_chars()
    return pl.when(trimmed == "").then(None).otherwise(trimmed)


def _letters(column: pl.Expr) -> pl.Expr:
    return column.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")


def nik(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(NIK digits or the cleaned text, whether Excel destroyed digits).

    A NIK Excel wrote as a number keeps its digits when they are all still there
    ("6172021708850001.0", "6.172021708850001E+15"); "6.17205E+15" has lost ten of them. A
    number whose last digit is 0 may have lost it (Excel keeps 15 significant digits, so
    6172021708850013 becomes 6172021708850010), and so may an even one above 2**53 (a float
    holds no odd integer there): those are refused too rather than taken for another NIK.
    """
    cleaned = raw.str.strip_chars().str.strip_chars_start("'")
    as_float = cleaned.str.extract(r"^(\d{16})[.,]0+$")
    sci = cleaned.str.extract_groups(r"^(\d)[.,](\d+)[eE]\+?(\d+)$")
    is_sci = sci.struct.field("1").is_not_null()
    whole = (
        is_sci
        & (sci.struct.field("3").cast(pl.Int32, strict=False) == 15)
        & (sci.struct.field("2").str.len_chars() == 15)
    )
    floated = (
        pl.when(whole)
        .then(pl.concat_str(sci.struct.field("1"), sci.struct.field("2")))
        .otherwise(as_float)
    )
    # Same-length digit strings compare as their numbers do.
    lossy = floated.str.ends_with("0") | (
        (floated >= str(2**53)) & floated.str.contains(r"[02468]$")
    )
    value = (
        pl.when(floated.is_not_null() & ~lossy)
        .then(floated)
        .when(is_sci | floated.is_not_null())
        .then(cleaned)
        # What rules.nik.normalise strips: spaces, dots and dashes typed between the groups.
        .otherwise(cleaned.str.replace_all(r"[\s.\-]", ""))
    )
    return value, (is_sci & ~whole) | (floated.is_not_null() & lossy)


def name(raw: pl.Expr) -> pl.Expr:
    """Single-spaced, in title case: "BUDI  SANTOSO" and "budi santoso" become one name."""
    titled = raw.str.replace_all(r"\s+", " ").str.strip_chars().str.to_titlecase()
    # Title case capitalises after an apostrophe: Ma'ruf, not Ma'Ruf.
    return titled.map_batches(_apostrophes, return_dtype=pl.String)


def _apostrophes(series: pl.Series) -> pl.Series:
    if not series.str.contains("'").any():
        return series
    fix = re.compile(r"(?<=\w)'(\w)")
    return series.map_elements(
        lambda s: fix.sub(lambda m: "'" + m.group(1).lower(), s), return_dtype=pl.String
    )


def date(raw: pl.Expr, today: dt.date) -> pl.Expr:
    """17/08/1985, 17-08-85, 17.08.1985, 1985-08-17, 17 Agustus 1985, 17081985, Excel serials.

    Day first: Indonesian lists never put the month first. A two-digit year is the latest
    century that does not put the date in the future. The two common forms are parsed
    directly; only the other cells go through the patterns below.
    """
    return raw.map_batches(lambda s: _dates(s, today), return_dtype=pl.Date)


def _dates(series: pl.Series, today: dt.date) -> pl.Series:
    s = series.str.strip_chars()
    common = pl.coalesce(
        s.str.to_date("%d/%m/%Y", strict=False), s.str.to_date("%Y-%m-%d", strict=False)
    )
    # "17/08/85" reads as the year 85 here: such cells take the slow path.
    common = pl.select(pl.when(common.dt.year() >= 1000).then(common)).to_series()
    rest = (common.is_null() & s.is_not_null()).arg_true()
    if rest.is_empty():
        return common
    parsed = pl.select(_any_date(pl.lit(s.gather(rest)), today)).to_series()
    return common.scatter(rest, parsed)


def _any_date(raw: pl.Expr, today: dt.date) -> pl.Expr:
    s = raw.str.strip_chars()
    iso = s.str.extract_groups(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
    dmy = s.str.extract_groups(r"(?:^|\D)(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4}|\d{2})(?:\D|$)")
    named = s.str.to_lowercase().str.extract_groups(
        r"(?:^|\D)(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4}|\d{2})(?:\D|$)"
    )
    compact = s.str.extract_groups(r"^(\d{2})(\d{2})(\d{4})$")
    serial = s.str.extract(r"^(\d{3,5})(?:[.,]0+)?$").cast(pl.Int32, strict=False)

    def build(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
        y = year.cast(pl.Int32, strict=False)
        short = year.str.len_chars() == 2
        this_century = ymd(y + 2000, month, day)
        return (
            pl.when(~short)
            .then(ymd(y, month, day))
            .when(this_century <= pl.lit(today))
            .then(this_century)
            .otherwise(ymd(y + 1900, month, day))
        )

    month_name = named.struct.field("2").replace_strict(
        _MONTHS, default=None, return_dtype=pl.Int32
    )
    return (
        pl.when(iso.struct.field("1").is_not_null())
        .then(
            ymd(iso.struct.field("1").cast(pl.Int32), iso.struct.field("2"), iso.struct.field("3"))
        )
        .when(dmy.struct.field("1").is_not_null())
        .then(build(dmy.struct.field("3"), dmy.struct.field("2"), dmy.struct.field("1")))
        .when(month_name.is_not_null())
        .then(build(named.struct.field("3"), month_name.cast(pl.String), named.struct.field("1")))
        .when(compact.struct.field("1").is_not_null())
        .then(
            ymd(
                compact.struct.field("3").cast(pl.Int32),
                compact.struct.field("2"),
                compact.struct.field("1"),
            )
        )
        .when(serial.is_between(1, 2_958_465))
        .then(pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial))
        .otherwise(None)
    )


def ymd(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The date, or null when the parts make no date (31 February)."""
    return pl.concat_str(
        year.cast(pl.String).str.zfill(4),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
        separator="-",
    ).str.to_date("%Y-%m-%d", strict=False)


def sex(raw: pl.Expr) -> pl.Expr:
    return _letters(raw).replace_strict(_SEX, default=None, return_dtype=pl.String)


def rt_rw(raw: pl.Expr) -> pl.Expr:
    """ "1", "01", "RT 01", "1.0" → "001"; anything else is kept for the rules to refuse."""
    s = (
        raw.str.strip_chars()
        .str.replace(r"(?i)^r[tw]\.?\s*", "")
        .str.replace(r"^(\d+)[.,]0+$", "$1")
    )
    return pl.when(s.str.contains(r"^\d{1,3}$")).then(s.str.zfill(3)).otherwise(s)


def split_rt_rw(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """ "001/002" or "1-2" → ("001", "002")."""
    parts = raw.str.extract_groups(r"^\D*(\d{1,3})\s*[/\-\\. ]\s*\D*(\d{1,3})\s*$")
    return parts.struct.field("1").str.zfill(3), parts.struct.field("2").str.zfill(3)


_FAST_PHONE = r"^(?:\+62|62|0)?(8\d{8,11})$"


def phone(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(+62… or the text as typed, whether lokal's normaliser accepts it).

    The common mobile shape is rewritten in the column; any other shape goes through
    `lokal.normalize_phone` once per distinct value.
    """
    cleaned = raw.str.strip_chars().str.strip_chars_start("'").str.replace(r"^(\d+)[.,]0+$", "$1")
    compact = cleaned.str.replace_all(r"[\s().\-]", "")
    fast = compact.str.extract(_FAST_PHONE)
    normalised = (
        pl.when(fast.is_not_null())
        .then(pl.lit("+62") + fast)
        .otherwise(cleaned.map_batches(_slow_phones, return_dtype=pl.String))
    )
    return pl.coalesce(normalised, cleaned), cleaned.is_null() | normalised.is_not_null()


def _slow_phones(series: pl.Series) -> pl.Series:
    """Each value normalised by lokal, null where it is not a phone number."""
    odd = series.drop_nulls().unique()
    odd = odd.filter(~odd.str.replace_all(r"[\s().\-]", "").str.contains(_FAST_PHONE))
    table = {v: normalize_phone(v) for v in odd.to_list()}
    return series.replace_strict(table, default=None, return_dtype=pl.String)


def disability(flag: pl.Expr, kind: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(has a disability, kind, whether a cell was unreadable), from one or two columns.

    The flag column may hold yes/no or the kind itself ("Netra"); a yes with no kind is the
    kind "unspecified" (tidak disebutkan).
    """
    flag_key = _letters(flag)
    flag_kind = flag_key.replace_strict(DISABILITY_KINDS, default=None, return_dtype=pl.String)
    # "-" in the kind column says no kind, as a blank cell does.
    kind_key = pl.when(kind.str.contains(r"^[\s\-–—]+$")).then(None).otherwise(_letters(kind))
    kind_value = kind_key.replace_strict(DISABILITY_KINDS, default=None, return_dtype=pl.String)
    yes = flag_key.is_in(list(_YES)) | flag_kind.is_not_null()
    # "-" is how lists say "none".
    no = flag_key.is_in(list(_NO)) | flag_key.is_null() | flag.str.contains(r"^[\s\-–—]+$")
    has = yes | (flag_key.is_null() & kind_value.is_not_null())
    unreadable = (flag_key.is_not_null() & ~yes & ~no) | (
        kind_key.is_not_null() & kind_value.is_null()
    )
    # "Disabilitas: Ya" and no kind is a disability of a kind not stated, not a refusal.
    said = pl.coalesce(kind_value, flag_kind)
    unsaid = has.fill_null(False) & said.is_null() & kind_key.is_null()
    return has, pl.when(unsaid).then(pl.lit("unspecified")).otherwise(said), unreadable


_MARITAL_CODES = ("single", "married", "divorced", "widowed")  # registry.MaritalStatus


def marital_status(raw: pl.Expr) -> pl.Expr:
    """registry.MaritalStatus's code, from the code itself or a wording Dukcapil's KTP and KK
    use ("BELUM KAWIN", "Kawin Tercatat", "CH": imports/synonyms.toml); null if unreadable.
    (A city's own wordings were written into the cells as codes before: imports.values.)"""
    table = {code: code for code in _MARITAL_CODES} | shipped().get("marital_status", {})
    return _letters(raw).replace_strict(table, default=None, return_dtype=pl.String)


def email(raw: pl.Expr) -> pl.Expr:
    """Lower case, without spaces ("Budi@Mail.COM " → "budi@mail.com")."""
    return raw.str.replace_all(r"\s", "").str.to_lowercase()


def _no_dash(column: pl.Expr) -> pl.Expr:
    return pl.when(column.str.contains(r"^[\-–—.]+$")).then(None).otherwise(column)


def income(raw: pl.Expr) -> pl.Expr:
    """Rupiah as a whole number: "Rp 1.500.000", "1,500,000", "1500000,00" → 1500000."""
    s = (
        raw.str.to_lowercase()
        .str.replace(r"^rp\.?\s*", "")
        .str.replace_all(r"\s", "")
        .str.replace(r"[.,]\d{1,2}$", "")
        .str.replace_all(r"[.,]", "")
    )
    return pl.when(s.str.contains(r"^\d{1,15}$")).then(s.cast(pl.Int64, strict=False))


def per_value(
    frame: pl.DataFrame,
    keys: list[str],
    columns: dict[str, pl.Expr],
    *,
    where: pl.Expr | None = None,
) -> pl.DataFrame:
    """`columns`, computed once per distinct value of the `keys` columns: one row per row.

    A list repeats a few values a million times (sex, RT, birth dates, names), so the
    expressions run over the distinct values and a join spreads the answers. With `where`,
    only the rows it picks get answers; the others get nulls (they took a fast path).
    """
    cells = frame.select(keys)
    distinct = (cells if where is None else cells.filter(where)).unique()
    answers = distinct.with_columns(**columns)
    joined = cells.join(answers, on=keys, how="left", nulls_equal=True, maintain_order="left")
    return joined.drop(keys)


def normalise(frame: pl.DataFrame, mapping: dict[str, str], *, today: dt.date) -> pl.DataFrame:
    """One row per non-blank row of the file, with the registry's field names.

    `*_raw` keep the text of cells that can be unreadable, for the reasons. Each cell is
    trimmed once and each expression runs once per distinct value; the NIK and the phone,
    nearly all distinct, take the common shape directly and only the others through the
    full expressions.
    """
    cells = frame.select(**{f.name: _cell(frame, mapping.get(f.name)) for f in FIELDS})
    col = pl.col
    # "-" is how lists say "none" in an optional column.
    cells = cells.with_columns(
        _no_dash(col(f)).alias(f)
        for f in ("place_of_birth", "mother_maiden_name", "marital_status", "email")
    )
    plain_nik = col("nik").str.contains(r"^\d{16}$").fill_null(False)
    nik_value, nik_mangled = nik(col("nik"))
    mobile = col("phone").str.extract(_FAST_PHONE)
    phone_value, phone_ok = phone(col("phone"))
    has, kind, disability_bad = disability(col("disability"), col("disability_kind"))
    rt_combined, rw_combined = split_rt_rw(col("rt_rw"))
    parts = [
        cells,
        cells.select(plain_nik=plain_nik, mobile=mobile),
        per_value(
            cells, ["nik"], {"nik_other": nik_value, "nik_mangled": nik_mangled}, where=~plain_nik
        ),
        per_value(
            cells,
            ["phone"],
            {"phone_other": phone_value, "phone_other_ok": phone_ok},
            where=mobile.is_null(),
        ),
        per_value(cells, ["full_name"], {"name_value": name(col("full_name"))}),
        per_value(cells, ["birth_date"], {"birth_value": date(col("birth_date"), today)}),
        per_value(cells, ["consent_date"], {"consent_value": date(col("consent_date"), today)}),
        per_value(cells, ["sex"], {"sex_value": sex(col("sex"))}),
        per_value(cells, ["rt"], {"rt_value": rt_rw(col("rt"))}),
        per_value(cells, ["rw"], {"rw_value": rt_rw(col("rw"))}),
        per_value(cells, ["rt_rw"], {"rt_combined": rt_combined, "rw_combined": rw_combined}),
        per_value(
            cells, ["address"], {"address_value": col("address").str.replace_all(r"\s+", " ")}
        ),
        per_value(cells, ["declared_income"], {"income_value": income(col("declared_income"))}),
        per_value(cells, ["place_of_birth"], {"place_value": name(col("place_of_birth"))}),
        per_value(cells, ["mother_maiden_name"], {"mother_value": name(col("mother_maiden_name"))}),
        per_value(
            cells, ["marital_status"], {"marital_value": marital_status(col("marital_status"))}
        ),
        per_value(cells, ["email"], {"email_value": email(col("email"))}),
        per_value(
            cells,
            ["disability", "disability_kind"],
            {
                "has_disability": has,
                "disability_kind_value": kind,
                "disability_bad": disability_bad,
                "disability_raw": pl.concat_str(
                    col("disability"), col("disability_kind"), separator=" / ", ignore_nulls=True
                ),
            },
        ),
    ]
    return pl.concat(parts, how="horizontal").select(
        nik_raw=col("nik"),
        nik=pl.when(col("plain_nik")).then(col("nik")).otherwise(col("nik_other")),
        nik_mangled=col("nik_mangled").fill_null(False),
        full_name=col("name_value"),
        birth_date_raw=col("birth_date"),
        birth_date=col("birth_value"),
        sex_raw=col("sex"),
        sex=col("sex_value"),
        village_raw=col("village"),
        district_raw=col("district"),
        rt=pl.coalesce(col("rt_value"), col("rt_combined")),
        rw=pl.coalesce(col("rw_value"), col("rw_combined")),
        rt_rw_raw=col("rt_rw"),
        address=col("address_value"),
        phone=pl.when(col("mobile").is_not_null())
        .then(pl.lit("+62") + col("mobile"))
        .otherwise(col("phone_other")),
        phone_ok=col("mobile").is_not_null() | col("phone_other_ok"),
        category_raw=col("category"),
        disability_raw=col("disability_raw"),
        disability_flag_raw=col("disability"),
        disability_kind_raw=col("disability_kind"),
        has_disability=col("has_disability").fill_null(False),
        disability_kind=col("disability_kind_value"),
        disability_bad=col("disability_bad").fill_null(False),
        income_raw=col("declared_income"),
        declared_income=col("income_value"),
        consent_raw=col("consent_date"),
        consent_date=col("consent_value"),
        place_of_birth=col("place_value"),
        mother_maiden_name=col("mother_value"),
        marital_status_raw=col("marital_status"),
        marital_status=col("marital_value"),
        email=col("email_value"),
    )


def _cell(frame: pl.DataFrame, header: str | None) -> pl.Expr:
    if header is None or header not in frame.columns:
        return pl.lit(None, dtype=pl.String)
    return text(pl.col(header))
