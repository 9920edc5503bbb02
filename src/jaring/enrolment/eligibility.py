"""Who may join a programme, and every reason why not, computed in the database.

Each reason is one boolean column annotated on a worker queryset, so a city of 100,000 workers
is judged in one query, the officer can filter on any reason, and the counts per reason are one
aggregate. A worker is eligible when no reason column is true.

It belongs to enrolment, not to programs: it reads memberships and cover outside Jaring, and
enrolling asks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

from jaring.accounts.scope import region_q
from jaring.core.errors import Problem
from jaring.enrolment.external.selectors import overlapping_cover
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs.agreement import cover_from
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import Programme
from jaring.rules.months import cover_end, years_before


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message_id: str
    message_en: str

    def problem(self, programme: Programme) -> Problem:
        params = {"min_age": programme.min_age, "max_age": programme.max_age}
        return Problem(
            self.code, self.message_id.format(**params), self.message_en.format(**params)
        )


REASONS: tuple[Reason, ...] = (
    Reason(ProgrammeError.TOO_YOUNG, "Umur di bawah {min_age} tahun.", "Younger than {min_age}."),
    Reason(ProgrammeError.TOO_OLD, "Umur di atas {max_age} tahun.", "Older than {max_age}."),
    Reason(
        ProgrammeError.OUTSIDE_REGION,
        "Tidak tinggal di wilayah program.",
        "Does not live in the programme's region.",
    ),
    Reason(
        ProgrammeError.CATEGORY_NOT_COVERED,
        "Kategori pekerjaannya tidak termasuk program ini.",
        "The programme does not cover this occupation category.",
    ),
    Reason(ProgrammeError.DECEASED, "Tercatat meninggal dunia.", "Recorded as deceased."),
    Reason(
        ProgrammeError.MERGED_DUPLICATE,
        "Data ganda yang sudah digabung ke pekerja lain.",
        "A duplicate record, merged into another worker.",
    ),
    Reason(
        ProgrammeError.ALREADY_ENROLLED,
        "Sudah terdaftar di program ini.",
        "Already enrolled in this programme.",
    ),
    Reason(
        ProgrammeError.COVERED_ELSEWHERE,
        "Sudah dilindungi program lain pada masa yang tumpang tindih.",
        "Already covered by another programme in an overlapping period.",
    ),
    Reason(
        ProgrammeError.COVERED_OUTSIDE,
        "Sudah dilindungi di luar Jaring (BPU mandiri, penerima upah atau daerah lain) pada "
        "masa yang tumpang tindih.",
        "Already covered outside Jaring (self-paid, wage-earner or another region) in an "
        "overlapping period.",
    ),
    Reason(
        ProgrammeError.QUOTA_FULL,
        "Kuota kategori pekerjaannya di program ini sudah habis.",
        "The quota for this occupation category is used up.",
    ),
)
REASON_BY_CODE = {r.code: r for r in REASONS}

# Memberships that will be or are covering someone; the others no longer protect anyone.
PENDING = (MembershipStatus.CANDIDATE, MembershipStatus.VERIFIED, MembershipStatus.SUBMITTED)
# Memberships BPJS accepted: their cover ran or runs from start_date to end_date.
DATED = (MembershipStatus.ACTIVE, MembershipStatus.RENEWED, MembershipStatus.EXPIRED)
# A membership that ended before BPJS accepted it never cost anything nor took a place.
COUNTS_FOR_QUOTA = ~Q(status=MembershipStatus.ENDED) | Q(start_date__isnull=False)


def used_places(programme: Programme) -> dict[str, int]:
    """Places taken per category code."""
    rows = (
        Membership.objects.filter(COUNTS_FOR_QUOTA, programme=programme)
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["category_id"]: r["n"] for r in rows}


def full_categories(programme: Programme) -> list[str]:
    used = used_places(programme)
    return [
        c.category_id for c in programme.categories.all() if used.get(c.category_id, 0) >= c.quota
    ]


@dataclass(frozen=True)
class Judge:
    """The reasons as filter expressions for one programme on one day.

    Aggregates and filters use the expressions themselves (not annotations), so that counting,
    filtering by reason and the INSERT … SELECT of an enrolment are each one plain query.
    """

    programme: Programme
    conditions: dict[str, Q | Exists]

    def annotate(self, workers: QuerySet) -> QuerySet:
        """`workers` with one boolean column per reason, `r_<code>`, for display."""
        return workers.annotate(
            **{
                f"r_{code}": ExpressionWrapper(cond, output_field=BooleanField())
                for code, cond in self.conditions.items()
            }
        )

    def eligible(self, workers: QuerySet) -> QuerySet:
        return workers.filter(*(~cond for cond in self.conditions.values()))

    def ineligible(self, workers: QuerySet) -> QuerySet:
        any_reason = Q()
        for cond in self.conditions.values():
            any_reason |= Q(cond)
        return workers.filter(any_reason)

    def with_reason(self, workers: QuerySet, code: str) -> QuerySet:
        return workers.filter(self.conditions[code])

    def counts(self, workers: QuerySet) -> dict[str, int]:
        """total, eligible, and the number of workers with each reason, in one query."""
        none = Q()
        for cond in self.conditions.values():
            none &= ~Q(cond)
        return workers.order_by().aggregate(
            total=Count("pk"),
            eligible=Count("pk", filter=none),
            **{code: Count("pk", filter=Q(cond)) for code, cond in self.conditions.items()},
        )

    def reasons_of(self, row) -> list[Problem]:
        """The reasons of a worker from `annotate`; empty when eligible."""
        return [r.problem(self.programme) for r in REASONS if getattr(row, f"r_{r.code}")]


# Constant conditions that every database can evaluate inside FILTER/CASE.
_NEVER = Q(pk__isnull=True)
_ALWAYS = Q(pk__isnull=False)


def overlapping_memberships(start: dt.date, end: dt.date) -> Q:
    """Memberships whose cover overlaps `start`…`end`, or will once BPJS accepts them.

    Active, renewed (its cover runs to its end date; the successor starts the day after) and
    expired memberships covered their own dates. Candidate, verified and submitted ones have no
    dates yet but hold a place that becomes cover in their programme's fiscal year; counting
    them stops two programmes enrolling one worker for the same year and both paying. Ended
    ones protect no one from the day they ended, and a BPJS refusal sends a membership back to
    candidate, so neither needs a case of its own.
    """
    return Q(
        status__in=DATED,
        start_date__lte=end,
        end_date__gte=start,
    ) | Q(status__in=PENDING, programme__fiscal_year__range=(start.year, end.year))


def _covered(
    programme: Programme,
    terms: list,
    start: dt.date,
    others: QuerySet,
) -> tuple[Q, Q]:
    """`covered_elsewhere` and `covered_outside` for this programme's cover period.

    The period runs from `start` for the worker's category's months; a worker of a category the
    programme does not take is held to the longest one, so every reason is still shown. Every
    BPU membership carries JKK and JKM, so two memberships always share a benefit; a record of
    cover outside Jaring counts when it shares one of the programme's benefits.
    """
    if not terms:
        return _NEVER, _NEVER
    longest = max(c.cover_months for c in terms)
    groups: dict[int, Q] = {}
    for c in terms:
        groups[c.cover_months] = groups.get(c.cover_months, Q()) | Q(category_id=c.category_id)
    groups[longest] |= ~Q(category_id__in=[c.category_id for c in terms])
    if len(groups) == 1:  # one cover length for everyone: no need to ask the category
        groups = {longest: Q()}
    elsewhere, outside = Q(), Q()
    for months, in_group in groups.items():
        end = cover_end(start, months)
        elsewhere |= in_group & Exists(others.filter(overlapping_memberships(start, end)))
        outside |= in_group & Exists(
            overlapping_cover(start, end, programme.benefit_list).filter(nik=OuterRef("nik"))
        )
    return elsewhere, outside


def judge(
    programme: Programme, *, on: dt.date, ignore_memberships: QuerySet | None = None
) -> Judge:
    """The eligibility rules of `programme` on day `on`.

    `ignore_memberships`: memberships not to count as other cover (the ones being renewed).
    """
    terms = list(programme.categories.all())
    allowed = [c.category_id for c in terms]
    full = full_categories(programme)
    others = Membership.objects.filter(worker=OuterRef("pk")).exclude(programme=programme)
    if ignore_memberships is not None:
        others = others.exclude(pk__in=ignore_memberships.values("pk"))
    elsewhere, outside = _covered(programme, terms, cover_from(programme, on), others)
    conditions: dict[str, Q | Exists] = {
        "too_young": Q(birth_date__gt=years_before(on, programme.min_age)),
        "too_old": Q(birth_date__lte=years_before(on, programme.max_age + 1)),
        "outside_region": ~region_q(programme.region_id),
        "category_not_covered": ~Q(category_id__in=allowed) if allowed else _ALWAYS,
        "deceased": Q(died_on__isnull=False),
        "merged_duplicate": Q(merged_into__isnull=False),
        "already_enrolled": Exists(
            Membership.objects.filter(worker=OuterRef("pk"), programme=programme).exclude(
                status=MembershipStatus.ENDED
            )
        ),
        "covered_elsewhere": elsewhere,
        "covered_outside": outside,
        "quota_full": Q(category_id__in=full) if full else _NEVER,
    }
    return Judge(programme, conditions)
