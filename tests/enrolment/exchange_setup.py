"""Programmes with members at each step, built through the enrolment services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership
from jaring.registry.models import Worker
from tests.factories import make_worker
from tests.programs.factories import make_programme


def verified_members(actor, programme, workers: list[Worker]) -> list[Membership]:
    ids = [w.pk for w in workers]
    enrolment.enrol(
        actor=actor, programme=programme, workers=Worker.objects.filter(pk__in=ids), on=ENROL_ON
    )
    members = Membership.objects.filter(programme=programme, worker_id__in=ids)
    enrolment.verify(actor=actor, memberships=members)
    return list(members.order_by("worker_id"))


def active_member(actor, programme, worker: Worker, kpj: str, start: dt.date) -> Membership:
    (member,) = verified_members(actor, programme, [worker])
    enrolment.mark_submitted(actor=actor, memberships=Membership.objects.filter(pk=member.pk))
    return enrolment.activate(actor=actor, membership=member, kpj=kpj, start_date=start)


ENROL_ON = dt.date(2026, 3, 1)


def print_on(monkeypatch, day: dt.date) -> None:
    """Pages, API and CLI print cards as of the real day; a test fixes that day."""
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value, tz)
    )


def programme_with_workers(actor, n: int = 3, village: str | None = None, **overrides):
    programme = make_programme(actor, **overrides)
    kwargs = {"village": village} if village else {}
    workers = [make_worker(actor, full_name=f"Pekerja {i}", **kwargs) for i in range(n)]
    return programme, workers
