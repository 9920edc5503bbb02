"""Writes to claims: register (with the computed entitlements), add documents, move through
the workflow. Each function is one transaction and leaves an audit event; a refusal changes
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import in_scope
from jaring.claims import cover, entitlements, uploads, workflow
from jaring.claims.entitlements import ClaimInput
from jaring.claims.models import (
    DEATH_KINDS,
    Claim,
    ClaimChild,
    ClaimDocument,
    ClaimItem,
    ClaimKind,
    ClaimStatus,
    Disability,
)
from jaring.contributions.rate_tables import current_tables
from jaring.core.errors import Conflict, PermissionDenied, Problem, ValidationFailed
from jaring.enrolment import services as enrolment
from jaring.enrolment.lifecycle import sources_of
from jaring.enrolment.models import EndReason, Membership, MembershipStatus
from jaring.registry.models import Worker
from jaring.rules import benefits


def _out_of_scope() -> PermissionDenied:
    return PermissionDenied(
        Problem(
            "out_of_scope",
            "Data ini di luar wilayah kerja Anda.",
            "This record is outside your region.",
        )
    )


def _check_fields(data: ClaimInput, today: dt.date) -> dt.date:
    """The claim date; ValidationFailed with every field problem at once."""
    problems = []

    def bad(field: str, message_id: str, message_en: str, code: str = "invalid") -> None:
        problems.append(Problem(code, message_id, message_en, field=field))

    if data.kind not in ClaimKind.values:
        bad(
            "kind",
            f"Jenis klaim tidak dikenal; yang sah: {', '.join(ClaimKind.values)}.",
            f"Unknown claim kind; choose from {', '.join(ClaimKind.values)}.",
        )
    if not data.description.strip():
        bad("description", "Uraian kejadian wajib diisi.", "Describe the event.", "required")
    claimed_on = data.claimed_on or today
    if data.event_date > today:
        bad(
            "event_date",
            "Tanggal kejadian tidak boleh di masa depan.",
            "The event date cannot be in the future.",
            "date_in_future",
        )
    if claimed_on > today:
        bad(
            "claimed_on",
            "Tanggal klaim tidak boleh di masa depan.",
            "The claim date cannot be in the future.",
            "date_in_future",
        )
    if data.disability not in Disability.values:
        bad("disability", "Jenis cacat tidak dikenal.", "Unknown disability.")
    modes = ", ".join(benefits.TRANSPORT_MODES)
    for i, t in enumerate(data.transport):
        if t.mode not in benefits.TRANSPORT_MODES:
            bad(
                f"transport.{i}.mode",
                f"Moda transportasi tidak dikenal; yang sah: {modes}.",
                f"Unknown transport mode; choose from {modes}.",
            )
    for i, child in enumerate(data.children):
        if not child.name.strip():
            bad(f"children.{i}.name", "Nama anak wajib diisi.", "The child's name is required.")
        if child.birth_date > today:
            bad(
                f"children.{i}.birth_date",
                "Tanggal lahir anak tidak boleh di masa depan.",
                "A child's birth date cannot be in the future.",
                "date_in_future",
            )
    if problems:
        raise ValidationFailed(*problems)
    return claimed_on


def _check_worker(m: Membership, data: ClaimInput) -> None:
    worker = m.worker
    if worker.died_on and data.event_date > worker.died_on:
        raise ValidationFailed(
            Problem(
                "after_death",
                f"Tanggal kejadian sesudah tanggal meninggal pekerja ({worker.died_on:%d-%m-%Y}).",
                f"The event date is after the worker's death ({worker.died_on.isoformat()}).",
                field="event_date",
            )
        )
    if data.kind in DEATH_KINDS:
        earlier = (
            Claim.objects.filter(worker=worker, kind__in=DEATH_KINDS)
            .exclude(status=ClaimStatus.REJECTED)
            .first()
        )
        if earlier:
            raise Conflict(
                Problem(
                    "death_claim_exists",
                    f"Klaim kematian pekerja ini sudah terdaftar (klaim {earlier.pk}).",
                    f"A death claim for this worker is already registered (claim {earlier.pk}).",
                    field="kind",
                    params={"claim_id": earlier.pk},
                )
            )


def _save_documents(claim: Claim, checked: Sequence[uploads.Checked], actor: User) -> None:
    saved: list[ClaimDocument] = []
    try:
        for c in checked:
            doc = ClaimDocument(
                claim=claim,
                original_name=c.original_name,
                content_type=c.content_type,
                size=len(c.content),
                sha256=c.sha256,
                uploaded_by=actor,
            )
            doc.file.save(*c.stored(), save=False)
            saved.append(doc)
            doc.save()
    except BaseException:
        # The transaction rolls the rows back; the files written so far go too.
        for doc in saved:
            doc.file.delete(save=False)
        raise


@transaction.atomic
def register_claim(
    *,
    actor: User,
    membership: Membership,
    data: ClaimInput,
    documents: Sequence = (),
    today: dt.date | None = None,
) -> Claim:
    """Checks cover on the event date and the lapse, computes every entitlement, records it."""
    workflow.check_may(actor, "register")
    today = today or timezone.localdate()
    m = (
        Membership.objects.select_for_update()
        .select_related("worker", "programme")
        .get(pk=membership.pk)
    )
    if not in_scope(actor, m.village_id):
        raise _out_of_scope()
    claimed_on = _check_fields(data, today)
    checked = uploads.check(documents)
    _check_worker(m, data)
    cover.check_cover(m, data.event_date)
    covered = cover.months_covered(
        Membership.objects.filter(worker_id=m.worker_id), until=data.event_date
    )
    months_contributed = covered + data.prior_months
    result = entitlements.compute(
        data,
        wage=m.income_base,
        months_contributed=months_contributed,
        claimed_on=claimed_on,
        tables=current_tables(),
    )
    claim = Claim.objects.create(
        membership=m,
        worker_id=m.worker_id,
        programme_id=m.programme_id,
        kind=data.kind,
        event_date=data.event_date,
        claimed_on=claimed_on,
        description=data.description.strip(),
        claimant_name=data.claimant_name.strip(),
        claimant_relation=data.claimant_relation.strip(),
        months_incapacity=data.months_incapacity,
        disability=data.disability,
        disability_percent=data.disability_percent,
        body_part=data.body_part,
        function_lost_percent=data.function_lost_percent,
        home_care_cost=data.home_care_cost,
        transport=[{"mode": t.mode, "cost": t.cost} for t in data.transport],
        prior_months=data.prior_months,
        wage=m.income_base,
        months_contributed=months_contributed,
        total=result.total,
        rule_version=result.rule_version,
        refusals=[r.as_dict() for r in result.refusals],
        sources=[meta.as_dict() | {"table": meta.table} for meta in result.versions.values()],
        village_id=m.village_id,
        province_code=m.province_code,
        regency_code=m.regency_code,
        district_code=m.district_code,
        created_by=actor,
    )
    ClaimItem.objects.bulk_create(
        ClaimItem(
            claim=claim,
            position=i,
            code=item.code,
            name=item.name,
            name_en=item.name_en,
            amount=item.amount,
            formula=item.formula,
            regulation=item.regulation,
            schedule=item.as_dict().get("schedule", []),
        )
        for i, item in enumerate(result.items)
    )
    ClaimChild.objects.bulk_create(
        ClaimChild(
            claim=claim,
            position=i,
            name=c.name.strip(),
            birth_date=c.birth_date,
            level=c.level,
            grade=c.grade,
            married=c.married,
            working=c.working,
        )
        for i, c in enumerate(data.children)
    )
    audit.record(
        actor=actor,
        action="claim.submitted",
        target=claim,
        region_code=claim.village_id,
        before=None,
        after={
            "status": claim.status,
            "kind": claim.kind,
            "event_date": claim.event_date.isoformat(),
            "membership": m.pk,
            "total": claim.total,
            "rule_version": claim.rule_version,
        },
    )
    _save_documents(claim, checked, actor)
    return claim


def _locked(actor: User, claim: Claim) -> Claim:
    c = Claim.objects.select_for_update().select_related("worker").get(pk=claim.pk)
    if not in_scope(actor, c.village_id):
        raise _out_of_scope()
    return c


@transaction.atomic
def add_documents(*, actor: User, claim: Claim, documents: Sequence) -> list[ClaimDocument]:
    workflow.check_may(actor, "register")
    c = _locked(actor, claim)
    if c.status in (ClaimStatus.PAID, ClaimStatus.REJECTED):
        raise Conflict(
            Problem(
                "claim_closed",
                "Klaim sudah selesai; dokumen tidak bisa ditambah.",
                "The claim is closed; no documents can be added.",
            )
        )
    checked = uploads.check(documents)
    if not checked:
        raise ValidationFailed(
            Problem("required", "Pilih berkas.", "Choose a file.", field="documents")
        )
    before = c.documents.count()
    _save_documents(c, checked, actor)
    audit.record(
        actor=actor,
        action="claim.documents",
        target=c,
        region_code=c.village_id,
        before={"documents": before},
        after={"documents": before + len(checked), "added": [x.original_name for x in checked]},
    )
    return list(c.documents.order_by("-id")[: len(checked)])


def _record_death(actor: User, claim: Claim) -> None:
    """The worker died on the event date: mark them and end every live membership."""
    worker = Worker.objects.select_for_update().get(pk=claim.worker_id)
    if worker.died_on is None:
        worker.died_on = claim.event_date
        worker.save(update_fields=["died_on", "updated_at"])
        audit.record(
            actor=actor,
            action="worker.died",
            target=worker,
            region_code=worker.village_id,
            before={"died_on": None},
            after={"died_on": claim.event_date.isoformat()},
            reason=f"claim {claim.pk}",
        )
    live = Membership.objects.filter(
        worker_id=worker.pk, status__in=sources_of(MembershipStatus.ENDED)
    )
    if live.exists():
        enrolment.end(
            actor=actor,
            memberships=live,
            end_reason=EndReason.DEATH,
            note=f"meninggal {claim.event_date.isoformat()} (klaim {claim.pk})",
        )


def _problem_if(condition: bool, field: str, message_id: str, message_en: str) -> list[Problem]:
    return [Problem("required", message_id, message_en, field=field)] if condition else []


@transaction.atomic
def transition(
    *,
    actor: User,
    claim: Claim,
    action: str,
    reason: str = "",
    paid_on: dt.date | None = None,
    reference: str = "",
) -> Claim:
    """Moves the claim one step (verify, approve, pay, reject); refused when it may not."""
    if action not in workflow.TRANSITIONS:
        raise ValidationFailed(
            Problem(
                "action_unknown",
                f"Tindakan tidak dikenal; yang sah: {', '.join(workflow.ACTIONS)}.",
                f"Unknown action; choose from {', '.join(workflow.ACTIONS)}.",
                field="action",
            )
        )
    workflow.check_may(actor, action)
    c = _locked(actor, claim)
    target = workflow.target_of(action, c.status)
    reason, reference = reason.strip(), reference.strip()
    problems = []
    if action == "reject":
        problems += _problem_if(
            not reason, "reason", "Alasan penolakan wajib diisi.", "Give the reason for rejecting."
        )
    if action == "pay":
        problems += _problem_if(
            paid_on is None, "paid_on", "Tanggal bayar wajib diisi.", "Give the payment date."
        )
        problems += _problem_if(
            not reference,
            "reference",
            "Nomor referensi pembayaran wajib diisi.",
            "Give the payment reference.",
        )
        if paid_on and paid_on > timezone.localdate():
            problems.append(
                Problem(
                    "date_in_future",
                    "Tanggal bayar tidak boleh di masa depan.",
                    "The payment date cannot be in the future.",
                    field="paid_on",
                )
            )
    if problems:
        raise ValidationFailed(*problems)
    before = {"status": c.status}
    after: dict[str, object] = {"status": target}
    c.status, c.status_changed_at = target, timezone.now()
    if action == "reject":
        c.rejection_reason = reason
    if action == "pay":
        c.paid_on, c.payment_reference = paid_on, reference
        after |= {"paid_on": paid_on.isoformat(), "reference": reference, "total": c.total}
    c.save()
    if action == "verify" and c.kind in DEATH_KINDS:
        _record_death(actor, c)
    audit.record(
        actor=actor,
        action=f"claim.{target}",
        target=c,
        region_code=c.village_id,
        before=before,
        after=after,
        reason=reason,
    )
    return c
