"""Writes of self-paying members: the hand-over choice, payments, the monthly run, lapses and
reactivation.

Amounts come from the rule tables in force (`contributions.rate_tables.current_tables`) with
the funder "self": PP 50/2025's discount applies to self-payers (it excludes only APBD/APBN).
A contribution month follows the cover's start day (`rules.contributions`): a cover from
15 May owes "May" for 15 May – 14 June, due by the rule's day of May (the 15th, next working
day) or the start date when that is later.

Months are paid in order, arrears first: the unpaid months of a cover are always the run after
`paid_through`, so the lapse rule (more than 3 consecutive unpaid months past their due date,
contributions' arrears rule) is one grouped count, and the monthly run for a million members is
two statements (lapses, then one INSERT … SELECT of the month's rows).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM, Actor, as_user, scope_q
from jaring.continuity.errors import ContinuityError
from jaring.continuity.models import (
    Channel,
    Choice,
    CoverStatus,
    HandoverChoice,
    MonthStatus,
    RecordedVia,
    SelfPayCover,
    SelfPayment,
    SelfPayMonth,
    SelfPayRate,
    SelfPayRun,
)
from jaring.continuity.permissions import CONTINUITY
from jaring.contributions.rate_tables import current_tables
from jaring.contributions.services import arrears_rule, month_of, period_of
from jaring.core import events
from jaring.core.errors import (
    Conflict,
    CoreError,
    NotFound,
    Problem,
    ValidationFailed,
)
from jaring.enrolment.cards.public import identify
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs.budget import rule_problem
from jaring.programs.defaults import sector_of
from jaring.registry.models import Worker
from jaring.rules import contributions as rules_contributions
from jaring.rules import due_dates
from jaring.rules.errors import RuleError
from jaring.rules.rates import RuleTables
from jaring.rules.tables import month_text, rupiah

_ANALYZE_AFTER = 50_000
# The relation from a cover to the user of the agent credited with it (the agents area's
# AgentCredit): an agent reads and pays only its own members' covers (accounts.scope, `own`).
AGENT_OWNS = "agent_credit__agent__user"
# A funded membership whose cover is running or has run out (not renewed, not ended).
ENDING_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.EXPIRED)


@cache
def settings_data() -> dict:
    text = resources.files("jaring.continuity").joinpath("data/self_pay.toml").read_text("utf-8")
    return tomllib.loads(text)


def notice_days() -> int:
    return settings_data()["handover_notice_days"]


def lapse_limit() -> int:
    return arrears_rule()["max_consecutive_unpaid_months"]


def _refuse(code, message_id: str, message_en: str, field: str | None = None, **params):
    cls = Conflict if 409 in code.statuses else ValidationFailed
    return cls(Problem(code, message_id, message_en, field, params))


# --- pricing ------------------------------------------------------------------------------------


def income_base_for(income: int, month: dt.date, tables: RuleTables) -> int:
    """The base of the income table in force in `month` for a declared income (never guessed)."""
    if income is None or income <= 0:
        raise _refuse(
            ContinuityError.INCOME_REQUIRED,
            "Isi penghasilan bulanan (rupiah) untuk menentukan dasar iuran.",
            "Give the monthly income (rupiah) to find the income base.",
            "income",
        )
    try:
        return tables.bpu_income_base.in_force(month).row_for_income(income).base
    except RuleError as err:
        raise ValidationFailed(rule_problem(err, "income")) from None


def rate_for(period: int, *, base: int, jht: bool, sector: str, tables: RuleTables) -> SelfPayRate:
    """The month's contribution for one (base, JHT, sector), priced once and kept."""
    rate = SelfPayRate.objects.filter(
        period=period, income_base=base, jht=jht, sector=sector
    ).first()
    if rate is not None:
        return rate
    month = month_of(period)
    benefits = ("JKK", "JKM", "JHT") if jht else ("JKK", "JKM")
    try:
        c = rules_contributions.contribution(
            month=month, funder="self", sector=sector, base=base, benefits=benefits, tables=tables
        )
        due = due_dates.due_date(month, tables=tables)
    except RuleError as err:
        raise ValidationFailed(rule_problem(err, "month")) from None
    rate, _ = SelfPayRate.objects.get_or_create(
        period=period,
        income_base=base,
        jht=jht,
        sector=sector,
        defaults={
            "month": month,
            "jkk_amount": c.jkk,
            "jkm_amount": c.jkm,
            "jht_amount": c.jht,
            "amount": c.total,
            "due_date": due.date,
            "rule_version": c.rule_version,
            "detail": c.as_dict() | {"due": due.as_dict()},
        },
    )
    return rate


def _due(rate: SelfPayRate, cover: SelfPayCover) -> dt.date:
    # A cover that starts after the month's due day owes its first month from its start.
    return max(rate.due_date, cover.start_date)


def due_date_of(cover: SelfPayCover, period: int) -> dt.date:
    """When the cover's month `period` is due."""
    tables = current_tables()
    rate = rate_for(
        period, base=cover.income_base, jht=cover.jht, sector=cover.sector, tables=tables
    )
    return _due(rate, cover)


def first_due(cover: SelfPayCover) -> dt.date:
    """The day the cover's first month must be paid by for cover without a gap."""
    return due_date_of(cover, cover.first_period)


def _covered_through(cover: SelfPayCover) -> dt.date | None:
    if cover.paid_through < cover.first_period:
        return None
    begins = rules_contributions.contribution_month_start(cover.start_date, cover.paid_through + 1)
    return begins - dt.timedelta(days=1)


def _snapshot(cover: SelfPayCover) -> dict:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "status": cover.status,
        "income_base": cover.income_base,
        "jht": cover.jht,
        "channel": cover.channel,
        "start_date": day(cover.start_date),
        "paid_through": month_text(month_of(cover.paid_through))
        if cover.paid_through >= cover.first_period
        else None,
        "covered_through": day(cover.covered_through),
        "end_date": day(cover.end_date),
    }


def _changed(*regencies: str) -> None:
    events.memberships_changed.send(sender="continuity", regencies=set(regencies))


# --- a cover ------------------------------------------------------------------------------------


def _channel(channel: str) -> str:
    if channel not in Channel.values:
        raise _refuse(
            ContinuityError.CHANNEL_UNKNOWN,
            f"Cara bayar '{channel}' tidak dikenal; pilih salah satu: {', '.join(Channel.values)}.",
            f"Unknown payment channel '{channel}'; choose one of: {', '.join(Channel.values)}.",
            "channel",
            allowed=list(Channel.values),
        )
    return channel


def _open_cover(
    *,
    actor: Actor,
    worker: Worker,
    start_date: dt.date,
    income: int,
    channel: str,
    jht: bool,
    from_membership: Membership | None = None,
    previous: SelfPayCover | None = None,
) -> SelfPayCover:
    _channel(channel)
    tables = current_tables()
    base = income_base_for(income, start_date.replace(day=1), tables)
    if SelfPayCover.objects.filter(worker=worker, status=CoverStatus.ACTIVE).exists():
        raise _refuse(
            ContinuityError.ALREADY_SELF_PAYING,
            "Pekerja ini sudah menjadi peserta mandiri aktif.",
            "This worker already has an active self-paid cover.",
            "worker",
        )
    first = period_of(start_date)
    cover = SelfPayCover(
        worker=worker,
        from_membership=from_membership,
        previous=previous,
        income=income,
        income_base=base,
        jht=jht,
        sector=sector_of(worker.category_id),
        channel=channel,
        start_date=start_date,
        first_period=first,
        paid_through=first - 1,
        village_id=worker.village_id,
        province_code=worker.province_code,
        regency_code=worker.regency_code,
        district_code=worker.district_code,
        created_by=as_user(actor),
    )
    try:
        with transaction.atomic():
            cover.save()
    except IntegrityError:  # another request opened one first
        raise _refuse(
            ContinuityError.ALREADY_SELF_PAYING,
            "Pekerja ini sudah menjadi peserta mandiri aktif.",
            "This worker already has an active self-paid cover.",
            "worker",
        ) from None
    # The first month priced now: a rule the tables cannot answer refuses the cover, not a run.
    rate_for(first, base=base, jht=jht, sector=cover.sector, tables=tables)
    audit.record(
        actor=actor,
        action="selfpay.opened",
        target=cover,
        region_code=cover.village_id,
        before=None,
        after=_snapshot(cover),
        reason=f"continues membership {from_membership.pk}" if from_membership else "",
    )
    events.selfpay_opened.send(sender="continuity", cover=cover, actor=actor)
    _changed(cover.regency_code)
    return cover


# --- the hand-over ------------------------------------------------------------------------------


@dataclass
class ChoiceInput:
    choice: str
    income: int | None = None
    channel: str = ""
    jht: bool = False
    note: str = ""


def _record_choice(
    *, actor: Actor, membership: Membership, data: ChoiceInput, via: str, today: dt.date
) -> HandoverChoice:
    if data.choice not in Choice.values:
        raise _refuse(
            ContinuityError.CHOICE_UNKNOWN,
            f"Pilihan '{data.choice}' tidak dikenal; pilih: {', '.join(Choice.values)}.",
            f"Unknown choice '{data.choice}'; choose one of: {', '.join(Choice.values)}.",
            "choice",
            allowed=list(Choice.values),
        )
    if membership.status not in ENDING_STATUSES or membership.end_date is None:
        raise _refuse(
            ContinuityError.NOT_ENDING,
            "Kepesertaan ini tidak sedang berakhir (belum aktif, sudah diperpanjang atau sudah "
            "berhenti).",
            "This membership is not ending (not active yet, renewed or already ended).",
            "membership",
            status=membership.status,
        )
    # After the funded cover ends the member may still continue while its first month could be
    # paid as arrears; later it is a new registration.
    closes = rules_contributions.contribution_month_start(
        membership.end_date + dt.timedelta(days=1),
        period_of(membership.end_date + dt.timedelta(days=1)) + lapse_limit(),
    )
    if today >= closes:
        raise _refuse(
            ContinuityError.HANDOVER_CLOSED,
            f"Masa peralihan kepesertaan ini sudah lewat ({closes}); daftarkan sebagai peserta "
            "mandiri baru.",
            f"The hand-over of this membership closed on {closes}; register a new self-paid "
            "cover instead.",
            "membership",
            closed_on=closes.isoformat(),
        )
    if HandoverChoice.objects.filter(membership=membership).exists():
        raise _refuse(
            ContinuityError.CHOICE_RECORDED,
            "Pilihan untuk kepesertaan ini sudah dicatat.",
            "A choice for this membership is already recorded.",
            "membership",
        )
    if data.choice == Choice.SELF_PAID and not data.channel:
        raise _refuse(
            ContinuityError.CHANNEL_UNKNOWN,
            "Pilih cara bayar iuran mandiri.",
            "Choose how the self-paid contributions will be paid.",
            "channel",
            allowed=list(Channel.values),
        )
    cover = None
    if data.choice == Choice.SELF_PAID:
        cover = _open_cover(
            actor=actor,
            worker=membership.worker,
            start_date=membership.end_date + dt.timedelta(days=1),
            income=data.income,
            channel=data.channel,
            jht=data.jht,
            from_membership=membership,
        )
    try:
        with transaction.atomic():
            chosen = HandoverChoice.objects.create(
                membership=membership,
                worker=membership.worker,
                choice=data.choice,
                via=via,
                cover=cover,
                note=data.note,
                recorded_by=as_user(actor),
                village_id=membership.village_id,
                province_code=membership.province_code,
                regency_code=membership.regency_code,
                district_code=membership.district_code,
            )
    except IntegrityError:  # recorded by someone else meanwhile
        raise _refuse(
            ContinuityError.CHOICE_RECORDED,
            "Pilihan untuk kepesertaan ini sudah dicatat.",
            "A choice for this membership is already recorded.",
            "membership",
        ) from None
    audit.record(
        actor=actor,
        action="handover.chosen",
        target=membership,
        region_code=membership.village_id,
        before=None,
        after={"choice": data.choice, "via": via, "cover": cover.pk if cover else None},
        reason=data.note,
    )
    return chosen


@transaction.atomic
def record_choice(
    *, actor: Actor, membership_id: int, data: ChoiceInput, today: dt.date | None = None
) -> HandoverChoice:
    """An officer records what a member whose funded cover ends chose."""
    CONTINUITY.check(actor, "choose")
    membership = (
        Membership.objects.select_for_update()
        .select_related("worker")
        .filter(scope_q(actor), pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound.of("Kepesertaan", "Membership")
    return _record_choice(
        actor=actor,
        membership=membership,
        data=data,
        via=RecordedVia.AGENT if actor.role == Role.AGENT else RecordedVia.OFFICER,
        today=today or timezone.localdate(),
    )


@transaction.atomic
def record_own_choice(
    *, nik: str, birth_date: dt.date, client: str, data: ChoiceInput, today: dt.date | None = None
) -> HandoverChoice:
    """The worker records their own choice on the public page (NIK + birth date).

    A wrong pair, an unknown NIK and "no cover ending" get the same refusal, so the page does
    not tell whether a NIK is registered (as the public status check)."""
    today = today or timezone.localdate()
    worker_id = identify(nik=nik, birth_date=birth_date, client=client)
    membership = (
        Membership.objects.select_for_update()
        .select_related("worker")
        .filter(worker_id=worker_id, status__in=ENDING_STATUSES, end_date__isnull=False)
        .order_by("-end_date", "-id")
        .first()
    )
    if membership is None:
        raise NotFound(
            Problem(
                ContinuityError.NOT_IDENTIFIED,
                "Tidak ada kepesertaan yang akan berakhir untuk NIK dan tanggal lahir ini.",
                "No membership ending was found for this NIK and birth date.",
                "nik",
            )
        )
    return _record_choice(
        actor=SYSTEM, membership=membership, data=data, via=RecordedVia.WORKER, today=today
    )


# --- payments -----------------------------------------------------------------------------------


def _priced(
    cover: SelfPayCover, months: int
) -> tuple[dict[int, SelfPayMonth], dict[int, SelfPayRate], int]:
    """The next `months` months of the cover: those already billed, the rates of those not
    billed yet, and what they cost together."""
    first, last = cover.paid_through + 1, cover.paid_through + months
    existing = {m.period: m for m in cover.months.filter(period__range=(first, last))}
    tables = current_tables()
    rates = {
        p: rate_for(p, base=cover.income_base, jht=cover.jht, sector=cover.sector, tables=tables)
        for p in range(first, last + 1)
        if p not in existing
    }
    expected = sum(m.amount for m in existing.values()) + sum(r.amount for r in rates.values())
    return existing, rates, expected


def quote(cover: SelfPayCover, months: int) -> int:
    """What the next `months` months of the cover cost (arrears first)."""
    return _priced(cover, months)[2]


@dataclass
class PaymentInput:
    months: int
    amount: int
    channel: str
    reference: str
    paid_on: dt.date
    note: str = ""


def _cover_for_update(actor: Actor, cover_id: int) -> SelfPayCover:
    cover = (
        SelfPayCover.objects.select_for_update()
        .filter(scope_q(actor, own=AGENT_OWNS), pk=cover_id)
        .first()
    )
    if cover is None:
        raise NotFound.of("Peserta mandiri", "Self-paid cover")
    return cover


@transaction.atomic
def record_payment(
    *, actor: Actor, cover_id: int, data: PaymentInput, today: dt.date | None = None
) -> SelfPayment:
    """Pays the next `months` months of a cover, arrears first, then months ahead.

    The amount must be exactly what those months cost (a short or excess payment is refused
    with the amount expected, never half-applied); the reference is unique per channel, so the
    same receipt or bank reference recorded twice pays nothing twice."""
    CONTINUITY.check(actor, "pay")
    today = today or timezone.localdate()
    cover = _cover_for_update(actor, cover_id)
    _channel(data.channel)
    if cover.status != CoverStatus.ACTIVE:
        raise _refuse(
            ContinuityError.COVER_NOT_ACTIVE,
            "Kepesertaan mandiri ini sudah berakhir; aktifkan kembali sebelum membayar.",
            "This self-paid cover has ended; reactivate it before paying.",
            "cover",
            status=cover.status,
        )
    if not data.reference.strip():
        raise _refuse(
            ContinuityError.REFERENCE_REQUIRED,
            "Isi nomor bukti bayar (kuitansi agen atau referensi bank).",
            "Give the payment's reference (agent receipt or bank reference).",
            "reference",
        )
    if data.paid_on > today:
        raise ValidationFailed(
            Problem(
                CoreError.DATE_FUTURE,
                "Tanggal bayar tidak boleh di masa depan.",
                "The payment date cannot be in the future.",
                "paid_on",
            )
        )
    first = cover.paid_through + 1
    ahead = settings_data()["max_months_ahead"]
    latest = max(period_of(today), cover.first_period) + ahead
    if data.months < 1 or first + data.months - 1 > latest:
        most = max(latest - first + 1, 0)
        raise _refuse(
            ContinuityError.MONTHS_OUT_OF_RANGE,
            f"Jumlah bulan harus 1 sampai {most} (paling jauh {ahead} bulan ke depan).",
            f"The months paid must be 1 to {most} (at most {ahead} months ahead).",
            "months",
            most=most,
        )
    last = first + data.months - 1
    if SelfPayment.objects.filter(channel=data.channel, reference=data.reference).exists():
        raise _refuse(
            ContinuityError.REFERENCE_TAKEN,
            f"Bukti bayar {data.reference} sudah dicatat; pembayaran yang sama tidak dicatat dua "
            "kali.",
            f"Payment reference {data.reference} is already recorded; the same payment is not "
            "recorded twice.",
            "reference",
        )
    existing, rates, expected = _priced(cover, data.months)
    if data.amount != expected:
        months_id = f"{month_text(month_of(first))} – {month_text(month_of(last))}"
        raise _refuse(
            ContinuityError.AMOUNT_MISMATCH,
            f"Iuran {data.months} bulan ({months_id}) adalah {rupiah(expected)}, bukan "
            f"{rupiah(data.amount)}.",
            f"{data.months} month(s) ({months_id}) cost {rupiah(expected)}, not "
            f"{rupiah(data.amount)}.",
            "amount",
            expected=expected,
        )
    before = _snapshot(cover)
    payment = SelfPayment.objects.create(
        cover=cover,
        channel=data.channel,
        reference=data.reference.strip(),
        paid_on=data.paid_on,
        amount=data.amount,
        first_period=first,
        last_period=last,
        note=data.note,
        regency_code=cover.regency_code,
        recorded_by=as_user(actor),
    )
    SelfPayMonth.objects.filter(pk__in=[m.pk for m in existing.values()]).update(
        status=MonthStatus.PAID, payment=payment
    )
    SelfPayMonth.objects.bulk_create(
        SelfPayMonth(
            cover=cover,
            period=p,
            rate=r,
            amount=r.amount,
            due_date=_due(r, cover),
            status=MonthStatus.PAID,
            payment=payment,
        )
        for p, r in rates.items()
    )
    if cover.covered_from is None:
        first_due = existing[first].due_date if first in existing else _due(rates[first], cover)
        # Paid by its due date: cover continues from the start without a gap.
        cover.covered_from = cover.start_date if data.paid_on <= first_due else data.paid_on
    cover.paid_through = last
    cover.covered_through = _covered_through(cover)
    cover.save(update_fields=["paid_through", "covered_from", "covered_through", "updated_at"])
    audit.record(
        actor=actor,
        action="selfpay.paid",
        target=cover,
        region_code=cover.village_id,
        before=before,
        after=_snapshot(cover)
        | {"payment": payment.pk, "amount": payment.amount, "reference": payment.reference},
    )
    events.selfpay_paid.send(sender="continuity", payment=payment, actor=actor)
    _changed(cover.regency_code)
    return payment


# --- reactivation -------------------------------------------------------------------------------


@transaction.atomic
def reactivate(
    *,
    actor: Actor,
    cover_id: int,
    start_date: dt.date | None = None,
    income: int | None = None,
    channel: str = "",
    jht: bool | None = None,
) -> SelfPayCover:
    """A lapsed or stopped member pays again: a new cover period from `start_date` (today)."""
    CONTINUITY.check(actor, "pay")
    old = _cover_for_update(actor, cover_id)
    if old.status == CoverStatus.ACTIVE:
        raise _refuse(
            ContinuityError.COVER_ACTIVE,
            "Kepesertaan mandiri ini masih aktif.",
            "This self-paid cover is still active.",
            "cover",
        )
    return _open_cover(
        actor=actor,
        worker=old.worker,
        start_date=start_date or timezone.localdate(),
        income=income or old.income or old.income_base,
        channel=channel or old.channel,
        jht=old.jht if jht is None else jht,
        previous=old,
    )


@transaction.atomic
def stop(*, actor: Actor, cover_id: int, note: str = "") -> SelfPayCover:
    """The member stops paying: cover ends with the last paid month; months billed and unpaid
    are no longer payable (as a lapse, but now and at the member's word)."""
    CONTINUITY.check(actor, "pay")
    cover = _cover_for_update(actor, cover_id)
    if cover.status != CoverStatus.ACTIVE:
        raise _refuse(
            ContinuityError.COVER_NOT_ACTIVE,
            "Kepesertaan mandiri ini sudah berakhir.",
            "This self-paid cover has already ended.",
            "cover",
            status=cover.status,
        )
    before = _snapshot(cover)
    cover.status = CoverStatus.STOPPED
    cover.end_date = cover.covered_through or cover.start_date
    cover.end_note = note
    cover.save(update_fields=["status", "end_date", "end_note", "updated_at"])
    cover.months.filter(status=MonthStatus.DUE).update(status=MonthStatus.LAPSED)
    audit.record(
        actor=actor,
        action="selfpay.stopped",
        target=cover,
        region_code=cover.village_id,
        before=before,
        after=_snapshot(cover),
        reason=note,
    )
    _changed(cover.regency_code)
    return cover


# --- the monthly run ----------------------------------------------------------------------------


@dataclass
class RunResult:
    month: str
    as_of: str
    lapsed: int = 0
    months_lapsed: int = 0
    billed: int = 0
    amount_due: int = 0  # the month's unpaid contributions after the run
    rates: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _lapsing_sql() -> str:
    """Covers with more unpaid months past their due date than the rule allows."""
    m = SelfPayMonth._meta.db_table
    return (
        f"SELECT cover_id FROM {m} WHERE status = %s AND due_date < %s "
        "GROUP BY cover_id HAVING COUNT(*) > %s"
    )


def apply_lapses(*, actor: Actor, as_of: dt.date) -> tuple[int, int]:
    """Ends each active cover with more than the allowed consecutive unpaid months: cover ends
    with its last paid month, its unpaid months are no longer payable. Returns (covers, months).
    Audited per cover in one INSERT … SELECT."""
    CONTINUITY.check(actor, "bill")
    c, m = SelfPayCover._meta.db_table, SelfPayMonth._meta.db_table
    limit = lapse_limit()
    lapsing = _lapsing_sql()
    params = [MonthStatus.DUE, as_of, limit]
    note = f"more than {limit} consecutive months unpaid (as of {as_of.isoformat()})"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT DISTINCT regency_code FROM {c} WHERE status = %s AND id IN ({lapsing})",
            [CoverStatus.ACTIVE, *params],
        )
        regencies = {r[0] for r in cur.fetchall()}
    if not regencies:
        return 0, 0
    audit.record_query(
        actor=actor,
        action="selfpay.lapsed",
        model=SelfPayCover,
        rows=(
            f"SELECT c.id AS target_id, c.village_id AS region_code, %s AS before, "
            f"%s AS after, %s AS reason FROM {c} c WHERE c.status = %s AND c.id IN ({lapsing})",
            [
                json.dumps({"status": CoverStatus.ACTIVE}),
                json.dumps({"status": CoverStatus.LAPSED}),
                note,
                CoverStatus.ACTIVE,
                *params,
            ],
        ),
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cur:
        # The months first, straight from the grouped count: a cover's status is not in the
        # planner's statistics yet (a PostgreSQL plan from "lapsed covers" walked the unpaid
        # months once per cover: minutes for 30,000 lapses).
        cur.execute(
            f"UPDATE {m} SET status = %s WHERE status = %s AND cover_id IN ({lapsing})",
            [MonthStatus.LAPSED, MonthStatus.DUE, *params],
        )
        months = cur.rowcount
        cur.execute(
            f"UPDATE {c} SET status = %s, end_date = COALESCE(covered_through, start_date), "
            f"end_note = %s, updated_at = %s WHERE status = %s AND id IN "
            f"(SELECT DISTINCT cover_id FROM {m} WHERE status = %s)",
            [CoverStatus.LAPSED, note, now, CoverStatus.ACTIVE, MonthStatus.LAPSED],
        )
        covers = cur.rowcount
    _changed(*regencies)
    return covers, months


@transaction.atomic
def run_month(*, actor: Actor, month: dt.date, as_of: dt.date | None = None) -> RunResult:
    """Lapses first (a lapsed member is not billed again), then the month's contribution for
    every active cover that owes it and has not paid it ahead. Running a month again adds only
    the covers missing from it."""
    CONTINUITY.check(actor, "bill")
    month = month.replace(day=1)
    as_of = as_of or timezone.localdate()
    result = RunResult(month=month_text(month), as_of=as_of.isoformat())
    result.lapsed, result.months_lapsed = apply_lapses(actor=actor, as_of=as_of)
    period = period_of(month)
    groups = (
        SelfPayCover.objects.filter(
            status=CoverStatus.ACTIVE, first_period__lte=period, paid_through__lt=period
        )
        .order_by()
        .values_list("income_base", "jht", "sector")
        .annotate(n=Count("id"))
    )
    tables = current_tables()
    for base, jht, sector, n in groups:
        rate = rate_for(period, base=base, jht=jht, sector=sector, tables=tables)
        result.rates.append(
            {"income_base": base, "jht": jht, "sector": sector, "members": n, "amount": rate.amount}
        )
    c, m, r = (
        SelfPayCover._meta.db_table,
        SelfPayMonth._meta.db_table,
        SelfPayRate._meta.db_table,
    )
    # A month nobody owes yet: looking each cover up among its rows is a million wasted probes.
    fresh = not SelfPayMonth.objects.filter(period=period).exists()
    missing = (
        ""
        if fresh
        else f"AND NOT EXISTS (SELECT 1 FROM {m} x WHERE x.cover_id = {c}.id AND x.period = %s)"
    )
    sql = f"""
        INSERT INTO {m} (cover_id, period, rate_id, amount, due_date, status)
        SELECT {c}.id, %s, r.id, r.amount,
            CASE WHEN {c}.start_date > r.due_date THEN {c}.start_date ELSE r.due_date END, %s
        FROM {c} JOIN {r} r ON r.period = %s AND r.income_base = {c}.income_base
            AND r.jht = {c}.jht AND r.sector = {c}.sector
        WHERE {c}.status = %s AND {c}.first_period <= %s AND {c}.paid_through < %s {missing}
    """
    params = [period, MonthStatus.DUE, period, CoverStatus.ACTIVE, period, period]
    with connection.cursor() as cur:
        cur.execute(sql, [*params, *([] if fresh else [period])])
        result.billed = cur.rowcount
        if result.billed > _ANALYZE_AFTER and connection.vendor == "postgresql":
            # Fresh statistics, or the next lapse check is planned for an empty table.
            cur.execute(f"ANALYZE {m}")
            cur.execute(f"ANALYZE {c}")
    result.amount_due = (
        SelfPayMonth.objects.filter(period=period, status=MonthStatus.DUE).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    run = SelfPayRun.objects.create(
        month=month, as_of=as_of, result=result.as_dict(), created_by=as_user(actor)
    )
    audit.record(
        actor=actor,
        action="selfpay.run",
        target=run,
        region_code="",
        before=None,
        after=result.as_dict(),
    )
    return result
