"""Pages: the officer's agents by activity and retention; an agent's page (its portfolio with
months due and overdue, collections, deposits and fees), which an agent's login opens as its own
page at the index."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.agents import selectors
from jaring.agents.models import Agent
from jaring.agents.permissions import AGENTS
from jaring.contributions.services import month_of
from jaring.core.errors import NotFound
from jaring.rules.tables import parse_month


def _viewer(request) -> None:
    if not AGENTS.may(request.user, "view"):
        raise Http404


def _month(request) -> dt.date:
    return parse_month(request.GET.get("month", "")) or timezone.localdate().replace(day=1)


@login_required
def index(request):
    _viewer(request)
    if request.user.role == Role.AGENT:
        agent = selectors.own_agent(request.user)
        if agent is None:
            return render(request, "agents/no_agent.html")
        return _page(request, agent)
    month = _month(request)
    rows = Paginator(selectors.activity(request.user, month), 50).get_page(request.GET.get("page"))
    for a in rows.object_list:
        a.retention = selectors.retention_pct(a.members, a.covered)
    return render(request, "agents/list.html", {"page": rows, "month": month})


@login_required
def agent_page(request, pk: int):
    _viewer(request)
    try:
        agent = selectors.get_agent(request.user, pk)
    except NotFound:
        raise Http404 from None
    return _page(request, agent)


def _page(request, agent: Agent):
    today = timezone.localdate()
    members = selectors.portfolio(request.user, agent, today)
    counts = selectors.portfolio_counts(members)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    for c in page.object_list:
        c.paid_month = month_of(c.paid_through) if c.paid_through >= c.first_period else None
    return render(
        request,
        "agents/agent.html",
        {
            "agent": agent,
            "page": page,
            "counts": counts,
            "today": today,
            "collections": selectors.collections(agent)[:20],
            "undeposited": selectors.undeposited(agent),
            "fees": list(selectors.fees(agent)[:12]),
            "own": agent.user_id == request.user.pk,
        },
    )
