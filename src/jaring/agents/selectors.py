"""Reads of Perisai agents, always through the user's region; an agent reads only itself and
its own members (accounts.scope, `own`).

The officer's page lists agents by activity: members credited, members still covered (the
agent's retention), collected and new members in the month, the last active month. The agent's
page: its portfolio (each member's paid-through month and months due or overdue), collections,
deposits and fees. Each list is one query with its counts annotated (no query per row).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from jaring.accounts.scope import Actor, scope_q
from jaring.agents.models import Agent, AgentCredit, AgentFee, Collection, Deposit
from jaring.continuity.models import CoverStatus, MonthStatus, SelfPayCover, SelfPayMonth
from jaring.continuity.services import AGENT_OWNS
from jaring.core.errors import CoreError, NotFound, Problem


def agents_for(user: Actor) -> QuerySet[Agent]:
    return Agent.objects.filter(scope_q(user, field="area__code", own="user"))


def get_agent(user: Actor, pk: int) -> Agent:
    agent = agents_for(user).select_related("area", "user").filter(pk=pk).first()
    if agent is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Agen tidak ditemukan.", "Agent not found."))
    return agent


def own_agent(user: Actor) -> Agent | None:
    return agents_for(user).filter(user_id=user.pk).first() if user.pk else None


def _sum(qs, field: str):
    return Coalesce(Subquery(qs.values("agent").annotate(s=Sum(field)).values("s")[:1]), 0)


def _count(qs):
    return Coalesce(
        Subquery(qs.values("agent").annotate(n=Count("id")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def activity(user: Actor, month: dt.date) -> QuerySet[Agent]:
    """Agents with their members, members still covered, and the month's collections and new
    members, busiest first."""
    month = month.replace(day=1)
    credits = AgentCredit.objects.filter(agent=OuterRef("pk")).order_by()
    collections = Collection.objects.filter(agent=OuterRef("pk"), month=month).order_by()
    undeposited = Collection.objects.filter(agent=OuterRef("pk"), deposit__isnull=True).order_by()
    return (
        agents_for(user)
        .select_related("area")
        .annotate(
            members=_count(credits),
            covered=_count(credits.filter(cover__status=CoverStatus.ACTIVE)),
            new_members=_count(credits.filter(month=month)),
            collected=_sum(collections, "amount"),
            undeposited=_sum(undeposited, "amount"),
        )
        .order_by("-collected", "-new_members", "full_name", "id")
    )


def retention_pct(members: int, covered: int) -> float | None:
    return round(100 * covered / members, 1) if members else None


def portfolio(user: Actor, agent: Agent, as_of: dt.date) -> QuerySet[SelfPayCover]:
    """The agent's members with their months due and overdue on `as_of`."""
    due = SelfPayMonth.objects.filter(cover=OuterRef("pk"), status=MonthStatus.DUE).order_by()

    def count(qs):
        return Coalesce(
            Subquery(qs.values("cover").annotate(n=Count("id")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        )

    return (
        SelfPayCover.objects.filter(scope_q(user, own=AGENT_OWNS), agent_credit__agent=agent)
        .select_related("worker", "village")
        .annotate(
            months_due=count(due),
            months_overdue=count(due.filter(due_date__lt=as_of)),
            amount_due=Coalesce(
                Subquery(due.values("cover").annotate(s=Sum("amount")).values("s")[:1]), 0
            ),
        )
        .order_by("-months_overdue", "status", "worker__full_name", "id")
    )


def portfolio_counts(members: QuerySet[SelfPayCover]) -> dict[str, int]:
    return members.aggregate(
        members=Count("id"),
        active=Count("id", filter=Q(status=CoverStatus.ACTIVE)),
        overdue=Count("id", filter=Q(months_overdue__gt=0)),
    )


def collections(agent: Agent) -> QuerySet[Collection]:
    return agent.collections.select_related("cover__worker", "deposit", "payment")


def deposits(agent: Agent) -> QuerySet[Deposit]:
    return agent.deposits.all()


def fees(agent: Agent) -> QuerySet[AgentFee]:
    return agent.fees.all()


def undeposited(agent: Agent) -> int:
    """Cash the agent collected and has not deposited to BPJS yet."""
    return agent.collections.filter(deposit__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
