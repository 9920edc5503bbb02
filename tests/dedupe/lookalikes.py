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

# A case is its kind, then its first record: name | birth date | sex | NIK serial | phone | house
# number on Jl. Merdeka Gg. Melati, RT 003 / RW 002 (always in VILLAGE, the NIK composed from
# the village, date, sex and serial), then what the second record changes: any of those fields
# ("none": left blank), "village: other" (OTHER_VILLAGE), and "nik:" a number as written or
# "typo N", the first record's NIK with digit N mistyped. Without "nik:" the second NIK is
# composed from its own fields.
LOOK_ALIKE = """
same_day_neighbours
  Besse Bau               | 1971-04-12 | F |  1 | 081250001111 |
  name: Maimunah Aminah; serial: 2; phone: 081250002222
placeholder_date_neighbours
  Sulaiman Daud           | 1950-01-01 | M |  4 | 081250003333 |
  name: Yusuf Abdurrahman; serial: 5; phone: none
twins_rhyming
  Hasan Basri             | 1999-06-03 | M |  1 | 081250004444 |  7
  name: Husin Basri; serial: 2
twins_one_letter
  Rina Wati               | 2001-09-09 | F |  1 | 081250005555 |  8
  name: Rini Wati; serial: 2
twins_single_name
  Fajri                   | 1995-02-14 | M |  1 | 081250006666 |  9
  name: Fajar; serial: 2
household
  Ahmad Yani              | 1968-03-05 | M |  3 | 081250007777 | 10
  name: Siti Rohani; born: 1970-03-05; sex: F
chinese_family_name
  Bong Ah Kiong           | 1955-07-01 | M |  2 | 081250008888 | 11
  name: Bong Ah Moi; sex: F
chinese_family_name_strangers
  Lim Bun Hok             | 1980-10-20 | M |  1 |              |
  name: Lim Kim Fatt; serial: 2; village: other
common_name
  Siti Wahyuni            | 1960-12-31 | F |  3 | 081250009999 |
  serial: 9; phone: 081250019999; village: other
malay_titles
  Wan Aminah              | 1975-05-05 | F |  1 |              |
  name: Wan Fatimah; serial: 2
pilgrim_titles
  H. Abdul Rahman         | 1958-08-08 | M |  1 | 081250010000 | 12
  name: Hj. Siti Rahmah; sex: F
"""

WRITTEN_TWICE = """
old_ktp_number
  Muhammad Rizki          | 1986-11-23 | M |  4 | 081251110000 | 20
  nik: 6171011505790031
nik_typo_serial
  Dewi Lestari            | 1990-03-04 | F | 14 |              |
  nik: typo 15
nik_typo_district
  Agus Salim              | 1984-02-17 | M |  3 |              |
  nik: typo 5
nik_typo_date
  Yohanes Paulus          | 1979-07-25 | M |  2 |              |
  nik: typo 7
day_month_swapped
  Yuliana Sari            | 1992-05-08 | F |  6 |              |
  born: 1992-08-05; nik: typo 15
spelling_muhammad
  Muhammad Ilham          | 1988-04-01 | M |  2 | 081251112222 |
  name: M. Ilham; serial: 12
spelling_mohammad
  Mohammad Fadli Ramadhan | 1993-03-23 | M |  1 |              |
  name: Muhamad Fadli Ramadhan; serial: 11
spelling_abdullah
  Abdullah Syukur         | 1965-09-30 | M |  1 |              |
  name: Abdulah Syukur; village: other; nik: typo 13
spelling_siti
  Siti Khadijah           | 1977-01-19 | F |  3 |              |
  name: St. Khadijah; serial: 13
spelling_nur
  Nur Aini                | 1989-10-02 | F |  2 | 081251113333 |
  name: Noor Aini; serial: 12; phone: none
middle_name_dropped
  Siti Nur Aisyah         | 1983-06-06 | F |  2 | 081251114444 |
  name: Siti Aisyah; serial: 32
names_reordered
  Pratama Rizal           | 1997-12-12 | M |  1 |              |
  name: Rizal Pratama; serial: 21
title_added
  Uray Hamdan             | 1962-02-02 | M |  1 | 081251115555 |
  name: Hamdan; serial: 31
phone_changed
  Kartini Wulandari       | 1991-04-21 | F |  1 | 081251116666 |
  serial: 41; phone: 085751117777
sex_blank
  Nuraini Safitri         | 1990-08-18 | F |  1 | 081251118888 |
  sex: none; serial: 51; phone: none; nik: 6172025808900051
moved_kelurahan
  Ferdinandus Ajun        | 1974-11-03 | M |  1 |              | 30
  home: none; village: other; nik: typo 14
"""


@dataclass(frozen=True)
class Case:
    kind: str
    same_person: bool
    a: dict
    b: dict


def cases() -> list[Case]:
    return [
        *_cases(LOOK_ALIKE, same_person=False),
        *_cases(WRITTEN_TWICE, same_person=True),
    ]


_COLUMNS = ("name", "born", "sex", "serial", "phone", "home")


def _cases(table: str, *, same_person: bool) -> list[Case]:
    lines = table.strip().splitlines()
    out = []
    for kind, first, changes in zip(lines[::3], lines[1::3], lines[2::3], strict=True):
        fields = dict(zip(_COLUMNS, (c.strip() for c in first.split("|")), strict=False))
        a = _record(fields)
        second = dict(change.split(": ", 1) for change in changes.strip().split("; "))
        b = _record({**fields, **second}, first_nik=a["nik"])
        out.append(Case(kind, same_person, a, b))
    return out


def _record(fields: dict[str, str], first_nik: str = "") -> dict:
    def field(name: str) -> str:
        value = fields.get(name, "")
        return "" if value == "none" else value

    born = dt.date.fromisoformat(field("born"))
    village = OTHER_VILLAGE if field("village") == "other" else VILLAGE
    nik = field("nik")
    if not nik:
        nik = compose(village[:8], born, field("sex"), int(field("serial")))
    elif nik.startswith("typo "):
        nik = _typo(first_nik, int(nik.removeprefix("typo ")))
    home = field("home")
    return {
        "nik": nik,
        "full_name": field("name"),
        "birth_date": born,
        "sex": field("sex") or None,
        "village_code": village,
        "phone": field("phone"),
        "address": f"Jl. Merdeka Gg. Melati No. {home}" if home else "",
        "rt": "003" if home else "",
        "rw": "002" if home else "",
    }


def _typo(nik: str, position: int) -> str:
    digit = nik[position]
    return nik[:position] + ("7" if digit != "7" else "3") + nik[position + 1 :]


def frame() -> tuple[pl.DataFrame, dict[tuple[int, int], Case]]:
    """The cases' records (unique_id from FIRST_ID) and each case by its pair of ids."""
    records, by_pair = [], {}
    for i, case in enumerate(cases()):
        a, b = FIRST_ID + 2 * i, FIRST_ID + 2 * i + 1
        records += [{"unique_id": a, **case.a}, {"unique_id": b, **case.b}]
        by_pair[(a, b)] = case
    return pl.DataFrame(records), by_pair
