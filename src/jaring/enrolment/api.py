"""Memberships over the API: enrol, move through the lifecycle, list, expiry, renewal.

Bulk routes take the same filters as the lists, so "verify every candidate of Pasiran" is one
call; each runs in one transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jaring.accounts import audit
from jaring.accounts.masking import display_nik
from jaring.core.api.schemas import ProblemOut, Strict, errors
from jaring.core.errors import Problem, ValidationFailed
from jaring.core.rehearsal import rehearse
from jaring.enrolment import selectors, services
from jaring.enrolment.eligibility import REASON_BY_CODE, REASONS
from jaring.enrolment.models import Membership
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import Programme
from jaring.programs.selectors import get_programme
from jaring.registry.models import Worker
from jaring.registry.selectors import WorkerFilter, search_workers, workers_for

router = Router(tags=["enrolment"])


class MembershipQuery(Schema):
    programme: int | None = None
    status: str = ""
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""
    expiring_within: int | None = Field(
        None, ge=0, le=3660, description="days (ten years at most); active ones only"
    )
    ids: list[int] = []


class MembershipOut(Schema):
    id: int
    worker: int
    nik: str
    full_name: str
    programme: int
    programme_name: str
    category: str
    status: str = Field(description="the status that holds today (ended cover is expired)")
    recorded_status: str = Field(description="the status as last recorded")
    kpj: str
    start_date: dt.date | None
    end_date: dt.date | None
    months: int
    income_base: int
    end_reason: str
    end_note: str
    rejection_reason: str
    renewed_to: int | None
    village: str


def membership_out(user, m: Membership) -> dict[str, object]:
    return {
        "id": m.pk,
        "worker": m.worker_id,
        "nik": display_nik(user, m.worker.nik),
        "full_name": m.worker.full_name,
        "programme": m.programme_id,
        "programme_name": m.programme.name,
        "category": m.category_id,
        "status": m.status_today,
        "recorded_status": m.status,
        "kpj": m.kpj,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "months": m.months,
        "income_base": m.income_base,
        "end_reason": m.end_reason,
        "end_note": m.end_note,
        "rejection_reason": m.rejection_reason,
        "renewed_to": m.renewed_to_id,
        "village": m.village_id,
    }


class MembershipEventOut(Schema):
    at: dt.datetime
    action: str
    actor: str | None
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class MembershipDetailOut(MembershipOut):
    history: list[MembershipEventOut]


class MembershipPage(Schema):
    count: int
    items: list[MembershipOut]


def _filter(query: Schema) -> selectors.MembershipFilter:
    return selectors.MembershipFilter(**query.model_dump(include=set(MembershipQuery.model_fields)))


@router.get("/memberships", response={200: MembershipPage, **errors(401)}, url_name="memberships")
def list_memberships(
    request: HttpRequest,
    query: Query[MembershipQuery],
    limit: int = 50,
    offset: int = 0,
):
    # A huge offset is past every list (and past what SQLite's OFFSET takes).
    limit, offset = min(max(limit, 1), 500), min(max(offset, 0), 10**9)
    qs = selectors.search_memberships(request.auth, _filter(query))
    return {
        "count": qs.count(),
        "items": [membership_out(request.auth, m) for m in qs[offset : offset + limit]],
    }


@router.get("/memberships/{membership_id}", response={200: MembershipDetailOut, **errors(401, 404)})
def get_membership(request: HttpRequest, membership_id: int):
    m = selectors.get_membership(request.auth, membership_id)
    return {
        **membership_out(request.auth, m),
        "history": [
            {
                "at": e.at,
                "action": e.action,
                "actor": e.actor.username if e.actor else None,
                "reason": e.reason,
                "before": e.before,
                "after": e.after,
            }
            for e in audit.history(m)
        ],
    }


class EnrolIn(Strict):
    programme: int
    workers: list[int] = Field([], description="worker ids; empty: every worker matching")
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""
    only_eligible: bool = Field(False, description="enrol the eligible part, skip the rest")
    reason: str = ""
    dry_run: bool = Field(
        False,
        description="answer what would be enrolled and its cost (or the refusal); keep nothing",
    )


class CountOut(Schema):
    count: int


class EnrolOut(Schema):
    count: int
    dry_run: bool = False
    cost: int | None = Field(None, description="dry run: what they add to the committed budget")
    remaining_budget: int | None = Field(None, description="dry run: ceiling minus committed now")


class BulkOut(Schema):
    count: int
    dry_run: bool = False


@router.post("/enrol", response={200: EnrolOut, **errors(401, 403, 404, 409, 422)})
def enrol(request: HttpRequest, payload: EnrolIn):
    """Makes the selected workers candidates; refused whole on quota, budget or eligibility."""
    programme = get_programme(request.auth, payload.programme)
    if payload.workers:
        # An id that does not exist and one in another region answer alike.
        wanted = set(payload.workers)
        unseen = len(wanted) - workers_for(request.auth).filter(pk__in=wanted).count()
        if unseen:
            raise services.workers_not_found(unseen)
        workers = Worker.objects.filter(pk__in=wanted)
    else:
        f = WorkerFilter(
            q=payload.q,
            district=payload.district,
            village=payload.village,
            category=payload.category,
        )
        workers = (
            search_workers(request.auth, f)
            if any(asdict(f).values())
            else workers_for(request.auth)
        )

    def enrol_them() -> int:
        return services.enrol(
            actor=request.auth,
            programme=programme,
            workers=workers,
            reason=payload.reason,
            only_eligible=payload.only_eligible,
        )

    if not payload.dry_run:
        return {"count": enrol_them()}
    count = rehearse(enrol_them)  # refused as the real call would be
    preview = services.enrol_preview(
        actor=request.auth,
        programme=programme,
        workers=workers,
        only_eligible=payload.only_eligible,
    )
    return {
        "count": count,
        "dry_run": True,
        "cost": preview.cost,
        "remaining_budget": preview.remaining,
    }


class BulkIn(MembershipQuery, Strict):
    action: Literal["verify", "end"]
    end_reason: str = Field("", description="for end: death, moved, duplicate, withdrawn")
    note: str = ""
    reason: str = ""
    dry_run: bool = Field(False, description="answer how many would change (or the refusal)")


@router.post("/bulk", response={200: BulkOut, **errors(401, 403, 409, 422)})
def bulk(request: HttpRequest, payload: BulkIn):
    """Verify or end every membership matching the filter, in one transaction."""
    memberships = selectors.search_memberships(request.auth, _filter(payload))

    def change() -> int:
        if payload.action == "verify":
            return services.verify(
                actor=request.auth, memberships=memberships, reason=payload.reason
            )
        return services.end(
            actor=request.auth,
            memberships=memberships,
            end_reason=payload.end_reason,
            note=payload.note or payload.reason,
        )

    if payload.dry_run:
        return {"count": rehearse(change), "dry_run": True}
    return {"count": change()}


class ActivateIn(Strict):
    kpj: str = Field(max_length=20)
    start_date: dt.date | None = Field(None, description="the date BPJS accepted the worker")


@router.post(
    "/memberships/{membership_id}/activate",
    response={200: MembershipOut, **errors(401, 403, 404, 409, 422)},
)
def activate(request: HttpRequest, membership_id: int, payload: ActivateIn):
    m = selectors.get_membership(request.auth, membership_id)
    m = services.activate(
        actor=request.auth, membership=m, kpj=payload.kpj, start_date=payload.start_date
    )
    return membership_out(request.auth, m)


class RejectIn(Strict):
    reason: str


@router.post(
    "/memberships/{membership_id}/reject",
    response={200: MembershipOut, **errors(401, 403, 404, 409, 422)},
)
def reject(request: HttpRequest, membership_id: int, payload: RejectIn):
    m = selectors.get_membership(request.auth, membership_id)
    m = services.reject_submission(actor=request.auth, membership=m, reason=payload.reason)
    return membership_out(request.auth, m)


class ExpireIn(Strict):
    programme: int | None = None
    on: dt.date | None = None


@router.post("/expire", response={200: CountOut, **errors(401, 403, 404)})
def expire(request: HttpRequest, payload: ExpireIn):
    """Active memberships whose cover has ended become expired."""
    programme = get_programme(request.auth, payload.programme) if payload.programme else None
    count = services.expire_lapsed(actor=request.auth, on=payload.on, programme=programme)
    return {"count": count}


class RenewIn(MembershipQuery, Strict):
    into: int = Field(description="the programme to renew into (next year's)")
    reason: str = ""


@router.post("/renew", response={200: CountOut, **errors(401, 403, 404, 409, 422)})
def renew(request: HttpRequest, payload: RenewIn):
    """Renews every active or expired membership matching the filter into `into`."""
    into = get_programme(request.auth, payload.into)
    memberships = selectors.search_memberships(request.auth, _filter(payload))
    count = services.renew(
        actor=request.auth, memberships=memberships, into=into, reason=payload.reason
    )
    return {"count": count}


# --- a programme's budget and eligibility: they read its memberships ----------------------------
# Mounted at /api/programmes/ beside programs' router; the operation ids are the ones these
# routes had there.
programme_router = Router(tags=["programmes"])


class CategoryBudgetOut(Schema):
    category_code: str
    category_name: str
    months: int
    income_base: int
    quota: int
    monthly_per_worker: int
    planned: int
    enrolled_workers: int
    enrolled: int
    active_workers: int
    active: int


class BudgetOut(Schema):
    ceiling: int
    start: str = Field(description="YYYY-MM-DD: the first day cover could start")
    planned: int
    enrolled: int
    active: int
    remaining: int
    planned_over_ceiling: int
    categories: list[CategoryBudgetOut]


@programme_router.get(
    "/{programme_id}/budget",
    response={200: BudgetOut, **errors(401, 404, 422)},
    operation_id="jaring_programs_api_programme_budget",
)
def programme_budget(request: HttpRequest, programme_id: int):
    """Planned (quota × months), enrolled, active and remaining, per category, in rupiah."""
    programme = get_programme(request.auth, programme_id)
    return selectors.programme_budget(programme).as_dict()


class EligibilityFilterOut(Schema):
    eligible: str
    reason: str
    q: str
    district: str
    village: str
    category: str


class EligibleWorkerOut(Schema):
    worker: int
    nik: str = Field(description="masked (6172********0001) for viewers")
    full_name: str
    village: str
    category: str
    eligible: bool
    reasons: list[ProblemOut]


class EligibilityOut(Schema):
    counts: dict[str, int] = Field(description="workers held back per reason (and totals)")
    reasons: dict[str, ProblemOut] = Field(description="each reason's message, by code")
    filter: EligibilityFilterOut
    items: list[EligibleWorkerOut]


class EligibilityQuery(Schema):
    eligible: str = Field("", description="'', 'yes' or 'no'")
    reason: str = Field("", description=", ".join(r.code for r in REASONS))
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def eligibility_out(
    user, programme: Programme, f: selectors.EligibilityFilter, *, limit: int, offset: int
) -> dict[str, object]:
    """Counts per reason, the reasons' messages, and one page of workers with their reasons."""
    if f.reason and f.reason not in REASON_BY_CODE:
        raise ValidationFailed(
            Problem(
                ProgrammeError.REASON_UNKNOWN,
                f"Alasan '{f.reason}' tidak dikenal; yang ada: {', '.join(REASON_BY_CODE)}.",
                f"Unknown reason '{f.reason}'; choose from: {', '.join(REASON_BY_CODE)}.",
                field="reason",
            )
        )
    judge, qs, counts = selectors.eligibility_list(user, programme, f)
    return {
        "counts": counts,
        "reasons": {r.code: r.problem(programme).as_dict() for r in REASONS},
        "filter": asdict(f),
        "items": [
            {
                "worker": w.pk,
                "nik": display_nik(user, w.nik),
                "full_name": w.full_name,
                "village": w.village_id,
                "category": w.category_id,
                "eligible": not any(getattr(w, f"r_{r.code}") for r in REASONS),
                "reasons": [p.as_dict() for p in judge.reasons_of(w)],
            }
            for w in qs[offset : offset + limit]
        ],
    }


@programme_router.get(
    "/{programme_id}/eligibility",
    response={200: EligibilityOut, **errors(401, 404, 422)},
    operation_id="jaring_programs_api_eligibility",
)
def eligibility(request: HttpRequest, programme_id: int, query: Query[EligibilityQuery]):
    """Counts per reason, and the workers on one page with every reason they are held back."""
    programme = get_programme(request.auth, programme_id)
    f = selectors.EligibilityFilter(**query.model_dump(exclude={"limit", "offset"}))
    return eligibility_out(request.auth, programme, f, limit=query.limit, offset=query.offset)
