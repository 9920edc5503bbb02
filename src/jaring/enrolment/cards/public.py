"""The public status check: "am I covered, until when?" without logging in.

A worker gives NIK + birth date (or scans the QR code on the card) and learns only whether they
are covered today, by which programme and until when. A wrong pair, an unknown NIK and "not
covered" get the same answer after the same queries, so the page cannot tell anyone whether a
NIK is registered. The birth date is written inside the NIK, so it is a weak secret: what stops
enumeration is the limit on attempts per client, and per NIK from each client. The NIK's limit
counts per client so that strangers asking about a worker's NIK from elsewhere cannot lock the
worker out of their own check (issue 14); guessing from many addresses is still held back by
each address's own limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jaring.core.errors import DomainError, Problem
from jaring.enrolment.cards.models import MembershipCard, RateCounter
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.registry.models import Worker

# (attempts, seconds): a person checking their own status needs a handful; a scan needs many.
CLIENT_LIMIT = (10, 15 * 60)
NIK_LIMIT = (5, 60 * 60)  # per NIK and client
CARD_CLIENT_LIMIT = (30, 15 * 60)
# Cover that runs today: an active membership, or one renewed whose period is not over yet.
_COVERING = (MembershipStatus.ACTIVE, MembershipStatus.RENEWED)


class TooManyAttempts(DomainError):
    status = 429


@dataclass(frozen=True, slots=True)
class Cover:
    programme: str
    until: dt.date


def _digest(value: str) -> str:
    # Keyed, so the counter table does not hold IP addresses or NIKs anyone could reverse.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _count(kind: str, value: str, period: int, now: dt.datetime) -> int:
    """Adds one attempt to `value`'s counter for the current window and returns the total."""
    window = int(now.timestamp()) // period
    key = f"{kind}:{_digest(value)}:{window}"
    expires = dt.datetime.fromtimestamp((window + 1) * period, tz=dt.UTC)
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, count=1, expires_at=expires)
            except IntegrityError:  # another request created it first
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateCounter.objects.filter(key=key).values_list("count", flat=True).get()


def throttle(limits: list[tuple[str, str, tuple[int, int]]]) -> None:
    """Refuses a public page's request past any limit (kind, value, (count, seconds)); the
    status check and compliance's public report share the counters' table."""
    now = timezone.now()
    RateCounter.objects.filter(expires_at__lt=now).delete()
    for kind, value, (limit, period) in limits:
        if _count(kind, value, period, now) > limit:
            minutes = period // 60
            raise TooManyAttempts(
                Problem(
                    EnrolmentError.TOO_MANY_ATTEMPTS,
                    f"Terlalu banyak percobaan. Coba lagi dalam {minutes} menit.",
                    f"Too many attempts. Try again in {minutes} minutes.",
                    params={"retry_after": period},
                )
            )


def _covering(memberships, today: dt.date) -> list[Cover]:
    return [
        Cover(programme=name, until=until)
        for name, until in memberships.filter(
            status__in=_COVERING, start_date__lte=today, end_date__gte=today
        )
        .order_by("end_date", "id")
        .values_list("programme__name", "end_date")
    ]


def check_cover(
    *, nik: str, birth_date: dt.date, client: str, today: dt.date | None = None
) -> list[Cover]:
    """The programmes covering the worker today; empty for "not covered" and "not found" alike."""
    worker_id = identify(nik=nik, birth_date=birth_date, client=client)
    # The membership query runs in every case, so timing does not tell the cases apart.
    return _covering(Membership.objects.filter(worker_id=worker_id), today or timezone.localdate())


def identify(*, nik: str, birth_date: dt.date, client: str) -> int:
    """The id of the worker with this NIK and birth date, or 0 (a wrong pair and an unknown NIK
    alike), counted against the client's attempts and the NIK's from that client. Public pages
    of the areas above (the self-payment hand-over) identify a worker through it."""
    throttle([("ip", client, CLIENT_LIMIT), ("nik-ip", f"{nik} {client}", NIK_LIMIT)])
    worker = Worker.objects.filter(nik=nik).values("pk", "birth_date").first()
    return worker["pk"] if worker and worker["birth_date"] == birth_date else 0


def check_card(*, token: str, client: str, today: dt.date | None = None) -> list[Cover]:
    """What the QR code on a card shows: the same answer, for that card's membership only."""
    throttle([("card-ip", client, CARD_CLIENT_LIMIT)])
    memberships = Membership.objects.filter(
        pk__in=MembershipCard.objects.filter(token=token).values("membership_id")
    )
    return _covering(memberships, today or timezone.localdate())
