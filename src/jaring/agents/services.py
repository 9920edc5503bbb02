"""Writes of Perisai agents: registering an agent, crediting a member to it, its collections,
deposits to BPJS (reconciled against the collections), monthly fees and the inactivity rule.

Fees and the inactivity rule come from `rules.agents` (dated data with its source; the 2018
figures are NC). An agent's cash collections are continuity's payments with channel
cash_agent: continuity records the payment, this area keeps the agent's side of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from lokal import normalize_phone

from jaring.accounts import audit
from jaring.accounts.models import Role, User
from jaring.accounts.scope import Actor, as_user, in_scope, scope_q
from jaring.agents.errors import AgentError
from jaring.agents.models import Agent, AgentCredit, AgentFee, AgentStatus, Collection, Deposit
from jaring.agents.permissions import AGENTS
from jaring.continuity.models import Channel, SelfPayCover, SelfPayment
from jaring.core.errors import Conflict, CoreError, NotFound, Problem, ValidationFailed
from jaring.regions.models import Region
from jaring.rules import nik as rules_nik
from jaring.rules.agents import default_agent_tables
from jaring.rules.errors import RuleError
from jaring.rules.tables import month_text, rupiah


def _refuse(code, message_id: str, message_en: str, field: str | None = None, **params):
    cls = Conflict if 409 in code.statuses else ValidationFailed
    return cls(Problem(code, message_id, message_en, field, params))


def _not_found() -> NotFound:
    return NotFound(Problem(CoreError.NOT_FOUND, "Agen tidak ditemukan.", "Agent not found."))


def indonesian_phone(raw: str, field: str = "phone") -> str:
    """+62…, or a refusal naming the field: a number that is not Indonesian is not sent to."""
    phone = normalize_phone(raw) if raw and raw.strip() else None
    if not phone or not phone.startswith("+62"):
        raise _refuse(
            AgentError.PHONE_INVALID,
            f"Nomor telepon '{raw}' bukan nomor Indonesia (contoh: 0812 3456 7890).",
            f"Phone number '{raw}' is not an Indonesian number (e.g. 0812 3456 7890).",
            field,
        )
    return phone


def _snapshot(agent: Agent) -> dict:
    return {
        "full_name": agent.full_name,
        "area": agent.area_id,
        "bpjs_agent_number": agent.bpjs_agent_number,
        "status": agent.status,
        "user": agent.user.username if agent.user_id else None,
    }


def agents_for_update(actor: Actor):
    return Agent.objects.select_for_update().filter(scope_q(actor, field="area__code", own="user"))


def _agent(actor: Actor, agent_id: int) -> Agent:
    agent = agents_for_update(actor).filter(pk=agent_id).first()
    if agent is None:
        raise _not_found()
    return agent


# --- the registry -------------------------------------------------------------------------------


@dataclass
class AgentInput:
    full_name: str
    nik: str
    phone: str
    area: str
    bpjs_agent_number: str
    username: str = ""
    joined_on: dt.date | None = None


@transaction.atomic
def register_agent(*, actor: Actor, data: AgentInput) -> Agent:
    """A new agent in the actor's region; its login (an existing user with the agent role) is
    scoped to the agent's area."""
    AGENTS.check(actor, "manage")
    problems = []
    if not data.full_name.strip():
        problems.append(
            Problem(CoreError.REQUIRED, "Isi nama agen.", "Give the agent's name.", "full_name")
        )
    parsed = rules_nik.parse(data.nik)
    if not parsed.valid:
        problems.append(
            Problem(
                AgentError.NIK_INVALID,
                f"NIK agen tidak sah: {parsed.error.id}",
                f"The agent's NIK is not valid: {parsed.error.en}",
                "nik",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    phone = indonesian_phone(data.phone)
    area = Region.objects.filter(pk=data.area.strip()).first()
    if area is None or not in_scope(actor, area.pk):
        raise _refuse(
            AgentError.AREA_UNKNOWN,
            f"Wilayah kerja '{data.area}' tidak ada di wilayah Anda.",
            f"Work area '{data.area}' is not in your region.",
            "area",
        )
    number = data.bpjs_agent_number.strip()
    if not number:
        raise ValidationFailed(
            Problem(
                CoreError.REQUIRED,
                "Isi nomor agen BPJS.",
                "Give the BPJS agent number.",
                "bpjs_agent_number",
            )
        )
    if Agent.objects.filter(bpjs_agent_number=number).exists():
        raise _refuse(
            AgentError.NUMBER_TAKEN,
            f"Nomor agen BPJS {number} sudah terdaftar.",
            f"BPJS agent number {number} is already registered.",
            "bpjs_agent_number",
        )
    if Agent.objects.filter(nik=parsed.nik).exists():
        raise _refuse(
            AgentError.ALREADY_AGENT,
            "Orang dengan NIK ini sudah terdaftar sebagai agen.",
            "A person with this NIK is already registered as an agent.",
            "nik",
        )
    user = None
    if data.username:
        user = User.objects.filter(username=data.username).first()
        if user is None or user.role != Role.AGENT or hasattr(user, "agent"):
            raise _refuse(
                AgentError.USER_NOT_AGENT,
                f"Pengguna '{data.username}' tidak ada, tidak berperan agen, atau sudah dipakai "
                "agen lain.",
                f"User '{data.username}' does not exist, does not have the agent role, or "
                "belongs to another agent.",
                "username",
            )
        if user.scope_id != area.pk:
            user.scope_id = area.pk
            user.save(update_fields=["scope"])
    try:
        with transaction.atomic():
            agent = Agent.objects.create(
                user=user,
                full_name=data.full_name.strip(),
                nik=parsed.nik,
                phone=phone,
                area=area,
                bpjs_agent_number=number,
                joined_on=data.joined_on or timezone.localdate(),
                created_by=as_user(actor),
            )
    except IntegrityError:
        raise _refuse(
            AgentError.NUMBER_TAKEN,
            f"Nomor agen BPJS {number} atau NIK ini sudah terdaftar.",
            f"BPJS agent number {number} or this NIK is already registered.",
            "bpjs_agent_number",
        ) from None
    audit.record(
        actor=actor,
        action="agent.registered",
        target=agent,
        region_code=area.pk,
        before=None,
        after=_snapshot(agent),
    )
    return agent


def _credit(actor: Actor, agent: Agent, cover: SelfPayCover, day: dt.date) -> AgentCredit:
    if agent.status != AgentStatus.ACTIVE:
        raise _refuse(
            AgentError.NOT_ACTIVE,
            f"Agen {agent.full_name} tidak aktif; aktifkan kembali sebelum mendaftarkan peserta.",
            f"Agent {agent.full_name} is inactive; reactivate them before crediting members.",
            "agent",
        )
    credit = AgentCredit.objects.create(
        cover=cover,
        agent=agent,
        credited_on=day,
        # A member is new in the month its self-paid cover begins (the bonus counts them).
        month=cover.start_date.replace(day=1),
        regency_code=cover.regency_code,
    )
    audit.record(
        actor=actor,
        action="agent.credited",
        target=cover,
        region_code=cover.village_id,
        before=None,
        after={"agent": agent.pk, "bpjs_agent_number": agent.bpjs_agent_number},
    )
    return credit


def credit_to_own_agent(*, actor: User, cover: SelfPayCover) -> AgentCredit:
    """The cover the agent's own login opened is credited to it (continuity's event)."""
    agent = Agent.objects.select_for_update().filter(user=actor).first()
    if agent is None:
        raise _refuse(
            AgentError.USER_NOT_AGENT,
            "Login ini belum terhubung ke agen yang terdaftar.",
            "This login is not linked to a registered agent.",
            "agent",
        )
    return _credit(actor, agent, cover, timezone.localdate())


@transaction.atomic
def credit_cover(*, actor: Actor, cover_id: int, agent_id: int) -> AgentCredit:
    """An officer credits a self-paid cover to the agent who recruited the member."""
    AGENTS.check(actor, "manage")
    agent = _agent(actor, agent_id)
    cover = SelfPayCover.objects.filter(scope_q(actor), pk=cover_id).first()
    if cover is None:
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Peserta mandiri tidak ditemukan.", "Cover not found.")
        )
    if AgentCredit.objects.filter(cover=cover).exists():
        raise _refuse(
            AgentError.ALREADY_AGENT,
            "Peserta ini sudah tercatat sebagai peserta seorang agen.",
            "This member is already credited to an agent.",
            "cover",
        )
    return _credit(actor, agent, cover, timezone.localdate())


def collect(*, actor: Actor, payment: SelfPayment) -> Collection | None:
    """A cash payment to an agent becomes the collection of the cover's agent (continuity's
    event, inside the payment's transaction)."""
    if payment.channel != Channel.CASH_AGENT:
        return None
    credit = AgentCredit.objects.select_related("agent").filter(cover_id=payment.cover_id).first()
    agent = credit.agent if credit else Agent.objects.filter(user_id=actor.pk).first()
    if agent is None:
        return None
    return Collection.objects.create(
        payment=payment,
        agent=agent,
        cover_id=payment.cover_id,
        amount=payment.amount,
        months=payment.last_period - payment.first_period + 1,
        collected_on=payment.paid_on,
        month=payment.paid_on.replace(day=1),
        regency_code=payment.regency_code,
    )


# --- deposits -----------------------------------------------------------------------------------


@dataclass
class DepositInput:
    reference: str
    amount: int
    deposited_on: dt.date


@transaction.atomic
def record_deposit(*, actor: Actor, agent_id: int, data: DepositInput) -> Deposit:
    """The agent paid in its collections up to the deposit's day: the amount must be exactly
    what it collected and has not deposited yet (reconciled, never half-applied)."""
    AGENTS.check(actor, "manage")
    agent = _agent(actor, agent_id)
    reference = data.reference.strip()
    if not reference:
        raise ValidationFailed(
            Problem(
                CoreError.REQUIRED,
                "Isi nomor bukti setoran.",
                "Give the deposit's reference.",
                "reference",
            )
        )
    if Deposit.objects.filter(reference=reference).exists():
        raise _refuse(
            AgentError.DEPOSIT_REFERENCE_TAKEN,
            f"Setoran {reference} sudah dicatat.",
            f"Deposit {reference} is already recorded.",
            "reference",
        )
    open_items = Collection.objects.filter(
        agent=agent, deposit__isnull=True, collected_on__lte=data.deposited_on
    )
    expected = open_items.aggregate(s=Sum("amount"))["s"] or 0
    count = open_items.count()
    if not count:
        raise _refuse(
            AgentError.DEPOSIT_NOTHING,
            f"Agen {agent.full_name} tidak punya iuran terkumpul yang belum disetor sampai "
            f"{data.deposited_on}.",
            f"Agent {agent.full_name} has no undeposited collections up to {data.deposited_on}.",
            "amount",
        )
    if data.amount != expected:
        raise _refuse(
            AgentError.DEPOSIT_MISMATCH,
            f"Setoran {rupiah(data.amount)} tidak sama dengan iuran terkumpul yang belum disetor "
            f"({count} pembayaran, {rupiah(expected)}).",
            f"The deposit of {rupiah(data.amount)} does not match the undeposited collections "
            f"({count} payment(s), {rupiah(expected)}).",
            "amount",
            expected=expected,
        )
    deposit = Deposit.objects.create(
        agent=agent,
        reference=reference,
        deposited_on=data.deposited_on,
        amount=data.amount,
        collections=count,
        regency_code=agent.area_id[:5],
        recorded_by=as_user(actor),
    )
    open_items.update(deposit=deposit)
    audit.record(
        actor=actor,
        action="agent.deposited",
        target=agent,
        region_code=agent.area_id,
        before=None,
        after={"deposit": deposit.pk, "reference": reference, "amount": data.amount},
    )
    return deposit


# --- fees ---------------------------------------------------------------------------------------


def activity(agent: Agent, month: dt.date) -> tuple[int, int]:
    """(collected, new members) of the agent in the month."""
    month = month.replace(day=1)
    collected = (
        Collection.objects.filter(agent=agent, month=month).aggregate(s=Sum("amount"))["s"] or 0
    )
    new = AgentCredit.objects.filter(agent=agent, month=month).count()
    return collected, new


@transaction.atomic
def calculate_fee(*, actor: Actor, agent_id: int, month: dt.date) -> AgentFee:
    """The agent's fee for a month (calculated again: the row is brought up to date)."""
    AGENTS.check(actor, "fees")
    agent = _agent(actor, agent_id)
    month = month.replace(day=1)
    collected, new = activity(agent, month)
    try:
        fee = default_agent_tables().fee(month=month, collected=collected, new_members=new)
    except RuleError as err:
        raise _refuse(
            AgentError.FEE_NO_ACTIVITY, err.message_id, err.message_en, "month", month=str(month)
        ) from None
    row, _ = AgentFee.objects.update_or_create(
        agent=agent,
        month=month,
        defaults={
            "collected": collected,
            "new_members": new,
            "fee": fee.fee,
            "bonus": fee.bonus,
            "total": fee.total,
            "rule_version": fee.rule.meta.id,
            "detail": fee.as_dict(),
        },
    )
    audit.record(
        actor=actor,
        action="agent.fee",
        target=agent,
        region_code=agent.area_id,
        before=None,
        after=fee.as_dict(),
    )
    return row


# --- activity -----------------------------------------------------------------------------------


def last_active(agents) -> dict[int, dt.date]:
    """The last month with a new member or a collection, per agent (two grouped queries)."""
    out: dict[int, dt.date] = {}
    for model in (AgentCredit, Collection):
        rows = model.objects.filter(agent__in=agents).values("agent").annotate(m=Max("month"))
        for r in rows:
            out[r["agent"]] = max(out.get(r["agent"], r["m"]), r["m"])
    return out


@transaction.atomic
def apply_inactivity(*, actor: Actor, month: dt.date) -> list[int]:
    """Active agents with no new member and no collection for the rule's consecutive months
    become inactive from the month after; returns their ids."""
    AGENTS.check(actor, "manage")
    tables = default_agent_tables()
    month = month.replace(day=1)
    active = list(agents_for_update(actor).filter(status=AgentStatus.ACTIVE))
    last = last_active(active)
    ended = []
    for agent in active:
        since = tables.inactive_since(
            last_active=last.get(agent.pk), joined=agent.joined_on, month=month
        )
        if since is None:
            continue
        agent.status, agent.inactive_since = AgentStatus.INACTIVE, since
        ended.append(agent)
    Agent.objects.bulk_update(ended, ["status", "inactive_since"])
    rule = tables.rule(month)
    audit.record_many(
        actor=actor,
        action="agent.inactive",
        model=Agent,
        changes=[
            audit.Change(
                target_id=a.pk,
                region_code=a.area_id,
                before={"status": AgentStatus.ACTIVE},
                after={"status": AgentStatus.INACTIVE, "since": a.inactive_since.isoformat()},
                reason=f"no new member and no collection for {rule.inactive_after_months} months",
            )
            for a in ended
        ],
    )
    return [a.pk for a in ended]


@transaction.atomic
def rejoin(*, actor: Actor, agent_id: int, today: dt.date | None = None) -> Agent:
    """An inactive agent may work again once the rule's months have passed."""
    AGENTS.check(actor, "manage")
    today = today or timezone.localdate()
    agent = _agent(actor, agent_id)
    if agent.status == AgentStatus.ACTIVE:
        return agent
    allowed = default_agent_tables().may_rejoin_from(agent.inactive_since)
    if today < allowed:
        raise _refuse(
            AgentError.REJOIN_TOO_EARLY,
            f"Agen tidak aktif sejak {month_text(agent.inactive_since)}; boleh bergabung lagi "
            f"mulai {allowed}.",
            f"The agent is inactive since {month_text(agent.inactive_since)}; it may rejoin "
            f"from {allowed}.",
            "agent",
            allowed=allowed.isoformat(),
        )
    before = _snapshot(agent)
    agent.status, agent.inactive_since = AgentStatus.ACTIVE, None
    agent.joined_on = today
    agent.save(update_fields=["status", "inactive_since", "joined_on"])
    audit.record(
        actor=actor,
        action="agent.rejoined",
        target=agent,
        region_code=agent.area_id,
        before=before,
        after=_snapshot(agent),
    )
    return agent
