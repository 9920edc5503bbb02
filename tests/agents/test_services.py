"""Perisai agents: the registry, members credited at the hand-over, the agent's scope, cash
collections, deposits reconciled, fees from the rule data, inactivity and rejoining."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jaring.accounts.models import AuditEvent, Role
from jaring.accounts.scope import SYSTEM
from jaring.agents import selectors, services
from jaring.agents.models import AgentCredit, AgentStatus, Collection
from jaring.continuity import selectors as continuity_selectors
from jaring.continuity import services as continuity
from jaring.continuity.models import HandoverChoice
from jaring.core.errors import DomainError
from tests.agents.setup import agent, collect, recruit
from tests.continuity.setup import DISCOUNTED
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _code(exc) -> tuple[str, str | None]:
    p = exc.value.problems[0]
    return p.code.value, p.field


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nik", "1234", "agent_nik_invalid"),
        ("phone", "+1 415 555 2671", "agent_phone_invalid"),
        ("phone", "12", "agent_phone_invalid"),
        ("area", "61.71.01", "agent_area_unknown"),
    ],
)
def test_a_bad_agent_is_refused_naming_the_field(field, value, code):
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    with pytest.raises(DomainError) as exc:
        agent(officer, **({"area": value} if field == "area" else {field: value}), login=False)
    assert _code(exc) == (code, field)


def test_an_agent_number_is_registered_once():
    agent(number="AG-77", login=False)
    with pytest.raises(DomainError) as exc:
        agent(number="AG-77", login=False)
    assert _code(exc) == ("agent_number_taken", "bpjs_agent_number")


def test_a_member_the_agent_records_at_the_hand_over_is_credited_to_it():
    admin = make_user(Role.ADMIN)
    a = agent()
    cover = recruit(a, admin)
    credit = AgentCredit.objects.get(cover=cover)
    assert credit.agent == a and credit.month == dt.date(2026, 6, 1)
    assert HandoverChoice.objects.get(cover=cover).via == "agent"
    assert AuditEvent.objects.filter(action="agent.credited", actor=a.user).exists()


def test_an_agent_sees_and_pays_only_its_own_members():
    admin = make_user(Role.ADMIN)
    mine, other = agent(), agent()
    own = recruit(mine, admin)
    theirs = recruit(other, admin)
    assert list(continuity_selectors.covers_for(mine.user)) == [own]
    with pytest.raises(DomainError) as exc:
        collect(mine, theirs, 1, DISCOUNTED, "KW-1", dt.date(2026, 6, 10))
    assert _code(exc)[0] == "not_found"
    assert [x.pk for x in selectors.agents_for(mine.user)] == [mine.pk]


def test_an_inactive_agent_cannot_recruit():
    admin = make_user(Role.ADMIN)
    a = agent()
    services.apply_inactivity(actor=SYSTEM, month=dt.date(2026, 5, 1))
    a.refresh_from_db()
    assert a.status == AgentStatus.INACTIVE
    with pytest.raises(DomainError) as exc:
        recruit(a, admin)
    assert _code(exc) == ("agent_not_active", "agent")
    assert not HandoverChoice.objects.exists()


def test_cash_to_the_agent_is_its_collection_and_a_deposit_must_match_it():
    admin = make_user(Role.ADMIN)
    a = agent()
    cover = recruit(a, admin)
    collect(a, cover, 2, 2 * DISCOUNTED, "KW-1", dt.date(2026, 6, 10))
    c = Collection.objects.get()
    assert (c.agent, c.amount, c.months) == (a, 2 * DISCOUNTED, 2)
    data = services.DepositInput("SETOR-1", DISCOUNTED, dt.date(2026, 6, 30))
    with pytest.raises(DomainError) as exc:
        services.record_deposit(actor=SYSTEM, agent_id=a.pk, data=data)
    assert _code(exc) == ("agent_deposit_mismatch", "amount")
    assert exc.value.problems[0].params["expected"] == 2 * DISCOUNTED
    data.amount = 2 * DISCOUNTED
    deposit = services.record_deposit(actor=SYSTEM, agent_id=a.pk, data=data)
    assert deposit.collections == 1
    c.refresh_from_db()
    assert c.deposit == deposit
    with pytest.raises(DomainError) as exc:
        services.record_deposit(
            actor=SYSTEM,
            agent_id=a.pk,
            data=services.DepositInput("SETOR-2", 0, dt.date(2026, 7, 1)),
        )
    assert _code(exc) == ("agent_deposit_nothing", "amount")


def test_the_fee_is_the_rule_tables_percentage_and_a_month_without_activity_is_refused():
    admin = make_user(Role.ADMIN)
    a = agent()
    cover = recruit(a, admin)
    collect(a, cover, 2, 2 * DISCOUNTED, "KW-1", dt.date(2026, 6, 10))
    fee = services.calculate_fee(actor=SYSTEM, agent_id=a.pk, month=dt.date(2026, 6, 1))
    # 7.5 % of Rp16,800 = Rp1,260; one new member: no bonus (the bonus needs 50).
    assert (fee.collected, fee.new_members, fee.fee, fee.bonus) == (16_800, 1, 1_260, 0)
    assert fee.detail["status"] == "NC"
    with pytest.raises(DomainError) as exc:
        services.calculate_fee(actor=SYSTEM, agent_id=a.pk, month=dt.date(2026, 8, 1))
    assert _code(exc) == ("agent_fee_no_activity", "month")
    viewer = make_user(Role.VIEWER, "61.72")
    with pytest.raises(DomainError) as exc:
        services.calculate_fee(actor=viewer, agent_id=a.pk, month=dt.date(2026, 6, 1))
    assert _code(exc)[0] == "forbidden"


def test_inactive_after_three_empty_months_and_rejoin_after_six():
    admin = make_user(Role.ADMIN)
    a = agent(joined=dt.date(2026, 1, 5))
    recruit(a, admin)  # active in June 2026 (the cover's first month)
    assert services.apply_inactivity(actor=SYSTEM, month=dt.date(2026, 9, 1)) == []
    assert services.apply_inactivity(actor=SYSTEM, month=dt.date(2026, 10, 1)) == [a.pk]
    a.refresh_from_db()
    assert a.inactive_since == dt.date(2026, 10, 1)
    with pytest.raises(DomainError) as exc:
        services.rejoin(actor=SYSTEM, agent_id=a.pk, today=dt.date(2027, 3, 31))
    assert _code(exc) == ("agent_rejoin_too_early", "agent")
    assert services.rejoin(actor=SYSTEM, agent_id=a.pk, today=dt.date(2027, 4, 1)).status == (
        AgentStatus.ACTIVE
    )


def test_the_officers_list_counts_per_agent_in_one_query(django_assert_num_queries):
    admin = make_user(Role.ADMIN)
    a, b = agent(), agent()
    cover = recruit(a, admin)
    recruit(b, admin)
    collect(a, cover, 1, DISCOUNTED, "KW-1", dt.date(2026, 6, 10))
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    with django_assert_num_queries(1):
        rows = list(selectors.activity(officer, dt.date(2026, 6, 1)))
    assert [(r.pk, r.members, r.covered, r.collected, r.undeposited) for r in rows] == [
        (a.pk, 1, 1, DISCOUNTED, DISCOUNTED),
        (b.pk, 1, 1, 0, 0),
    ]
    pontianak = make_user(Role.PROGRAMME_OFFICER, "61.71")
    assert list(selectors.activity(pontianak, dt.date(2026, 6, 1))) == []


def test_an_officer_of_another_city_finds_no_agent():
    a = agent(login=False)
    officer = make_user(Role.PROGRAMME_OFFICER, "61.71")
    with pytest.raises(DomainError) as exc:
        services.calculate_fee(actor=officer, agent_id=a.pk, month=dt.date(2026, 6, 1))
    assert _code(exc)[0] in {"forbidden", "not_found"}
    with pytest.raises(DomainError) as exc:
        services.record_deposit(
            actor=officer,
            agent_id=a.pk,
            data=services.DepositInput("X", 1, dt.date(2026, 6, 1)),
        )
    assert _code(exc)[0] == "not_found"


def test_the_portfolio_shows_months_due_and_overdue():
    admin = make_user(Role.ADMIN)
    a = agent()
    cover = recruit(a, admin)
    continuity.run_month(actor=SYSTEM, month=dt.date(2026, 6, 1), as_of=dt.date(2026, 6, 1))
    continuity.run_month(actor=SYSTEM, month=dt.date(2026, 7, 1), as_of=dt.date(2026, 7, 1))
    rows = list(selectors.portfolio(a.user, a, dt.date(2026, 7, 20)))
    assert [(r.pk, r.months_due, r.months_overdue, r.amount_due) for r in rows] == [
        (cover.pk, 2, 2, 2 * DISCOUNTED)
    ]


def test_calc_agent_fee_command():
    out = __import__("io").StringIO()
    call_command(
        "calc",
        "agent-fee",
        "--collected",
        "1000000",
        "--new-members",
        "50",
        "--month",
        "2026-05",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert (data["fee"], data["bonus"], data["total"]) == (75_000, 500_000, 575_000)
    assert data["status"] == "NC"
    with pytest.raises(CommandError, match="--collected"):
        call_command("calc", "agent-fee", "--collected", "0", "--month", "2026-05")
