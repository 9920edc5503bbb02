"""Spoils a clean synthetic list the way real lists are spoiled, and remembers what it did.

`spoil(people_frame(...))` gives the list as an officer would receive it (text cells under the
template's Indonesian headers, written every which way) plus, for every row it broke, the
reason code the import must give. Harmless mess (dates in five forms, "Laki-laki", names in
capitals, NIKs typed with spaces or saved by Excel with ".0") is added too: the import must
not refuse those rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import polars as pl
from lokal import wilayah

# kind -> (field, reason code the import must give)
ERRORS: dict[str, tuple[str, str]] = {
    "nik_short": ("nik", "nik_length"),
    "nik_letter": ("nik", "nik_not_digits"),
    "nik_excel": ("nik", "nik_excel_mangled"),
    "nik_serial_zero": ("nik", "nik_serial_zero"),
    "nik_province": ("nik", "nik_province_unknown"),
    "birth_date_mismatch": ("birth_date", "birth_date_nik_mismatch"),
    "sex_mismatch": ("sex", "sex_nik_mismatch"),
    "birth_date_unreadable": ("birth_date", "date_unreadable"),
    "sex_unreadable": ("sex", "sex_unreadable"),
    "name_missing": ("full_name", "required"),
    "village_unknown": ("village", "village_unknown"),
    "category_unknown": ("category", "category_unknown"),
    "phone_invalid": ("phone", "phone_invalid"),
    "rt_invalid": ("rt", "rt_rw_invalid"),
    "duplicate_in_file": ("nik", "duplicate_in_file"),
}
MESS = (
    "date_form",
    "sex_word",
    "name_case",
    "nik_spaced",
    "nik_float",
    "phone_form",
    "village_name",
)

HEADERS = {
    "nik": "NIK",
    "full_name": "Nama Lengkap",
    "birth_date": "Tanggal Lahir",
    "sex": "Jenis Kelamin",
    "village_code": "Kelurahan/Desa",
    "district": "Kecamatan",
    "rt": "RT",
    "rw": "RW",
    "address": "Alamat",
    "phone": "No HP",
    "category_code": "Pekerjaan",
    "has_disability": "Disabilitas",
    "disability_kind": "Jenis Disabilitas",
    "declared_income": "Penghasilan per Bulan",
}
_DISABILITY_WORDS = {
    "physical": "Fisik",
    "sensory": "Sensorik",
    "intellectual": "Intelektual",
    "mental": "Mental",
    "multiple": "Ganda",
}


@dataclass(frozen=True)
class Injected:
    index: int  # 0-based data row; the spreadsheet row is index + 2
    kind: str
    field: str
    code: str


@dataclass
class Spoiled:
    cells: pl.DataFrame  # text cells under the template headers
    errors: list[Injected]
    mess: dict[int, str]  # data row -> harmless mess applied

    def expected(self) -> dict[int, Injected]:
        """Spreadsheet row -> what the import must say about it."""
        return {e.index + 2: e for e in self.errors}


def as_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """A people frame as the template's text cells (L/P, 17/08/1985, Ya/Tidak, Indonesian)."""
    return frame.select(
        pl.col("nik").alias(HEADERS["nik"]),
        pl.col("full_name").alias(HEADERS["full_name"]),
        pl.col("birth_date").dt.strftime("%d/%m/%Y").alias(HEADERS["birth_date"]),
        pl.col("sex").replace_strict({"M": "L", "F": "P"}).alias(HEADERS["sex"]),
        pl.col("village_code").alias(HEADERS["village_code"]),
        pl.col("village_code")
        .str.slice(0, 8)
        .map_elements(wilayah.wilayah_name, return_dtype=pl.String)
        .alias(HEADERS["district"]),
        pl.col("rt").alias(HEADERS["rt"]),
        pl.col("rw").alias(HEADERS["rw"]),
        pl.col("address").alias(HEADERS["address"]),
        pl.col("phone").str.replace(r"^\+62", "0").alias(HEADERS["phone"]),
        pl.col("category_code").alias(HEADERS["category_code"]),
        pl.when(pl.col("has_disability"))
        .then(pl.lit("Ya"))
        .otherwise(pl.lit("Tidak"))
        .alias(HEADERS["has_disability"]),
        pl.col("disability_kind")
        .replace_strict(_DISABILITY_WORDS, default="")
        .alias(HEADERS["disability_kind"]),
        pl.col("declared_income").cast(pl.String).alias(HEADERS["declared_income"]),
    )


def spoil(
    frame: pl.DataFrame,
    *,
    error_rate: float = 0.05,
    mess_rate: float = 0.2,
    seed: int = 0,
) -> Spoiled:
    """Breaks about `error_rate` of the rows (one error each) and messes up `mess_rate`."""
    rng = random.Random(seed)
    columns = {name: list(values) for name, values in as_cells(frame).to_dict().items()}
    n = len(columns["NIK"])
    errors: list[Injected] = []
    mess: dict[int, str] = {}
    kinds = list(ERRORS)
    clean: list[int] = []
    for i in range(n):
        if rng.random() < error_rate:
            kind = kinds[rng.randrange(len(kinds))]
            if kind == "duplicate_in_file":
                if not clean:
                    continue
                # A copy of a row that is itself fine, so that the copy is the only problem.
                source = clean[rng.randrange(len(clean))]
                for name in columns:
                    columns[name][i] = columns[name][source]
            else:
                _break(columns, i, kind, rng)
            field, code = ERRORS[kind]
            errors.append(Injected(i, kind, field, code))
            continue
        if rng.random() < mess_rate:
            kind = MESS[rng.randrange(len(MESS))]
            _mess(columns, i, kind, rng)
            mess[i] = kind
        clean.append(i)
    return Spoiled(pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)), errors, mess)


def _break(columns: dict[str, list], i: int, kind: str, rng: random.Random) -> None:
    nik = columns["NIK"][i]
    if kind == "nik_short":
        cut = rng.randrange(16)
        columns["NIK"][i] = nik[:cut] + nik[cut + 1 :]
    elif kind == "nik_letter":
        at = rng.randrange(16)
        columns["NIK"][i] = nik[:at] + "O" + nik[at + 1 :]
    elif kind == "nik_excel":
        columns["NIK"][i] = f"{int(nik):.5E}"
    elif kind == "nik_serial_zero":
        columns["NIK"][i] = nik[:12] + "0000"
    elif kind == "nik_province":
        columns["NIK"][i] = "00" + nik[2:]
    elif kind == "birth_date_mismatch":
        born = dt.datetime.strptime(columns["Tanggal Lahir"][i], "%d/%m/%Y").date()
        shifted = born - dt.timedelta(days=rng.randrange(1, 400))
        columns["Tanggal Lahir"][i] = shifted.strftime("%d/%m/%Y")
    elif kind == "sex_mismatch":
        columns["Jenis Kelamin"][i] = "P" if columns["Jenis Kelamin"][i] == "L" else "L"
    elif kind == "birth_date_unreadable":
        columns["Tanggal Lahir"][i] = rng.choice(["32/13/1985", "kemarin", "17/08", "00-00-0000"])
    elif kind == "sex_unreadable":
        columns["Jenis Kelamin"][i] = rng.choice(["X", "?", "Lk-Pr"])
    elif kind == "name_missing":
        columns["Nama Lengkap"][i] = ""
    elif kind == "village_unknown":
        columns["Kelurahan/Desa"][i] = rng.choice(["Antah Berantah", "99.99.99.9999"])
    elif kind == "category_unknown":
        columns["Pekerjaan"][i] = rng.choice(["Astronot", "Pilot Jet", "Penyelam Mutiara"])
    elif kind == "phone_invalid":
        columns["No HP"][i] = rng.choice(["12345", "0812", "abcdefg"])
    elif kind == "rt_invalid":
        columns["RT"][i] = rng.choice(["12a", "1234", "RT satu"])


def _mess(columns: dict[str, list], i: int, kind: str, rng: random.Random) -> None:
    if kind == "date_form":
        born = dt.datetime.strptime(columns["Tanggal Lahir"][i], "%d/%m/%Y").date()
        forms = [
            born.strftime("%d-%m-%y"),
            born.isoformat(),
            born.strftime("%d.%m.%Y"),
            str((born - dt.date(1899, 12, 30)).days),
            f"{born.day} {_MONTHS_ID[born.month - 1]} {born.year}",
        ]
        columns["Tanggal Lahir"][i] = rng.choice(forms)
    elif kind == "sex_word":
        male = columns["Jenis Kelamin"][i] == "L"
        columns["Jenis Kelamin"][i] = rng.choice(
            ["Laki-laki", "LAKI LAKI", "Pria"] if male else ["Perempuan", "wanita", "PR"]
        )
    elif kind == "name_case":
        name = columns["Nama Lengkap"][i]
        columns["Nama Lengkap"][i] = rng.choice([name.upper(), name.lower(), f"  {name}  "])
    elif kind == "nik_spaced":
        nik = columns["NIK"][i]
        columns["NIK"][i] = f"{nik[:6]} {nik[6:12]} {nik[12:]}"
    elif kind == "nik_float":
        columns["NIK"][i] = columns["NIK"][i] + ".0"
    elif kind == "village_name":
        columns["Kelurahan/Desa"][i] = wilayah.wilayah_name(columns["Kelurahan/Desa"][i])
    elif kind == "phone_form":
        phone = columns["No HP"][i]
        if phone:
            columns["No HP"][i] = rng.choice(
                [f"+62 {phone[1:4]}-{phone[4:8]}-{phone[8:]}", phone[1:], "62" + phone[1:]]
            )


_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
