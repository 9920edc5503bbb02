"""The three real programmes (seeds/SUMMARY.md) as data: what the articles say, and where they say
nothing, a choice marked as the demo's.

Working populations are not published: they are "estimates for the demo", chosen so that the
published coverage figures come out of Jaring's own calculation. Coverage points are the
published UCJ percentages; the other segments' counts at those months are whatever makes the
total reach them once Jaring's own members are counted, interpolated between the points and
grown by `growth_pp` a month after the last one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Group:
    """Workers of some occupations covered for the same months."""

    label: str
    headcount: int
    cover_months: int
    categories: dict[str, float]  # weights, split into whole quotas


@dataclass(frozen=True)
class Scenario:
    key: str
    city: str
    programme_name: str
    fiscal_year: int
    funder: str
    participation_code: str
    legal_basis: str
    pks_number: str
    pks_date: dt.date
    groups: tuple[Group, ...]
    disabilities: int | None  # exact count of members with a disability, else 2 % at random
    working_population: dict[int, int]
    coverage_points: dict[dt.date, Decimal]  # month -> published UCJ %
    targets: dict[int, Decimal]
    reference_month: dt.date  # the month the articles talk about (what the demo opens on)
    growth_pp: Decimal = Decimal("0.05")
    wage_earner_share: Decimal = Decimal("0.8")  # of the other segments; the rest self-paid
    seed: int = 0
    claims: tuple[dict, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = ()

    @property
    def headcount(self) -> int:
        return sum(g.headcount for g in self.groups)


def _d(text: str) -> Decimal:
    return Decimal(text)


SINGKAWANG = Scenario(
    key="singkawang-2025",
    city="61.72",
    programme_name="Perlindungan Pekerja Rentan 2025",
    fiscal_year=2025,
    funder="city_apbd",
    participation_code="SG",
    legal_basis="APBD Kota Singkawang 2025",
    pks_number="PKS Pemkot Singkawang–BPJS Ketenagakerjaan 2025 (demo)",
    pks_date=dt.date(2025, 12, 15),
    groups=(
        # "pekerja rentan: small traders, fishers, farmers, service workers": 5 months
        Group(
            "pekerja rentan",
            7_737,
            5,
            {"trader": 35, "fisher": 20, "farmer": 25, "mechanic": 5, "other": 15},
        ),
        # "oil-palm workers who are not wage earners (BPU)": 12 months
        Group("pekerja sawit BPU", 767, 12, {"palm_oil_worker": 1}),
    ),
    disabilities=None,
    working_population={2024: 110_000, 2025: 112_000, 2026: 114_000},
    coverage_points={
        dt.date(2024, 12, 1): _d("19.00"),  # demo estimate: before the programme
        dt.date(2025, 12, 1): _d("27.00"),  # "~27 %"
    },
    targets={2025: _d("40"), 2026: _d("40"), 2027: _d("45")},  # "40–50 % in a few years"
    reference_month=dt.date(2025, 12, 1),
    growth_pp=_d("0.08"),
    seed=2025,
    claims=(
        {"kind": "work_death", "month": dt.date(2026, 2, 1), "category": "fisher", "children": 2},
        {"kind": "work_accident", "month": dt.date(2026, 1, 1), "category": "farmer", "stmb": 2},
        {"kind": "work_accident", "month": dt.date(2026, 3, 1), "category": "trader", "stmb": 1},
        {"kind": "death", "month": dt.date(2026, 6, 1), "category": "palm_oil_worker"},
    ),
    sources=("Pemkot Singkawang, 15 Dec 2025: 8,504 workers, 7,737 × 5 months, 767 × 12 months",),
)

PONTIANAK = Scenario(
    key="pontianak-2026",
    city="61.71",
    programme_name="Perlindungan Jamsostek RT/RW, Kader dan Relawan 2026",
    fiscal_year=2026,
    funder="city_apbd",
    participation_code="SG",
    legal_basis="MoU Pemkot Pontianak–BPJS Ketenagakerjaan (perpanjangan 11 Feb 2026)",
    pks_number="MoU 11 Feb 2026 (demo number)",
    pks_date=dt.date(2026, 2, 11),
    groups=(
        Group(
            "RT/RW, kader, relawan",
            5_747,
            12,
            # RT heads, RW heads, posyandu cadres, religious workers, TRC; firefighters "still
            # being registered" (few).
            {
                "rt_head": 2900,
                "rw_head": 560,
                "posyandu_cadre": 1500,
                "religious_worker": 600,
                "trc_volunteer": 150,
                "firefighter": 37,
            },
        ),
    ),
    disabilities=None,
    working_population={2023: 310_000, 2024: 318_000, 2025: 324_000, 2026: 330_000},
    coverage_points={
        dt.date(2023, 12, 1): _d("38.35"),
        dt.date(2024, 12, 1): _d("40.86"),
        dt.date(2025, 12, 1): _d("40.37"),
    },
    targets={2026: _d("45")},
    reference_month=dt.date(2026, 11, 1),
    growth_pp=_d("0.04"),
    seed=2026,
    claims=(
        {"kind": "death", "month": dt.date(2026, 4, 1), "category": "rt_head"},
        {
            "kind": "work_accident",
            "month": dt.date(2026, 5, 1),
            "category": "trc_volunteer",
            "stmb": 3,
        },
        {
            "kind": "work_accident",
            "month": dt.date(2026, 7, 1),
            "category": "firefighter",
            "stmb": 1,
        },
        {
            "kind": "work_death",
            "month": dt.date(2026, 8, 1),
            "category": "posyandu_cadre",
            "children": 1,
        },
    ),
    sources=("MoU 20 Jan 2025, extended 11 Feb 2026; 5,747 members at the start of 2026",),
)

BONTANG = Scenario(
    key="bontang-2023",
    city="64.74",
    programme_name="Perlindungan Pekerja Rentan 2023",
    fiscal_year=2023,
    funder="city_apbd",
    participation_code="SG",
    legal_basis="Perwali Bontang No. 23/2023 (6 Okt 2023)",
    pks_number="Perwali 23/2023",
    pks_date=dt.date(2023, 10, 6),
    groups=(
        # Cover length not published: the demo covers to the end of the fiscal year.
        Group(
            "pekerja rentan",
            34_782,
            3,
            {
                "masseur": 2100,
                "ojek_driver": 9800,
                "trader": 14500,
                "mechanic": 4382,
                "courier": 4000,
            },
        ),
    ),
    disabilities=345,
    working_population={2022: 89_000, 2023: 90_000},
    coverage_points={
        dt.date(2022, 12, 1): _d("55.00"),  # demo estimate: before the programme
        dt.date(2023, 12, 1): _d("95.00"),  # "almost 95 %"
    },
    targets={2023: _d("100"), 2024: _d("100")},
    reference_month=dt.date(2023, 12, 1),
    growth_pp=_d("0.02"),
    seed=2023,
    claims=(
        # "death benefit + scholarship paid to the heirs of 2 deceased members: Rp120 million"
        {
            "kind": "work_death",
            "month": dt.date(2023, 11, 1),
            "category": "ojek_driver",
            "children": 2,
        },
        {"kind": "death", "month": dt.date(2023, 12, 1), "category": "trader"},
    ),
    sources=("Perwali Bontang 23/2023; cards handed over 12 Oct 2023; 34,782 incl. 345 disabled",),
)

SCENARIOS = {s.key: s for s in (PONTIANAK, SINGKAWANG, BONTANG)}
