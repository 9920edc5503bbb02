"""Writes to claims: register (with the computed entitlements), add documents, move through
the workflow. Each function is one transaction and leaves an audit event; a refusal changes
nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import in_scope
from jaring.claims import cover, entitlements, uploads, workflow
from jaring.claims.entitlements import ClaimInput
from jaring.claims.errors import ClaimError
from jaring.claims.models import (
    DEATH_KINDS,
    OPEN_YEARS,
    Claim,
    ClaimChild,
    ClaimDocument,
    ClaimHeir,
    ClaimItem,
    ClaimKind,
    ClaimPayment,
    ClaimStatus,
    Disability,
    ReferenceKind,
    ScholarshipYear,
    YearStatus,
)
from jaring.claims.permissions import CLAIMS
from jaring.contributions.rate_tables import current_tables
from jaring.core import events
from jaring.core.errors import (
    Conflict,
    CoreError,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from jaring.core.uploads import save_all
from jaring.enrolment import services as enrolment
from jaring.enrolment.lifecycle import sources_of
from jaring.enrolment.models import EndReason, Membership, MembershipStatus
from jaring.registry.models import Worker
from jaring.rules import benefits, inputs
from jaring.rules.errors import ErrorCode, RuleError


def _out_of_scope() -> PermissionDenied:
    return PermissionDenied(
        Problem(
            CoreError.OUT_OF_SCOPE,
            "Data ini di luar wilayah kerja Anda.",
            "This record is outside your region.",
        )
    )


def _check_fields(data: ClaimInput, today: dt.date) -> dt.date:
    """The claim date; ValidationFailed with every field problem at once."""
    problems = []

    def bad(
        field: str, message_id: str, message_en: str, code: ErrorCode = CoreError.INVALID
    ) -> None:
        problems.append(Problem(code, message_id, message_en, field=field))

    if data.kind not in ClaimKind.values:
        bad(
            "kind",
            f"Jenis klaim tidak dikenal; yang sah: {', '.join(ClaimKind.values)}.",
            f"Unknown claim kind; choose from {', '.join(ClaimKind.values)}.",
        )
    if not data.description.strip():
        bad(
            "description", "Uraian kejadian wajib diisi.", "Describe the event.", CoreError.REQUIRED
        )
    claimed_on = data.claimed_on or today
    if data.event_date > today:
        bad(
            "event_date",
            "Tanggal kejadian tidak boleh di masa depan.",
            "The event date cannot be in the future.",
            CoreError.DATE_FUTURE,
        )
    if claimed_on > today:
        bad(
            "claimed_on",
            "Tanggal klaim tidak boleh di masa depan.",
            "The claim date cannot be in the future.",
            CoreError.DATE_FUTURE,
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
                CoreError.DATE_FUTURE,
            )
    problems += _heir_problems(data)
    if problems:
        raise ValidationFailed(*problems)
    return claimed_on


def _heir_problems(data: ClaimInput) -> list[Problem]:
    """Heirs only for a death; each with a name, a relation and a share; shares sum to 100 %."""
    if not data.heirs:
        return []
    if data.kind not in DEATH_KINDS:
        return [
            Problem(
                ClaimError.HEIRS_NOT_FOR_KIND,
                "Ahli waris hanya untuk klaim kematian; manfaat lain dibayar kepada peserta.",
                "Heirs are named only on a death claim; other benefits are paid to the member.",
                field="heirs",
            )
        ]
    problems = []
    for i, heir in enumerate(data.heirs):
        if not heir.name.strip():
            problems.append(
                Problem(
                    CoreError.REQUIRED,
                    f"Ahli waris {i + 1}: nama wajib diisi.",
                    f"Heir {i + 1}: the name is required.",
                    field=f"heirs.{i}.name",
                )
            )
        if not heir.relation.strip():
            problems.append(
                Problem(
                    CoreError.REQUIRED,
                    f"Ahli waris {i + 1}: hubungan dengan peserta wajib diisi.",
                    f"Heir {i + 1}: the relation to the member is required.",
                    field=f"heirs.{i}.relation",
                )
            )
        if not 0 < heir.share <= 100 or heir.share != heir.share.quantize(Decimal("0.01")):
            problems.append(
                Problem(
                    ClaimError.HEIR_SHARE_RANGE,
                    f"Ahli waris {i + 1}: bagian {heir.share} % harus lebih dari 0 dan paling "
                    "besar 100, dengan paling banyak dua angka desimal.",
                    f"Heir {i + 1}: the share {heir.share} % must be more than 0 and at most 100, "
                    "with at most two decimals.",
                    field=f"heirs.{i}.share",
                )
            )
    total = sum((h.share for h in data.heirs), Decimal(0))
    if not problems and total != 100:
        problems.append(
            Problem(
                ClaimError.HEIR_SHARES_TOTAL,
                f"Jumlah bagian ahli waris {total} %, harus tepat 100 %.",
                f"The heirs' shares add up to {total} %; they must be exactly 100 %.",
                field="heirs",
                params={"total": str(total)},
            )
        )
    return problems


def _check_worker(m: Membership, data: ClaimInput, claim: Claim | None = None) -> None:
    """The event is not after the worker's death, and a worker has one death claim.

    `claim`: the claim being corrected (its own recorded death does not count against it).
    """
    worker = m.worker
    own_death = (
        claim is not None and claim.kind in DEATH_KINDS and worker.died_on == (claim.event_date)
    )
    if worker.died_on and data.event_date > worker.died_on and not own_death:
        raise ValidationFailed(
            Problem(
                ClaimError.AFTER_DEATH,
                f"Tanggal kejadian sesudah tanggal meninggal pekerja ({worker.died_on:%d-%m-%Y}).",
                f"The event date is after the worker's death ({worker.died_on.isoformat()}).",
                field="event_date",
            )
        )
    if data.kind in DEATH_KINDS:
        earlier = (
            Claim.objects.filter(worker=worker, kind__in=DEATH_KINDS)
            .exclude(status=ClaimStatus.REJECTED)
            .exclude(pk=claim.pk if claim else None)
            .first()
        )
        if earlier:
            raise Conflict(
                Problem(
                    ClaimError.DEATH_CLAIM_EXISTS,
                    f"Klaim kematian pekerja ini sudah terdaftar (klaim {earlier.pk}).",
                    f"A death claim for this worker is already registered (claim {earlier.pk}).",
                    field="kind",
                    params={"claim_id": earlier.pk},
                )
            )


def _save_documents(claim: Claim, checked: Sequence[uploads.Checked], actor: User) -> None:
    save_all(checked, functools.partial(ClaimDocument, claim=claim, uploaded_by=actor))


def _entitlements(
    m: Membership, data: ClaimInput, claimed_on: dt.date
) -> tuple[int, entitlements.Entitlement]:
    """Cover on the event date checked, then (months contributed, every entitlement)."""
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
    return months_contributed, result


def _set_facts(
    claim: Claim,
    data: ClaimInput,
    claimed_on: dt.date,
    wage: int,
    months_contributed: int,
    result: entitlements.Entitlement,
) -> None:
    """What the officer recorded and what the rules computed from it, on the claim row."""
    claim.kind = data.kind
    claim.event_date = data.event_date
    claim.claimed_on = claimed_on
    claim.description = data.description.strip()
    claim.claimant_name = data.claimant_name.strip()
    claim.claimant_relation = data.claimant_relation.strip()
    claim.medical_care = data.medical_care or data.medical_cost is not None
    claim.medical_cost = data.medical_cost
    claim.months_incapacity = data.months_incapacity
    claim.disability = data.disability
    claim.disability_percent = data.disability_percent
    claim.body_part = data.body_part
    claim.function_lost_percent = data.function_lost_percent
    claim.home_care_cost = data.home_care_cost
    claim.transport = [{"mode": t.mode, "cost": t.cost} for t in data.transport]
    claim.prior_months = data.prior_months
    claim.wage = wage
    claim.months_contributed = months_contributed
    claim.total = result.total
    claim.rule_version = result.rule_version
    claim.refusals = [r.as_dict() for r in result.refusals]
    claim.sources = [meta.as_dict() | {"table": meta.table} for meta in result.versions.values()]


def _write_rows(claim: Claim, data: ClaimInput, result: entitlements.Entitlement) -> None:
    """The claim's entitlement items and children, replacing any it had."""
    claim.items.all().delete()
    claim.children.all().delete()  # and their scholarship years
    claim.heirs.all().delete()
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
            payee=item.payee,
        )
        for i, item in enumerate(result.items)
    )
    children = ClaimChild.objects.bulk_create(
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
    if any(c.pk is None for c in children):  # backends that do not return keys
        children = list(claim.children.order_by("position"))
    ClaimHeir.objects.bulk_create(
        ClaimHeir(
            claim=claim, position=i, name=h.name.strip(), relation=h.relation.strip(), share=h.share
        )
        for i, h in enumerate(data.heirs)
    )
    first = None
    years = []
    for item in result.items:
        if not item.schedule:
            continue
        child = children[item.child_number - 1]
        first = (
            first
            if first is not None
            else benefits.school_year_of(
                claim.event_date, current_tables().scholarship.in_force(claim.event_date)
            )
        )
        for year, level, amount in item.schedule:
            # The claim is the first year's claim when the child is in school: its documents
            # are the proof of enrolment.
            claimed = year == first and bool(child.level)
            years.append(
                ScholarshipYear(
                    claim=claim,
                    child=child,
                    school_year=year,
                    level=level,
                    amount=amount,
                    status=YearStatus.CLAIMED if claimed else YearStatus.EXPECTED,
                    proof=f"klaim {claim.pk}" if claimed else "",
                    claimed_on=claim.claimed_on if claimed else None,
                )
            )
    ScholarshipYear.objects.bulk_create(years)


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
    CLAIMS.check(actor, "register")
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
    months_contributed, result = _entitlements(m, data, claimed_on)
    claim = Claim(
        membership=m,
        worker_id=m.worker_id,
        programme_id=m.programme_id,
        village_id=m.village_id,
        province_code=m.province_code,
        regency_code=m.regency_code,
        district_code=m.district_code,
        created_by=actor,
    )
    _set_facts(claim, data, claimed_on, m.income_base, months_contributed, result)
    claim.save()
    _write_rows(claim, data, result)
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


def input_of(claim: Claim) -> ClaimInput:
    """What was recorded on the claim, as the input a correction starts from."""
    return entitlements.claim_input(
        claim,
        transport=(entitlements.Transport(t["mode"], t["cost"]) for t in claim.transport),
        children=(
            entitlements.ChildInput(
                name=c.name,
                birth_date=c.birth_date,
                level=c.level,
                grade=c.grade,
                married=c.married,
                working=c.working,
            )
            for c in claim.children.order_by("position")
        ),
        heirs=(
            entitlements.HeirInput(h.name, h.relation, h.share)
            for h in claim.heirs.order_by("position")
        ),
    )


def _facts(claim: Claim) -> dict[str, object]:
    """The corrected facts and their results as the audit trail keeps them."""
    data = input_of(claim)
    return {
        "kind": claim.kind,
        "event_date": claim.event_date.isoformat(),
        "claimed_on": claim.claimed_on.isoformat(),
        "description": claim.description,
        "claimant": f"{claim.claimant_name} ({claim.claimant_relation})",
        "medical": [claim.medical_care, claim.medical_cost],
        "months_incapacity": claim.months_incapacity,
        "disability": [claim.disability, claim.disability_percent, claim.body_part],
        "function_lost_percent": claim.function_lost_percent,
        "home_care_cost": claim.home_care_cost,
        "transport": claim.transport,
        "children": [
            f"{c.name} {c.birth_date.isoformat()} {c.level or '-'}/{c.grade}"
            f"{' menikah' if c.married else ''}{' bekerja' if c.working else ''}"
            for c in data.children
        ],
        "prior_months": claim.prior_months,
        "heirs": [f"{h.name} ({h.relation}) {h.share} %" for h in data.heirs],
        "months_contributed": claim.months_contributed,
        "total": claim.total,
        "rule_version": claim.rule_version,
        "status": claim.status,
    }


def _not_editable(c: Claim) -> Conflict:
    return Conflict(
        Problem(
            ClaimError.CLAIM_NOT_EDITABLE,
            f"Klaim berstatus '{workflow.STATUS_ID[c.status]}' tidak bisa dikoreksi lagi; "
            "koreksi hanya selama klaim diajukan atau diverifikasi (sebelum disetujui).",
            f"A claim in status '{c.status}' can no longer be corrected; corrections are "
            "possible only while it is submitted or verified (before approval).",
            field="status",
            params={"status": c.status},
        )
    )


def _move_death(actor: User, c: Claim, old_event: dt.date) -> None:
    """A verified death claim recorded the death on its event date: follow the correction."""
    worker = Worker.objects.select_for_update().get(pk=c.worker_id)
    if worker.died_on != old_event or c.event_date == old_event:
        return
    _set_died_on(actor, worker, c.event_date, reason=f"claim {c.pk} corrected")


def _set_died_on(actor: User, worker: Worker, day: dt.date, *, reason: str) -> None:
    before = worker.died_on
    worker.died_on = day
    worker.save(update_fields=["died_on", "updated_at"])
    audit.record(
        actor=actor,
        action="worker.died",
        target=worker,
        region_code=worker.village_id,
        before={"died_on": before.isoformat() if before else None},
        after={"died_on": day.isoformat()},
        reason=reason,
    )


@transaction.atomic
def correct_claim(
    *,
    actor: User,
    claim: Claim,
    data: ClaimInput,
    reason: str,
    documents: Sequence = (),
    remove_documents: Sequence[int] = (),
    today: dt.date | None = None,
) -> Claim:
    """Corrects what was recorded (event date, description, heirs and children, JKK facts,
    documents) before approval, and computes every entitlement again from the corrected facts.

    A verified claim goes back to submitted: the city verifies the corrected facts. Its kind is
    fixed once verified (a verified death is recorded on the worker). Audited with the facts
    before and after; a refusal changes nothing.
    """
    CLAIMS.check(actor, "register")
    today = today or timezone.localdate()
    c = _locked(actor, claim)
    if c.status not in workflow.EDITABLE:
        raise _not_editable(c)
    problems = []
    if not reason.strip():
        problems.append(
            Problem(
                CoreError.REQUIRED,
                "Alasan koreksi wajib diisi.",
                "Give the reason for the correction.",
                field="reason",
            )
        )
    if c.status == ClaimStatus.VERIFIED and data.kind != c.kind:
        problems.append(
            Problem(
                ClaimError.KIND_FIXED,
                "Jenis klaim tidak bisa diubah setelah diverifikasi; tolak klaim ini dan "
                "daftarkan klaim yang benar.",
                "The kind of a verified claim cannot change; reject this claim and register "
                "the right one.",
                field="kind",
            )
        )
    owned = set(c.documents.values_list("pk", flat=True))
    strangers = sorted(set(remove_documents) - owned)
    if strangers:
        problems.append(
            Problem(
                ClaimError.DOCUMENT_UNKNOWN,
                f"Dokumen {', '.join(map(str, strangers))} bukan milik klaim ini.",
                f"Document(s) {', '.join(map(str, strangers))} do not belong to this claim.",
                field="remove_documents",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    claimed_on = _check_fields(data, today)
    checked = uploads.check(documents)
    m = Membership.objects.select_for_update().select_related("worker").get(pk=c.membership_id)
    _check_worker(m, data, c)
    months_contributed, result = _entitlements(m, data, claimed_on)
    before, old_event, old_status = _facts(c), c.event_date, c.status
    _set_facts(c, data, claimed_on, m.income_base, months_contributed, result)
    if old_status == ClaimStatus.VERIFIED:
        c.status, c.status_changed_at = ClaimStatus.SUBMITTED, timezone.now()
        if c.kind in DEATH_KINDS:
            _move_death(actor, c, old_event)
    c.save()
    if c.status != old_status:
        events.claim_status_changed.send(sender="claims", claim=c)
    _write_rows(c, data, result)
    removed = list(c.documents.filter(pk__in=remove_documents))
    for doc in removed:
        name, storage = doc.file.name, doc.file.storage
        doc.delete()
        # The file goes only once the rows are gone for good.
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    _save_documents(c, checked, actor)
    after = _facts(c)
    changed = [k for k in after if before[k] != after[k]]
    audit.record(
        actor=actor,
        action="claim.corrected",
        target=c,
        region_code=c.village_id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed}
        | {
            "documents_added": [x.original_name for x in checked],
            "documents_removed": [d.original_name for d in removed],
        },
        reason=reason.strip(),
    )
    return c


def _locked(actor: User, claim: Claim) -> Claim:
    c = Claim.objects.select_for_update().select_related("worker").get(pk=claim.pk)
    if not in_scope(actor, c.village_id):
        raise _out_of_scope()
    return c


@transaction.atomic
def add_documents(*, actor: User, claim: Claim, documents: Sequence) -> list[ClaimDocument]:
    CLAIMS.check(actor, "register")
    c = _locked(actor, claim)
    if c.status in (ClaimStatus.PAID, ClaimStatus.REJECTED):
        raise Conflict(
            Problem(
                ClaimError.CLAIM_CLOSED,
                "Klaim sudah selesai; dokumen tidak bisa ditambah.",
                "The claim is closed; no documents can be added.",
            )
        )
    checked = uploads.check(documents)
    if not checked:
        raise ValidationFailed(
            Problem(CoreError.REQUIRED, "Pilih berkas.", "Choose a file.", field="documents")
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
        _set_died_on(actor, worker, claim.event_date, reason=f"claim {claim.pk}")
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
    return [Problem(CoreError.REQUIRED, message_id, message_en, field=field)] if condition else []


@transaction.atomic
def transition(
    *,
    actor: User,
    claim: Claim,
    action: str,
    reason: str = "",
    paid_on: dt.date | None = None,
    reference: str = "",
    reference_kind: str = ReferenceKind.TRANSFER,
    amount: int | None = None,
) -> Claim:
    """Moves the claim one step (verify, approve, pay, reject); refused when it may not.

    `pay` records a payment of the lump sums (every entitlement but the scholarships, which are
    paid year by year): its date, reference (SP2D or transfer) and amount (default: what is
    still due). The claim is paid once they are paid in full; a part leaves it approved."""
    if action not in workflow.TRANSITIONS:
        raise ValidationFailed(
            Problem(
                ClaimError.ACTION_UNKNOWN,
                f"Tindakan tidak dikenal; yang sah: {', '.join(workflow.ACTIONS)}.",
                f"Unknown action; choose from {', '.join(workflow.ACTIONS)}.",
                field="action",
            )
        )
    CLAIMS.check(actor, action)
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
        problems += _payment_problems(paid_on, reference_kind)
        due = lump_sum_due(c)
        amount = due if amount is None else amount
        if amount > due or amount < 0 or (amount == 0 and due > 0):
            problems.append(_amount_problem(amount, due))
    if problems:
        raise ValidationFailed(*problems)
    before = {"status": c.status}
    after: dict[str, object] = {"status": target}
    if action == "pay" and amount < due:
        target = c.status  # a part of the lump sums: still approved
        after["status"] = target
    c.status, c.status_changed_at = target, timezone.now()
    if action == "reject":
        c.rejection_reason = reason
    if action == "pay":
        c.paid_on, c.payment_reference = paid_on, reference
        if amount:
            ClaimPayment.objects.create(
                claim=c,
                paid_on=paid_on,
                reference_kind=reference_kind,
                reference=reference,
                amount=amount,
                recorded_by=actor,
            )
        after |= {
            "paid_on": paid_on.isoformat(),
            "reference": f"{reference_kind}: {reference}",
            "amount": amount,
            "due_after": due - amount,
        }
    c.save()
    if action == "verify" and c.kind in DEATH_KINDS:
        _record_death(actor, c)
    audit.record(
        actor=actor,
        # A part of the lump sums leaves the claim approved: a payment, not a step.
        action="claim.payment" if action == "pay" and target != S_PAID else f"claim.{target}",
        target=c,
        region_code=c.village_id,
        before=before,
        after=after,
        reason=reason,
    )
    if target != before["status"]:
        events.claim_status_changed.send(sender="claims", claim=c)
    return c


S_PAID = ClaimStatus.PAID


def lump_sum_due(claim: Claim) -> int:
    """What is still to pay of the claim's lump sums (all but the scholarships' years)."""
    lump = sum(i.amount for i in claim.items.all() if i.code != "scholarship")
    paid = sum(p.amount for p in claim.payments.all() if p.scholarship_year_id is None)
    return lump - paid


def _payment_problems(paid_on: dt.date | None, reference_kind: str) -> list[Problem]:
    problems = []
    if paid_on and paid_on > timezone.localdate():
        problems.append(
            Problem(
                CoreError.DATE_FUTURE,
                "Tanggal bayar tidak boleh di masa depan.",
                "The payment date cannot be in the future.",
                field="paid_on",
            )
        )
    if reference_kind not in ReferenceKind.values:
        kinds = ", ".join(ReferenceKind.values)
        problems.append(
            Problem(
                CoreError.INVALID,
                f"Jenis referensi tidak dikenal; yang sah: {kinds}.",
                f"Unknown reference kind; choose from {kinds}.",
                field="reference_kind",
            )
        )
    return problems


def _amount_problem(amount: int, due: int) -> Problem:
    return Problem(
        ClaimError.PAYMENT_EXCEEDS_DUE,
        f"Jumlah bayar Rp{amount:,} tidak sah: sisa santunan yang harus dibayar Rp{due:,} "
        "(lebih dari 0 dan paling banyak sisa itu).".replace(",", "."),
        f"The amount Rp{amount:,} is not valid: Rp{due:,} of the lump sums is still due (more "
        "than 0 and at most that).",
        field="amount",
        params={"amount": amount, "due": due},
    )


# --- scholarships, year by year ---------------------------------------------------------------


def _year_problem(code: ErrorCode, message_id: str, message_en: str, **params) -> Problem:
    return Problem(code, message_id, message_en, field="school_year", params=params)


@transaction.atomic
def claim_school_year(
    *,
    actor: User,
    claim: Claim,
    child_id: int,
    school_year: str,
    proof: str,
    level: str = "",
    today: dt.date | None = None,
) -> ScholarshipYear:
    """Claims one school year of a child's scholarship, with the proof that the child is in
    school (the school's letter). Refused: a year claimed twice, a year after the child turned
    23, a year outside the child's schedule, a stopped scholarship; nothing is written then."""
    CLAIMS.check(actor, "register")
    today = today or timezone.localdate()
    c = _locked(actor, claim)
    child = c.children.filter(pk=child_id).first()
    if child is None:
        raise NotFound(
            Problem(
                ClaimError.CHILD_UNKNOWN,
                f"Anak {child_id} tidak tercatat pada klaim {c.pk}.",
                f"Child {child_id} is not on claim {c.pk}.",
                field="child",
            )
        )
    problems = []
    if c.status == ClaimStatus.REJECTED:
        raise Conflict(
            Problem(
                ClaimError.CLAIM_CLOSED,
                "Klaim ditolak; beasiswanya tidak bisa diklaim.",
                "The claim was rejected; its scholarships cannot be claimed.",
            )
        )
    if not proof.strip():
        problems.append(
            Problem(
                CoreError.REQUIRED,
                "Bukti anak masih bersekolah (surat keterangan sekolah) wajib diisi.",
                "Give the proof that the child is in school (the school's letter).",
                field="proof",
            )
        )
    tables = current_tables()
    table = tables.scholarship.in_force(c.event_date)
    try:
        year = benefits.parse_school_year(school_year)
        benefits.check_school_year(
            table, birth_date=child.birth_date, year=year, event=c.event_date, child=child.name
        )
        if level:
            inputs.choice("level", level, table.level_codes)
    except RuleError as err:
        raise entitlements.rule_refused(err) from None
    row = ScholarshipYear.objects.select_for_update().filter(child=child, school_year=year).first()
    label = benefits.school_year_label(year)
    if row is None:
        problems.append(
            _year_problem(
                ClaimError.SCHOOL_YEAR_NOT_SCHEDULED,
                f"Tahun ajaran {label} tidak ada dalam jadwal beasiswa anak {child.name} (sebelum "
                "kejadian, atau sesudah tahun-tahun jenjangnya habis).",
                f"School year {label} is not in {child.name}'s scholarship schedule (before the "
                "event, or after the levels' years are used up).",
                school_year=label,
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    if row.status == YearStatus.STOPPED:
        raise Conflict(
            _year_problem(
                ClaimError.SCHOOL_YEAR_STOPPED,
                f"Beasiswa anak {child.name} dihentikan untuk {label}: {row.stop_reason}.",
                f"{child.name}'s scholarship was stopped for {label}: {row.stop_reason}.",
                school_year=label,
            )
        )
    if row.status != YearStatus.EXPECTED:
        raise Conflict(
            _year_problem(
                ClaimError.SCHOOL_YEAR_CLAIMED_TWICE,
                f"Tahun ajaran {label} anak {child.name} sudah diklaim ({row.claimed_on}).",
                f"School year {label} of {child.name} is already claimed ({row.claimed_on}).",
                school_year=label,
            )
        )
    before = {"status": row.status, "level": row.level, "amount": row.amount}
    if level and level != row.level:
        index = table.index_of(level)
        row.level, row.amount = level, table.levels[index].per_year
    row.status, row.proof, row.claimed_on = YearStatus.CLAIMED, proof.strip(), today
    row.save()
    _year_audit(actor, c, row, "claim.scholarship_claimed", before, {"proof": row.proof})
    return row


def _year_audit(actor, c: Claim, row: ScholarshipYear, action: str, before, extra) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=c,
        region_code=c.village_id,
        before=before,
        after={
            "child": row.child.name,
            "school_year": row.label,
            "status": row.status,
            "level": row.level,
            "amount": row.amount,
        }
        | extra,
    )


def _year_locked(actor: User, claim: Claim, year_id: int) -> tuple[Claim, ScholarshipYear]:
    c = _locked(actor, claim)
    row = (
        ScholarshipYear.objects.select_for_update()
        .select_related("child")
        .filter(pk=year_id, claim=c)
        .first()
    )
    if row is None:
        raise NotFound(
            Problem(
                CoreError.NOT_FOUND,
                "Tahun beasiswa tidak ditemukan pada klaim ini.",
                "Scholarship year not found on this claim.",
                field="year",
            )
        )
    return c, row


def _year_status(row: ScholarshipYear, needed: str, action_id: str, action_en: str) -> None:
    if row.status != needed:
        raise Conflict(
            _year_problem(
                ClaimError.SCHOOL_YEAR_STATUS,
                f"Tahun ajaran {row.label} anak {row.child.name} berstatus "
                f"'{row.get_status_display()}'; hanya yang berstatus '{needed}' bisa {action_id}.",
                f"School year {row.label} of {row.child.name} is '{row.status}'; only a "
                f"'{needed}' year can be {action_en}.",
                school_year=row.label,
                status=row.status,
            )
        )


@transaction.atomic
def approve_school_year(*, actor: User, claim: Claim, year_id: int) -> ScholarshipYear:
    """BPJS approves one claimed school year; the claim itself must be approved first."""
    CLAIMS.check(actor, "approve")
    c, row = _year_locked(actor, claim, year_id)
    if c.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID):
        raise Conflict(
            Problem(
                ClaimError.CLAIM_NOT_APPROVED,
                "Klaim belum disetujui; setujui klaimnya dulu, lalu tahun beasiswanya.",
                "The claim is not approved yet; approve the claim first, then its school years.",
                field="status",
            )
        )
    _year_status(row, YearStatus.CLAIMED, "disetujui", "approved")
    row.status = YearStatus.APPROVED
    row.save(update_fields=["status"])
    _year_audit(actor, c, row, "claim.scholarship_approved", {"status": "claimed"}, {})
    return row


@transaction.atomic
def pay_school_year(
    *,
    actor: User,
    claim: Claim,
    year_id: int,
    paid_on: dt.date | None,
    reference: str,
    reference_kind: str = ReferenceKind.TRANSFER,
) -> ClaimPayment:
    """Records the payment of one approved school year: its amount, date and reference."""
    CLAIMS.check(actor, "pay")
    c, row = _year_locked(actor, claim, year_id)
    _year_status(row, YearStatus.APPROVED, "dibayar", "paid")
    problems = _problem_if(
        paid_on is None, "paid_on", "Tanggal bayar wajib diisi.", "Give the payment date."
    )
    problems += _problem_if(
        not reference.strip(),
        "reference",
        "Nomor referensi pembayaran wajib diisi.",
        "Give the payment reference.",
    )
    problems += _payment_problems(paid_on, reference_kind)
    if problems:
        raise ValidationFailed(*problems)
    payment = ClaimPayment.objects.create(
        claim=c,
        scholarship_year=row,
        paid_on=paid_on,
        reference_kind=reference_kind,
        reference=reference.strip(),
        amount=row.amount,
        recorded_by=actor,
    )
    row.status = YearStatus.PAID
    row.save(update_fields=["status"])
    _year_audit(
        actor,
        c,
        row,
        "claim.scholarship_paid",
        {"status": "approved"},
        {"paid_on": paid_on.isoformat(), "reference": f"{reference_kind}: {reference.strip()}"},
    )
    return payment


@transaction.atomic
def stop_scholarship(
    *, actor: User, claim: Claim, child_id: int, school_year: str, reason: str
) -> int:
    """Stops a child's scholarship from `school_year` on (the child left school, married,
    works): every year from it still owed is stopped. Returns how many years stopped."""
    CLAIMS.check(actor, "register")
    c = _locked(actor, claim)
    child = c.children.filter(pk=child_id).first()
    if child is None:
        raise NotFound(
            Problem(
                ClaimError.CHILD_UNKNOWN,
                f"Anak {child_id} tidak tercatat pada klaim {c.pk}.",
                f"Child {child_id} is not on claim {c.pk}.",
                field="child",
            )
        )
    try:
        year = benefits.parse_school_year(school_year)
    except RuleError as err:
        raise entitlements.rule_refused(err) from None
    if not reason.strip():
        raise ValidationFailed(
            Problem(
                CoreError.REQUIRED,
                "Alasan penghentian wajib diisi (keluar sekolah, menikah, bekerja).",
                "Give the reason for stopping (left school, married, works).",
                field="reason",
            )
        )
    rows = ScholarshipYear.objects.filter(child=child, school_year__gte=year, status__in=OPEN_YEARS)
    n = rows.update(status=YearStatus.STOPPED, stop_reason=reason.strip())
    audit.record(
        actor=actor,
        action="claim.scholarship_stopped",
        target=c,
        region_code=c.village_id,
        before=None,
        after={"child": child.name, "from": benefits.school_year_label(year), "years": n},
        reason=reason.strip(),
    )
    return n
