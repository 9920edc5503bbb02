"""Perisai agents over the API: the agents by activity, one agent, its portfolio (members with
months due and overdue), collections and fees. Amounts are whole rupiah.

An agent's login reads only itself (agents.selectors, accounts.scope `own`); an agent outside
the user's region is not found (404).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jaring.agents import selectors, services
from jaring.agents.models import Agent, AgentFee
from jaring.agents.permissions import AGENTS
from jaring.contributions.services import month_of
from jaring.core.api.params import month_param
from jaring.core.api.schemas import Strict, errors
from jaring.rules.tables import month_text

router = Router(tags=["agents"])


class AgentPage(Schema):
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(200, ge=1, le=1000)


class AgentMonthQuery(AgentPage):
    month: str | None = Field(None, description="YYYY-MM (default: this month)")


class AgentPortfolioQuery(AgentPage):
    as_of: dt.date | None = Field(None, description="the day months count as overdue after")


class AgentActivityOut(Schema):
    id: int
    name: str
    bpjs_agent_number: str
    area: str
    area_name: str
    status: str
    joined_on: dt.date
    inactive_since: dt.date | None
    members: int = Field(description="self-paid covers credited to the agent")
    covered: int = Field(description="of them, still active")
    retention_pct: float | None
    new_members: int = Field(description="new in the month")
    collected: int = Field(description="cash collected in the month")
    undeposited: int = Field(description="collected, not yet deposited to BPJS")


class AgentListOut(Schema):
    month: str
    agents: list[AgentActivityOut]


class AgentPortfolioMemberOut(Schema):
    cover_id: int
    worker_id: int
    name: str
    village: str
    village_name: str
    status: str
    channel: str
    paid_through: str | None = Field(description="the last paid month, YYYY-MM")
    months_due: int
    months_overdue: int
    amount_due: int


class AgentPortfolioOut(Schema):
    agent_id: int
    as_of: dt.date
    members: int
    active: int
    overdue: int
    portfolio: list[AgentPortfolioMemberOut]


class AgentCollectionOut(Schema):
    id: int
    cover_id: int
    name: str
    amount: int
    months: int
    collected_on: dt.date
    month: str
    deposit_reference: str | None


class AgentFeeOut(Schema):
    month: str
    collected: int
    new_members: int
    fee: int
    bonus: int
    total: int
    rule_version: str


def _month_or_this(text: str | None) -> dt.date:
    return month_param(text) if text else timezone.localdate().replace(day=1)


def _activity(a: Agent) -> dict[str, object]:
    return {
        "id": a.pk,
        "name": a.full_name,
        "bpjs_agent_number": a.bpjs_agent_number,
        "area": a.area_id,
        "area_name": a.area.name,
        "status": a.status,
        "joined_on": a.joined_on,
        "inactive_since": a.inactive_since,
        "members": a.members,
        "covered": a.covered,
        "retention_pct": selectors.retention_pct(a.members, a.covered),
        "new_members": a.new_members,
        "collected": a.collected,
        "undeposited": a.undeposited,
    }


def _fee(f: AgentFee) -> dict[str, object]:
    return {
        "month": month_text(f.month),
        "collected": f.collected,
        "new_members": f.new_members,
        "fee": f.fee,
        "bonus": f.bonus,
        "total": f.total,
        "rule_version": f.rule_version,
    }


def _agent(request: HttpRequest, agent_id: int) -> Agent:
    AGENTS.check(request.auth, "view")
    return selectors.get_agent(request.auth, agent_id)


@router.get(
    "/",
    response={200: AgentListOut, **errors(401, 403, 422)},
    summary="Agents by activity in a month: members, retention, collections, new members",
)
def list_agents(request: HttpRequest, query: Query[AgentMonthQuery]):
    AGENTS.check(request.auth, "view")
    month = _month_or_this(query.month)
    rows = selectors.activity(request.auth, month)[query.offset : query.offset + query.limit]
    return {"month": month_text(month), "agents": [_activity(a) for a in rows]}


@router.get(
    "/{agent_id}",
    response={200: AgentActivityOut, **errors(401, 403, 404, 422)},
    summary="One agent with its activity in a month",
)
def get_agent(request: HttpRequest, agent_id: int, query: Query[AgentMonthQuery]):
    _agent(request, agent_id)
    month = _month_or_this(query.month)
    return _activity(selectors.activity(request.auth, month).get(pk=agent_id))


@router.get(
    "/{agent_id}/portfolio",
    response={200: AgentPortfolioOut, **errors(401, 403, 404)},
    summary="The agent's members with their months due and overdue",
)
def portfolio(request: HttpRequest, agent_id: int, query: Query[AgentPortfolioQuery]):
    agent = _agent(request, agent_id)
    as_of = query.as_of or timezone.localdate()
    members = selectors.portfolio(request.auth, agent, as_of)
    counts = selectors.portfolio_counts(members)
    rows = members[query.offset : query.offset + query.limit]
    return {
        "agent_id": agent.pk,
        "as_of": as_of,
        **counts,
        "portfolio": [
            {
                "cover_id": c.pk,
                "worker_id": c.worker_id,
                "name": c.worker.full_name,
                "village": c.village_id,
                "village_name": c.village.name,
                "status": c.status,
                "channel": c.channel,
                "paid_through": month_text(month_of(c.paid_through))
                if c.paid_through >= c.first_period
                else None,
                "months_due": c.months_due,
                "months_overdue": c.months_overdue,
                "amount_due": c.amount_due,
            }
            for c in rows
        ],
    }


@router.get(
    "/{agent_id}/collections",
    response={200: list[AgentCollectionOut], **errors(401, 403, 404)},
    summary="Cash the agent collected, newest first, with the deposit that took it",
)
def collections(request: HttpRequest, agent_id: int, query: Query[AgentPage]):
    agent = _agent(request, agent_id)
    rows = selectors.collections(agent)[query.offset : query.offset + query.limit]
    return [
        {
            "id": c.pk,
            "cover_id": c.cover_id,
            "name": c.cover.worker.full_name,
            "amount": c.amount,
            "months": c.months,
            "collected_on": c.collected_on,
            "month": month_text(c.month),
            "deposit_reference": c.deposit.reference if c.deposit_id else None,
        }
        for c in rows
    ]


@router.get(
    "/{agent_id}/fees",
    response={200: list[AgentFeeOut], **errors(401, 403, 404)},
    summary="The agent's monthly fees, newest first",
)
def fees(request: HttpRequest, agent_id: int, query: Query[AgentPage]):
    agent = _agent(request, agent_id)
    return [_fee(f) for f in selectors.fees(agent)[query.offset : query.offset + query.limit]]


class AgentFeeIn(Strict):
    month: str = Field(description="YYYY-MM")


@router.post(
    "/{agent_id}/fees",
    response={200: AgentFeeOut, **errors(401, 403, 404, 422)},
    summary="Calculate (again) the agent's fee for a month from the rule tables",
)
def calculate_fee(request: HttpRequest, agent_id: int, body: AgentFeeIn):
    return _fee(
        services.calculate_fee(
            actor=request.auth, agent_id=agent_id, month=_month_or_this(body.month)
        )
    )
