"""Which days a membership covered, and how many months a worker was covered.

Cover runs from `start_date` to `end_date`. A membership that ended early (death, lapse,
withdrawal) covered until the day it ended, as the monthly billing counts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from jaring.claims.errors import ClaimError
from jaring.core.errors import Problem, ValidationFailed
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.rules.contributions import contribution_months

# Statuses of a membership whose cover was given (BPJS accepted the worker).
COVERED = (
    MembershipStatus.ACTIVE,
    MembershipStatus.EXPIRED,
    MembershipStatus.RENEWED,
    MembershipStatus.ENDED,
)


def last_covered_day(
    status: str, end_date: dt.date, status_changed_at: dt.datetime | None
) -> dt.date:
    if status == MembershipStatus.ENDED and status_changed_at is not None:
        return min(end_date, timezone.localdate(status_changed_at))
    return end_date


def _period(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def months_touched(start: dt.date, end: dt.date) -> range:
    """The months (as year * 12 + month - 1) that the days start..end touch."""
    return range(_period(start), _period(end) + 1) if start <= end else range(0)


def covers(m: Membership, on: dt.date) -> bool:
    if m.status not in COVERED or m.start_date is None or m.end_date is None:
        return False
    return m.start_date <= on <= last_covered_day(m.status, m.end_date, m.status_changed_at)


def check_cover(m: Membership, on: dt.date) -> None:
    """Refuses, with the reason, a day the membership did not cover."""
    if m.status not in COVERED or m.start_date is None or m.end_date is None:
        raise ValidationFailed(
            Problem(
                ClaimError.NOT_COVERED,
                f"Tidak ada perlindungan pada {on:%d-%m-%Y}: keanggotaan ini belum aktif "
                f"(status '{m.status}').",
                f"No cover on {on.isoformat()}: this membership was never active "
                f"(status '{m.status}').",
                field="event_date",
                params={"membership_status": m.status},
            )
        )
    last = last_covered_day(m.status, m.end_date, m.status_changed_at)
    if not m.start_date <= on <= last:
        raise ValidationFailed(
            Problem(
                ClaimError.OUTSIDE_COVER,
                f"Tanggal kejadian {on:%d-%m-%Y} di luar masa perlindungan keanggotaan ini "
                f"({m.start_date:%d-%m-%Y} s.d. {last:%d-%m-%Y}).",
                f"The event date {on.isoformat()} is outside the cover of this membership "
                f"({m.start_date.isoformat()} to {last.isoformat()}).",
                field="event_date",
                params={"cover_from": m.start_date.isoformat(), "cover_to": last.isoformat()},
            )
        )


def months_covered(memberships: Iterable[Membership], until: dt.date) -> int:
    """Distinct contribution months the memberships owed up to and including `until`, counted
    as billing counts them (`rules.contributions.contribution_months`)."""
    months: set[int] = set()
    for m in memberships:
        if m.status not in COVERED or m.start_date is None or m.end_date is None:
            continue
        last = min(last_covered_day(m.status, m.end_date, m.status_changed_at), until)
        months.update(contribution_months(m.start_date, last))
    return len(months)
