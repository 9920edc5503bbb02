"""What a merge of two workers (dedupe) does with claims: a claim follows its membership.

Claims answer `core.events.worker_merged` (connected in their AppConfig), after enrolment has
moved the merged record's memberships (lower areas' receivers run first): each claim of the
merged record whose membership now belongs to the kept one moves with it, audited.
"""

from __future__ import annotations

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.claims.models import Claim
from jaring.registry.models import Worker


def follow_memberships(sender, *, actor: User, kept: Worker, merged: Worker, note: str, **_kwargs):
    """The receiver of `worker_merged`: moves the claims whose membership moved."""
    moving = list(
        Claim.objects.filter(worker=merged, membership__worker=kept)
        .order_by("pk")
        .values_list("pk", "village_id")
    )
    Claim.objects.filter(pk__in=[pk for pk, _ in moving]).update(worker=kept)
    audit.record_many(
        actor=actor,
        action="claim.moved_on_merge",
        model=Claim,
        changes=[
            audit.Change(pk, village, {"worker": merged.pk}, {"worker": kept.pk}, note)
            for pk, village in moving
        ],
    )
