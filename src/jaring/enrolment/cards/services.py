"""Membership cards for active members: one card, or A4 sheets for a whole village.

Printing gives each membership a card token once (kept for reprints); the QR code carries only
that token, the public status page resolves it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.core.errors import (
    Conflict,
    CoreError,
    NotFound,
    Problem,
    ValidationFailed,
)
from jaring.enrolment.cards.models import MembershipCard
from jaring.enrolment.cards.pdf import LABELS, CardFace, card_pdf, sheet_pdf
from jaring.enrolment.cards.permissions import CARDS
from jaring.enrolment.cards.selectors import card_cover
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.enrolment.selectors import region_filter
from jaring.programs.selectors import get_programme
from jaring.rules.nik import mask


def _check_language(language: str) -> None:
    if language not in LABELS:
        raise ValidationFailed(
            Problem(
                EnrolmentError.LANGUAGE_UNKNOWN,
                "Bahasa kartu harus id atau en.",
                "The card language must be id or en.",
                field="language",
            )
        )


def _tokens(memberships: list[Membership]) -> dict[int, str]:
    """Each membership's card token, creating the missing ones."""
    ids = [m.pk for m in memberships]
    MembershipCard.objects.bulk_create(
        [MembershipCard(membership_id=pk, token=secrets.token_urlsafe(16)) for pk in ids],
        batch_size=2000,
        # A card printed before keeps its token: its QR code must keep working.
        ignore_conflicts=True,
    )
    return dict(
        MembershipCard.objects.filter(membership_id__in=ids).values_list("membership_id", "token")
    )


def card_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("public:card", args=[token])


def _faces(memberships: list[Membership], base_url: str) -> list[CardFace]:
    tokens = _tokens(memberships)
    return [
        CardFace(
            name=m.worker.full_name,
            masked_nik=mask(m.worker.nik),
            kpj=m.kpj,
            programme=m.programme.name,
            benefits=" + ".join(m.programme.benefit_list),
            start_date=m.start_date,
            end_date=m.end_date,
            qr_url=card_url(base_url, tokens[m.pk]),
            group=m.village.name,
        )
        for m in memberships
    ]


def _printed(actor: User, *, target, region_code: str, count: int, what: str) -> None:
    audit.record(
        actor=actor,
        action="cards_print",
        target=target,
        region_code=region_code,
        before=None,
        after={"cards": count, "what": what},
    )


def _in_scope(actor: User):
    return (
        Membership.objects.filter(scope_q(actor))
        .exclude(kpj="")
        .select_related("worker", "programme", "village")
    )


def _cover_ended(membership: Membership) -> Conflict:
    end = membership.end_date
    return Conflict(
        Problem(
            EnrolmentError.COVER_ENDED,
            f"Kartu keanggotaan {membership.pk} ({membership.worker.full_name}) tidak dicetak: "
            f"perlindungannya di {membership.programme} berakhir pada {end:%d-%m-%Y}, dan kartu "
            "hanya dicetak untuk perlindungan yang belum berakhir.",
            f"No card for membership {membership.pk} ({membership.worker.full_name}): its cover "
            f"under {membership.programme} ended on {end.isoformat()}, and cards are only "
            "printed for cover that has not ended.",
            field="end_date",
            params={"membership": membership.pk, "end_date": end.isoformat()},
        )
    )


@transaction.atomic
def print_sheets(
    *,
    actor: User,
    programme_id: int,
    region_code: str | None = None,
    base_url: str,
    language: str = "id",
    today: dt.date | None = None,
    village_per_sheet: bool = False,
) -> bytes:
    """A4 sheets of the cards of every active member of the programme in the actor's area (or
    `region_code`) whose cover has not ended by `today`, village by village, names in order:
    packed with a divider where a village starts, or each village on its own sheets."""
    CARDS.check(actor, "print")
    _check_language(language)
    today = today or timezone.localdate()
    programme = get_programme(actor, programme_id)
    members = list(
        _in_scope(actor)
        .filter(card_cover(today), programme=programme)
        .filter(region_filter(actor, region_code))
        .order_by("village__name", "village_id", "worker__name_key", "id")
    )
    if not members:
        raise ValidationFailed(
            Problem(
                EnrolmentError.NO_ACTIVE_MEMBERS,
                "Tidak ada peserta aktif (dengan nomor KPJ) yang perlindungannya masih berlaku "
                f"pada {today:%d-%m-%Y} untuk dicetak kartunya.",
                "There are no active members (with a KPJ number) whose cover still runs on "
                f"{today.isoformat()} to print cards for.",
                params={"today": today.isoformat()},
            )
        )
    _printed(
        actor,
        target=programme,
        region_code=region_code or actor.scope_id or programme.region_id,
        count=len(members),
        what=region_code or "all",
    )
    return sheet_pdf(
        _faces(members, base_url),
        title=programme.name,
        language=language,
        village_per_sheet=village_per_sheet,
    )


@transaction.atomic
def print_card(
    *,
    actor: User,
    membership_id: int,
    base_url: str,
    language: str = "id",
    today: dt.date | None = None,
) -> bytes:
    """One member's card (a reprint keeps the same QR code); refused once the cover has ended."""
    CARDS.check(actor, "print")
    _check_language(language)
    today = today or timezone.localdate()
    membership = (
        _in_scope(actor)
        .filter(status__in=(MembershipStatus.ACTIVE, MembershipStatus.EXPIRED), pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound(
            Problem(
                CoreError.NOT_FOUND,
                "Peserta aktif tidak ditemukan.",
                "Active member not found.",
            )
        )
    if not _in_scope(actor).filter(card_cover(today), pk=membership.pk).exists():
        raise _cover_ended(membership)
    _printed(actor, target=membership, region_code=membership.village_id, count=1, what="card")
    return card_pdf(_faces([membership], base_url)[0], language=language)
