"""Reads of the BPJS exchange: batches with their answers so far, within the user's region."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.enrolment.cards.selectors import card_cover
from jaring.enrolment.exchange import profiles
from jaring.enrolment.exchange.models import ExportSetting, LineOutcome, SubmissionBatch
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs.models import Programme


def batches_for(user: User, programme: Programme) -> QuerySet[SubmissionBatch]:
    """The programme's batches that hold members in the user's region, counted by answer."""
    mine = scope_q(user, prefix="lines__membership__")

    def lines(outcome: str | None = None) -> Count:
        where = mine & Q(lines__outcome=outcome) if outcome else mine
        return Count("lines", filter=where)

    return (
        SubmissionBatch.objects.filter(programme=programme)
        .annotate(
            lines_in_scope=lines(),
            pending=lines(LineOutcome.PENDING),
            accepted=lines(LineOutcome.ACCEPTED),
            rejected=lines(LineOutcome.REJECTED),
        )
        .filter(lines_in_scope__gt=0)
        .select_related("created_by")
        .order_by("-number")
    )


def villages_for(
    user: User, programme: Programme, *, today: dt.date | None = None
) -> list[dict[str, object]]:
    """Villages with members of the programme in the user's region: waiting to be sent
    (verified) and due a card on `today` (active), for the export and card forms."""
    today = today or timezone.localdate()
    return list(
        Membership.objects.filter(programme=programme)
        .filter(scope_q(user))
        .values("village_id", "village__name")
        .annotate(
            verified=Count("pk", filter=Q(status=MembershipStatus.VERIFIED)),
            active=Count("pk", filter=card_cover(today)),
        )
        .filter(Q(verified__gt=0) | Q(active__gt=0))
        .order_by("village__name", "village_id")
    )


def profile_name(programme: Programme) -> str:
    """The export profile the programme's batches are made in."""
    setting = ExportSetting.objects.filter(programme=programme).first()
    return setting.profile if setting else profiles.DEFAULT


def batch_names(batch: SubmissionBatch, limit: int = 20) -> list[str]:
    """The first names of a batch's members, by name (a preview's "who")."""
    return list(
        Membership.objects.filter(batch_lines__batch=batch)
        .order_by("worker__full_name")
        .values_list("worker__full_name", flat=True)[:limit]
    )
