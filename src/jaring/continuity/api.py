"""Self-paying members and the hand-over over the API. Amounts are whole rupiah."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jaring.continuity import selectors, services
from jaring.continuity.models import HandoverChoice, SelfPayCover, SelfPayment
from jaring.contributions.services import month_of
from jaring.core.api.params import month_param
from jaring.core.api.schemas import Strict, errors
from jaring.rules.tables import month_text

router = Router(tags=["continuity"])


class Page(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(500, ge=1, le=5000)


class HandoverQuery(Page):
    within_days: int | None = Field(None, ge=0, le=366, description="default: the notice (30)")
    village: str | None = None


class CoverQuery(Page):
    status: str | None = Field(None, description="active, lapsed or stopped")


class HandoverMemberOut(Schema):
    membership_id: int
    worker_id: int
    name: str
    village: str
    village_name: str
    programme: str
    end_date: dt.date
    choice: str | None = Field(description="self_paid, renewed, stop; null: not decided")
    cover_id: int | None


class HandoverVillageOut(Schema):
    village: str
    village_name: str
    ending: int
    self_paid: int
    renewed: int
    stop: int
    undecided: int


class HandoverChoiceIn(Strict):
    membership_id: int
    choice: str = Field(description="self_paid, renewed or stop")
    income: int | None = Field(None, description="monthly income, rupiah (self_paid)")
    channel: str = Field("", description="cash_agent, bank or auto_debit (self_paid)")
    jht: bool = False
    note: str = ""


class HandoverChoiceOut(Schema):
    id: int
    membership_id: int
    choice: str
    via: str
    cover_id: int | None


class SelfPayCoverOut(Schema):
    id: int
    worker_id: int
    village: str
    income_base: int
    jht: bool
    sector: str
    channel: str
    start_date: dt.date
    status: str = Field(
        description="as it holds today: an active cover past the lapse rule is lapsed even "
        "before the daily run records it"
    )
    paid_through: str | None = Field(description="the last paid month, YYYY-MM")
    covered_from: dt.date | None
    covered_through: dt.date | None
    end_date: dt.date | None
    from_membership_id: int | None
    previous_id: int | None


class SelfPayMonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    due_date: dt.date
    amount: int
    status: str
    payment_id: int | None


class SelfPayCoverDetailOut(SelfPayCoverOut):
    months: list[SelfPayMonthOut]


class SelfPaymentIn(Strict):
    months: int = Field(description="how many months, from the first unpaid one")
    amount: int
    channel: str = Field(description="cash_agent, bank or auto_debit")
    reference: str
    paid_on: dt.date


class SelfPaymentOut(Schema):
    id: int
    cover_id: int
    channel: str
    reference: str
    paid_on: dt.date
    amount: int
    first_month: str = Field(description="YYYY-MM")
    last_month: str = Field(description="YYYY-MM")


class SelfPayRunIn(Strict):
    month: str = Field(description="YYYY-MM")
    as_of: dt.date | None = None


class SelfPayRateOut(Schema):
    income_base: int
    jht: bool
    sector: str
    members: int
    amount: int = Field(description="each member's monthly contribution")


class SelfPayRunOut(Schema):
    month: str
    as_of: str
    lapsed: int
    months_lapsed: int
    billed: int
    amount_due: int
    rates: list[SelfPayRateOut] = Field(description="members billed per income base and rate")


class RetentionQuery(Schema):
    region: str
    month: str | None = Field(None, description="YYYY-MM (default: this month)")


class RetentionAfterOut(Schema):
    months: int
    ended: int = Field(description="whose cover ended at least that long ago")
    covered: int
    pct: str | None


class ContinuityRetentionOut(Schema):
    region: str
    month: str
    counted_on: dt.date
    funded_ended: int
    continued_self_paid: int
    renewed: int
    lapsed: int
    stopped: int
    not_covered: int
    retention_pct: str | None
    choices: dict[str, int]
    after_months: list[RetentionAfterOut]
    self_paying_active: int


def cover_dict(c: SelfPayCover) -> dict[str, object]:
    return {
        "id": c.pk,
        "worker_id": c.worker_id,
        "village": c.village_id,
        "income_base": c.income_base,
        "jht": c.jht,
        "sector": c.sector,
        "channel": c.channel,
        "start_date": c.start_date,
        # As it holds today: lapsed past the lapse rule before the daily run records it.
        "status": getattr(c, "status_today", c.status),
        "paid_through": month_text(month_of(c.paid_through))
        if c.paid_through >= c.first_period
        else None,
        "covered_from": c.covered_from,
        "covered_through": c.covered_through,
        "end_date": c.end_date,
        "from_membership_id": c.from_membership_id,
        "previous_id": c.previous_id,
    }


def _choice_dict(c: HandoverChoice) -> dict[str, object]:
    return {
        "id": c.pk,
        "membership_id": c.membership_id,
        "choice": c.choice,
        "via": c.via,
        "cover_id": c.cover_id,
    }


def _payment_dict(p: SelfPayment) -> dict[str, object]:
    return {
        "id": p.pk,
        "cover_id": p.cover_id,
        "channel": p.channel,
        "reference": p.reference,
        "paid_on": p.paid_on,
        "amount": p.amount,
        "first_month": month_text(month_of(p.first_period)),
        "last_month": month_text(month_of(p.last_period)),
    }


@router.get(
    "/handover",
    response={200: list[HandoverMemberOut], **errors(401)},
    summary="Members whose city-funded cover ends soon, by village, with their choice",
)
def handover(request: HttpRequest, query: Query[HandoverQuery]):
    ending = selectors.handover(request.auth, within_days=query.within_days)
    if query.village:
        ending = ending.filter(village_id=query.village)
    return [
        {
            "membership_id": m.pk,
            "worker_id": m.worker_id,
            "name": m.worker.full_name,
            "village": m.village_id,
            "village_name": m.village.name,
            "programme": m.programme.name,
            "end_date": m.end_date,
            "choice": m.choice,
            "cover_id": m.cover_id,
        }
        for m in ending[query.offset : query.offset + query.limit]
    ]


@router.get(
    "/handover/villages",
    response={200: list[HandoverVillageOut], **errors(401)},
    summary="How many members' cover ends per village, and what they chose",
)
def handover_villages(request: HttpRequest, query: Query[HandoverQuery]):
    return selectors.handover_by_village(
        selectors.handover(request.auth, within_days=query.within_days)
    )


@router.post(
    "/choices",
    response={201: HandoverChoiceOut, **errors(401, 403, 404, 409, 422)},
    summary="Record a member's choice: continue self-paid, renewed by the city, or stop",
)
def record_choice(request: HttpRequest, body: HandoverChoiceIn):
    chosen = services.record_choice(
        actor=request.auth,
        membership_id=body.membership_id,
        data=services.ChoiceInput(body.choice, body.income, body.channel, body.jht, body.note),
    )
    return Status(201, _choice_dict(chosen))


@router.get(
    "/covers",
    response={200: list[SelfPayCoverOut], **errors(401)},
    summary="Self-paid covers in the user's region",
)
def list_covers(request: HttpRequest, query: Query[CoverQuery]):
    covers = selectors.with_status_today(selectors.covers_for(request.auth)).order_by("id")
    if query.status:
        covers = covers.filter(status_today=query.status)
    return [cover_dict(c) for c in covers[query.offset : query.offset + query.limit]]


@router.get(
    "/covers/{cover_id}",
    response={200: SelfPayCoverDetailOut, **errors(401, 404)},
    summary="One self-paid cover with its months",
)
def get_cover(request: HttpRequest, cover_id: int):
    cover = selectors.get_cover(request.auth, cover_id)
    months = [
        {
            "month": month_text(month_of(m.period)),
            "due_date": m.due_date,
            "amount": m.amount,
            "status": m.status,
            "payment_id": m.payment_id,
        }
        for m in cover.months.order_by("period")
    ]
    return cover_dict(cover) | {"months": months}


@router.post(
    "/covers/{cover_id}/payments",
    response={201: SelfPaymentOut, **errors(401, 403, 404, 409, 422)},
    summary="Pay the next months of a self-paid cover, arrears first",
)
def pay(request: HttpRequest, cover_id: int, body: SelfPaymentIn):
    payment = services.record_payment(
        actor=request.auth,
        cover_id=cover_id,
        data=services.PaymentInput(
            body.months, body.amount, body.channel, body.reference, body.paid_on
        ),
    )
    return Status(201, _payment_dict(payment))


@router.post(
    "/covers/{cover_id}/reactivate",
    response={201: SelfPayCoverOut, **errors(401, 403, 404, 409, 422)},
    summary="Start a new self-paid cover for a member whose cover lapsed or stopped",
)
def reactivate(request: HttpRequest, cover_id: int):
    return Status(201, cover_dict(services.reactivate(actor=request.auth, cover_id=cover_id)))


class SelfPayStopIn(Strict):
    note: str = ""


@router.post(
    "/covers/{cover_id}/stop",
    response={200: SelfPayCoverOut, **errors(401, 403, 404, 409, 422)},
    summary="The member stops paying: cover ends with the last paid month",
)
def stop(request: HttpRequest, cover_id: int, body: SelfPayStopIn):
    return cover_dict(services.stop(actor=request.auth, cover_id=cover_id, note=body.note))


@router.post(
    "/runs",
    response={200: SelfPayRunOut, **errors(401, 403, 422)},
    summary="The monthly self-payment run: lapses, then the month's contributions",
)
def run_month(request: HttpRequest, body: SelfPayRunIn):
    return services.run_month(
        actor=request.auth, month=month_param(body.month), as_of=body.as_of
    ).as_dict()


@router.get(
    "/retention",
    response={200: ContinuityRetentionOut, **errors(401, 404, 422)},
    summary="Of those whose city-funded cover ended: self-paid, renewed, lapsed; retention",
)
def retention(request: HttpRequest, query: Query[RetentionQuery]):
    month = month_param(query.month) if query.month else timezone.localdate().replace(day=1)
    return selectors.retention(request.auth, query.region, month).as_dict()
