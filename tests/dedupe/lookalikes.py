"""Hand-made people who look alike but are not one person, and people written twice in the ways
that are hard to see (issue 12's lists), each case a pair of records with its kind.

Every record has a unique, valid NIK (one has no sex: only an import row can lack it). Ids start
at `FIRST_ID` so they never meet a background population's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from jaring.rules.nik import compose

FIRST_ID = 900_000
VILLAGE = "61.72.02.1001"  # Pasiran, Singkawang Barat
OTHER_VILLAGE = "61.72.02.1002"  # same district
DISTRICT = "61.72.02"


@dataclass(frozen=True)
class Case:
    kind: str
    same_person: bool
    a: dict
    b: dict


def person(
    name: str,
    born: dt.date,
    sex: str,
    serial: int,
    *,
    village: str = VILLAGE,
    phone: str | None = None,
    address: str = "",
    rt: str = "",
    rw: str = "",
    nik: str | None = None,
) -> dict:
    return {
        "nik": nik or compose(village[:8], born, sex, serial),
        "full_name": name,
        "birth_date": born,
        "sex": sex,
        "village_code": village,
        "phone": phone or "",
        "address": address,
        "rt": rt,
        "rw": rw,
    }


def _typo(nik: str, position: int) -> str:
    digit = nik[position]
    return nik[:position] + ("7" if digit != "7" else "3") + nik[position + 1 :]


def _home(n: int) -> dict:
    return {"address": f"Jl. Merdeka Gg. Melati No. {n}", "rt": "003", "rw": "002"}


def cases() -> list[Case]:
    d = dt.date
    out = [
        # --- people who look alike --------------------------------------------------------
        Case(
            "same_day_neighbours",
            False,
            person("Besse Bau", d(1971, 4, 12), "F", 1, phone="081250001111"),
            person("Maimunah Aminah", d(1971, 4, 12), "F", 2, phone="081250002222"),
        ),
        Case(
            "placeholder_date_neighbours",
            False,
            person("Sulaiman Daud", d(1950, 1, 1), "M", 4, phone="081250003333"),
            person("Yusuf Abdurrahman", d(1950, 1, 1), "M", 5),
        ),
        Case(
            "twins_rhyming",
            False,
            person("Hasan Basri", d(1999, 6, 3), "M", 1, phone="081250004444", **_home(7)),
            person("Husin Basri", d(1999, 6, 3), "M", 2, phone="081250004444", **_home(7)),
        ),
        Case(
            "twins_one_letter",
            False,
            person("Rina Wati", d(2001, 9, 9), "F", 1, phone="081250005555", **_home(8)),
            person("Rini Wati", d(2001, 9, 9), "F", 2, phone="081250005555", **_home(8)),
        ),
        Case(
            "twins_single_name",
            False,
            person("Fajri", d(1995, 2, 14), "M", 1, phone="081250006666", **_home(9)),
            person("Fajar", d(1995, 2, 14), "M", 2, phone="081250006666", **_home(9)),
        ),
        Case(
            "household",
            False,
            person("Ahmad Yani", d(1968, 3, 5), "M", 3, phone="081250007777", **_home(10)),
            person("Siti Rohani", d(1970, 3, 5), "F", 3, phone="081250007777", **_home(10)),
        ),
        Case(
            "chinese_family_name",
            False,
            person("Bong Ah Kiong", d(1955, 7, 1), "M", 2, phone="081250008888", **_home(11)),
            person("Bong Ah Moi", d(1955, 7, 1), "F", 2, phone="081250008888", **_home(11)),
        ),
        Case(
            "chinese_family_name_strangers",
            False,
            person("Lim Bun Hok", d(1980, 10, 20), "M", 1),
            person("Lim Kim Fatt", d(1980, 10, 20), "M", 2, village=OTHER_VILLAGE),
        ),
        Case(
            "common_name",
            False,
            person("Siti Wahyuni", d(1960, 12, 31), "F", 3, phone="081250009999"),
            person(
                "Siti Wahyuni", d(1960, 12, 31), "F", 9, village=OTHER_VILLAGE, phone="081250019999"
            ),
        ),
        Case(
            "malay_titles",
            False,
            person("Wan Aminah", d(1975, 5, 5), "F", 1),
            person("Wan Fatimah", d(1975, 5, 5), "F", 2),
        ),
        Case(
            "pilgrim_titles",
            False,
            person("H. Abdul Rahman", d(1958, 8, 8), "M", 1, phone="081250010000", **_home(12)),
            person("Hj. Siti Rahmah", d(1958, 8, 8), "F", 1, phone="081250010000", **_home(12)),
        ),
    ]
    # --- one person written twice -------------------------------------------------------------
    born = d(1986, 11, 23)
    base = person("Muhammad Rizki", born, "M", 4, phone="081251110000", **_home(20))
    out += [
        Case(
            "old_ktp_number",
            True,
            base,
            {**base, "nik": "6171011505790031"},
        ),
        Case("nik_typo_serial", True, *_pair(d(1990, 3, 4), "Dewi Lestari", "F", 14, 15)),
        Case("nik_typo_district", True, *_pair(d(1984, 2, 17), "Agus Salim", "M", 3, 5)),
        Case("nik_typo_date", True, *_pair(d(1979, 7, 25), "Yohanes Paulus", "M", 2, 7)),
        Case(
            "day_month_swapped",
            True,
            person("Yuliana Sari", d(1992, 5, 8), "F", 6),
            {**person("Yuliana Sari", d(1992, 8, 5), "F", 6), "nik": _typo(
                compose(DISTRICT, d(1992, 5, 8), "F", 6), 15
            )},
        ),
        Case(
            "spelling_muhammad",
            True,
            person("Muhammad Ilham", d(1988, 4, 1), "M", 2, phone="081251112222"),
            person("M. Ilham", d(1988, 4, 1), "M", 12, phone="081251112222"),
        ),
        Case(
            "spelling_mohammad",
            True,
            person("Mohammad Fadli Ramadhan", d(1993, 3, 23), "M", 1),
            person("Muhamad Fadli Ramadhan", d(1993, 3, 23), "M", 11),
        ),
        Case(
            "spelling_abdullah",
            True,
            person("Abdullah Syukur", d(1965, 9, 30), "M", 1),
            person("Abdulah Syukur", d(1965, 9, 30), "M", 1, village=OTHER_VILLAGE, nik=_typo(
                compose(DISTRICT, d(1965, 9, 30), "M", 1), 13
            )),
        ),
        Case(
            "spelling_siti",
            True,
            person("Siti Khadijah", d(1977, 1, 19), "F", 3),
            person("St. Khadijah", d(1977, 1, 19), "F", 13),
        ),
        Case(
            "spelling_nur",
            True,
            person("Nur Aini", d(1989, 10, 2), "F", 2, phone="081251113333"),
            person("Noor Aini", d(1989, 10, 2), "F", 12),
        ),
        Case(
            "middle_name_dropped",
            True,
            person("Siti Nur Aisyah", d(1983, 6, 6), "F", 2, phone="081251114444"),
            person("Siti Aisyah", d(1983, 6, 6), "F", 32, phone="081251114444"),
        ),
        Case(
            "names_reordered",
            True,
            person("Pratama Rizal", d(1997, 12, 12), "M", 1),
            person("Rizal Pratama", d(1997, 12, 12), "M", 21),
        ),
        Case(
            "title_added",
            True,
            person("Uray Hamdan", d(1962, 2, 2), "M", 1, phone="081251115555"),
            person("Hamdan", d(1962, 2, 2), "M", 31, phone="081251115555"),
        ),
        Case(
            "phone_changed",
            True,
            person("Kartini Wulandari", d(1991, 4, 21), "F", 1, phone="081251116666"),
            person("Kartini Wulandari", d(1991, 4, 21), "F", 41, phone="085751117777"),
        ),
        Case(
            "sex_blank",
            True,
            person("Nuraini Safitri", d(1990, 8, 18), "F", 1, phone="081251118888"),
            {**person("Nuraini Safitri", d(1990, 8, 18), "F", 51), "sex": None},
        ),
        Case(
            "moved_kelurahan",
            True,
            person("Ferdinandus Ajun", d(1974, 11, 3), "M", 1, **_home(30)),
            person(
                "Ferdinandus Ajun", d(1974, 11, 3), "M", 1, village=OTHER_VILLAGE,
                nik=_typo(compose(DISTRICT, d(1974, 11, 3), "M", 1), 14),
            ),
        ),
    ]  # fmt: skip
    return out


def _pair(born: dt.date, name: str, sex: str, serial: int, position: int) -> tuple[dict, dict]:
    """A person and their record again with one NIK digit (at `position`) mistyped."""
    a = person(name, born, sex, serial)
    return a, {**a, "nik": _typo(a["nik"], position)}


def frame() -> tuple[pl.DataFrame, dict[tuple[int, int], Case]]:
    """The cases' records (unique_id from FIRST_ID) and each case by its pair of ids."""
    records, by_pair = [], {}
    for i, case in enumerate(cases()):
        a, b = FIRST_ID + 2 * i, FIRST_ID + 2 * i + 1
        records += [{"unique_id": a, **case.a}, {"unique_id": b, **case.b}]
        by_pair[(a, b)] = case
    return pl.DataFrame(records), by_pair
