"""Benefits as BPJS pays them (issue 13 part 3): a scholarship is a schedule of school years, each
claimed with proof of enrolment, approved and paid on its own; a lump-sum payment records its
date, reference (SP2D or transfer) and amount; heirs share the lump sums (shares sum to 100 %).
Refusals name the field and change nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from jaring.accounts.models import AuditEvent
from jaring.claims import selectors, services
from jaring.claims.entitlements import ChildInput, HeirInput
from jaring.claims.models import Claim, ClaimPayment, ScholarshipYear
from jaring.claims.reports import money_report
from jaring.core.errors import Conflict, ValidationFailed
from tests.claims.setup import register

pytestmark = pytest.mark.django_db

MILLION = 1_000_000
PAID_ON = dt.date(2026, 4, 1)
# Event 10 March 2026: the school year 2025/2026.
STUDENT = ChildInput(name="Ani", birth_date=dt.date(2005, 6, 1), level="university")  # 20
TODDLER = ChildInput(name="Budi", birth_date=dt.date(2024, 1, 1))  # 2, not in school
HEIRS = (
    HeirInput("Siti", "istri", Decimal("50")),
    HeirInput("Ani", "anak", Decimal("25")),
    HeirInput("Budi", "anak", Decimal("25")),
)


def death(admin, fisher, **kw):
    kw.setdefault("children", (STUDENT, TODDLER))
    kw.setdefault("heirs", HEIRS)
    return register(admin, fisher, "death", prior_months=36, **kw)


def approved(admin, fisher):
    claim = death(admin, fisher)
    for action in ("verify", "approve"):
        claim = services.transition(actor=admin, claim=claim, action=action)
    return claim


def years(claim, child):
    return [
        (y.label, y.level, y.amount, y.status)
        for y in ScholarshipYear.objects.filter(claim=claim, child__name=child)
    ]


def test_the_claim_holds_a_schedule_of_school_years(admin, fisher):
    claim = death(admin, fisher)
    # Ani: university while under 23 (1 June 2028); the event's year is claimed with the claim.
    assert years(claim, "Ani") == [
        ("2025/2026", "university", 12 * MILLION, "claimed"),
        ("2026/2027", "university", 12 * MILLION, "expected"),
        ("2027/2028", "university", 12 * MILLION, "expected"),
    ]
    # Budi waits until school age (4 on 1 July 2028): nothing refused, nothing claimed yet.
    budi = years(claim, "Budi")
    assert budi[0] == ("2028/2029", "tk", 1_500_000, "expected")
    assert len(budi) == 19 and sum(y[2] for y in budi) == 87 * MILLION
    assert claim.refusals == []


def test_lump_sums_and_each_year_are_paid_on_their_own_and_reported_apart(admin, fisher):
    claim = approved(admin, fisher)
    claim = services.transition(
        actor=admin, claim=claim, action="pay", paid_on=PAID_ON, reference="SP2D-0042",
        reference_kind="sp2d",
    )  # fmt: skip
    assert claim.status == "paid"
    [lump] = claim.payments.all()
    assert (lump.amount, lump.reference_kind, lump.reference) == (42 * MILLION, "sp2d", "SP2D-0042")
    first = ScholarshipYear.objects.get(claim=claim, child__name="Ani", school_year=2025)
    services.approve_school_year(actor=admin, claim=claim, year_id=first.pk)
    payment = services.pay_school_year(
        actor=admin, claim=claim, year_id=first.pk, paid_on=PAID_ON, reference="TRF-9"
    )
    assert (payment.amount, payment.scholarship_year_id) == (12 * MILLION, first.pk)

    report = money_report(admin, year=2026)
    # Paid in 2026: the lump sums and one school year. Owed: Ani's two later years and Budi's.
    assert report.total.benefits_paid == 42 * MILLION + 12 * MILLION
    assert report.total.benefits_owed_later == 24 * MILLION + 87 * MILLION
    detail = selectors.claim_dict(admin, selectors.get_claim(admin, claim.pk), detail=True)
    assert (detail["scholarships_paid"], detail["scholarships_owed"]) == (
        12 * MILLION,
        111 * MILLION,
    )
    assert detail["lump_sum_due"] == 0
    # The heirs' parts of the lump-sum payment, by share.
    [lump_out, _] = detail["payments"]
    assert [p["amount"] for p in lump_out["shares"]] == [21 * MILLION, 10_500_000, 10_500_000]


def test_a_later_year_is_claimed_with_proof_once(admin, fisher):
    claim = approved(admin, fisher)
    ani = claim.children.get(name="Ani")
    row = services.claim_school_year(
        actor=admin, claim=claim, child_id=ani.pk, school_year="2026/2027",
        proof="Surat aktif kuliah No. 12/UNTAN/2026", today=dt.date(2026, 8, 1),
    )  # fmt: skip
    assert (row.status, row.claimed_on) == ("claimed", dt.date(2026, 8, 1))
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as caught:
        services.claim_school_year(
            actor=admin, claim=claim, child_id=ani.pk, school_year="2026/2027", proof="lagi"
        )
    [problem] = caught.value.problems
    assert (problem.code, problem.field) == ("school_year_claimed_twice", "school_year")
    assert "2026/2027" in problem.message_en
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("school_year", "code"),
    [
        ("2028/2029", "school_year_after_age_limit"),  # Ani is 23 on 1 June 2028
        ("2024/2025", "school_year_not_scheduled"),  # before the event
        ("2026-2027", "school_year_invalid"),
    ],
)
def test_a_year_outside_the_right_is_refused_naming_the_field(admin, fisher, school_year, code):
    claim = approved(admin, fisher)
    ani = claim.children.get(name="Ani")
    before = list(ScholarshipYear.objects.values_list("status", flat=True))
    with pytest.raises(ValidationFailed) as caught:
        services.claim_school_year(
            actor=admin, claim=claim, child_id=ani.pk, school_year=school_year, proof="Surat"
        )
    assert [(p.code, p.field) for p in caught.value.problems] == [(code, "school_year")]
    assert list(ScholarshipYear.objects.values_list("status", flat=True)) == before


def test_a_child_who_leaves_school_stops_the_years_left(admin, fisher):
    claim = approved(admin, fisher)
    ani = claim.children.get(name="Ani")
    n = services.stop_scholarship(
        actor=admin, claim=claim, child_id=ani.pk, school_year="2026/2027", reason="menikah"
    )
    assert n == 2
    assert [y[3] for y in years(claim, "Ani")] == ["claimed", "stopped", "stopped"]
    with pytest.raises(Conflict) as caught:
        services.claim_school_year(
            actor=admin, claim=claim, child_id=ani.pk, school_year="2027/2028", proof="Surat"
        )
    assert caught.value.problems[0].code == "school_year_stopped"
    assert money_report(admin, year=2026).total.benefits_owed_later == 12 * MILLION + 87 * MILLION


def test_a_part_of_the_lump_sums_leaves_the_claim_approved_and_more_than_due_is_refused(
    admin, fisher
):
    claim = approved(admin, fisher)
    claim = services.transition(
        actor=admin,
        claim=claim,
        action="pay",
        paid_on=PAID_ON,
        reference="T-1",
        amount=30 * MILLION,
    )
    assert claim.status == "approved"
    with pytest.raises(ValidationFailed) as caught:
        services.transition(
            actor=admin, claim=claim, action="pay", paid_on=PAID_ON, reference="T-2",
            amount=13 * MILLION,
        )  # fmt: skip
    [problem] = caught.value.problems
    assert (problem.code, problem.field) == ("payment_exceeds_due", "amount")
    assert ClaimPayment.objects.count() == 1
    claim = services.transition(
        actor=admin, claim=claim, action="pay", paid_on=PAID_ON, reference="T-2"
    )
    assert claim.status == "paid"
    assert sum(p.amount for p in claim.payments.all()) == 42 * MILLION


@pytest.mark.parametrize(
    ("heirs", "kind", "code", "field"),
    [
        ((HeirInput("Siti", "istri", Decimal("60")),), "death", "heir_shares_total", "heirs"),
        ((HeirInput("Siti", "istri", Decimal("0")),), "death", "heir_share_range", "heirs.0.share"),
        ((HeirInput("", "istri", Decimal("100")),), "death", "required", "heirs.0.name"),
        ((HeirInput("Siti", "istri", Decimal("100")),), "work_accident", "heirs_not_for_kind",
         "heirs"),
    ],
)  # fmt: skip
def test_heirs_shares_must_add_up_to_100_percent(admin, fisher, heirs, kind, code, field):
    with pytest.raises(ValidationFailed) as caught:
        register(admin, fisher, kind, heirs=heirs, months_incapacity=1)
    assert (caught.value.problems[0].code, caught.value.problems[0].field) == (code, field)
    assert Claim.objects.count() == 0


def test_api_and_command_claim_approve_and_pay_a_year(admin, fisher, api):
    claim = approved(admin, fisher)
    ani = claim.children.get(name="Ani")
    caller = api(admin)
    body = {"child_id": ani.pk, "school_year": "2026/2027", "proof": "Surat No. 7"}
    response = caller.post(f"/api/claims/{claim.pk}/scholarship-years", body)
    assert response.status_code == 200, response.content
    row = next(y for y in response.json()["scholarship_years"] if y["school_year"] == "2026/2027")
    assert row["status"] == "claimed"
    again = caller.post(f"/api/claims/{claim.pk}/scholarship-years", body)
    assert (again.status_code, again.json()["errors"][0]["code"]) == (
        409, "school_year_claimed_twice",
    )  # fmt: skip
    approve = caller.post(f"/api/claims/scholarship-years/{row['id']}", {"action": "approve"})
    assert approve.status_code == 200, approve.content
    out = io.StringIO()
    call_command(
        "claim", "year-pay", str(claim.pk), "--user", admin.username, "--year", str(row["id"]),
        "--paid-on", "2026-04-02", "--reference", "SP2D-9", "--reference-kind", "sp2d", "--json",
        stdout=out,
    )  # fmt: skip
    shown = json.loads(out.getvalue())
    [paid] = [p for p in shown["payments"] if p["scholarship_year"] == "2026/2027"]
    assert (paid["amount"], paid["reference_kind"]) == (12 * MILLION, "sp2d")
