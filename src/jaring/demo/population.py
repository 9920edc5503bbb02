"""A population built like a real city's registry, with look-alikes and hard duplicates, and
its truth recorded: the test data for duplicate detection (issue 12).

`synthetic.iter_people` makes independent people with unique, well-spread NIKs, and
`inject_duplicates` copies some of them with easy errors; a model tuned on that never meets the
people who make real de-duplication hard. This module adds what real registries have:

Look-alikes (different people; a pair of them in the queue is an officer's wasted afternoon):
- `twin`: same birth date, household, address and phone, consecutive NIK serials, names that
  rhyme and share the father's name (Hasan Basri / Husin Basri, Rina / Rini);
- `household`: spouses, adult children, siblings sharing address, RT/RW and often one phone
  (a mother's children born at least ten months apart, twins apart); Chinese-Indonesian
  families share a family name (Lim, Tan, Bong, ...);
- `same_day_serial`: born the same day in the same district, so NIKs differ only in the serial
  (0001, 0002, ...);
- `placeholder_date`: older people whose recorded birth date is a placeholder (1 January, 1 July,
  31 December), so many of one district share it, with consecutive serials;
- `common_name`: the same very common name (Muhammad, Siti, Nur, Abdul, Agus, Sri, Dewi,
  Wahyuni) in the same district.

Hard duplicates (one person listed twice; the registry's NIKs are unique, so every copy's NIK
differs): `old_ktp` (a different NIK from an older card: other district and serial, same birth
date), `typo_serial`, `typo_district`, `typo_date` (one digit, still a valid NIK),
`transposed` (two serial digits swapped), `nik_date_swapped` (day and month swapped inside the
NIK) — each with further variations: spelling variants (Muhammad/Muhamad/Mohammad/M./Moh.,
Abdullah/Abdulah, Siti/St., Nur/Noor, old Dutch spellings), a dropped middle name, names in
another order, a title added (H., Hj., Abang, Uray, a degree), a slip of the keyboard, another
or no phone, sex left blank, moved to another kelurahan, day and month of the birth date field
swapped.

`make_population` returns the records (with `record_id`, `person_id` and `household_id`) and two
truth tables: every duplicate pair with its kind and variations, and every look-alike pair with
its kind. Pure Python and Polars, no database; the same arguments give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import combinations

import polars as pl

from jaring.demo.synthetic import (
    DEFAULT_CATEGORIES,
    PERSON_SCHEMA,
    Person,
    people_frame,
    villages_under,
)
from jaring.rules.nik import compose

# --- names -------------------------------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(", "))


CHINESE_FAMILY = _split("Lim, Tan, Bong, Lie, Chong, Huang, Phang, Tjhai, Liu, Chin, Kho, Ng, Jong")
CHINESE_MALE = _split(
    "Ah Kiong, A Fuk, Kim Hin, Sui Fat, Fui Jun, Siu Ming, Kon Fo, Jun Fat, Ah Sin"
)
CHINESE_FEMALE = _split("Siu Lan, Mei Ling, Kim Hoa, Chui Mie, Siu Fa, Fui Lan, Mui Khim, Ah Mui")
# Very common names are what officers see most: they are weighted up on purpose.
COMMON_MALE = _split("Muhammad, Abdul, Agus, Ahmad, Nur, Muhammad, Agus, Muhammad")
COMMON_FEMALE = _split("Siti, Sri, Dewi, Nur, Siti, Sri Wahyuni, Wahyuni, Siti")
MUSLIM_MALE = _split(
    "Rahmat, Zainal, Hamdan, Rusdi, Mahmud, Syahrul, Firdaus, Zulkifli, Junaidi, Ismail, Yusuf, "
    "Hasan, Ridwan, Fajar, Ilham, Rizki, Arif, Lukman, Abdullah, Ahmad, Muhammad, Abdul Rahman"
)
MUSLIM_FEMALE = _split(
    "Nurhayati, Rosnani, Zubaidah, Maimunah, Jamilah, Salmah, Mariani, Rohani, Fatimah, Aisyah, "
    "Halimah, Zainab, Latifah, Rukiah, Siti Aminah, Nur Aini, Siti Fatimah, Wahyuni"
)
MUSLIM_SECOND = _split(
    "Hamid, Yusuf, Abdullah, Ramli, Saleh, Daud, Idris, Usman, Bakar, Effendi, Rahman, Hakim, "
    "Ramadhan, Syahputra, Maulana, Aziz, Amin, Basri, Hasibuan, Aminah, Hasanah"
)
MALAY_TITLES_MALE = ("Abang", "Uray", "Wan", "Syarif")
MALAY_TITLES_FEMALE = ("Dayang", "Uray", "Wan", "Syarifah", "Utin")
JAVANESE_MALE = _split("Agus, Slamet, Joko, Bambang, Heru, Sugeng, Wahyu, Teguh, Eko, Budi, Hadi")
JAVANESE_FEMALE = _split("Sri, Endang, Suharti, Sulastri, Dewi, Tutik, Sumarni, Ratna, Puji, Yuni")
JAVANESE_SECOND = _split(
    "Santoso, Prasetyo, Widodo, Purnomo, Susilo, Wibowo, Nugroho, Rahayu, Lestari, Ningsih, "
    "Wulandari, Handayani, Astuti, Sutrisno, Suryadi"
)
DAYAK_MALE = _split("Yohanes, Antonius, Paulus, Stefanus, Markus, Petrus, Agustinus, Fransiskus")
DAYAK_FEMALE = _split("Maria, Theresia, Yuliana, Agustina, Veronika, Lusia, Katarina, Natalia")
DAYAK_SECOND = _split("Acim, Aloy, Atong, Ajun, Nyangun, Laeng, Apui, Asong, Bujang, Ipah, Inok")

# Given names whose twins rhyme, as families name them.
TWIN_NAMES = {
    False: (
        ("Hasan", "Husin"),
        ("Hasan", "Husein"),
        ("Rina", "Rini"),
        ("Fajri", "Fajar"),
        ("Rizki", "Rizka"),
        ("Putra", "Putri"),
        ("Ikhwan", "Ikhsan"),
        ("Dewi", "Dewa"),
        ("Nur Aini", "Nur Aina"),
        ("Fauzi", "Fauzan"),
        ("Yanto", "Yanti"),
    ),
    True: (
        ("Siu Lan", "Siu Fa"),
        ("Ah Kiong", "Ah Sin"),
        ("Kim Hin", "Kim Hoa"),
        ("Yanto", "Yanti"),
    ),
}
_TWIN_SEX = {
    "Hasan": "M", "Husin": "M", "Husein": "M", "Rina": "F", "Rini": "F", "Fajri": "M",
    "Fajar": "M", "Rizki": "M", "Rizka": "F", "Putra": "M", "Putri": "F", "Ikhwan": "M",
    "Ikhsan": "M", "Dewi": "F", "Dewa": "M", "Nur Aini": "F", "Nur Aina": "F", "Fauzi": "M",
    "Fauzan": "M", "Siu Lan": "F", "Siu Fa": "F", "Ah Kiong": "M", "Ah Sin": "M",
    "Kim Hin": "M", "Kim Hoa": "F", "Yanto": "M", "Yanti": "F",
}  # fmt: skip

# How another hand writes the same name: abbreviations, transliterations, old spellings.
SPELLINGS = {
    "Muhammad": ("Muhamad", "Mohammad", "Mohamad", "M.", "Moh.", "Muh.", "Muhammat"),
    "Abdullah": ("Abdulah", "Abdulloh"),
    "Abdul": ("Abd.", "Abdoel"),
    "Siti": ("St.", "Sitti"),
    "Nur": ("Noor", "Nurul"),
    "Ahmad": ("Achmad", "Ahmat"),
    "Yusuf": ("Yusup", "Yusoff"),
    "Syarif": ("Sarif", "Sharif"),
    "Syarifah": ("Sarifah", "Sharifah"),
    "Rahmat": ("Rachmat", "Rahmad"),
    "Suryadi": ("Soeryadi",),
    "Sutrisno": ("Soetrisno",),
    "Yohanes": ("Johanes", "Yohannes"),
    "Yuliana": ("Juliana",),
    "Joko": ("Djoko",),
    "Zainal": ("Zainul", "Zaenal"),
    "Fatimah": ("Fatima", "Fatmah"),
    "Tjhai": ("Chai",),
    "Hasanah": ("Hasanna",),
    "Wahyuni": ("Wahyuny",),
    "Aisyah": ("Aisah", "Aisya"),
    "Ramadhan": ("Ramadan",),
}
PILGRIM = {"M": "H.", "F": "Hj."}
STREETS = _split("Gunung Raya, Diponegoro, Niaga, Merdeka, Ahmad Yani, GM Situt, Alianyang, Tani")
LANES = _split("Melati, Mawar, Damai, Karya")
DEGREES = (", S.Pd", ", S.E.", ", A.Md", ", S.Ag")


@dataclass(frozen=True)
class _Family:
    """How one family's names are built: a background and, for Chinese families, the name."""

    background: str
    family_name: str = ""
    father_given: str = ""


def _given(rng: random.Random, background: str, sex: str) -> str:
    if background == "chinese":
        return rng.choice(CHINESE_MALE if sex == "M" else CHINESE_FEMALE)
    if background == "javanese":
        return rng.choice(JAVANESE_MALE if sex == "M" else JAVANESE_FEMALE)
    if background == "dayak":
        return rng.choice(DAYAK_MALE if sex == "M" else DAYAK_FEMALE)
    if rng.random() < 0.35:
        return rng.choice(COMMON_MALE if sex == "M" else COMMON_FEMALE)
    return rng.choice(MUSLIM_MALE if sex == "M" else MUSLIM_FEMALE)


def _full_name(rng: random.Random, family: _Family, sex: str, given: str | None = None) -> str:
    given = given or _given(rng, family.background, sex)
    b = family.background
    if b == "chinese":
        return f"{family.family_name} {given}"
    if b == "javanese":
        return given if rng.random() < 0.4 else f"{given} {rng.choice(JAVANESE_SECOND)}"
    if b == "dayak":
        return f"{given} {rng.choice(DAYAK_SECOND)}"
    second = family.father_given or rng.choice(MUSLIM_SECOND)
    name = given if second == given or rng.random() < 0.12 else f"{given} {second}"
    if b == "malay" and rng.random() < 0.25:
        name = f"{rng.choice(MALAY_TITLES_MALE if sex == 'M' else MALAY_TITLES_FEMALE)} {name}"
    return name


BACKGROUNDS = {"chinese": 30, "malay": 30, "muslim": 12, "javanese": 14, "dayak": 14}


# --- people and households ---------------------------------------------------------------------

PLACEHOLDER_DAYS = ((1, 1), (1, 7), (31, 12))
LOOKALIKE_KINDS = ("twin", "household", "same_day_serial", "placeholder_date", "common_name")
NIK_KINDS = {
    "old_ktp": 25,
    "typo_serial": 22,
    "transposed": 13,
    "typo_district": 12,
    "typo_date": 16,
    "nik_date_swapped": 12,
}
VARIATIONS = {
    "name_variant": 0.40,
    "dropped_name": 0.12,
    "reordered": 0.08,
    "title_added": 0.12,
    "name_typo": 0.15,
    "phone_changed": 0.25,
    "phone_missing": 0.15,
    "sex_blank": 0.08,
    "moved_village": 0.15,
    "date_swapped": 0.06,
}


@dataclass
class Population:
    """`records`: one row per listing (`record_id`, `person_id`, `household_id` and the
    `synthetic.Person` columns). `duplicates`: `record_id_l` < `record_id_r`, `kind` (how the
    NIK differs), `variations` (comma-separated). `lookalikes`: pairs of different people with
    their `kind` (one of LOOKALIKE_KINDS; a pair that is several is listed under each)."""

    records: pl.DataFrame
    duplicates: pl.DataFrame
    lookalikes: pl.DataFrame

    def true_pairs(self) -> set[tuple[int, int]]:
        return set(self.duplicates.select("record_id_l", "record_id_r").iter_rows())


class _Builder:
    def __init__(self, rng: random.Random, region: str, today: dt.date):
        self.rng, self.today = rng, today
        self.villages = villages_under(region)
        if not self.villages:
            raise ValueError(f"no villages under region {region!r}")
        self.districts = sorted({v[:8] for v in self.villages})
        # Where people who moved in were first registered: the rest of the province, and Java.
        elsewhere = [v[:8] for r in ("61.01", "61.07", "33.74", "35.78") for v in villages_under(r)]
        self.elsewhere = sorted(set(elsewhere))
        self.serials: dict[tuple[str, dt.date, str], int] = defaultdict(int)
        self.people: list[Person] = []
        self.person_of: list[int] = []
        self.household_of: list[int] = []
        self.households: dict[int, list[int]] = defaultdict(list)
        self.records_of: dict[int, list[int]] = defaultdict(list)
        self.lookalikes: list[tuple[int, int, str]] = []

    # NIK serials run per district of issue, birth date and sex; a list holds some of them, so
    # the next listed person of a cell usually has the next serial, sometimes a later one.
    def nik(self, district: str, born: dt.date, sex: str) -> str:
        key = (district, born, sex)
        self.serials[key] += 1 if self.rng.random() < 0.75 else self.rng.randint(2, 6)
        return compose(district, born, sex, self.serials[key])

    def issue_district(self, village: str) -> str:
        roll = self.rng.random()
        if roll < 0.85:
            return village[:8]
        if roll < 0.95:
            return self.rng.choice(self.districts)
        return self.rng.choice(self.elsewhere)

    def birth_date(self, age_from: int, age_to: int) -> dt.date:
        age_to = min(age_to, 64)
        born = self.today - dt.timedelta(days=self.rng.randint(age_from * 365 + 1, age_to * 365))
        if born.year < 1976 and self.rng.random() < 0.4:
            day, month = self.rng.choice(PLACEHOLDER_DAYS)
            born = dt.date(born.year, month, day)
        return born

    def near(self, born: dt.date, days: int) -> dt.date:
        """A working-age birth date within `days` of `born` (a spouse, a sibling)."""
        oldest = self.today - dt.timedelta(days=64 * 365)
        youngest = self.today - dt.timedelta(days=18 * 365 + 5)
        low, high = max(oldest, born - dt.timedelta(days)), min(youngest, born + dt.timedelta(days))
        return low + dt.timedelta(days=self.rng.randint(0, max((high - low).days, 0)))

    def phone(self) -> str:
        prefix = self.rng.choice(("812", "813", "821", "852", "853", "857", "878", "895"))
        return f"+62{prefix}{self.rng.randrange(10**7, 10**8)}"

    def add(self, person: Person, household: int, same_as: int | None = None) -> int:
        """Lists a person (or, with `same_as`, that record's person again)."""
        record = len(self.people)
        self.people.append(person)
        self.person_of.append(record if same_as is None else self.person_of[same_as])
        self.household_of.append(household)
        self.households[household].append(record)
        self.records_of[self.person_of[record]].append(record)
        return record

    def household(self, hid: int, size: int) -> None:
        rng = self.rng
        background = rng.choices(list(BACKGROUNDS), weights=list(BACKGROUNDS.values()))[0]
        village = rng.choice(self.villages)
        shared = {
            "village_code": village,
            "rt": f"{rng.randint(1, 15):03d}",
            "rw": f"{rng.randint(1, 12):03d}",
            "address": _address(rng),
        }
        phone = self.phone()
        head_sex = "M" if rng.random() < 0.8 else "F"
        head_born = self.birth_date(24 if size == 1 else 38 if size > 2 else 22, 64)
        family = _Family(
            background,
            family_name=rng.choice(CHINESE_FAMILY) if background == "chinese" else "",
        )
        members: list[int] = []
        head_given = _given(rng, background, head_sex)

        def person(sex: str, born: dt.date, name: str, own_phone: bool) -> int:
            return self.add(
                Person(
                    nik=self.nik(self.issue_district(village), born, sex),
                    full_name=name,
                    birth_date=born,
                    sex=sex,
                    phone=self.phone() if own_phone else phone,
                    category_code=rng.choices(
                        list(DEFAULT_CATEGORIES), weights=list(DEFAULT_CATEGORIES.values())
                    )[0],
                    has_disability=(d := rng.random() < 0.02),
                    disability_kind=rng.choice(("physical", "sensory")) if d else "",
                    declared_income=None if rng.random() < 0.3 else rng.randrange(10, 40) * 10**5,
                    **shared,
                ),
                hid,
            )

        muslim = background in ("malay", "muslim")
        head_name = _full_name(rng, family, head_sex, head_given)
        if muslim and _age(head_born, self.today) > 45:
            head_name = _pilgrim(rng, head_name, head_sex, 0.25)
        members.append(person(head_sex, head_born, head_name, own_phone=False))
        if size >= 2:
            sex = "F" if head_sex == "M" else "M"
            born = self.near(head_born, 3000)
            name = _full_name(rng, family, sex)
            if muslim and _age(born, self.today) > 45:
                name = _pilgrim(rng, name, sex, 0.2)
            members.append(person(sex, born, name, own_phone=rng.random() < 0.4))
        father = head_given.split()[0] if head_sex == "M" else ""
        children = _Family(background, family.family_name, father)
        births: list[dt.date] = []
        for _ in range(size - 2):
            sex = "M" if rng.random() < 0.5 else "F"
            # A mother's children are born at least ten months apart (twins are added apart).
            for _ in range(20):
                born = self.near(head_born + dt.timedelta(days=28 * 365), 8 * 365)
                if all(abs((born - other).days) >= 300 for other in births):
                    break
            births.append(born)
            # Malay and Arabic naming often carries the father's name; not always.
            fam = children if rng.random() < 0.35 else family
            members.append(
                person(sex, born, _full_name(rng, fam, sex), own_phone=rng.random() < 0.5)
            )
        for a, b in combinations(members, 2):
            self.lookalikes.append((a, b, "household"))
        if size >= 3 and rng.random() < 0.1:
            self.twin(members[-1], children)

    def twin(self, sibling: int, family: _Family) -> None:
        """Renames a child with one of a rhyming pair and adds the other twin: same birth date,
        household and phone, the next NIK serial of the same district."""
        rng, first = self.rng, self.people[sibling]
        a, b = rng.choice(TWIN_NAMES[family.background == "chinese"])
        district, born = _district(first.nik), first.birth_date
        name_a = _full_name(rng, family, _TWIN_SEX[a], a)
        nik_a = first.nik if _TWIN_SEX[a] == first.sex else self.nik(district, born, _TWIN_SEX[a])
        self.people[sibling] = replace(first, full_name=name_a, sex=_TWIN_SEX[a], nik=nik_a)
        key = (district, born, _TWIN_SEX[b])
        self.serials[key] += 1  # born minutes apart, registered together: the very next serial
        twin = replace(
            self.people[sibling],
            full_name=_with_same_rest(name_a, a, b),
            sex=_TWIN_SEX[b],
            nik=compose(district, born, _TWIN_SEX[b], self.serials[key]),
        )
        other = self.add(twin, self.household_of[sibling])
        for m in self.households[self.household_of[sibling]]:
            if m != other:
                self.lookalikes.append((m, other, "twin" if m == sibling else "household"))


def _district(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def _with_same_rest(name: str, given: str, other: str) -> str:
    return name.replace(given, other, 1) if given in name else other


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _pilgrim(rng: random.Random, name: str, sex: str, rate: float) -> str:
    return f"{PILGRIM[sex]} {name}" if rng.random() < rate else name


def _address(rng: random.Random) -> str:
    street = rng.choice(STREETS)
    if rng.random() < 0.3:
        return f"Jl. {street} Gg. {rng.choice(LANES)} No. {rng.randint(1, 60)}"
    return f"Jl. {street} No. {rng.randint(1, 250)}"


# --- copies ------------------------------------------------------------------------------------


def _copy_nik(rng: random.Random, person: Person, kind: str, b: _Builder) -> str | None:
    nik = person.nik
    district, born, sex = _district(nik), person.birth_date, person.sex
    serial = int(nik[12:])
    if kind == "old_ktp":
        other = rng.choice([d for d in b.districts + b.elsewhere if d != district])
        return compose(other, born, sex, rng.randint(1, 40))
    if kind == "typo_serial":
        return compose(district, born, sex, _one_digit(rng, serial, 4, low=1))
    if kind == "transposed":
        digits = nik[12:]
        i = rng.randrange(3)
        if digits[i] == digits[i + 1]:
            return None
        return nik[:12] + digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    if kind == "typo_district":
        near = [d for d in b.districts if d != district and _differs_once(d, district)]
        return compose(rng.choice(near), born, sex, serial) if near else None
    if kind == "typo_date":
        for _ in range(10):
            pos = rng.choice((6, 7, 8, 9, 10, 11))
            digit = str(rng.randrange(10))
            candidate = nik[:pos] + digit + nik[pos + 1 :]
            if candidate != nik and _valid_date_part(candidate, b.today):
                return candidate
        return None
    if kind == "nik_date_swapped":
        day, month = born.day, born.month
        if day > 12 or day == month:
            return None
        return compose(district, dt.date(born.year, day, month), sex, serial)
    raise ValueError(kind)


def _one_digit(rng: random.Random, value: int, width: int, low: int = 0) -> int:
    text = f"{value:0{width}d}"
    while True:
        pos = rng.randrange(width)
        new = text[:pos] + str(rng.randrange(10)) + text[pos + 1 :]
        if new != text and int(new) >= low:
            return int(new)


def _differs_once(a: str, b: str) -> bool:
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _valid_date_part(nik: str, today: dt.date) -> bool:
    from jaring.rules.nik import parse

    return parse(nik, today=today).valid


def _vary_name(rng: random.Random, name: str, variation: str, sex: str | None) -> str | None:
    parts = name.split()
    if variation == "name_variant":
        spots = [i for i, p in enumerate(parts) if p in SPELLINGS]
        if not spots:
            return None
        i = rng.choice(spots)
        return " ".join([*parts[:i], rng.choice(SPELLINGS[parts[i]]), *parts[i + 1 :]])
    if variation == "dropped_name":
        if len(parts) < 3:
            return None
        i = rng.randrange(1, len(parts) - 1) if len(parts) > 3 else rng.choice((1, len(parts) - 1))
        return " ".join(parts[:i] + parts[i + 1 :])
    if variation == "reordered":
        if len(parts) < 2:
            return None
        return " ".join([*parts[1:], parts[0]])
    if variation == "title_added":
        if rng.random() < 0.6 and sex:
            return f"{PILGRIM[sex]} {name}"
        return name + rng.choice(DEGREES)
    if variation == "name_typo":
        letters = [i for i, c in enumerate(name) if c.isalpha()]
        i = rng.choice(letters)
        kind = rng.randrange(3)
        if kind == 0:
            return name[:i] + rng.choice("aeiounrst") + name[i + 1 :]
        if kind == 1:
            return name[:i] + name[i + 1 :]
        return name[:i] + name[i] + name[i:]
    raise ValueError(variation)


def _copy(rng: random.Random, person: Person, b: _Builder) -> tuple[Person, str, list[str]] | None:
    kinds = list(NIK_KINDS)
    for _ in range(5):
        kind = rng.choices(kinds, weights=list(NIK_KINDS.values()))[0]
        nik = _copy_nik(rng, person, kind, b)
        if nik:
            break
    else:
        return None
    copy, done = replace(person, nik=nik), []
    for variation, rate in VARIATIONS.items():
        if rng.random() >= rate:
            continue
        if variation in ("name_variant", "dropped_name", "reordered", "title_added", "name_typo"):
            name = _vary_name(rng, copy.full_name, variation, person.sex)
            if name is None or name == copy.full_name:
                continue
            copy = replace(copy, full_name=name)
        elif variation == "phone_changed":
            copy = replace(copy, phone=b.phone())
        elif variation == "phone_missing":
            copy = replace(copy, phone="")
        elif variation == "sex_blank":
            copy = replace(copy, sex="")
        elif variation == "moved_village":
            village = rng.choice([v for v in b.villages if v != person.village_code])
            copy = replace(copy, village_code=village, address=_address(rng), rt="001", rw="001")
        elif variation == "date_swapped":
            born = person.birth_date
            if born.day > 12 or born.day == born.month:
                continue
            copy = replace(copy, birth_date=dt.date(born.year, born.day, born.month))
        done.append(variation)
    return copy, kind, done


# --- the whole -----------------------------------------------------------------------------------

HOUSEHOLD_SIZES = {1: 60, 2: 20, 3: 10, 4: 6, 5: 3, 6: 1}


def make_population(
    n: int,
    *,
    region: str = "61.72",
    seed: int = 0,
    duplicate_rate: float = 0.05,
    today: dt.date | None = None,
) -> Population:
    """About `n` different people of `region` (households, twins, placeholder dates and common
    names as a city has them), plus copies of `duplicate_rate` of them listed again, shuffled.
    A few people are listed three times."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    b = _Builder(rng, region, today)
    hid = 0
    while len(b.people) < n:
        size = rng.choices(list(HOUSEHOLD_SIZES), weights=list(HOUSEHOLD_SIZES.values()))[0]
        b.household(hid, size)
        hid += 1
    people = len(b.people)
    duplicates: list[tuple[int, int, str, str]] = []
    for original in rng.sample(range(people), round(people * duplicate_rate)):
        for _ in range(2 if rng.random() < 0.05 else 1):
            made = _copy(rng, b.people[original], b)
            listed = b.records_of[original]
            if made is None or made[0].nik in {b.people[i].nik for i in listed}:
                continue
            copy, kind, variations = made
            earlier = list(listed)
            new = b.add(copy, b.household_of[original], same_as=original)
            duplicates += [(e, new, kind, ",".join(variations)) for e in earlier]
    _drop_nik_collisions(b, duplicates)
    _derived_lookalikes(b)
    return _shuffled(rng, b, duplicates)


def as_registered(records: pl.DataFrame) -> pl.DataFrame:
    """Records as a registry holds them: the sex the NIK says where the list left it blank (as
    an import does)."""
    from_nik = pl.when(pl.col("nik").str.slice(6, 2).cast(pl.Int32) > 40).then(pl.lit("F"))
    return records.with_columns(pl.col("sex").fill_null(from_nik.otherwise(pl.lit("M"))))


def _drop_nik_collisions(b: _Builder, duplicates: list) -> None:
    """A copy's NIK that another listed person holds would be an exact duplicate: rare, and the
    registry's NIKs are unique, so the copy gets a fresh serial of its NIK's district."""
    seen: dict[str, int] = {}
    for i, p in enumerate(b.people):
        if p.nik in seen:
            district = _district(p.nik)
            born, sex = _nik_date(p.nik, b.today), "F" if int(p.nik[6:8]) > 40 else "M"
            key = (district, born, sex)
            b.serials[key] += 50
            b.people[i] = replace(p, nik=compose(district, born, sex, b.serials[key]))
        seen[b.people[i].nik] = i


def _nik_date(nik: str, today: dt.date) -> dt.date:
    from jaring.rules.nik import parse

    return parse(nik, today=today).birth_date


def _derived_lookalikes(b: _Builder) -> None:
    """Same-day serial neighbours, placeholder dates and common names, between different
    people of one district."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    names: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(b.people):
        if b.person_of[i] != i:
            continue  # copies are duplicates, not look-alikes
        cells[(p.nik[:6], p.nik[6:12])].append(i)
        names[(p.village_code[:8], " ".join(p.full_name.split()[:2]))].append(i)
    for (_, nik_date), members in cells.items():
        day, month = int(nik_date[:2]) % 40, int(nik_date[2:4])
        kind = "placeholder_date" if (day, month) in PLACEHOLDER_DAYS else "same_day_serial"
        for x, y in combinations(members, 2):
            if b.household_of[x] != b.household_of[y]:
                b.lookalikes.append((x, y, kind))
    common = {*COMMON_MALE, *COMMON_FEMALE}
    for (_, name), members in names.items():
        if name.split()[0] in common and len(members) < 60:
            for x, y in combinations(members, 2):
                b.lookalikes.append((x, y, "common_name"))


def _shuffled(rng: random.Random, b: _Builder, duplicates: list) -> Population:
    order = list(range(len(b.people)))
    rng.shuffle(order)
    new_id = {old: new for new, old in enumerate(order)}
    records = people_frame([b.people[i] for i in order]).with_columns(
        pl.col("sex").replace("", None)
    )
    records = records.insert_column(0, pl.Series("record_id", range(len(order)), pl.Int64))
    records = records.with_columns(
        pl.Series("person_id", [new_id[b.person_of[i]] for i in order], pl.Int64),
        pl.Series("household_id", [b.household_of[i] for i in order], pl.Int64),
    )

    def pair(x: int, y: int) -> tuple[int, int]:
        a, c = new_id[x], new_id[y]
        return (a, c) if a < c else (c, a)

    dup_rows = [(*pair(x, y), kind, var) for x, y, kind, var in duplicates]
    look_rows = {(*pair(x, y), kind) for x, y, kind in b.lookalikes}
    dup_schema = {"record_id_l": pl.Int64, "record_id_r": pl.Int64, "kind": pl.String}
    return Population(
        records=records,
        duplicates=pl.DataFrame(
            dup_rows, schema={**dup_schema, "variations": pl.String}, orient="row"
        ).sort("record_id_l", "record_id_r"),
        lookalikes=pl.DataFrame(sorted(look_rows), schema=dup_schema, orient="row"),
    )


__all__ = [
    "LOOKALIKE_KINDS",
    "NIK_KINDS",
    "PERSON_SCHEMA",
    "VARIATIONS",
    "Population",
    "as_registered",
]
