"""Reads of auto-debit, through the user's region; an agent reads only its own members'
mandates (accounts.scope, `own`)."""

from __future__ import annotations

from django.db.models import QuerySet

from jaring.accounts.scope import Actor, scope_q
from jaring.autodebit.models import DebitBatch, DebitLine, Mandate, MandateStatus
from jaring.autodebit.permissions import AUTODEBIT
from jaring.continuity.models import Channel, CoverStatus, SelfPayCover
from jaring.continuity.selectors import covers_for
from jaring.continuity.services import AGENT_OWNS
from jaring.core.errors import CoreError, NotFound, Problem

MANDATE_OWNS = "cover__" + AGENT_OWNS


def mandates_for(user: Actor) -> QuerySet[Mandate]:
    AUTODEBIT.check(user, "view")
    return Mandate.objects.filter(scope_q(user, own=MANDATE_OWNS))


def mandate_list(user: Actor) -> QuerySet[Mandate]:
    return mandates_for(user).select_related("cover__worker", "village")


def get_batch(user: Actor, pk: int) -> DebitBatch:
    """A bank's instruction file, when every line of it is in the user's region (a file made
    for the whole country is not a city's to download)."""
    AUTODEBIT.check(user, "exchange")
    batch = DebitBatch.objects.filter(pk=pk).first()
    outside = (
        DebitLine.objects.filter(batch_id=pk)
        .exclude(mandate_id__in=Mandate.objects.filter(scope_q(user)).values("id"))
        .exists()
    )
    if batch is None or outside:
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "File debet tidak ditemukan.", "Debit file not found.")
        )
    return batch


def awaiting_mandate(user: Actor) -> QuerySet[SelfPayCover]:
    """Active self-paying members who chose auto-debit and have no active mandate yet."""
    AUTODEBIT.check(user, "view")
    return (
        covers_for(user)
        .filter(status=CoverStatus.ACTIVE, channel=Channel.AUTO_DEBIT)
        .exclude(mandates__status=MandateStatus.ACTIVE)
        .select_related("worker", "village")
        .order_by("worker__full_name", "id")
    )
