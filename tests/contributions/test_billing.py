"""Monthly billing and lapse over simulated months, on the database.

Four members of one APBD programme (RULES.md: Rp16,800 per member per month at the minimum
base, no PP 50/2025 discount for APBD):
  A fisher, 5 months from 1 Feb 2026 (Feb–Jun);   B oil-palm, 12 months from 10 Feb 2026;
  C fisher, 5 months from 1 Apr 2026 (Apr–Aug);   D oil-palm, 12 months from 20 May 2026.
February and March are paid; April to July are not. RULES.md: more than 3 consecutive unpaid
months ends the membership; fewer are arrears that can still be paid.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.contributions import payment_services, selectors, services
from jaring.contributions.models import Bill, BillLine
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership
from jaring.programs.services import copy_to_next_year, update_programme
from jaring.rules import contributions as rules_contributions
from tests.contributions.setup import MONTHLY, member, programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def month(m: int, year: int = 2026) -> dt.date:
    return dt.date(year, m, 1)


def run(m: int, as_of: dt.date | None = None, **kw):
    return services.run_month(actor=SYSTEM, month=month(m), as_of=as_of or month(m), **kw)


def bill(p, m: int) -> Bill:
    return Bill.objects.get(programme=p, month=month(m))


@pytest.fixture
def scenario(admin):
    p = programme(admin)
    people = {
        "A": member(admin, p, dt.date(2026, 2, 1), "fisher"),
        "B": member(admin, p, dt.date(2026, 2, 10), "palm_oil_worker"),
        "C": member(admin, p, dt.date(2026, 4, 1), "fisher"),
        "D": member(admin, p, dt.date(2026, 5, 20), "palm_oil_worker"),
    }
    return p, people


def pay(admin, p, m: int, amount: int, ref: str, **kw):
    return payment_services.record_payment(
        actor=admin,
        programme=p,
        paid_on=dt.date(2026, m, 10),
        amount=amount,
        reference=ref,
        **kw,
    )


def test_each_month_bills_the_members_whose_cover_touches_it(admin, scenario):
    p, people = scenario
    expected = {2: "AB", 3: "AB", 4: "ABC", 5: "ABCD", 6: "ABCD", 7: "BCD", 8: "BCD"}
    for m, names in expected.items():
        result = run(m)
        [made] = result.bills
        b = bill(p, m)
        assert (made.members, b.members, b.total) == (len(names), len(names), len(names) * MONTHLY)
        assert (b.jkk, b.jkm, b.jht) == (len(names) * 10_000, len(names) * 6_800, 0)
        billed = set(BillLine.objects.filter(bill=b).values_list("membership_id", flat=True))
        assert billed == {people[n].pk for n in names}
        pay(admin, p, m, b.total, f"SP2D-{m}")
    assert Membership.objects.filter(status="active").count() == 4
    assert bill(p, 2).rule_version == "BPU-BASE-PP44-2015-PP49-2023+BPU-RATES-PP44-2015"


def test_due_date_is_the_15th_or_the_next_working_day(admin, scenario):
    p, _ = scenario
    for m in (2, 4, 5, 8):
        run(m)
    # 15 Feb 2026 is a Sunday, 16–17 Feb Chinese New Year; 15 Apr a Wednesday; 15 May 2026
    # Ascension Day; 15 Aug a Saturday and 17 Aug Independence Day (a Monday).
    assert bill(p, 2).due_date == dt.date(2026, 2, 18)
    assert bill(p, 4).due_date == dt.date(2026, 4, 15)
    assert bill(p, 5).due_date == dt.date(2026, 5, 18)
    assert bill(p, 8).due_date == dt.date(2026, 8, 18)
    assert bill(p, 8).due_rule.startswith("BPU-DUE-15")


def test_running_a_month_again_changes_nothing_and_adds_a_late_member(admin, scenario):
    p, _ = scenario
    run(5)
    first = bill(p, 5)
    lines = list(BillLine.objects.filter(bill=first).values_list("id", "amount", "cumulative"))
    again = run(5)
    assert [(b.created, b.added) for b in again.bills] == [(False, 0)]
    assert list(BillLine.objects.filter(bill=first).values_list("id", "amount", "cumulative")) == (
        lines
    )
    assert Bill.objects.filter(programme=p).count() == 1
    late = member(admin, p, dt.date(2026, 5, 25), "fisher")
    [added] = run(5).bills
    assert (added.added, added.members, added.total) == (1, 5, 5 * MONTHLY)
    newest = BillLine.objects.filter(bill=first).order_by("id").last()
    assert (newest.membership_id, newest.cumulative) == (late.pk, 5 * MONTHLY)
    assert sorted(e.action for e in history(first)) == ["bill.created", "bill.members_added"]


def test_four_unpaid_months_lapse_the_membership_three_do_not(admin, scenario):
    p, people = scenario
    run(2)
    run(3)
    pay(admin, p, 3, 2 * MONTHLY, "SP2D-02", bills=[bill(p, 2).pk])
    run(4)
    pay(admin, p, 4, 2 * MONTHLY, "SP2D-03", bills=[bill(p, 3).pk])
    run(5)
    run(6)
    # 1 July: April, May and June are past due and unpaid: three months, nobody lapses yet.
    assert run(7).lapses.memberships == 0
    result = run(8, as_of=dt.date(2026, 8, 1))
    # 1 August: July is past due too. B and C have four unpaid months (April–July); A (cover
    # over in June) and D (from May) have three.
    assert result.lapses.memberships == 2
    assert result.lapses.by_first_unpaid_month == {"2026-04": 2}
    status = {n: Membership.objects.get(pk=m.pk) for n, m in people.items()}
    assert {n for n, m in status.items() if m.status == "ended"} == {"B", "C"}
    assert status["B"].end_reason == "lapsed"
    # Protection ended with the last paid contribution month: B's March runs 10 Mar – 9 Apr.
    assert status["B"].end_date == dt.date(2026, 4, 9)
    [event] = [e for e in history(status["B"]) if e.action == "membership.ended"]
    assert event.actor is None and event.after["end_reason"] == "lapsed"
    # Their unpaid months are no longer payable; the bills keep only A and D.
    assert [bill(p, m).total for m in (4, 5, 6, 7, 8)] == [
        MONTHLY,
        2 * MONTHLY,
        2 * MONTHLY,
        MONTHLY,
        MONTHLY,
    ]
    assert (bill(p, 4).lapsed_members, bill(p, 4).lapsed_amount) == (2, 2 * MONTHLY)
    arrears = {a.membership_id: a for a in selectors.arrears(admin, as_of=dt.date(2026, 8, 1))}
    assert set(arrears) == {people["A"].pk, people["D"].pk}
    a = arrears[people["A"].pk]
    assert (a.months, a.amount, a.at_risk) == (["2026-04", "2026-05", "2026-06"], 3 * MONTHLY, True)
    # Arrears inside the window can still be paid: A and D are brought up to date.
    pay(admin, p, 8, 6 * MONTHLY, "SP2D-ARREARS")
    assert [bill(p, m).status for m in (4, 5, 6, 7)] == ["paid"] * 4
    assert bill(p, 8).status == "open"
    assert selectors.arrears(admin, as_of=dt.date(2026, 8, 1)) == []
    # September: August unpaid for D only: one month, no lapse; D's cover goes on.
    assert run(9, as_of=dt.date(2026, 9, 1)).lapses.memberships == 0
    assert bill(p, 9).members == 1 and Membership.objects.get(pk=people["D"].pk).status == "active"


def test_partial_payment_pays_the_lines_in_order(admin, scenario):
    p, people = scenario
    run(5)
    pay(admin, p, 5, 2 * MONTHLY + 5_000, "SP2D-05-1")
    b = bill(p, 5)
    assert (b.paid, b.status) == (2 * MONTHLY + 5_000, "partly_paid")
    arrears = selectors.arrears(admin, as_of=dt.date(2026, 6, 1))
    owed = {a.membership_id: a.amount for a in arrears}
    # A and B (first lines) are paid; C's line is paid Rp5,000 of Rp16,800; D's not at all.
    assert owed == {people["C"].pk: MONTHLY - 5_000, people["D"].pk: MONTHLY}
    pay(admin, p, 5, 2 * MONTHLY - 5_000, "SP2D-05-2")
    assert bill(p, 5).status == "paid"


def test_an_income_base_the_table_does_not_define_is_refused_whole(admin, scenario):
    p, people = scenario
    Membership.objects.filter(pk=people["B"].pk).update(income_base=2_500_000)
    with pytest.raises(ValidationFailed) as exc:
        services.run_month(actor=SYSTEM, month=month(3), as_of=month(3), programme=p)
    [problem] = exc.value.problems
    assert problem.code == "base_undefined" and problem.params["members"] == 1
    assert "Rp2.500.000" in problem.message_en
    assert not Bill.objects.exists()
    # Over all programmes the refusal is reported and nothing is half-made.
    result = run(3)
    assert result.bills == [] and result.problems[0]["code"] == "base_undefined"
    assert not Bill.objects.exists()


def test_a_month_without_a_holiday_calendar_is_refused(admin):
    p = programme(admin, fiscal_year=2027, name="Program 2027")
    member(admin, p, dt.date(2027, 12, 1), "palm_oil_worker")
    with pytest.raises(ValidationFailed) as exc:
        services.run_month(actor=SYSTEM, month=month(1, 2028), as_of=month(1, 2028), programme=p)
    assert exc.value.problems[0].code == "calendar_missing"
    assert not Bill.objects.exists()


def test_only_billing_roles_run_the_month(scenario):
    enumerator = make_user(Role.ENUMERATOR, "61.72.02.1001")
    with pytest.raises(PermissionDenied):
        services.run_month(month=month(3), actor=enumerator)
    other_city = make_user(Role.PROGRAMME_OFFICER, "61.71")
    assert services.run_month(month=month(3), actor=other_city).bills == []
    assert not Bill.objects.exists()


# --- months a cover owes -----------------------------------------------------------------------
# RULES.md: BPU contributions are monthly ("Rp16,800 per worker per month"), due by the 15th of
# that same month; no rule prorates a month. So a cover that starts mid-month owes whole
# contribution months counted from its start day: five months from 20 February are February,
# March, April, May and June (the June month runs to 19 July), each at the full Rp16,800.


def pay_all(admin, p, m: int) -> None:
    """Pays the month's bill, if any, so that nobody lapses while months are simulated."""
    b = Bill.objects.filter(programme=p, month=month(m)).first()
    if b and b.open_amount:
        pay(admin, p, m, b.open_amount, f"SP2D-{p.pk}-{m}")


def test_a_cover_starting_mid_month_owes_whole_months_from_its_start_day(admin):
    p = programme(admin)
    late = member(admin, p, dt.date(2026, 2, 20), "fisher")  # 5 months: to 19 July 2026
    assert late.end_date == dt.date(2026, 7, 19)
    for m in range(2, 9):
        run(m)
        pay_all(admin, p, m)
    billed = dict(BillLine.objects.filter(membership=late).values_list("bill__month", "amount"))
    assert billed == {month(m): MONTHLY for m in (2, 3, 4, 5, 6)}
    assert rules_contributions.contribution_months(late.start_date, late.end_date) == range(
        2026 * 12 + 1, 2026 * 12 + 6
    )


def test_a_renewal_does_not_pay_the_changeover_month_twice(admin):
    p = programme(admin)
    old = member(admin, p, dt.date(2026, 2, 20), "fisher")  # to 19 July 2026
    nxt = copy_to_next_year(actor=admin, programme=p)
    update_programme(actor=admin, programme=nxt, changes={"status": "active"})
    enrolment.renew(
        actor=admin, memberships=Membership.objects.filter(pk=old.pk), into=nxt,
        on=dt.date(2026, 7, 1),
    )  # fmt: skip
    successor = Membership.objects.get(programme=nxt)
    enrolment.mark_submitted(actor=admin, memberships=Membership.objects.filter(pk=successor.pk))
    successor = enrolment.activate(
        actor=admin, membership=successor, kpj="77000001", start_date=dt.date(2026, 7, 20)
    )
    assert successor.start_date == dt.date(2026, 7, 20)
    run(7)
    # July: the old cover's last contribution month (June) ended on 19 July; July is the first
    # month of the renewal, billed once, by the new programme.
    july = BillLine.objects.filter(bill__month=month(7), membership__worker=old.worker)
    assert list(july.values_list("bill__programme", "amount")) == [(nxt.pk, MONTHLY)]
    run(6)
    assert BillLine.objects.filter(bill__month=month(6), membership=old).count() == 1


def test_billing_and_the_rule_agree_on_the_months_of_any_cover(admin):
    p = programme(admin)
    starts = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 30), dt.date(2026, 2, 1)]
    people = [member(admin, p, start, "fisher") for start in starts]
    for m in range(1, 9):
        run(m)
        pay_all(admin, p, m)
    for person in people:
        expected = {
            dt.date(i // 12, i % 12 + 1, 1)
            for i in rules_contributions.contribution_months(person.start_date, person.end_date)
        }
        billed = set(
            BillLine.objects.filter(membership=person).values_list("bill__month", flat=True)
        )
        assert billed == expected, person.start_date
        assert len(billed) == 5  # five months of cover, five contributions
