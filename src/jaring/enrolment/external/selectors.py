"""Reads of cover outside Jaring: overlap for eligibility, and the scoped list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.enrolment.external.models import ExternalCover


def overlapping_cover(start: dt.date, end: dt.date, benefits: tuple[str, ...]) -> QuerySet:
    """Records sharing one of `benefits` whose period touches `start`…`end` (no end = open)."""
    shares = Q()
    for benefit in benefits:
        shares |= Q(benefits__contains=benefit)
    return ExternalCover.objects.filter(shares, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def external_covers_for(user: User) -> QuerySet[ExternalCover]:
    """Records imported for the user's region or a region inside it."""
    return ExternalCover.objects.select_related("worker", "region", "imported_by").filter(
        scope_q(user, field="region__code")
    )


def search_external_covers(user: User, *, nik: str = "", segment: str = "") -> QuerySet:
    qs = external_covers_for(user)
    if nik.strip():
        qs = qs.filter(nik__startswith=nik.strip())
    if segment:
        qs = qs.filter(segment=segment)
    return qs.order_by("-imported_at", "nik", "id")
