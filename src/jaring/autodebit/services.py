"""Writes of auto-debit: a member's mandate, a bank's monthly instruction file, its results.

The instruction file (`make_debit_file`) holds one line per active mandate of the bank whose
cover is active and owes months up to the month asked (every month then due, arrears first),
one INSERT … SELECT; asked again for the same bank and month it adds only the mandates not in
it yet. The result file (`import_results`) is read whole and checked before anything is
written: an unknown reference, a line of another bank, an empty status, a line twice, or an
outcome other than the one already recorded refuses the file, naming the row. The same file
read twice changes nothing (its SHA-256 is kept); a line already settled by an earlier file
with the same outcome is left as it is. Successes become self-payments (continuity.bulk:
channel auto_debit, reference JRG + the line's id), months already paid meanwhile are marked
for refund, failures keep the bank's reason and queue a reminder to the member (notify).
Lapses follow from the unpaid months in the next monthly run (continuity).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import polars as pl
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.scope import Actor, as_user, scope_q
from jaring.autodebit.errors import AutodebitError
from jaring.autodebit.models import (
    DebitBatch,
    DebitLine,
    LineStatus,
    Mandate,
    MandateStatus,
    ResultImport,
)
from jaring.autodebit.permissions import AUTODEBIT
from jaring.autodebit.profiles import Profile, profiles
from jaring.continuity import bulk as continuity_bulk
from jaring.continuity.models import Channel, CoverStatus, SelfPayCover, SelfPayMonth
from jaring.continuity.selectors import covers_for
from jaring.contributions.services import month_of, period_of
from jaring.core.errors import Conflict, CoreError, NotFound, Problem, ValidationFailed
from jaring.core.table_load import load_frame
from jaring.notify import services as notify
from jaring.rules.tables import month_text, rupiah

_REFERENCE = re.compile(r"^JRG(\d{1,18})$")
MAX_PROBLEMS = 50
_STAGE = "jaring_debit_stage"


def _refuse(code, message_id: str, message_en: str, field: str | None = None, **params):
    cls = Conflict if 409 in code.statuses else ValidationFailed
    return cls(Problem(code, message_id, message_en, field, params))


def profile(bank: str) -> Profile:
    known = profiles()
    if bank not in known:
        raise _refuse(
            AutodebitError.BANK_UNKNOWN,
            f"Profil bank '{bank}' tidak dikenal; pilih: {', '.join(known)}.",
            f"Unknown bank profile '{bank}'; choose one of: {', '.join(known)}.",
            "bank",
            allowed=list(known),
        )
    return known[bank]


# --- mandates -----------------------------------------------------------------------------------


@dataclass
class MandateInput:
    bank: str
    account_number: str
    bank_mandate_ref: str
    debit_day: int
    consent_date: dt.date | None
    consent_document: str


# A signed consent form, scanned: judged by its first bytes (a renamed file is refused).
_CONSENT_KINDS = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))
CONSENT_MAX_BYTES = 10 * 1024 * 1024
CONSENT_DIR = "autodebit/consent/"


def _consent_file(upload) -> tuple[str, bytes]:
    """(extension, content) of an uploaded consent form, or a refusal naming the field."""
    content = upload.read(CONSENT_MAX_BYTES + 1)
    kind = next((ext for magic, ext in _CONSENT_KINDS if content.startswith(magic)), None)
    if kind is None or len(content) > CONSENT_MAX_BYTES:
        raise _refuse(
            AutodebitError.CONSENT_DOCUMENT,
            "Dokumen persetujuan harus berkas PDF, JPEG atau PNG, paling besar 10 MB.",
            "The consent document must be a PDF, JPEG or PNG file of at most 10 MB.",
            "consent_document",
        )
    return kind, content


def has_consent_file(mandate: Mandate) -> bool:
    """Whether the mandate's consent document is a file uploaded here (not only a reference)."""
    return mandate.consent_document.startswith(CONSENT_DIR)


def mask_account(number: str) -> str:
    digits = re.sub(r"[\s.\-]", "", number or "")
    if not digits.isdigit() or not 6 <= len(digits) <= 20:
        raise _refuse(
            AutodebitError.ACCOUNT_INVALID,
            "Nomor rekening harus 6–20 angka.",
            "The account number must be 6–20 digits.",
            "account_number",
        )
    return "•" * 4 + digits[-4:]


@transaction.atomic
def create_mandate(
    *,
    actor: Actor,
    cover_id: int,
    data: MandateInput,
    today: dt.date | None = None,
    document=None,
) -> Mandate:
    """A member's consent to be debited monthly. Only the masked account number is kept. The
    signed form, when uploaded (`document`), is stored under a random name, which becomes the
    mandate's consent document."""
    AUTODEBIT.check(actor, "mandate")
    today = today or timezone.localdate()
    cover = covers_for(actor).select_for_update().filter(pk=cover_id).first()
    if cover is None:
        raise NotFound(
            Problem(
                CoreError.NOT_FOUND,
                "Peserta mandiri tidak ditemukan.",
                "Self-paid cover not found.",
                "cover",
            )
        )
    profile(data.bank)
    masked = mask_account(data.account_number)
    if not 1 <= data.debit_day <= 28:
        raise _refuse(
            AutodebitError.DAY_INVALID,
            "Tanggal debet harus 1–28.",
            "The debit day must be 1–28.",
            "debit_day",
        )
    consent = _consent_file(document) if document is not None else None
    if consent is not None:
        data.consent_document = data.consent_document or "(upload)"
    if data.consent_date is None or data.consent_date > today or not data.consent_document.strip():
        raise _refuse(
            AutodebitError.CONSENT_REQUIRED,
            "Isi tanggal persetujuan (tidak di masa depan) dan dokumen persetujuan peserta.",
            "Give the member's consent date (not in the future) and consent document.",
            "consent_date"
            if data.consent_date is None or data.consent_date > today
            else "consent_document",
        )
    if not data.bank_mandate_ref.strip():
        raise ValidationFailed(
            Problem(
                CoreError.REQUIRED,
                "Isi nomor mandat dari bank.",
                "Give the bank's mandate number.",
                "bank_mandate_ref",
            )
        )
    if cover.status != CoverStatus.ACTIVE:
        raise _refuse(
            AutodebitError.COVER_NOT_ACTIVE,
            "Kepesertaan mandiri ini tidak aktif.",
            "This self-paid cover is not active.",
            "cover",
        )
    if Mandate.objects.filter(cover=cover, status=MandateStatus.ACTIVE).exists():
        raise _refuse(
            AutodebitError.MANDATE_ACTIVE,
            "Peserta ini sudah punya mandat auto-debet aktif.",
            "This member already has an active auto-debit mandate.",
            "cover",
        )
    if consent is not None:
        data.consent_document = default_storage.save(
            f"{CONSENT_DIR}{secrets.token_urlsafe(24)}.{consent[0]}", ContentFile(consent[1])
        )
    try:
        with transaction.atomic():
            mandate = Mandate.objects.create(
                cover=cover,
                bank=data.bank,
                account_masked=masked,
                bank_mandate_ref=data.bank_mandate_ref.strip(),
                debit_day=data.debit_day,
                consent_date=data.consent_date,
                consent_document=data.consent_document.strip(),
                province_code=cover.province_code,
                regency_code=cover.regency_code,
                district_code=cover.district_code,
                village_id=cover.village_id,
                created_by=as_user(actor),
            )
    except IntegrityError:
        if consent is not None:
            default_storage.delete(data.consent_document)
        raise _refuse(
            AutodebitError.MANDATE_ACTIVE,
            f"Nomor mandat {data.bank_mandate_ref} sudah dipakai, atau peserta sudah punya "
            "mandat aktif.",
            f"Mandate number {data.bank_mandate_ref} is taken, or the member already has an "
            "active mandate.",
            "bank_mandate_ref",
        ) from None
    audit.record(
        actor=actor,
        action="autodebit.mandate",
        target=cover,
        region_code=cover.village_id,
        before=None,
        after={"mandate": mandate.pk, "bank": mandate.bank, "account": masked},
    )
    return mandate


@transaction.atomic
def cancel_mandate(*, actor: Actor, mandate_id: int, reason: str = "") -> Mandate:
    AUTODEBIT.check(actor, "mandate")
    mandate = (
        Mandate.objects.select_for_update()
        .filter(cover__in=covers_for(actor), pk=mandate_id)
        .first()
    )
    if mandate is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Mandat tidak ditemukan.", "Not found."))
    mandate.status = MandateStatus.CANCELLED
    mandate.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="autodebit.cancelled",
        target=mandate.cover,
        region_code=mandate.village_id,
        before={"mandate": mandate.pk, "status": MandateStatus.ACTIVE},
        after={"mandate": mandate.pk, "status": MandateStatus.CANCELLED},
        reason=reason,
    )
    return mandate


# --- the instruction file -----------------------------------------------------------------------


@transaction.atomic
def make_debit_file(
    *, actor: Actor, bank: str, month: dt.date, debit_date: dt.date | None = None
) -> DebitBatch:
    """The bank's instruction lines for the month (every month then due, arrears first)."""
    AUTODEBIT.check(actor, "exchange")
    profile(bank)
    month = month.replace(day=1)
    period = period_of(month)
    batch = DebitBatch.objects.create(
        bank=bank, month=month, debit_date=debit_date or month, created_by=as_user(actor)
    )
    mandates = Mandate.objects.filter(scope_q(actor), bank=bank, status=MandateStatus.ACTIVE)
    ids_sql, ids_params = mandates.values("id").query.sql_with_params()
    md, ln, bt = Mandate._meta.db_table, DebitLine._meta.db_table, DebitBatch._meta.db_table
    c, m = SelfPayCover._meta.db_table, SelfPayMonth._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {ln} (batch_id, mandate_id, cover_id, first_period, last_period, amount,
                status, reason, bank_reference)
            SELECT %s, md.id, md.cover_id, MIN(m.period), MAX(m.period), SUM(m.amount),
                %s, '', ''
            FROM {md} md
            JOIN {c} c ON c.id = md.cover_id AND c.status = %s
            -- `|| ''` keeps SQLite off the (status, due_date) index: through it every due
            -- month of the city is joined to each mandate (16 s for 20k members, quadratic);
            -- from the mandates through (cover_id, period) it is 0.1 s. PostgreSQL plans both
            -- the same.
            JOIN {m} m ON m.cover_id = md.cover_id AND m.status || '' = 'due'
                AND m.period <= %s
            WHERE md.id IN ({ids_sql}) AND NOT EXISTS (
                SELECT 1 FROM {ln} l JOIN {bt} b ON b.id = l.batch_id
                WHERE l.mandate_id = md.id AND b.month = %s AND b.id <> %s)
            GROUP BY md.id, md.cover_id
            """,
            [batch.pk, LineStatus.SENT, CoverStatus.ACTIVE, period, *ids_params, month, batch.pk],
        )
    totals = DebitLine.objects.filter(batch=batch).aggregate(n=Count("id"), s=Sum("amount"))
    if not totals["n"]:
        raise _refuse(
            AutodebitError.NOTHING_TO_DEBIT,
            f"Tidak ada iuran untuk didebet di {bank} bulan {month_text(month)}.",
            f"Nothing to debit at {bank} for {month_text(month)}.",
            "month",
        )
    batch.lines, batch.total = totals["n"], totals["s"]
    batch.save(update_fields=["lines", "total"])
    audit.record(
        actor=actor,
        action="autodebit.file",
        target=batch,
        region_code="",
        before=None,
        after={
            "bank": bank,
            "month": month_text(month),
            "lines": batch.lines,
            "total": batch.total,
        },
    )
    return batch


def debit_file(batch: DebitBatch) -> bytes:
    """The batch's file in its bank's profile (whole, in memory: ~80 bytes a line)."""
    p = profile(batch.bank)
    day = batch.debit_date.strftime(p.date_format)
    rows = (
        {
            "reference": f"JRG{line_id}",
            "mandate": ref,
            "name": name,
            "amount": amount,
            "debit_date": day,
            "months": month_text(month_of(first))
            + ("" if first == last else "–" + month_text(month_of(last))),
        }
        for line_id, ref, name, amount, first, last in DebitLine.objects.filter(batch=batch)
        .order_by("id")
        .values_list(
            "id",
            "mandate__bank_mandate_ref",
            "mandate__cover__worker__full_name",
            "amount",
            "first_period",
            "last_period",
        )
        .iterator(5000)
    )
    return p.write(rows)


# --- the result file ----------------------------------------------------------------------------


@dataclass
class ResultCounts:
    rows: int = 0
    paid: int = 0
    failed: int = 0
    already_paid: int = 0
    unchanged: int = 0
    amount_paid: int = 0
    reminders: int = 0
    already_imported: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _row_problem(code, row: int, field: str, message_id: str, message_en: str) -> Problem:
    return Problem(
        code,
        f"Baris {row}, kolom {field}: {message_id}",
        f"Row {row}, column {field}: {message_en}",
        field,
        {"row": row},
    )


def _parse(p: Profile, data: bytes) -> list[tuple[int, int, bool, str, str]]:
    """(row, line id, success, reason, bank reference) of every row, or a refusal naming each
    row at fault (at most MAX_PROBLEMS)."""
    try:
        headers, rows = p.read(data)
    except ValueError as exc:
        raise _refuse(
            AutodebitError.RESULT_UNREADABLE,
            f"File hasil tidak bisa dibaca sebagai {p.format}: {exc}",
            f"The result file cannot be read as {p.format}: {exc}",
            "file",
        ) from None
    index = {h: i for i, h in enumerate(headers)}
    missing = [h for h in p.result_columns.values() if h not in index]
    if missing:
        raise _refuse(
            AutodebitError.RESULT_COLUMNS,
            f"Kolom tidak ada di file hasil: {', '.join(missing)}.",
            f"Columns missing from the result file: {', '.join(missing)}.",
            "file",
            missing=missing,
        )
    col = {f: index[h] for f, h in p.result_columns.items()}
    out, problems, seen = [], [], {}
    for n, values in enumerate(rows, start=2):
        if not any(values):
            continue
        values = values + [""] * (len(headers) - len(values))
        ref, status = values[col["reference"]], values[col["status"]].upper()
        match = _REFERENCE.match(ref)
        if not match:
            problems.append(
                _row_problem(
                    AutodebitError.RESULT_UNKNOWN_LINE,
                    n,
                    p.result_columns["reference"],
                    f"'{ref}' bukan referensi debet Jaring (JRG…).",
                    f"'{ref}' is not a Jaring debit reference (JRG…).",
                )
            )
        elif match[1] in seen:
            problems.append(
                _row_problem(
                    AutodebitError.RESULT_REPEATED,
                    n,
                    p.result_columns["reference"],
                    f"{ref} sudah ada di baris {seen[match[1]]}.",
                    f"{ref} is already on row {seen[match[1]]}.",
                )
            )
        elif not status:
            problems.append(
                _row_problem(
                    AutodebitError.RESULT_STATUS,
                    n,
                    p.result_columns["status"],
                    "status kosong.",
                    "the status is empty.",
                )
            )
        else:
            seen[match[1]] = n
            out.append(
                (
                    n,
                    int(match[1]),
                    status in p.success,
                    values[col["reason"]][:200] or status,
                    values[col["bank_reference"]][:100],
                )
            )
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ValidationFailed(*problems)
    return out


def _stage_lines(rows: list[tuple[int, str, str, str]], result_id: int) -> None:
    """Sets each line's (status, reason, bank reference) in one UPDATE … FROM."""
    if not rows:
        return
    frame = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "status": [r[1] for r in rows],
            "reason": [r[2] for r in rows],
            "bank_reference": [r[3] for r in rows],
        },
        schema_overrides={"id": pl.Int64},
    )
    ln = DebitLine._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {_STAGE}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {_STAGE} (id bigint PRIMARY KEY, status varchar(12), "
            "reason varchar(200), bank_reference varchar(100))"
        )
        load_frame(cur, _STAGE, frame)
        cur.execute(
            f"UPDATE {ln} SET status = s.status, reason = s.reason, "
            f"bank_reference = s.bank_reference, result_id = %s FROM {_STAGE} s "
            f"WHERE {ln}.id = s.id",
            [result_id],
        )
        cur.execute(f"DROP TABLE {_STAGE}")


@transaction.atomic
def import_results(
    *,
    actor: Actor,
    bank: str,
    data: bytes,
    file_name: str,
    paid_on: dt.date | None = None,
) -> tuple[ResultImport, ResultCounts]:
    """Reads a bank's result file: successes pay the months debited, failures are kept with
    the bank's reason and remind the member. All or nothing; the same file twice changes
    nothing."""
    AUTODEBIT.check(actor, "exchange")
    p = profile(bank)
    digest = hashlib.sha256(data).hexdigest()
    earlier = ResultImport.objects.filter(sha256=digest).first()
    if earlier is not None:
        return earlier, ResultCounts(**(earlier.counts | {"already_imported": True}))
    parsed = _parse(p, data)
    paid_on = paid_on or timezone.localdate()
    lines: dict[int, tuple] = {}
    ids = [r[1] for r in parsed]
    lines_in_scope = DebitLine.objects.filter(
        batch__bank=bank, mandate__in=Mandate.objects.filter(scope_q(actor))
    )
    for start in range(0, len(ids), 20_000):
        for row in lines_in_scope.filter(pk__in=ids[start : start + 20_000]).values_list(
            "id", "status", "cover_id", "first_period", "last_period", "amount"
        ):
            lines[row[0]] = row
    problems = []
    counts = ResultCounts(rows=len(parsed))
    to_pay, updates, failed_ids = [], [], []
    for n, line_id, success, reason, bank_ref in parsed:
        line = lines.get(line_id)
        if line is None:
            problems.append(
                _row_problem(
                    AutodebitError.RESULT_UNKNOWN_LINE,
                    n,
                    p.result_columns["reference"],
                    f"JRG{line_id} bukan debet {bank} yang dikirim Jaring.",
                    f"JRG{line_id} is not a debit Jaring sent to {bank}.",
                )
            )
        elif line[1] != LineStatus.SENT:
            settled_ok = line[1] in (LineStatus.PAID, LineStatus.ALREADY_PAID)
            if settled_ok == success:
                counts.unchanged += 1
            else:
                problems.append(
                    _row_problem(
                        AutodebitError.RESULT_CONFLICT,
                        n,
                        p.result_columns["status"],
                        f"JRG{line_id} sudah tercatat '{line[1]}' oleh file sebelumnya.",
                        f"JRG{line_id} is already recorded as '{line[1]}' by an earlier file.",
                    )
                )
        elif success:
            to_pay.append((line, bank_ref))
        else:
            updates.append((line_id, LineStatus.FAILED, reason, bank_ref))
            failed_ids.append(line_id)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ValidationFailed(*problems)
    result = ResultImport.objects.create(
        bank=bank, file_name=file_name[:200], sha256=digest, created_by=as_user(actor)
    )
    refused = continuity_bulk.pay_many(
        actor=actor,
        channel=Channel.AUTO_DEBIT,
        rows=[
            continuity_bulk.BulkPayment(
                cover_id=line[2],
                first_period=line[3],
                last_period=line[4],
                amount=line[5],
                reference=f"JRG{line[0]}",
                paid_on=paid_on,
            )
            for line, _ in to_pay
        ],
        note=f"auto-debit {bank} {file_name}"[:200],
    )
    for i, (line, bank_ref) in enumerate(to_pay):
        why = refused.get(i)
        if why is None:
            updates.append((line[0], LineStatus.PAID, "", bank_ref))
            counts.paid += 1
            counts.amount_paid += line[5]
        else:
            updates.append((line[0], LineStatus.ALREADY_PAID, why, bank_ref))
            counts.already_paid += 1
    counts.failed = len(failed_ids)
    _stage_lines(updates, result.pk)
    counts.reminders = _remind_failed(failed_ids, bank).queued
    result.counts = counts.as_dict()
    result.save(update_fields=["counts"])
    audit.record(
        actor=actor,
        action="autodebit.results",
        target=result,
        region_code="",
        before=None,
        after=result.counts,
    )
    return result, counts


def _remind_failed(line_ids: list[int], bank: str) -> notify.Queued:
    name = profile(bank).name

    def items():
        for start in range(0, len(line_ids), 20_000):
            rows = (
                DebitLine.objects.filter(pk__in=line_ids[start : start + 20_000])
                .values_list(
                    "id",
                    "amount",
                    "last_period",
                    "reason",
                    "mandate__cover__worker_id",
                    "mandate__cover__worker__full_name",
                    "mandate__cover__worker__phone",
                    "mandate__regency_code",
                )
                .iterator(5000)
            )
            for line_id, amount, last, reason, worker, full_name, phone, regency in rows:
                yield notify.Outgoing(
                    key=f"debit_failed:{line_id}",
                    template="debit_failed",
                    phone=phone,
                    values={
                        "name": full_name,
                        "month": month_text(month_of(last)),
                        "amount": rupiah(amount),
                        "bank": name,
                        "reason": reason,
                    },
                    regency_code=regency,
                    worker_id=worker,
                )

    return notify.queue(items())
