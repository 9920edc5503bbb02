"""UCJ coverage of a region in a month: participants of every segment ÷ working population.

Participants = Jaring's own members covered on the day counted (the month's last day, or today
for the current month), read from the precomputed facts (`coverage.facts`), plus Jaring's
self-paying members covered by a paid month that day (their own segment, read from
`continuity.selectors`; continuity announces changes with `core.events.memberships_changed`,
which recounts the facts and so drops the dashboard snapshot), plus the other segments' counts
the BPJS branch reported (the latest report at or before the month). The denominator is the region's
working population for the month's year. Nothing is capped: a coverage above 100 % is shown as
it is, with a warning; a missing denominator gives no percentage (and says so), never 0 or 100.

A BPJS KPI detail (RULES.md): government-funded vulnerable workers count fully only after six
months of contributions, pro-rated below. Jaring shows that as a second figure (`kpi_pct`),
from the months of contributions paid per member; the headline counts every covered member.
The facts hold those months as of today, so the KPI figure is given for the running month only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jaring.accounts.scope import Actor, in_scope, region_q
from jaring.claims.cover import COVERED
from jaring.continuity.selectors import self_paid_on
from jaring.core.errors import CoreError, NotFound, Problem, ValidationFailed
from jaring.coverage import facts
from jaring.coverage.errors import CoverageError
from jaring.coverage.facts import KPI_FULL_MONTHS, day_counted
from jaring.coverage.models import CoverageTarget, Segment, SegmentCount, WorkingPopulation
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.regions.models import Level, Region
from jaring.registry.models import Ecosystem, OccupationCategory
from jaring.rules.months import add_months
from jaring.rules.tables import month_text, parse_month

JARING = "jaring"  # the segment of Jaring's own members, beside `Segment`
# Jaring's self-paying members (BPU mandiri after the city's months). BPJS's own report of
# self-paid BPU (`Segment.SELF_PAID`) may count them too: the branch's figure is what it reports.
JARING_SELF_PAID = "jaring_self_paid"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def pct(part: int | Decimal, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def warning(code: str, message_id: str, message_en: str, **params) -> Problem:
    return Problem(code, message_id, message_en, params=params)


# --- which region and month ---------------------------------------------------------------------


def get_region(user: Actor, code: str) -> Region:
    """A province, city or district the user may see (404 otherwise, as for any scope escape)."""
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None or not in_scope(user, region.code):
        raise NotFound.of("Wilayah", "Region", "region")
    if region.level == Level.VILLAGE:
        raise ValidationFailed(
            Problem(
                CoverageError.REGION_LEVEL,
                "Cakupan dihitung per provinsi, kota/kabupaten atau kecamatan, bukan kelurahan.",
                "Coverage is computed per province, city/regency or district, not per village.",
                "region",
            )
        )
    return region


def parse_month_arg(text: str | None, *, year: int | None = None, today: dt.date | None = None):
    """The month asked for: `YYYY-MM`, else December of `year` (or this month), never future."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    if text:
        month = parse_month(text)
        if month is None:
            raise ValidationFailed(
                Problem(
                    CoreError.MONTH_INVALID,
                    f"Bulan '{text}' tidak sah; tulis seperti 2026-03.",
                    f"Month '{text}' is not valid; write it like 2026-03.",
                    "month",
                )
            )
    elif year is not None:
        month = min(dt.date(year, 12, 1), this_month)
        if year > today.year:
            month = dt.date(year, 1, 1)
    else:
        month = this_month
    if month > this_month:
        raise ValidationFailed(
            Problem(
                CoverageError.MONTH_FUTURE,
                f"Bulan {month_text(month)} belum terjadi; cakupan hanya bisa dihitung sampai "
                f"{month_text(this_month)}. Untuk masa depan, lihat proyeksi.",
                f"{month_text(month)} has not happened yet; coverage can be computed up to "
                f"{month_text(this_month)}. For the future, see the projection.",
                "month",
                {"month": month_text(month)},
            )
        )
    return month


# --- Jaring's own members ------------------------------------------------------------------------


def covered_on(day: dt.date, prefix: str = "") -> Q:
    """Memberships whose cover included `day` (an ended one until the day it ended)."""
    start_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    still = Q(**{f"{prefix}status__in": [s for s in COVERED if s != MembershipStatus.ENDED]})
    ended_later = Q(
        **{
            f"{prefix}status": MembershipStatus.ENDED,
            f"{prefix}status_changed_at__gte": start_of_day,
        }
    )
    return (still | ended_later) & Q(
        **{f"{prefix}start_date__lte": day, f"{prefix}end_date__gte": day}
    )


def members_on(region: Region, day: dt.date) -> QuerySet[Membership]:
    """The direct read the facts must agree with (`jaring coverage_facts --check`, tests)."""
    return Membership.objects.filter(region_q(region.code), covered_on(day))


def people_on(region: Region, day: dt.date) -> int:
    """People covered on `day` counted from the memberships themselves (a merged duplicate is
    the record it was merged into): a full pass, for checking the facts."""
    person = Coalesce("worker__merged_into_id", "worker_id")
    return members_on(region, day).annotate(person=person).values("person").distinct().count()


# --- the figure ---------------------------------------------------------------------------------


@dataclass
class Coverage:
    region: Region
    month: dt.date
    day: dt.date
    jaring: int
    segments: dict[str, int]
    segments_month: dt.date | None
    working_population: int | None
    population_source: str
    population_year: int | None
    target_pct: Decimal | None
    kpi_members: int | None = None  # None: not known for this month (see the module's text)
    kpi_counted: Decimal = Decimal(0)
    warnings: list[Problem] = field(default_factory=list)
    jaring_self_paid: int = 0

    @property
    def participants(self) -> int:
        return self.jaring + self.jaring_self_paid + sum(self.segments.values())

    @property
    def coverage_pct(self) -> Decimal | None:
        return pct(self.participants, self.working_population)

    @property
    def kpi_participants(self) -> Decimal | None:
        """Participants with under-6-month government-funded members pro-rated (BPJS KPI)."""
        if self.kpi_members is None:
            return None
        return self.participants - self.kpi_members + self.kpi_counted

    @property
    def kpi_pct(self) -> Decimal | None:
        if self.kpi_participants is None:
            return None
        return pct(self.kpi_participants, self.working_population)

    @property
    def target_people(self) -> int | None:
        if self.target_pct is None or not self.working_population:
            return None
        # Whole people: round up, a target of 45 % of 101 people is 46 people.
        exact = self.target_pct * self.working_population / HUNDRED
        return int(exact.to_integral_value(rounding="ROUND_CEILING"))

    @property
    def gap_pct(self) -> Decimal | None:
        """Percentage points still missing (negative: the target is passed)."""
        if self.target_pct is None or self.coverage_pct is None:
            return None
        return (self.target_pct - self.coverage_pct).quantize(CENT)

    @property
    def gap_people(self) -> int | None:
        return None if self.target_people is None else self.target_people - self.participants

    def as_dict(self) -> dict[str, object]:
        def text(v):
            return None if v is None else str(v)

        return {
            "region": self.region.code,
            "region_name": self.region.name,
            "month": month_text(self.month),
            "counted_on": self.day.isoformat(),
            "participants": self.participants,
            "jaring_members": self.jaring,
            "jaring_self_paid": self.jaring_self_paid,
            "segments": {
                JARING: self.jaring,
                JARING_SELF_PAID: self.jaring_self_paid,
                **self.segments,
            },
            "segments_reported_month": month_text(self.segments_month)
            if self.segments_month
            else None,
            "working_population": self.working_population,
            "population_source": self.population_source or None,
            "population_year": self.population_year,
            "coverage_pct": text(self.coverage_pct),
            "kpi_pct": text(self.kpi_pct),
            "kpi_members_under_6_months_prorated": None
            if self.kpi_members is None
            else str((self.kpi_members - self.kpi_counted).quantize(CENT)),
            "target_pct": text(self.target_pct),
            "target_people": self.target_people,
            "gap_pct": text(self.gap_pct),
            "gap_people": self.gap_people,
            "warnings": [w.as_dict() for w in self.warnings],
        }


def population_of(region: Region, year: int) -> WorkingPopulation | None:
    """The year's figure, else the latest earlier one (said in a warning by the caller)."""
    return WorkingPopulation.objects.filter(region=region, year__lte=year).order_by("-year").first()


def segment_counts(region: Region, month: dt.date) -> tuple[dict[str, int], dt.date | None]:
    """The latest report at or before `month` (one month's figures, every segment of it)."""
    latest = (
        SegmentCount.objects.filter(region=region, month__lte=month)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest is None:
        return {}, None
    rows = SegmentCount.objects.filter(region=region, month=latest)
    return {r.segment: r.participants for r in rows}, latest


def coverage(
    user: Actor,
    region: Region,
    month: dt.date,
    *,
    today: dt.date | None = None,
) -> Coverage:
    if not in_scope(user, region.code):
        raise NotFound.of("Wilayah", "Region")
    today = today or timezone.localdate()
    facts.ensure(region, today)
    day = day_counted(month, today)
    jaring = facts.members(region, day)
    segments, segments_month = segment_counts(region, month)
    population = population_of(region, month.year)
    target = CoverageTarget.objects.filter(region=region, year=month.year).first()
    result = Coverage(
        region=region,
        month=month,
        day=day,
        jaring=jaring,
        segments=segments,
        segments_month=segments_month,
        working_population=population.people if population else None,
        population_source=population.source if population else "",
        population_year=population.year if population else None,
        target_pct=target.target_pct if target else None,
        jaring_self_paid=self_paid_on(region.code, [day])[0],
    )
    if day == today:
        result.kpi_members, sixths = facts.kpi(region, today)
        result.kpi_counted = Decimal(sixths) / KPI_FULL_MONTHS
    result.warnings = _warnings(result)
    return result


def _warnings(c: Coverage) -> list[Problem]:
    out = []
    name = c.region.name
    if c.working_population is None:
        out.append(
            warning(
                CoverageError.NO_WORKING_POPULATION,
                f"Jumlah penduduk bekerja {name} untuk {c.month.year} belum diisi: persentase "
                "cakupan tidak bisa dihitung.",
                f"The working population of {name} for {c.month.year} has not been entered: "
                "coverage cannot be computed as a percentage.",
            )
        )
    elif c.population_year != c.month.year:
        out.append(
            warning(
                CoverageError.POPULATION_FROM_OTHER_YEAR,
                f"Jumlah penduduk bekerja {c.month.year} belum ada; dipakai angka "
                f"{c.population_year}.",
                f"No working population for {c.month.year}; the {c.population_year} figure is "
                "used.",
                population_year=c.population_year,
            )
        )
    if c.coverage_pct is not None and c.coverage_pct > HUNDRED:
        out.append(
            warning(
                CoverageError.OVER_HUNDRED,
                f"Cakupan {c.coverage_pct} % melebihi 100 %: periksa jumlah penduduk bekerja "
                "atau jumlah peserta.",
                f"Coverage of {c.coverage_pct} % is above 100 %: check the working population "
                "or the participant counts.",
            )
        )
    if c.target_pct is None:
        out.append(
            warning(
                CoverageError.NO_TARGET,
                f"Target cakupan {name} untuk {c.month.year} belum diisi.",
                f"No coverage target for {name} in {c.month.year}.",
            )
        )
    elif c.coverage_pct is not None and c.target_pct < c.coverage_pct:
        out.append(
            warning(
                CoverageError.TARGET_BELOW_CURRENT,
                f"Target {c.target_pct} % sudah di bawah cakupan sekarang ({c.coverage_pct} %).",
                f"The target of {c.target_pct} % is already below current coverage "
                f"({c.coverage_pct} %).",
            )
        )
    if not c.segments:
        out.append(
            warning(
                CoverageError.NO_SEGMENT_COUNTS,
                "Belum ada jumlah peserta segmen lain (penerima upah, BPU mandiri) dari BPJS: "
                "hanya peserta Jaring yang dihitung.",
                "No counts of the other segments (wage earners, self-paid BPU) from BPJS yet: "
                "only Jaring's members are counted.",
            )
        )
    elif c.segments_month != c.month:
        out.append(
            warning(
                CoverageError.SEGMENT_COUNTS_OLDER,
                f"Jumlah peserta segmen lain dari laporan {month_text(c.segments_month)}.",
                f"Other segments' counts are from the {month_text(c.segments_month)} report.",
                reported_month=month_text(c.segments_month),
            )
        )
    return out


# --- breakdowns ---------------------------------------------------------------------------------


@dataclass
class Breakdowns:
    categories: list[dict[str, object]]
    ecosystems: list[dict[str, object]]
    sex: dict[str, int]
    disability: dict[str, int]
    districts: list[dict[str, object]]


def breakdowns(region: Region, month: dt.date, *, today: dt.date | None = None) -> Breakdowns:
    """Jaring's members covered on the day counted, by occupation, ecosystem, sex, disability
    and by the regions one level down (a province's regencies, a city's districts), each with
    its coverage where its denominator is known. From the facts: every breakdown adds up to the
    members counted."""
    today = today or timezone.localdate()
    facts.ensure(region, today)
    day = day_counted(month, today)
    child = "regency_code" if region.level == Level.PROVINCE else "district_code"
    sex: dict[str, int] = {"F": 0, "M": 0}
    disability = {"with": 0, "without": 0}
    by_child: dict[str, int] = defaultdict(int)
    for r in facts.by_person(region, day, child):
        sex[r["sex"]] = sex.get(r["sex"], 0) + r["n"]
        disability["with" if r["has_disability"] else "without"] += r["n"]
        by_child[r[child]] += r["n"]
    by_category = facts.by_category(region, day)
    categories = OccupationCategory.objects.in_bulk(list(by_category))
    cats = [
        {
            "code": code,
            "name": str(categories[code]),
            "ecosystem": categories[code].ecosystem,
            "members": n,
        }
        for code, n in sorted(by_category.items(), key=lambda kv: -kv[1])
    ]
    eco: dict[str, int] = defaultdict(int)
    for c in cats:
        eco[c["ecosystem"]] += c["members"]
    ecosystems = [
        {"code": code, "name": str(Ecosystem(code).label), "members": eco.get(code, 0)}
        for code in Ecosystem.values
    ]
    return Breakdowns(cats, ecosystems, sex, disability, _districts(region, month, by_child))


def _districts(region: Region, month: dt.date, members: dict[str, int]) -> list[dict[str, object]]:
    """The regions one level down (none below a district: coverage stops at districts)."""
    if region.level not in (Level.PROVINCE, Level.REGENCY):
        return []
    children = list(Region.objects.filter(parent=region).order_by("code"))
    populations = {
        p.region_id: p.people
        for p in WorkingPopulation.objects.filter(
            region__in=children, year__lte=month.year
        ).order_by("year")
    }
    counts: dict[str, int] = defaultdict(int)
    latest = {}
    for sc in SegmentCount.objects.filter(region__in=children, month__lte=month).order_by("month"):
        latest[(sc.region_id, sc.segment)] = sc.participants
    for (code, _segment), n in latest.items():
        counts[code] += n
    out = []
    for d in children:
        participants = members.get(d.code, 0) + counts.get(d.code, 0)
        out.append(
            {
                "code": d.code,
                "name": d.name,
                "jaring_members": members.get(d.code, 0),
                "participants": participants,
                "working_population": populations.get(d.code),
                "coverage_pct": pct(participants, populations.get(d.code)),
            }
        )
    # Ranked: lowest coverage first is where the gaps are; unknown denominators last.
    out.sort(key=lambda r: (r["coverage_pct"] is None, r["coverage_pct"] or 0, r["name"]))
    return out


# --- history ------------------------------------------------------------------------------------


def first_month(region: Region) -> dt.date | None:
    """The first month with anything to count: a segment report or a member's cover."""
    candidates = []
    sc = SegmentCount.objects.filter(region=region).order_by("month").first()
    if sc:
        candidates.append(sc.month)
    first = facts.first_day(region)
    if first:
        candidates.append(first.replace(day=1))
    return min(candidates) if candidates else None


HISTORY_MONTHS = 48


def history(region: Region, month: dt.date, *, today: dt.date | None = None) -> list[dict]:
    """Month by month up to `month` (at most four years), from the first month with data."""
    today = today or timezone.localdate()
    facts.ensure(region, today)
    start = first_month(region)
    if start is None:
        return []
    start = max(start, add_months(month, -(HISTORY_MONTHS - 1)))
    populations = {
        p.year: p.people for p in WorkingPopulation.objects.filter(region=region).order_by("year")
    }
    targets = {t.year: t.target_pct for t in CoverageTarget.objects.filter(region=region)}
    reports: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for sc in SegmentCount.objects.filter(region=region, month__lte=month):
        reports[sc.month][sc.segment] = sc.participants
    out = []
    current: dict[str, int] = {}
    for sc_month in sorted(m for m in reports if m < start):
        current = reports[sc_month]
    months = []
    m = start
    while m <= month:
        months.append(m)
        m = add_months(m, 1)
    days = [day_counted(m, today) for m in months]
    members = facts.members_by_day(region, days)
    self_paid = self_paid_on(region.code, days)
    for m, jaring, paying in zip(months, members, self_paid, strict=True):
        current = reports.get(m, current)
        known = [y for y in populations if y <= m.year]
        population = populations[max(known)] if known else None
        participants = jaring + paying + sum(current.values())
        out.append(
            {
                "month": month_text(m),
                "jaring_members": jaring,
                "jaring_self_paid": paying,
                "other_segments": sum(current.values()),
                "participants": participants,
                "working_population": population,
                "coverage_pct": pct(participants, population),
                "target_pct": targets.get(m.year),
            }
        )
    return out


def yearly(points: list[dict]) -> list[dict]:
    """The last month of each year in the history: the figure an article quotes for the year."""
    by_year: dict[str, dict] = {}
    for p in points:
        by_year[p["month"][:4]] = p
    return [{"year": int(y), **p} for y, p in sorted(by_year.items())]


def segment_labels() -> dict[str, str]:
    return {
        JARING: str(_("Vulnerable workers in Jaring")),
        JARING_SELF_PAID: str(_("Self-paying members in Jaring")),
        **{k: str(v) for k, v in Segment.choices},
    }
