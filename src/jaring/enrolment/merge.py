"""What a merge of two workers (dedupe) does with the memberships of the record given up.

Enrolment answers `core.events.worker_merged` (connected in its AppConfig): dedupe decides that
two records are one person and never touches memberships itself. One person, one record: every
membership of the merged record moves to the kept one, with its bill lines and KPJ (its claims
follow it: `claims.merge`), so that the person's cover, months paid and claims are all in one
place and coverage counts the person once. A membership that cannot move because the person
was enrolled twice is settled by the enrolment lifecycle:

- both records are in the same programme (one live membership per worker and programme), or
  both are covered at the same time by two programmes (covers must not overlap): the merged
  record's membership is ended with the reason "duplicate" (`enrolment.services.end`) and then
  moves, ended, like the rest — unless it is further along than the kept record's (e.g. active
  where the kept record's is a candidate: ending it would take away cover the person has). Then
  the merge is refused, and the officer keeps the other record or ends one membership first;
- an expired or renewed membership in a programme where the kept record also has one is past
  cover of the same programme: it stays with the merged record, as history.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.core import events
from jaring.core.errors import Conflict, Problem
from jaring.dedupe.errors import DedupeError
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import EndReason, Membership
from jaring.enrolment.models import MembershipStatus as S
from jaring.enrolment.selectors import regencies_of
from jaring.registry.models import Worker

# How far along the lifecycle a membership is; past ones (expired, renewed) come before all.
_PROGRESS = {S.CANDIDATE: 0, S.VERIFIED: 1, S.SUBMITTED: 2, S.ACTIVE: 3}
_OPEN = tuple(_PROGRESS)
_PAST = (S.EXPIRED, S.RENEWED)


def _conflict(m: Membership, kept: list[Membership]) -> Membership | None:
    """The kept record's membership that `m` cannot sit beside, if any."""
    for k in kept:
        same_programme = k.programme_id == m.programme_id and k.status != S.ENDED
        overlapping = (
            k.status == S.ACTIVE
            and m.status == S.ACTIVE
            and k.start_date <= m.end_date
            and k.end_date >= m.start_date
        )
        if same_programme or overlapping:
            return k
    return None


def _refused(m: Membership, k: Membership) -> Conflict:
    return Conflict(
        Problem(
            DedupeError.MERGE_MEMBERSHIP_AHEAD,
            f"Keanggotaan data yang digabung di {m.programme} berstatus '{S(m.status).label}', "
            f"lebih maju daripada data yang dipertahankan ('{S(k.status).label}'). Pertahankan "
            "data yang lain, atau akhiri salah satu keanggotaan dulu.",
            f"The merged record's membership of {m.programme} is '{m.status}', further along "
            f"than the kept record's ('{k.status}'). Keep the other record instead, or end one "
            "of the memberships first.",
            params={"membership": m.pk, "kept_membership": k.pk},
        )
    )


def _settle(merged: list[Membership], kept: list[Membership]):
    """(memberships to move, to end first, to leave) — or the Conflict that refuses the merge."""
    move, end, stay = [], [], []
    for m in merged:
        k = _conflict(m, kept)
        if k is None:
            move.append(m)
        elif m.status in _PAST:
            stay.append(m)
        elif _PROGRESS[m.status] > _PROGRESS.get(k.status, -1):
            raise _refused(m, k)
        else:
            end.append(m)
            move.append(m)
    return move, end, stay


def carry(
    sender, *, actor: User, kept: Worker, merged: Worker, note: str, **_kwargs
) -> dict[str, list[int]]:
    """Moves the merged record's memberships to the kept record (see the module).

    The receiver of `worker_merged`, inside the merge's transaction; every change is audited.
    Returns the membership ids moved, ended as duplicates (and moved), and left with the merged
    record.
    """
    rows: QuerySet[Membership] = (
        Membership.objects.select_for_update()
        .filter(worker__in=[kept.pk, merged.pk])
        .select_related("programme")
        .order_by("pk")
    )
    locked = list(rows)
    theirs = [m for m in locked if m.worker_id == merged.pk]
    ours = [m for m in locked if m.worker_id == kept.pk]
    move, end, stay = _settle(theirs, ours)
    if end:
        enrolment.end(
            actor=actor,
            memberships=Membership.objects.filter(pk__in=[m.pk for m in end]),
            end_reason=EndReason.DUPLICATE,
            note=note or f"digabung ke pekerja #{kept.pk}",
        )
    Membership.objects.filter(pk__in=[m.pk for m in move]).update(worker=kept)
    audit.record_many(
        actor=actor,
        action="membership.moved_on_merge",
        model=Membership,
        changes=[
            audit.Change(m.pk, m.village_id, {"worker": merged.pk}, {"worker": kept.pk}, note)
            for m in move
        ],
    )
    # Coverage counts a person once (a merged record counts as the one it went into): both
    # records' regencies are counted again.
    both = Membership.objects.filter(worker__in=[kept.pk, merged.pk])
    events.memberships_changed.send(sender="enrolment", regencies=regencies_of(both))
    return {
        "moved": [m.pk for m in move],
        "ended_as_duplicate": [m.pk for m in end],
        "stayed": [m.pk for m in stay],
    }
