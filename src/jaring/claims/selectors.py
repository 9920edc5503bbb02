"""Reads of claims and their documents, always through the user's region (`accounts.scope`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from jaring.accounts.masking import display_nik
from jaring.accounts.scope import Actor, scope_q
from jaring.claims import cover, workflow
from jaring.claims.models import OPEN_YEARS, Claim, ClaimDocument, ScholarshipYear, YearStatus
from jaring.claims.permissions import CLAIMS
from jaring.core.errors import CoreError, NotFound, Problem
from jaring.enrolment.models import Membership
from jaring.registry.names import name_key
from jaring.rules.nik import normalise


@dataclass
class ClaimFilter:
    status: str = ""
    kind: str = ""
    programme: int | None = None
    q: str = ""  # NIK, KPJ or the start of the name


def claims_for(user: Actor) -> QuerySet[Claim]:
    CLAIMS.check(user, "view")
    qs = Claim.objects.filter(scope_q(user))
    return qs.select_related("worker", "programme", "membership")


def search_claims(user: Actor, f: ClaimFilter) -> QuerySet[Claim]:
    qs = claims_for(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.programme:
        qs = qs.filter(programme_id=f.programme)
    q = f.q.strip()
    digits = normalise(q)
    if digits.isdigit():
        qs = qs.filter(Q(worker__nik=digits) | Q(membership__kpj=digits))
    elif q:
        # The registry's key: "José" finds "Jose", as in the worker search.
        qs = qs.filter(worker__name_key__startswith=name_key(q))
    return qs


def get_claim(user: Actor, pk: int) -> Claim:
    claim = (
        claims_for(user)
        .select_related("village", "created_by")
        .prefetch_related(
            "items",
            "children",
            "documents",
            "heirs",
            "scholarship_years__child",
            "payments__scholarship_year",
        )
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise NotFound.of("Klaim", "Claim")
    return claim


def get_scholarship_year(user: Actor, pk: int) -> ScholarshipYear:
    """A school year of a claim in the user's region (404 otherwise, as every read)."""
    row = (
        ScholarshipYear.objects.filter(pk=pk, claim__in=claims_for(user).values("pk"))
        .select_related("claim", "child")
        .first()
    )
    if row is None:
        raise NotFound.of("Tahun beasiswa", "Scholarship year")
    return row


def get_document(user: Actor, pk: int) -> ClaimDocument:
    doc = (
        ClaimDocument.objects.filter(pk=pk, claim__in=claims_for(user).values("pk"))
        .select_related("claim")
        .first()
    )
    if doc is None:
        raise NotFound.of("Dokumen", "Document")
    return doc


def find_membership(user: Actor, identifier: str, on: dt.date) -> Membership:
    """The membership of the worker with this NIK or KPJ that covered `on`.

    Without one, the latest membership that was given cover (the services then refuse it with
    the cover it did have), or the latest at all.
    """
    identifier = identifier.strip()
    qs = Membership.objects.filter(scope_q(user))
    qs = qs.filter(Q(worker__nik=identifier) | Q(kpj=identifier) if identifier else Q(pk=None))
    memberships = list(qs.select_related("worker", "programme").order_by("-start_date", "-id"))
    covering = next((m for m in memberships if cover.covers(m, on)), None)
    if covering:
        return covering
    given = [m for m in memberships if m.start_date is not None]
    if given or memberships:
        return (given or memberships)[0]
    raise NotFound(
        Problem(
            CoreError.NOT_FOUND,
            "Tidak ada keanggotaan dengan NIK atau KPJ ini di wilayah Anda.",
            "No membership with this NIK or KPJ in your region.",
            field="member",
        )
    )


def heir_split(amount: int, heirs) -> list[dict[str, object]]:
    """Each heir's part of a lump-sum payment by their share, in whole rupiah: the rupiah left
    by rounding down go one each to the largest remainders (the parts add up to `amount`)."""
    heirs = list(heirs)
    if not heirs:
        return []
    exact = [Decimal(amount) * h.share / 100 for h in heirs]
    parts = [int(x) for x in exact]
    order = sorted(range(len(heirs)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: amount - sum(parts)]:
        parts[i] += 1
    return [
        {"name": h.name, "relation": h.relation, "share": str(h.share), "amount": part}
        for h, part in zip(heirs, parts, strict=True)
    ]


def scholarship_money(c: Claim) -> dict[str, int]:
    """The claim's scholarship years: paid, and still owed (in the schedule, neither paid nor
    stopped); the lump sums still due."""
    years = list(c.scholarship_years.all())
    lump = sum(i.amount for i in c.items.all() if i.code != "scholarship")
    lump_paid = sum(p.amount for p in c.payments.all() if p.scholarship_year_id is None)
    return {
        "lump_sum_due": lump - lump_paid if c.status != "rejected" else 0,
        "scholarships_paid": sum(y.amount for y in years if y.status == YearStatus.PAID),
        "scholarships_owed": sum(y.amount for y in years if y.status in OPEN_YEARS)
        if c.status != "rejected"
        else 0,
    }


def claim_dict(user: Actor, c: Claim, *, detail: bool = False) -> dict[str, object]:
    """A claim as the API and the CLI show it."""
    out: dict[str, object] = {
        "id": c.pk,
        "status": c.status,
        "kind": c.kind,
        "event_date": c.event_date.isoformat(),
        "claimed_on": c.claimed_on.isoformat(),
        "membership_id": c.membership_id,
        "kpj": c.membership.kpj,
        "programme_id": c.programme_id,
        "programme": str(c.programme),
        "worker_id": c.worker_id,
        "worker": c.worker.full_name,
        "nik": display_nik(user, c.worker.nik),
        "village": c.village_id,
        "total": c.total,
        "rule_version": c.rule_version,
        "paid_on": c.paid_on.isoformat() if c.paid_on else None,
        "payment_reference": c.payment_reference,
        "rejection_reason": c.rejection_reason,
        "correctable": c.status in workflow.EDITABLE,
    }
    if not detail:
        return out
    return (
        out
        | {
            "description": c.description,
            "claimant_name": c.claimant_name,
            "claimant_relation": c.claimant_relation,
            "wage": c.wage,
            "months_contributed": c.months_contributed,
            "prior_months": c.prior_months,
            "medical_care": c.medical_care,
            "medical_cost": c.medical_cost,
            "months_incapacity": c.months_incapacity,
            "disability": c.disability,
            "disability_percent": c.disability_percent,
            "body_part": c.body_part,
            "function_lost_percent": c.function_lost_percent,
            "home_care_cost": c.home_care_cost,
            "transport": c.transport,
            "items": [
                {
                    "code": i.code,
                    "name": i.name,
                    "name_en": i.name_en,
                    "amount": i.amount,
                    "formula": i.formula,
                    "regulation": i.regulation,
                    "basis": f"{i.formula} — {i.regulation}",
                    "payee": i.payee,
                    **({"schedule": i.schedule} if i.schedule else {}),
                }
                for i in c.items.all()
            ],
            "refused": c.refusals,
            "sources": c.sources,
            "children": [
                {
                    "name": ch.name,
                    "birth_date": ch.birth_date.isoformat(),
                    "level": ch.level,
                    "grade": ch.grade,
                    "married": ch.married,
                    "working": ch.working,
                }
                for ch in c.children.all()
            ],
            "documents": [
                {
                    "id": d.pk,
                    "name": d.original_name,
                    "content_type": d.content_type,
                    "size": d.size,
                    "sha256": d.sha256,
                    "url": f"/api/claims/documents/{d.pk}",
                }
                for d in c.documents.all()
            ],
            "heirs": [
                {"name": h.name, "relation": h.relation, "share": str(h.share)}
                for h in c.heirs.all()
            ],
            "scholarship_years": [
                {
                    "id": y.pk,
                    "child_id": y.child_id,
                    "child": y.child.name,
                    "school_year": y.label,
                    "level": y.level,
                    "amount": y.amount,
                    "status": y.status,
                    "proof": y.proof,
                    "claimed_on": y.claimed_on.isoformat() if y.claimed_on else None,
                    "stop_reason": y.stop_reason,
                }
                for y in c.scholarship_years.all()
            ],
            "payments": [
                {
                    "id": p.pk,
                    "paid_on": p.paid_on.isoformat(),
                    "reference_kind": p.reference_kind,
                    "reference": p.reference,
                    "amount": p.amount,
                    "scholarship_year": p.scholarship_year.label if p.scholarship_year else None,
                    "shares": [] if p.scholarship_year else heir_split(p.amount, c.heirs.all()),
                }
                for p in c.payments.all()
            ],
        }
        | scholarship_money(c)
    )
