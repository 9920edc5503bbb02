"""Writes of employer compliance: cases and their steps, closing, reports from the public.

Every function checks the actor's role (permissions.COMPLIANCE) and region (accounts.scope),
runs in one transaction and is audited. A case closed with workers or wages brought in tells
the areas above (`core.events.employers_registered`), so the wage-earner segment of coverage
moves without coverage being imported here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.scope import Actor, as_user, in_scope
from jaring.compliance import matching, numbering
from jaring.compliance.errors import ComplianceError
from jaring.compliance.findings import Figures, assess, city_umk
from jaring.compliance.ladder import STEP_ID, next_steps
from jaring.compliance.models import (
    Case,
    CaseStatus,
    CaseStep,
    CloseReason,
    Employer,
    EmployerLink,
    EmployerList,
    Lead,
    LeadKind,
    LeadStatus,
    SourceEntry,
    SourceKind,
    Step,
    StepEvidence,
)
from jaring.compliance.names import name_key
from jaring.compliance.permissions import COMPLIANCE
from jaring.core import events, uploads
from jaring.core.errors import (
    Conflict,
    CoreError,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from jaring.core.rule_tables import current_tables
from jaring.regions.models import Level, Region
from jaring.rules.compliance import default_compliance_tables
from jaring.rules.errors import RuleError


def _problem(code, text_id: str, text_en: str, field: str | None = None, **params) -> Problem:
    return Problem(code, text_id, text_en, field=field, params=params)


def _lead_for(actor: Actor, lead_id: int) -> Lead:
    lead = Lead.objects.select_related("employer").filter(pk=lead_id).first()
    if lead is None or not in_scope(actor, lead.region_code):
        raise NotFound(_problem(CoreError.NOT_FOUND, "Temuan tidak ada.", "No such lead."))
    return lead


def _case_for(actor: Actor, case_id: int) -> Case:
    case = (
        Case.objects.select_for_update().filter(pk=case_id).first()
        if transaction.get_connection().in_atomic_block
        else Case.objects.filter(pk=case_id).first()
    )
    if case is None or not in_scope(actor, case.region_code):
        raise NotFound(_problem(CoreError.NOT_FOUND, "Kasus tidak ada.", "No such case."))
    return case


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(
            _problem(
                CoreError.DATE_FUTURE,
                "Tanggal tidak boleh setelah hari ini.",
                "The date may not be after today.",
                field,
            )
        )


def _not_before_opening(case: Case, day: dt.date, field: str) -> None:
    if day < case.opened_on:
        raise ValidationFailed(
            _problem(
                CoreError.INVALID,
                f"Tanggal sebelum kasus dibuka ({case.opened_on:%d-%m-%Y}).",
                f"The date is before the case was opened ({case.opened_on}).",
                field,
            )
        )


@transaction.atomic
def open_case(*, actor: Actor, lead_id: int, on: dt.date, officer_name: str = "") -> Case:
    """A case for a lead: coaching for a micro business, the ladder for any other."""
    COMPLIANCE.check(actor, "act")
    lead = _lead_for(actor, lead_id)
    _not_future(on, "opened_on")
    if lead.status != LeadStatus.OPEN:
        raise Conflict(
            _problem(
                ComplianceError.LEAD_CLOSED,
                "Temuan ini sudah ditangani atau selesai.",
                "This lead is already being handled or resolved.",
                "lead",
            )
        )
    employer = lead.employer
    if Case.objects.filter(employer=employer, kind=lead.kind, status=CaseStatus.OPEN).exists():
        raise Conflict(
            _problem(
                ComplianceError.CASE_EXISTS,
                "Pemberi kerja ini sudah punya kasus terbuka untuk temuan jenis ini.",
                "This employer already has an open case of this kind.",
                "lead",
            )
        )
    case = Case.objects.create(
        employer=employer,
        lead=lead,
        kind=lead.kind,
        coaching=employer.size_class in ("", "micro"),
        opened_on=on,
        officer=as_user(actor),
        region_code=employer.region_code,
        regency_code=employer.regency_code,
    )
    lead.status = LeadStatus.IN_CASE
    lead.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="compliance.open_case",
        target=case,
        region_code=case.region_code,
        before=None,
        after={"lead": lead.pk, "kind": case.kind, "coaching": case.coaching},
    )
    return case


def _gap(case: Case) -> dict:
    return (case.lead.figures if case.lead else {}).get("gap") or {}


def owed_and_fine(case: Case, on: dt.date) -> dict:
    """What the employer should have paid since the case opened, and 0.1 % a month of it.

    The months run from the lead's finding to `on` (at least one); the gap (workers × wage on
    the programmes) is the lead's; the JKK risk class is the employer's, or class 1 (the least
    owed) when BPJS's list did not give it, said so in the figures.
    """
    gap = _gap(case)
    if not gap.get("wage") or not gap.get("workers"):
        raise ValidationFailed(
            _problem(
                ComplianceError.NO_WAGE_DATA,
                "Denda tidak bisa dihitung: tidak ada data upah atau jumlah pekerja untuk "
                "pemberi kerja ini. Lengkapi dari daftar BPJS atau sumber lain.",
                "The fine cannot be computed: there is no wage or worker figure for this "
                "employer. Add them from BPJS's list or another source.",
                "wage",
            )
        )
    found = case.lead.found_on if case.lead else case.opened_on
    months = max(1, (on.year - found.year) * 12 + on.month - found.month)
    tables = default_compliance_tables()
    risk = case.employer.risk_class or 1
    owed = tables.owed(
        wage=gap["wage"],
        workers=gap["workers"],
        months=months,
        risk_class=risk,
        programmes=tuple(gap.get("programmes") or ()),
        day=on,
    )
    fine = tables.fine(owed=owed.total, months=months, day=on)
    return {
        "owed": owed.as_dict(),
        "fine": fine.as_dict(),
        "risk_class_assumed": case.employer.risk_class is None,
    }


def _deadline(step: str, on: dt.date, follow_up: dt.date | None) -> dt.date | None:
    rule = default_compliance_tables()
    sanctions = rule.sanctions.in_force(on)
    if step == Step.COACHING:
        return follow_up
    if step in (Step.WARNING_1, Step.WARNING_2):
        return rule.add_working_days(
            on, sanctions.warning_working_days, tables=current_tables()
        ).date
    if step == Step.FINE:
        return on + dt.timedelta(days=sanctions.fine_due_days)
    return None


def _check_order(case: Case, step: str, on: dt.date) -> None:
    allowed = next_steps(case.coaching, case.step)
    if step not in allowed:
        raise Conflict(
            _problem(
                ComplianceError.STEP_OUT_OF_ORDER,
                f"Setelah {STEP_ID[case.step]} langkah berikutnya adalah "
                f"{' atau '.join(STEP_ID[s] for s in allowed) or '(tidak ada)'}, bukan "
                f"{STEP_ID.get(step, step)}.",
                f"After '{case.step or 'no step'}' the next step is "
                f"{' or '.join(allowed) or '(none)'}, not '{step}'.",
                "step",
                allowed=list(allowed),
            )
        )
    last = case.steps.order_by("-taken_on", "-pk").first()
    if last and on < last.taken_on:
        raise ValidationFailed(
            _problem(
                CoreError.INVALID,
                f"Tanggal langkah sebelum langkah terakhir ({last.taken_on:%d-%m-%Y}).",
                f"The step's date is before the last step ({last.taken_on}).",
                "taken_on",
            )
        )
    _not_before_opening(case, on, "taken_on")
    escalating = step != case.step
    if escalating and case.deadline and on <= case.deadline and case.step != Step.COACHING:
        raise Conflict(
            _problem(
                ComplianceError.STEP_TOO_EARLY,
                f"Pemberi kerja masih punya waktu sampai {case.deadline:%d-%m-%Y} untuk "
                f"{STEP_ID[case.step]}; {STEP_ID[step]} baru bisa setelah itu.",
                f"The employer has until {case.deadline} to answer the {case.step}; "
                f"the {step} may only follow after it.",
                "taken_on",
                deadline=case.deadline.isoformat(),
            )
        )
    if step == Step.FINE and case.deadline:
        sanctions = default_compliance_tables().sanctions.in_force(on)
        latest = case.deadline + dt.timedelta(days=sanctions.fine_due_days)
        if on > latest:
            raise Conflict(
                _problem(
                    ComplianceError.STEP_AFTER_DEADLINE,
                    f"Denda harus dikenakan paling lambat {sanctions.fine_due_days} hari setelah "
                    f"teguran kedua berakhir ({latest:%d-%m-%Y}); mulai lagi dari teguran.",
                    f"The fine must be imposed within {sanctions.fine_due_days} days after the "
                    f"second warning ran out ({latest}); start again from a warning.",
                    "taken_on",
                    latest=latest.isoformat(),
                )
            )


@dataclass
class StepInput:
    step: str
    taken_on: dt.date
    officer_name: str
    notes: str = ""
    evidence: str = ""
    follow_up: dt.date | None = None


@transaction.atomic
def take_step(*, actor: Actor, case_id: int, data: StepInput) -> CaseStep:
    COMPLIANCE.check(actor, "act")
    case = _case_for(actor, case_id)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(
            _problem(ComplianceError.CASE_CLOSED, "Kasus sudah ditutup.", "The case is closed.")
        )
    _not_future(data.taken_on, "taken_on")
    if not data.officer_name.strip():
        raise ValidationFailed(
            _problem(
                CoreError.REQUIRED,
                "Nama petugas wajib diisi (tercantum di surat).",
                "The officer's name is required (it is on the letter).",
                "officer_name",
            )
        )
    if data.step == Step.COACHING and (not data.follow_up or data.follow_up <= data.taken_on):
        raise ValidationFailed(
            _problem(
                CoreError.REQUIRED,
                "Kunjungan pembinaan perlu tanggal tindak lanjut setelah tanggal kunjungan.",
                "A coaching visit needs a follow-up date after the visit.",
                "follow_up",
            )
        )
    _check_order(case, data.step, data.taken_on)
    figures: dict = {"gap": _gap(case)}
    if data.step == Step.FINE:
        try:
            figures |= owed_and_fine(case, data.taken_on)
        except RuleError as err:
            raise ValidationFailed(
                Problem(err.code, err.message_id, err.message_en, field=err.field or "wage")
            ) from None
        case.fine = figures["fine"]["fine"]
    try:
        deadline = _deadline(data.step, data.taken_on, data.follow_up)
    except RuleError as err:
        raise ValidationFailed(
            Problem(err.code, err.message_id, err.message_en, field="taken_on")
        ) from None
    before = {"step": case.step, "deadline": case.deadline and case.deadline.isoformat()}
    letter: dict = {}
    if data.step != Step.COACHING:  # a visit has minutes, not a numbered letter
        year = data.taken_on.year
        seq = numbering.next_number(case.regency_code, year)
        letter = {
            "letter_number": numbering.render(case.regency_code, year, data.taken_on.month, seq),
            "letter_city": case.regency_code,
            "letter_year": year,
            "letter_seq": seq,
        }
    step = CaseStep.objects.create(
        case=case,
        step=data.step,
        taken_on=data.taken_on,
        deadline=deadline,
        **letter,
        officer=as_user(actor),
        officer_name=data.officer_name.strip()[:150],
        figures=figures,
        notes=data.notes,
        evidence=data.evidence,
    )
    case.step, case.deadline = data.step, deadline
    case.save(update_fields=["step", "deadline", "fine"])
    audit.record(
        actor=actor,
        action="compliance.take_step",
        target=case,
        region_code=case.region_code,
        before=before,
        after={
            "step": case.step,
            "deadline": deadline and deadline.isoformat(),
            "letter_number": step.letter_number,
        },
    )
    return step


@transaction.atomic
def add_evidence(*, actor: Actor, case_id: int, step_id: int, evidence: str) -> CaseStep:
    """Evidence of a step (a delivery receipt, the minutes of a visit), added later."""
    COMPLIANCE.check(actor, "act")
    case = _case_for(actor, case_id)
    step = case.steps.filter(pk=step_id).first()
    if step is None:
        raise NotFound(_problem(CoreError.NOT_FOUND, "Langkah tidak ada.", "No such step."))
    before = {"evidence": step.evidence}
    step.evidence = "\n".join(filter(None, [step.evidence, evidence.strip()]))
    step.save(update_fields=["evidence"])
    audit.record(
        actor=actor,
        action="compliance.add_evidence",
        target=case,
        region_code=case.region_code,
        before=before,
        after={"evidence": step.evidence},
    )
    return step


def evidence_max_bytes() -> int:
    return getattr(settings, "JARING_EVIDENCE_MAX_BYTES", uploads.DEFAULT_MAX_BYTES)


@transaction.atomic
def add_evidence_files(
    *, actor: Actor, case_id: int, step_id: int, files: Sequence
) -> list[StepEvidence]:
    """Files proving a step (PDF, JPEG or PNG by their content, each at most
    `evidence_max_bytes`): all kept or, when one is refused, none."""
    COMPLIANCE.check(actor, "act")
    case = _case_for(actor, case_id)
    step = case.steps.filter(pk=step_id).first()
    if step is None:
        raise NotFound(_problem(CoreError.NOT_FOUND, "Langkah tidak ada.", "No such step."))
    if not files:
        raise ValidationFailed(
            _problem(CoreError.REQUIRED, "Pilih berkas bukti.", "Choose a file.", "files")
        )
    checked = uploads.check(
        files,
        field="files",
        limit=evidence_max_bytes(),
        too_large=ComplianceError.EVIDENCE_TOO_LARGE,
        wrong_type=ComplianceError.EVIDENCE_TYPE,
    )
    saved = uploads.save_all(
        checked, functools.partial(StepEvidence, step=step, uploaded_by=as_user(actor))
    )
    audit.record(
        actor=actor,
        action="compliance.add_evidence_files",
        target=case,
        region_code=case.region_code,
        before=None,
        after={
            "step": step.pk,
            "files": [
                {"id": e.pk, "name": e.original_name, "size": e.size, "sha256": e.sha256}
                for e in saved
            ],
        },
    )
    return saved


def evidence_file(*, actor: Actor, evidence: StepEvidence, what: str):
    """The stored file, opened; handing it out is a recorded read (it may show workers)."""
    audit.record_read(
        actor=actor,
        what=f"{what} (bukti kasus {evidence.step.case_id}: {evidence.original_name})",
        records=0,
        region_code=evidence.step.case.region_code,
    )
    return evidence.file.open("rb")


def _close(actor, case: Case, reason: str, on: dt.date, workers: int, wages: int) -> None:
    before = {"status": case.status}
    case.status, case.closed_on, case.close_reason = CaseStatus.CLOSED, on, reason
    case.workers_added, case.wages_added = workers, wages
    case.save(update_fields=["status", "closed_on", "close_reason", "workers_added", "wages_added"])
    if case.lead_id:
        Lead.objects.filter(pk=case.lead_id).update(status=LeadStatus.RESOLVED)
    audit.record(
        actor=actor,
        action="compliance.close_case",
        target=case,
        region_code=case.region_code,
        before=before,
        after={
            "status": case.status,
            "reason": reason,
            "workers_added": workers,
            "wages_added": wages,
        },
    )


@transaction.atomic
def close_case(
    *, actor: Actor, case_id: int, reason: str, on: dt.date, workers_added: int, wages_added: int
) -> Case:
    """Closed by hand: the employer paid (or registered, before BPJS's next list shows it)."""
    COMPLIANCE.check(actor, "act")
    case = _case_for(actor, case_id)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(
            _problem(ComplianceError.CASE_CLOSED, "Kasus sudah ditutup.", "The case is closed.")
        )
    if reason not in CloseReason.values:
        raise ValidationFailed(
            _problem(CoreError.INVALID, "Alasan tidak dikenal.", "Unknown reason.", "reason")
        )
    _not_future(on, "closed_on")
    _not_before_opening(case, on, "closed_on")
    _close(actor, case, reason, on, workers_added, wages_added)
    _announce(case.regency_code, on, workers_added)
    return case


def _announce(city: str, on: dt.date, workers: int) -> None:
    if workers:
        events.employers_registered.send(
            sender="compliance", regency=city, month=on.replace(day=1), workers=workers
        )


def close_registered(*, actor: Actor, employers: list[Employer], source: EmployerList) -> int:
    """Open cases whose employer BPJS's new list shows registered enough: closed, with the
    workers and wages brought in (BPJS's figures now less those when the lead was found)."""
    cases = Case.objects.filter(
        employer__in=[e.pk for e in employers], status=CaseStatus.OPEN
    ).select_related("employer", "lead")
    tables = default_compliance_tables()
    on = source.imported_at.date()
    added_by_city: dict[str, int] = {}
    closed = 0
    for case in cases:
        e = case.employer
        gaps = assess(
            bpjs=Figures(e.bpjs_workers, e.bpjs_wage_bill, tuple(e.bpjs_programmes.split(","))),
            other=Figures(e.other_workers, e.other_wage_bill),
            umk=city_umk(e.regency_code, on.year),
            mandatory=tables.mandatory_programmes(e.size_class or "micro", on),
        )
        if case.kind in {g.kind for g in gaps} or (
            case.kind == LeadKind.PWBD and "pds_tk" in {g.kind for g in gaps}
        ):
            continue
        then = ((case.lead.figures if case.lead else {}).get("bpjs")) or {}
        workers = max(0, (e.bpjs_workers or 0) - (then.get("workers") or 0))
        wages = max(0, (e.bpjs_wage_bill or 0) - (then.get("wage_bill") or 0))
        _close(actor, case, CloseReason.REGISTERED, on, workers, wages)
        added_by_city[e.regency_code] = added_by_city.get(e.regency_code, 0) + workers
        closed += 1
    for city, workers in added_by_city.items():
        _announce(city, on.replace(day=1), workers)
    return closed


# --- links ----------------------------------------------------------------------------------


_BLANK = {"nib": "", "kbli": "", "address": ""}  # the other filled fields are numbers: None


@transaction.atomic
def unlink(*, actor: Actor, link_id: int, on: dt.date | None = None) -> Employer:
    """A wrong link undone: the business it folded in comes back as it was (same id), with the
    list entries and cases it brought; the registered employer loses the fields the business
    filled (where they still hold its values) and its other sources' figures are the largest of
    the lists still its own. Both employers' leads are found again, and later matching runs keep
    the two apart."""
    COMPLIANCE.check(actor, "match")
    link = (
        EmployerLink.objects.select_for_update()
        .select_related("employer")
        .filter(pk=link_id)
        .first()
    )
    if link is None or not in_scope(actor, link.region_code):
        raise NotFound(_problem(CoreError.NOT_FOUND, "Tautan tidak ada.", "No such link."))
    if link.undone_at is not None:
        raise Conflict(
            _problem(
                ComplianceError.LINK_UNDONE,
                "Tautan ini sudah dibatalkan.",
                "This link was already undone.",
                "link",
            )
        )
    target = link.employer
    business = Employer(pk=link.linked_id, **link.business)
    business.save(force_insert=True)
    SourceEntry.objects.filter(pk__in=link.entries, employer=target).update(employer=business)
    Case.objects.filter(pk__in=link.cases, employer=target).update(employer=business)
    watched = [*link.filled, "other_workers", "other_wage_bill"]
    before = {a: getattr(target, a) for a in watched}
    for attr in link.filled:
        if getattr(target, attr) == link.business.get(attr):
            setattr(target, attr, _BLANK.get(attr))
    largest = target.entries.filter(
        kind__in=[SourceKind.LICENCE, SourceKind.UMKM, SourceKind.MARKET]
    ).aggregate(workers=Max("workers"), wage_bill=Max("wage_bill"))
    target.other_workers, target.other_wage_bill = largest["workers"], largest["wage_bill"]
    target.save(update_fields=watched)
    link.undone_at, link.undone_by = timezone.now(), as_user(actor)
    link.save(update_fields=["undone_at", "undone_by"])
    audit.record(
        actor=actor,
        action="compliance.unlink",
        target=target,
        region_code=target.region_code,
        before={"linked": link.linked_id, "score": round(link.score, 3), **before},
        after={
            "restored": business.pk,
            "name": business.name,
            **{a: getattr(target, a) for a in watched},
        },
    )
    matching.reassess(target.regency_code, [target.pk, business.pk], on or timezone.localdate())
    return business


# --- reports from the public -----------------------------------------------------------------


@dataclass
class PublicReport:
    employer_name: str
    address: str
    village_code: str
    workers: int | None
    note: str


@transaction.atomic
def report_employer(*, report: PublicReport) -> Lead:
    """ "My employer does not register me": a lead from the public (no login; the page limits
    how often a client may send one). The employer is found by its cleaned name in the
    kelurahan, or added as one the public reported."""
    problems = []
    village = Region.objects.filter(code=report.village_code, level=Level.VILLAGE).first()
    if village is None:
        problems.append(
            _problem(
                CoreError.REQUIRED, "Pilih kelurahan.", "Choose the kelurahan.", "village_code"
            )
        )
    if not report.employer_name.strip():
        problems.append(
            _problem(
                ComplianceError.NAME_REQUIRED,
                "Nama tempat kerja wajib diisi.",
                "The employer's name is required.",
                "employer_name",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    city = village.code[:5]
    key = name_key(report.employer_name)
    employer = Employer.objects.filter(regency_code=city, name_key=key).first()
    if employer is None:
        employer = Employer.objects.create(
            name=report.employer_name.strip()[:200],
            name_key=key,
            address=report.address.strip()[:300],
            region_code=village.code,
            regency_code=city,
        )
    SourceEntry.objects.create(
        employer=employer,
        kind=SourceKind.PUBLIC,
        name=report.employer_name.strip()[:200],
        address=report.address.strip()[:300],
        workers=report.workers,
        note=report.note.strip()[:2000],
    )
    kind = LeadKind.PDS_TK if employer.registered else LeadKind.PWBD
    reason_id = "Seorang pekerja melaporkan tidak didaftarkan ke BPJS Ketenagakerjaan"
    reason_en = "A worker reports not being registered with BPJS Ketenagakerjaan"
    if report.workers:
        reason_id += f"; menurut pelapor ada {report.workers} pekerja"
        reason_en += f"; the reporter counts {report.workers} workers"
    lead = Lead.objects.filter(employer=employer, kind=kind, status=LeadStatus.OPEN).first()
    figures = {
        "bpjs": {"workers": employer.bpjs_workers, "wage_bill": employer.bpjs_wage_bill}
        if employer.registered
        else None,
        "other": {"workers": report.workers, "wage_bill": None},
        "gap": {"workers": report.workers, "wage": None, "programmes": []},
    }
    if lead is None:
        lead = Lead.objects.create(
            employer=employer,
            kind=kind,
            from_public=True,
            figures=figures,
            reason_id=reason_id + ".",
            reason_en=reason_en + ".",
            region_code=employer.region_code,
            regency_code=city,
            found_on=timezone.localdate(),
        )
    else:
        lead.from_public = True
        lead.reason_id += f" {reason_id}."
        lead.reason_en += f" {reason_en}."
        lead.save(update_fields=["from_public", "reason_id", "reason_en"])
    audit.record(
        actor=None,
        action="compliance.public_report",
        target=lead,
        region_code=employer.region_code,
        before=None,
        after={"employer": employer.pk, "kind": kind},
    )
    return lead


def check_city(actor: Actor, code: str) -> None:
    """A city named on a page or the command line that the actor may not see is refused."""
    if not in_scope(actor, code):
        raise PermissionDenied(
            _problem(
                CoreError.OUT_OF_SCOPE,
                f"Wilayah {code} di luar wilayah kerja Anda.",
                f"Region {code} is outside your region.",
                "region",
            )
        )
