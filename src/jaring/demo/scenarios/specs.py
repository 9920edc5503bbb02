"""The three real programmes (seeds/SUMMARY.md) as data: what the articles say, and where they say
nothing, a choice marked as the demo's.

Only inputs are written here: headcounts, cover months, dates, who claims what. Every rupiah the
scenario shows (budgets, bills, payments, benefits) comes out of Jaring's own calculations from
the rate and benefit tables, and the tests in tests/demo compare those totals with the published
ones (`Published`).

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
class Child:
    """A member's child at the time of the event, for the education scholarship."""

    age: int
    level: str  # rules' school level: tk, sd, smp, sma, university
    grade: int = 1


@dataclass(frozen=True)
class Claims:
    """`count` claims of one kind (scaled with the headcounts, at least one), their events spread
    evenly from `first` to `last`, each on another member (of `category`, else of any)."""

    kind: str  # claims.models.ClaimKind
    first: dt.date
    last: dt.date | None = None
    count: int = 1
    category: str | None = None
    months_incapacity: int | None = None  # work accident: months unable to work (STMB)
    children: tuple[Child, ...] = ()
    prior_months: int = 0  # months contributed before this programme (JKM scholarship: 36)
    days_to_claim: int = 7
    days_to_pay: int = 14


@dataclass(frozen=True)
class Continuation:
    """What the members of a group choose when their city-funded cover ends (the demo's own
    shares: nothing is published about it). Choices are recorded a few weeks before the cover
    ends; of those who continue self-paid, `lapse_share` pay the first month only and lapse after
    more than 3 unpaid months, the others pay three months at a time by the first month's due
    date (no gap). Shares are of the group's members; the rest decide nothing."""

    group: str  # the Group label
    self_paid: float
    lapse_share: float  # of the self-paid
    renewed: float  # wait for next year's city programme
    stop: float
    channels: dict[str, float]  # continuity.models.Channel -> weight
    income: int = 1_000_000  # declared; the lowest base
    # Perisai agents in the city who recruit the members paying cash to an agent (each member
    # credited to one, in turn) and collect their payments; the auto-debit members get a mandate
    # at the generic bank and pay through its monthly file (a lapsing member's debits fail).
    agents: int = 0


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    fiscal_year: int
    legal_basis: str
    pks_number: str
    pks_date: dt.date  # cover starts on it
    groups: tuple[Group, ...]
    claims: tuple[Claims, ...] = ()
    disabilities: int | None = None  # exact count of members with a disability, else 2 % at random
    funder: str = "city_apbd"
    participation_code: str = "SG"
    continuation: tuple[Continuation, ...] = ()

    @property
    def headcount(self) -> int:
        return sum(g.headcount for g in self.groups)


@dataclass(frozen=True)
class Published:
    """A year's money as an article reports it for the city's APBD-funded programmes."""

    year: int
    claims_paid: int | None = None
    benefits_paid: int | None = None  # rupiah
    contributions_paid: int | None = None  # rupiah
    note: str = ""  # how close Jaring's rules can come, and why


@dataclass(frozen=True)
class Scenario:
    key: str
    city: str
    # In the order they ran; the last is the one the scenario is named after.
    programmes: tuple[ProgrammeSpec, ...]
    working_population: dict[int, int]
    coverage_points: dict[dt.date, Decimal]  # month -> published UCJ %
    targets: dict[int, Decimal]
    reference_month: dt.date  # the month the articles talk about (what the demo opens on)
    growth_pp: Decimal = Decimal("0.05")
    wage_earner_share: Decimal = Decimal("0.8")  # of the other segments; the rest self-paid
    seed: int = 0
    published: tuple[Published, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def programme(self) -> ProgrammeSpec:
        return self.programmes[-1]

    # The named programme's terms, as the loader's budget and quota helpers read them.
    @property
    def programme_name(self) -> str:
        return self.programme.name

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.programme.groups

    @property
    def pks_date(self) -> dt.date:
        return self.programme.pks_date

    @property
    def funder(self) -> str:
        return self.programme.funder


def _d(text: str) -> Decimal:
    return Decimal(text)


SINGKAWANG = Scenario(
    key="singkawang-2025",
    city="61.72",
    programmes=(
        ProgrammeSpec(
            name="Perlindungan Pekerja Rentan 2025",
            fiscal_year=2025,
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
            # No claims are published: these four are the demo's, to show the workflow.
            claims=(
                Claims(
                    "work_death",
                    dt.date(2026, 2, 10),
                    category="fisher",
                    children=(Child(8, "sd"), Child(12, "smp")),
                ),
                Claims(
                    "work_accident", dt.date(2026, 1, 11), category="farmer", months_incapacity=2
                ),
                Claims(
                    "work_accident", dt.date(2026, 3, 12), category="trader", months_incapacity=1
                ),
                Claims("death", dt.date(2026, 6, 13), category="palm_oil_worker"),
            ),
            # The demo's hand-over when the 5-month cover ends (14 May 2026): 30 % continue
            # self-paid (a quarter of them lapse), 20 % wait for the 2026 city programme, 10 %
            # stop, 40 % decide nothing. Self-payers pay cash to an agent (60 %), at a bank (25 %)
            # or by auto-debit (15 %); 3 Perisai agents recruit and collect the cash payers.
            continuation=(
                Continuation(
                    "pekerja rentan",
                    self_paid=0.30,
                    lapse_share=0.25,
                    renewed=0.20,
                    stop=0.10,
                    channels={"cash_agent": 60, "bank": 25, "auto_debit": 15},
                    agents=3,
                ),
            ),
        ),
    ),
    working_population={2024: 110_000, 2025: 112_000, 2026: 114_000},
    coverage_points={
        dt.date(2024, 12, 1): _d("19.00"),  # demo estimate: before the programme
        dt.date(2025, 12, 1): _d("27.00"),  # "~27 %"
    },
    targets={2025: _d("40"), 2026: _d("40"), 2027: _d("45")},  # "40–50 % in a few years"
    reference_month=dt.date(2025, 12, 1),
    growth_pp=_d("0.08"),
    seed=2025,
    sources=("Pemkot Singkawang, 15 Dec 2025: 8,504 workers, 7,737 × 5 months, 767 × 12 months",),
)

# The 2025 programme (MoU of 20 Jan 2025: RT heads, posyandu cadres, religious workers) is what
# the 2025 money figures are about; the 2026 extension (MoU of 11 Feb 2026) adds RW heads, TRC
# volunteers and firefighters and starts with 5,747 members, the 2025 ones among them.
PONTIANAK = Scenario(
    key="pontianak-2026",
    city="61.71",
    programmes=(
        ProgrammeSpec(
            name="Perlindungan Jamsostek Pekerja Sosial 2025",
            fiscal_year=2025,
            legal_basis="MoU Pemkot Pontianak–BPJS Ketenagakerjaan (20 Jan 2025)",
            pks_number="MoU 20 Jan 2025 (demo number)",
            pks_date=dt.date(2025, 1, 20),
            groups=(
                # Headcount not published: 1,751 members × 12 months × Rp16,800 (the rate in
                # force, APBD-funded) = Rp353,001,600, the "about Rp353 million" paid in 2025.
                Group(
                    "RT, kader posyandu, pekerja sosial keagamaan",
                    1_751,
                    12,
                    # As the 2026 split of these three categories.
                    {"rt_head": 2900, "posyandu_cadre": 1500, "religious_worker": 600},
                ),
            ),
            # "73 claims paid, Rp3.06 billion" in 2025: Rp41.9 million a claim, which only
            # deaths reach at the minimum income base (JKM death Rp42 million, JKK death
            # Rp70 million). 71 JKM deaths + 1 JKK death + 1 work accident with 8 months off
            # work = 71 × 42 + 70 + 8 = Rp3,060 million, to the rupiah.
            claims=(
                Claims("death", dt.date(2025, 2, 3), dt.date(2025, 11, 28), count=71),
                Claims("work_death", dt.date(2025, 6, 16), category="rt_head"),
                Claims(
                    "work_accident",
                    dt.date(2025, 4, 14),
                    category="posyandu_cadre",
                    months_incapacity=8,
                ),
            ),
        ),
        ProgrammeSpec(
            name="Perlindungan Jamsostek RT/RW, Kader dan Relawan 2026",
            fiscal_year=2026,
            legal_basis="MoU Pemkot Pontianak–BPJS Ketenagakerjaan (perpanjangan 11 Feb 2026)",
            pks_number="MoU 11 Feb 2026 (demo number)",
            pks_date=dt.date(2026, 2, 11),
            groups=(
                Group(
                    "RT/RW, kader, relawan",
                    5_747,
                    12,
                    # RT heads, RW heads, posyandu cadres, religious workers, TRC; firefighters
                    # "still being registered" (few).
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
            # No 2026 claims are published: these four are the demo's.
            claims=(
                Claims("death", dt.date(2026, 4, 10), category="rt_head"),
                Claims(
                    "work_accident",
                    dt.date(2026, 5, 11),
                    category="trc_volunteer",
                    months_incapacity=3,
                ),
                Claims(
                    "work_accident",
                    dt.date(2026, 7, 12),
                    category="firefighter",
                    months_incapacity=1,
                ),
                Claims(
                    "work_death",
                    dt.date(2026, 8, 13),
                    category="posyandu_cadre",
                    children=(Child(8, "sd"),),
                ),
            ),
        ),
    ),
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
    published=(
        Published(
            2025,
            claims_paid=73,
            benefits_paid=3_060_000_000,
            contributions_paid=353_000_000,
            note="Claims: exact. Contributions: Rp353,001,600, the nearest whole headcount "
            "(1,751 members × 12 months × Rp16,800) to the rounded published figure.",
        ),
    ),
    sources=(
        "MoU 20 Jan 2025 (Tribun Pontianak): UCJ 38.35 % (2023), 40.86 % (2024)",
        "MoU 11 Feb 2026 (Info Warge Pontianak): 5,747 members, UCJ 40.37 % (2025), target 45 %;"
        " 2025 APBD segment: 73 claims paid, Rp3.06 billion, contributions about Rp353 million",
    ),
)

BONTANG = Scenario(
    key="bontang-2023",
    city="64.74",
    programmes=(
        ProgrammeSpec(
            name="Perlindungan Pekerja Rentan 2023",
            fiscal_year=2023,
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
            # "Death benefit and scholarship handed to the heirs of 2 deceased members,
            # Rp120 million in total", at the card ceremony of 12 Oct 2023: money paid in 2023,
            # not years booked ahead. Scholarships are paid one school year at a time, so the
            # mix is: two JKM deaths (Rp42 million each, the lump sums) + three first-year
            # scholarships of the school year 2023/2024 at the university level (Rp12 million
            # each): a child of 20 in the third year of university and one of 19 in vocational
            # training (pelatihan, paid as university) of the first member, and a child of 18 in
            # the first year of university of the second = 84 + 36 = Rp120 million. Their later
            # years (2024/2025 on) are owed, not paid: the money report shows them apart. JKM
            # pays scholarships only after 36 months of contributions, so both members had
            # contributed for 3 years before the programme (as self-paying BPU).
            claims=(
                Claims(
                    "death",
                    dt.date(2023, 10, 7),
                    category="ojek_driver",
                    children=(Child(20, "university", grade=3), Child(19, "training")),
                    prior_months=36,
                    days_to_claim=1,
                    days_to_pay=4,
                ),
                Claims(
                    "death",
                    dt.date(2023, 10, 8),
                    category="trader",
                    children=(Child(18, "university"),),
                    prior_months=36,
                    days_to_claim=1,
                    days_to_pay=3,
                ),
            ),
        ),
    ),
    working_population={2022: 89_000, 2023: 90_000},
    coverage_points={
        dt.date(2022, 12, 1): _d("55.00"),  # demo estimate: before the programme
        dt.date(2023, 12, 1): _d("95.00"),  # "almost 95 %"
    },
    targets={2023: _d("100"), 2024: _d("100")},
    reference_month=dt.date(2023, 12, 1),
    growth_pp=_d("0.02"),
    seed=2023,
    published=(
        Published(
            2023,
            claims_paid=2,
            benefits_paid=120_000_000,
            note="Exact: paid in 2023, two JKM lump sums (2 × Rp42 million) and three first-year "
            "scholarships (3 × Rp12 million); later school years are owed, not paid.",
        ),
    ),
    sources=("Perwali Bontang 23/2023; cards handed over 12 Oct 2023; 34,782 incl. 345 disabled",),
)

SCENARIOS = {s.key: s for s in (PONTIANAK, SINGKAWANG, BONTANG)}
