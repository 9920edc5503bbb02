"""Reads for membership cards."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from jaring.enrolment.models import MembershipStatus


def card_cover(today: dt.date) -> Q:
    """Memberships a card may be printed for on `today`.

    A card tells the worker they are protected, so cover that has ended gets none, even while
    its membership is still active because the nightly `jaring enrolment expire` has not run.
    Cover that starts later does get its card: a renewal BPJS accepted before the old cover ran
    out starts the day after it, and the card prints the day it is valid from (its QR code
    answers "not covered" until then), so the worker holds the new card on the first day.
    """
    return Q(status=MembershipStatus.ACTIVE, end_date__gte=today) & ~Q(kpj="")
