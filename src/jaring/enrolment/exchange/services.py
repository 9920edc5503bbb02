"""The BPJS exchange: submission batches out, the branch's responses in.

Each use case is one transaction: a batch is recorded, its memberships marked submitted and its
file written together; a response file is applied completely or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import Mode, in_scope, scope_q
from jaring.core.errors import (
    Conflict,
    CoreError,
    NotFound,
    Problem,
    ValidationFailed,
)
from jaring.core.rehearsal import rehearse
from jaring.enrolment import bulk
from jaring.enrolment import services as enrolment
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.exchange import bulk as exchange_bulk
from jaring.enrolment.exchange import profiles, submission
from jaring.enrolment.exchange import response as response_format
from jaring.enrolment.exchange import selectors as exchange_selectors
from jaring.enrolment.exchange.bulk import Answer
from jaring.enrolment.exchange.models import (
    BatchLine,
    ExportSetting,
    LineOutcome,
    ResponseImport,
    SubmissionBatch,
)
from jaring.enrolment.exchange.permissions import EXCHANGE
from jaring.enrolment.exchange.profiles import Profile
from jaring.enrolment.exchange.submission import SubmissionRow
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.enrolment.selectors import region_filter
from jaring.programs.models import CoverStartRule, Programme
from jaring.programs.selectors import get_programme, programmes_for
from jaring.regions.models import Region

# --- submission batches --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchFile:
    batch: SubmissionBatch
    file_name: str
    content: bytes


def _render(rows: list[SubmissionRow], file_format: str, profile: Profile) -> bytes:
    out = io.BytesIO()
    submission.write(rows, out, file_format, profile)
    return out.getvalue()


def _check_format(file_format: str) -> None:
    if file_format not in submission.FORMATS:
        raise ValidationFailed(
            Problem(
                EnrolmentError.FORMAT_UNKNOWN,
                f"Format '{file_format}' tidak dikenal: pilih xlsx atau csv.",
                f"Unknown format '{file_format}': choose xlsx or csv.",
                field="format",
            )
        )


# What a submission row needs, read as plain values: model instances for 100,000 members cost
# more than everything else in an export.
_ROW_FIELDS = (
    "pk",
    "worker__nik",
    "worker__full_name",
    "worker__birth_date",
    "worker__sex",
    "worker__address",
    "worker__rt",
    "worker__rw",
    "village__name",
    "village__parent__name",
    "category__name_id",
    "income_base",
    "months",
    "start_date",
)


def _street(m: dict) -> str:
    rt_rw = (
        f"RT {m['worker__rt']}/RW {m['worker__rw']}" if m["worker__rt"] or m["worker__rw"] else ""
    )
    return ", ".join(p for p in (m["worker__address"], rt_rw) if p)


def _address(street: str, m: dict) -> str:
    parts = [street, m["village__name"], m["village__parent__name"] or ""]
    return ", ".join(p for p in parts if p)


def _requested_start(start_date: dt.date | None, programme: Programme) -> dt.date | None:
    if start_date:
        return start_date
    if programme.cover_start_rule == CoverStartRule.PKS_DATE:
        return programme.pks_date
    return None


# The optional fields of a row, read only when the batch's profile has a column for them: the
# `jaring` layout then costs what it did before profiles (bench/enrolment_bench.py).
_OPTIONAL_COLUMNS = {
    "place_of_birth": ("worker__place_of_birth",),
    "marital_status": ("worker__marital_status",),
    "email": ("worker__email",),
    "mother_maiden_name": ("worker__mother_maiden_name",),
    "phone": ("worker__phone",),
    "postal_code": ("village__postal_code",),
    "city": ("regency_code",),
    "province": ("province_code",),
    "street": (),
    "village": (),
    "district": (),
}


def _optional(m: dict, wanted: frozenset[str], names: dict[str, str], street: str) -> dict:
    found = {
        "place_of_birth": lambda: m["worker__place_of_birth"],
        "marital_status": lambda: m["worker__marital_status"],
        "email": lambda: m["worker__email"],
        "mother_maiden_name": lambda: m["worker__mother_maiden_name"],
        "phone": lambda: m["worker__phone"],
        "postal_code": lambda: m["village__postal_code"],
        "city": lambda: names.get(m["regency_code"], ""),
        "province": lambda: names.get(m["province_code"], ""),
        "street": lambda: street,
        "village": lambda: m["village__name"],
        "district": lambda: m["village__parent__name"] or "",
    }
    return {name: found[name]() for name in wanted}


def _submission_row(
    reference: str,
    m: dict,
    programme: Programme,
    names: dict[str, str],
    wanted: frozenset[str] = frozenset(),
) -> SubmissionRow:
    street = _street(m)
    return SubmissionRow(
        batch=reference,
        nik=m["worker__nik"],
        name=m["worker__full_name"],
        birth_date=m["worker__birth_date"],
        sex=m["worker__sex"],
        address=_address(street, m),
        occupation=m["category__name_id"],
        income_base=m["income_base"],
        programmes=programme.benefit_list,
        start_date=_requested_start(m["start_date"], programme),
        months=m["months"],
        participation_code=programme.participation_code,
        **(_optional(m, wanted, names, street) if wanted else {}),
    )


def _region_names(members: list[dict]) -> dict[str, str]:
    """Names of the members' cities and provinces, looked up once for the batch."""
    codes = {m.get("regency_code") for m in members} | {m.get("province_code") for m in members}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def profile_for(programme: Programme, name: str | None = None) -> Profile:
    """The profile asked for, else the programme's chosen one, else Jaring's layout."""
    return profiles.get(name or exchange_selectors.profile_name(programme))


def _file_name(batch: SubmissionBatch, file_format: str) -> str:
    return f"{batch.reference}.{file_format}"


@bulk.cycle_collector_paused()
def export_batch(
    *,
    actor: User,
    programme_id: int,
    region_code: str | None = None,
    file_format: str = "xlsx",
    profile: str | None = None,
) -> BatchFile:
    """Every verified membership of the programme in the actor's area (or `region_code`) as
    a new batch in the export profile `profile` (default: the programme's); the memberships
    become "submitted"."""
    EXCHANGE.check(actor, "exchange")
    _check_format(file_format)
    programme = get_programme(actor, programme_id)
    layout = profile_for(programme, profile)
    wanted = layout.fields & _OPTIONAL_COLUMNS.keys()
    where = region_filter(actor, region_code)
    with transaction.atomic():
        # Locking the programme serialises batch numbers and stops two officers from putting
        # the same worker in two batches.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        members = list(
            Membership.objects.filter(programme=programme, status=MembershipStatus.VERIFIED)
            .filter(scope_q(actor), where)
            .order_by("village_id", "worker__name_key", "id")
            .values(*_ROW_FIELDS, *(c for f in wanted for c in _OPTIONAL_COLUMNS[f]))
        )
        if not members:
            raise ValidationFailed(
                Problem(
                    EnrolmentError.NOTHING_TO_SUBMIT,
                    "Tidak ada peserta terverifikasi yang belum dikirim ke BPJS.",
                    "There are no verified members waiting to be sent to BPJS.",
                )
            )
        last = programme.submission_batches.aggregate(n=Max("number"))["n"] or 0
        batch = SubmissionBatch.objects.create(
            programme=programme,
            number=last + 1,
            reference=f"JRG-{programme.pk}-{last + 1:04d}",
            region_code=region_code or actor.scope_id or "",
            file_format=file_format,
            profile=layout.name,
            profile_source=layout.source,
            line_count=len(members),
            created_by=actor,
        )
        names = _region_names(members) if wanted & {"city", "province"} else {}
        rows = [_submission_row(batch.reference, m, programme, names, wanted) for m in members]
        exchange_bulk.insert_lines(
            batch_id=batch.pk,
            lines=(
                (m["pk"], row.nik, json.dumps(row.as_json()))
                for m, row in zip(members, rows, strict=True)
            ),
        )
        # The batch lines link each membership to its batch (every batch, if resubmitted), so
        # the membership needs no batch of its own: the audit reason names it.
        enrolment.mark_submitted(
            actor=actor,
            memberships=Membership.objects.filter(batch_lines__batch=batch),
            reason=f"BPJS batch {batch.reference}",
        )
        audit.record(
            actor=actor,
            action="bpjs_batch_export",
            target=batch,
            region_code=batch.region_code,
            before=None,
            after={
                "programme": programme.pk,
                "reference": batch.reference,
                "lines": batch.line_count,
                "format": file_format,
                "profile": layout.name,
            },
        )
    return BatchFile(batch, _file_name(batch, file_format), _render(rows, file_format, layout))


@dataclass(frozen=True, slots=True)
class BatchPreview:
    """What `export_batch` would do: how many members, in which batch and layout, who."""

    lines: int
    reference: str
    profile: str
    names: list[str]


def preview_batch(
    *, actor: User, programme_id: int, region_code: str | None = None, profile: str | None = None
) -> BatchPreview:
    """The batch rehearsed (core.rehearsal; as csv, the format changes no count): the API's
    `dry_run` and `jaring bpjs export --dry-run`. A refusal is raised as the export raises it;
    nothing is kept."""

    def rehearsal() -> BatchPreview:
        exported = export_batch(
            actor=actor,
            programme_id=programme_id,
            region_code=region_code,
            file_format="csv",
            profile=profile,
        )
        batch = exported.batch
        return BatchPreview(
            batch.line_count, batch.reference, batch.profile, exchange_selectors.batch_names(batch)
        )

    return rehearse(rehearsal)


def _batch_profile(batch: SubmissionBatch, name: str) -> Profile:
    """The profile a batch was sent in, as it was then (its text is kept with the batch), or
    another one asked for by name."""
    if name and name != batch.profile:
        return profiles.get(name)
    if batch.profile_source:
        return profiles.parse(batch.profile_source, batch.profile)
    return profiles.get(batch.profile)


def batch_file(
    *, actor: User, batch_id: int, file_format: str = "", profile: str = ""
) -> BatchFile:
    """A batch's file again, exactly as it was sent (in any format, or another profile)."""
    EXCHANGE.check(actor, "exchange")
    batch = (
        SubmissionBatch.objects.filter(pk=batch_id)
        .select_related("programme")
        .filter(programme__in=programmes_for(actor))
        .first()
    )
    # A batch cut to a district is seen by that district's officers and by those above it.
    if batch is None or (
        batch.region_code and not in_scope(actor, batch.region_code, mode=Mode.COVERING)
    ):
        raise NotFound(Problem(CoreError.NOT_FOUND, "Batch tidak ditemukan.", "Batch not found."))
    file_format = file_format or batch.file_format
    _check_format(file_format)
    layout = _batch_profile(batch, profile)
    lines = batch.lines.filter(scope_q(actor, prefix="membership__")).order_by("id")
    rows = [SubmissionRow.from_json(row) for row in lines.values_list("row", flat=True)]
    # The file holds whole NIKs: the request handing it out is a read (accounts.audit).
    for row in rows:
        audit.shown_whole(actor, row.nik)
    return BatchFile(batch, _file_name(batch, file_format), _render(rows, file_format, layout))


@transaction.atomic
def choose_profile(*, actor: User, programme_id: int, profile: str) -> ExportSetting:
    """The export profile the programme's batches are made in from now on (audited)."""
    EXCHANGE.check(actor, "exchange")
    programme = get_programme(actor, programme_id)
    layout = profiles.get(profile)
    setting = ExportSetting.objects.select_for_update().filter(programme=programme).first()
    before = setting.profile if setting else profiles.DEFAULT
    if setting is None:
        setting = ExportSetting(programme=programme)
    setting.profile, setting.set_by = layout.name, actor
    setting.save()
    if before != layout.name:
        audit.record(
            actor=actor,
            action="bpjs_export_profile",
            target=programme,
            region_code=programme.region_id,
            before={"profile": before},
            after={"profile": layout.name},
        )
    return setting


# --- responses -----------------------------------------------------------------------------


@dataclass
class ResponseReport:
    response_id: int
    file_name: str
    already_imported: bool = False
    accepted: int = 0
    rejected: int = 0
    already_applied: int = 0
    unanswered: int = 0
    # Rows whose NIK was never submitted in this programme (or is outside the officer's area).
    not_submitted: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _wrong_programme(programme: Programme, detail_id: str, detail_en: str) -> Conflict:
    return Conflict(
        Problem(
            EnrolmentError.RESPONSE_WRONG_PROGRAMME,
            f"Berkas ini bukan jawaban untuk program {programme.name}: {detail_id} "
            "Tidak ada yang diubah.",
            f"This file is not a response for programme {programme.name}: {detail_en} "
            "Nothing was changed.",
            field="file",
        )
    )


def _check_batches(programme: Programme, rows: list[response_format.ResponseRow]) -> None:
    refs = {r.batch for r in rows if r.batch}
    if not refs:
        return
    found = dict(
        SubmissionBatch.objects.filter(reference__in=refs).values_list("reference", "programme")
    )
    unknown = sorted(refs - found.keys())
    other = sorted(ref for ref, pk in found.items() if pk != programme.pk)
    if unknown or other:
        names = ", ".join(unknown + other)
        raise _wrong_programme(
            programme, f"batch {names} bukan batch program ini.", f"batch {names} is not its."
        )


class _Line(NamedTuple):
    """A batch line as the response import needs it (no stored row, no model instance)."""

    pk: int
    nik: str
    batch: str  # the batch's reference
    outcome: str
    kpj: str
    membership_id: int
    worker_id: int


def _lines_by_nik(actor: User, programme: Programme, niks: list[str]) -> dict[str, list[_Line]]:
    """Every line of the programme for these NIKs in the actor's area, oldest batch first."""
    lines = (
        BatchLine.objects.filter(batch__programme=programme)
        .filter(scope_q(actor, prefix="membership__"))
        .order_by("batch__number", "id")
        .values_list(
            "pk",
            "nik",
            "batch__reference",
            "outcome",
            "kpj",
            "membership_id",
            "membership__worker_id",
        )
    )
    found: dict[str, list[_Line]] = defaultdict(list)
    for values in bulk.among(lines, "nik", niks):
        found[values[1]].append(_Line(*values))
    return found


def _pick(lines: list[_Line], row: response_format.ResponseRow) -> _Line | None:
    """The line a response row answers: in the batch it names, the one still waiting first."""
    candidates = [ln for ln in lines if not row.batch or ln.batch == row.batch]
    pending = [ln for ln in candidates if ln.outcome == LineOutcome.PENDING]
    return (pending or candidates or [None])[-1]


def _row_problem(row: response_format.ResponseRow, problem: Problem) -> Problem:
    return Problem(
        problem.code,
        f"Baris {row.line} (NIK {row.nik}): {problem.message_id}",
        f"Row {row.line} (NIK {row.nik}): {problem.message_en}",
        field=f"rows.{row.line}",
        params={**problem.params, "row": row.line},
    )


def _kpj_holders(kpjs: list[str]) -> dict[str, set[int]]:
    holders: dict[str, set[int]] = defaultdict(set)
    for kpj, worker_id in bulk.among(
        Membership.objects.values_list("kpj", "worker_id"), "kpj", kpjs
    ):
        holders[kpj].add(worker_id)
    return holders


def _same_answer(line: _Line, row: response_format.ResponseRow) -> bool:
    if row.status == response_format.ACCEPTED:
        return line.outcome == LineOutcome.ACCEPTED and line.kpj == row.kpj
    return line.outcome == LineOutcome.REJECTED


_Answers = list[tuple[int, _Line, response_format.ResponseRow]]


def _apply(
    *, actor: User, accepted: _Answers, rejected: _Answers
) -> tuple[list[Answer], dict[int, list[Problem]]]:
    """Activates and rejects in two set-based calls; returns each line's answer to save and
    the problems of refused rows by position (then nothing is saved: the caller refuses the
    file)."""
    problems: dict[int, list[Problem]] = {}

    def refused(answers: _Answers, exc: enrolment.RowsRefused) -> None:
        for i, error in exc.errors.items():
            position, _, row = answers[i]
            problems[position] = [_row_problem(row, p) for p in error.problems]

    try:
        # The response's date is when BPJS accepted; the programme decides when cover starts.
        covers = enrolment.activate_many(
            actor=actor,
            rows=[
                enrolment.Acceptance(line.membership_id, row.kpj, row.start_date)
                for _, line, row in accepted
            ],
        )
    except enrolment.RowsRefused as exc:
        refused(accepted, exc)
    try:
        enrolment.reject_many(
            actor=actor,
            rows=[enrolment.Refusal(line.membership_id, row.reason) for _, line, row in rejected],
        )
    except enrolment.RowsRefused as exc:
        refused(rejected, exc)
    if problems:
        return [], problems
    saved = [
        (line.pk, LineOutcome.ACCEPTED, row.kpj, "", cover.start_date)
        for (_, line, row), cover in zip(accepted, covers, strict=True)
    ]
    saved += [(line.pk, LineOutcome.REJECTED, "", row.reason, None) for _, line, row in rejected]
    return saved, problems


@bulk.cycle_collector_paused()
def import_response(
    *, actor: User, programme_id: int, data: bytes, file_name: str, profile: str | None = None
) -> ResponseReport:
    """Apply the branch's answers: accepted → active with the KPJ, rejected → reason kept.

    The same file twice changes nothing the second time; NIKs that were never submitted are
    reported, not added; any other problem refuses the whole file.
    """
    EXCHANGE.check(actor, "exchange")
    programme = get_programme(actor, programme_id)
    digest = hashlib.sha256(data).hexdigest()
    earlier = ResponseImport.objects.filter(programme=programme, sha256=digest).first()
    if earlier is not None:
        report = ResponseReport(**earlier.report)
        report.already_imported = True
        report.already_applied += report.accepted + report.rejected
        report.accepted = report.rejected = 0
        return report

    rows = response_format.read_response(data, file_name, profile_for(programme, profile))
    _check_batches(programme, rows)
    answered = [r for r in rows if r.status != response_format.UNANSWERED]
    with transaction.atomic():
        lines_by_nik = _lines_by_nik(actor, programme, [r.nik for r in answered])
        matched = [(row, _pick(lines_by_nik.get(row.nik, []), row)) for row in answered]
        if answered and not any(line for _, line in matched):
            raise _wrong_programme(
                programme,
                "tidak satu pun NIK di dalamnya pernah dikirim dalam program ini.",
                "none of its NIKs was ever submitted in this programme.",
            )
        imported = ResponseImport.objects.create(
            programme=programme, file_name=file_name, sha256=digest, imported_by=actor
        )
        report = ResponseReport(
            response_id=imported.pk,
            file_name=file_name,
            unanswered=len(rows) - len(answered),
        )
        holders = _kpj_holders([r.kpj for r, line in matched if line and r.kpj])
        problems: dict[int, list[Problem]] = {}
        accepted: _Answers = []
        rejected: _Answers = []
        for position, (row, line) in enumerate(matched):
            if line is None:
                report.not_submitted.append({"row": row.line, "nik": row.nik})
                continue
            if line.outcome != LineOutcome.PENDING:
                if _same_answer(line, row):
                    report.already_applied += 1
                    continue
                problems[position] = [_row_problem(row, _answered_before(line))]
                continue
            others = holders.get(row.kpj, set()) - {line.worker_id}
            if others:
                problems[position] = [_row_problem(row, _kpj_taken(row.kpj))]
                continue
            answers = accepted if row.status == response_format.ACCEPTED else rejected
            answers.append((position, line, row))
        saved, refused = _apply(actor=actor, accepted=accepted, rejected=rejected)
        problems |= refused
        if problems:
            in_order = [p for _, row_problems in sorted(problems.items()) for p in row_problems]
            kind = Conflict if all(p.code in _CONFLICTS for p in in_order) else ValidationFailed
            raise kind(*in_order)
        report.accepted, report.rejected = len(accepted), len(rejected)
        exchange_bulk.save_answers(response_id=imported.pk, answers=saved)
        imported.report = report.as_dict()
        imported.save(update_fields=["report"])
        audit.record(
            actor=actor,
            action="bpjs_response_import",
            target=imported,
            region_code=actor.scope_id or programme.region_id,
            before=None,
            after={k: v for k, v in report.as_dict().items() if k != "not_submitted"}
            | {"not_submitted": len(report.not_submitted)},
        )
    return report


_CONFLICTS = {EnrolmentError.KPJ_TAKEN, EnrolmentError.ANSWERED_BEFORE}


def _kpj_taken(kpj: str) -> Problem:
    return Problem(
        EnrolmentError.KPJ_TAKEN,
        f"nomor KPJ {kpj} sudah dipakai peserta lain.",
        f"KPJ number {kpj} already belongs to another member.",
        params={"kpj": kpj},
    )


def _answered_before(line: _Line) -> Problem:
    if line.outcome == LineOutcome.ACCEPTED:
        was_id, was_en = f"diterima dengan KPJ {line.kpj}", f"accepted with KPJ {line.kpj}"
    else:
        was_id, was_en = "ditolak", "rejected"
    return Problem(
        EnrolmentError.ANSWERED_BEFORE,
        f"BPJS sudah menjawab peserta ini sebelumnya ({was_id}) dengan jawaban lain.",
        f"BPJS answered this member differently before ({was_en}).",
    )
