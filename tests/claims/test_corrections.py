"""Medical care of a work accident, and correcting a claim before approval.

PP 82/2019 (RULES.md): JKK pays medical care "per medical need, no ceiling", to the health
facility; the other JKK benefits (STMB, disability, transport, home care) come only when the
accident caused them. A claim is corrected while the city and BPJS still check it (submitted,
verified); once BPJS approved it the amounts are final. Every correction is audited and the
entitlements are computed again with the same rules as at registration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.claims import services
from jaring.claims.entitlements import ChildInput, ClaimInput, Transport, corrected
from jaring.claims.models import ClaimDocument
from jaring.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.claims.setup import codes, register, upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


def correct(actor, claim, reason="Salah ketik tanggal", documents=(), remove=(), **changes):
    data = corrected(services.input_of(claim), changes)
    return services.correct_claim(
        actor=actor,
        claim=claim,
        data=data,
        reason=reason,
        documents=documents,
        remove_documents=remove,
    )


# --- medical care --------------------------------------------------------------------------


def test_a_work_accident_with_only_medical_care_is_accepted(admin, fisher):
    claim = register(admin, fisher, "work_accident", medical_care=True)
    [item] = claim.items.all()
    # No bill from the facility yet: the entitlement is recorded, its amount as needed.
    assert (item.code, item.amount, item.payee) == ("medical_care", 0, "provider")
    assert "sesuai kebutuhan medis" in item.formula and "PP 82/2019" in item.regulation
    assert claim.total == 0 and claim.medical_care


def test_medical_care_has_no_ceiling_and_is_paid_to_the_facility(admin, fisher):
    claim = register(
        admin, fisher, "occupational_disease", medical_cost=250 * MILLION, months_incapacity=1
    )
    assert codes(claim) == {"medical_care": 250 * MILLION, "stmb_first": MILLION}
    payees = dict(claim.items.values_list("code", "payee"))
    assert payees == {"medical_care": "provider", "stmb_first": "beneficiary"}


# --- corrections ---------------------------------------------------------------------------


def test_a_submitted_claim_is_corrected_computed_again_and_audited(admin, fisher):
    claim = register(admin, fisher, "work_accident", months_incapacity=2)
    fixed = correct(
        admin,
        claim,
        event_date=dt.date(2026, 3, 2),
        description="Terjatuh dari perahu",
        months_incapacity=14,
    )
    fixed.refresh_from_db()
    assert (fixed.event_date, fixed.description, fixed.status) == (
        dt.date(2026, 3, 2),
        "Terjatuh dari perahu",
        "submitted",
    )
    # 12 months × 100 % + 2 months × 50 % of Rp1,000,000.
    assert codes(fixed) == {"stmb_first": 12 * MILLION, "stmb_after": MILLION}
    assert fixed.total == 13 * MILLION
    event = next(e for e in history(fixed) if e.action == "claim.corrected")
    assert event.reason == "Salah ketik tanggal" and event.actor == admin
    assert event.before["event_date"] == "2026-03-10" and event.after["event_date"] == "2026-03-02"
    assert (event.before["total"], event.after["total"]) == (2 * MILLION, 13 * MILLION)
    assert "claimant" not in event.after  # only what changed


def test_children_corrected_on_a_death_claim_are_judged_again(admin, fisher):
    claim = register(
        admin, fisher, "work_death", children=(ChildInput("Ani", dt.date(2022, 1, 1), "tk"),)
    )
    assert claim.total == 70 * MILLION + 87 * MILLION
    # The heirs add two children: one aged 23 on the event date, one a third child.
    fixed = correct(
        admin,
        claim,
        reason="Ahli waris menambah data anak",
        claimant_name="Siti",
        children=(
            ChildInput("Ani", dt.date(2022, 1, 1), "tk"),
            ChildInput("Adi", dt.date(2003, 1, 1), "university"),
            ChildInput("Ari", dt.date(2019, 7, 1), "sd"),
            ChildInput("Ayu", dt.date(2016, 5, 1), "smp"),
        ),
    )
    assert {r["subject"]: r["code"] for r in fixed.refusals} == {
        "Adi": "child_too_old",
        "Ayu": "child_limit",
    }
    assert fixed.total == 70 * MILLION + 87 * MILLION + 84 * MILLION
    assert list(fixed.children.values_list("name", flat=True)) == ["Ani", "Adi", "Ari", "Ayu"]
    assert fixed.claimant_name == "Siti"


def test_a_verified_claim_goes_back_to_the_city_and_keeps_its_kind(admin, fisher):
    claim = register(admin, fisher, "work_accident", months_incapacity=2)
    services.transition(actor=admin, claim=claim, action="verify")
    with pytest.raises(ValidationFailed) as err:
        correct(admin, claim, kind="death")
    assert err.value.problems[0].code == "kind_fixed"
    fixed = correct(admin, claim, months_incapacity=3)
    assert (fixed.status, fixed.total) == ("submitted", 3 * MILLION)
    event = next(e for e in history(fixed) if e.action == "claim.corrected")
    assert (event.before["status"], event.after["status"]) == ("verified", "submitted")


def test_a_verified_death_moves_with_its_corrected_date(admin, fisher):
    claim = register(admin, fisher, "death")
    services.transition(actor=admin, claim=claim, action="verify")
    correct(admin, claim, event_date=dt.date(2026, 3, 8), reason="Tanggal di akta kematian")
    fisher.worker.refresh_from_db()
    assert fisher.worker.died_on == dt.date(2026, 3, 8)
    moved = [e for e in history(fisher.worker) if e.reason == f"claim {claim.pk} corrected"]
    assert [(e.before, e.after) for e in moved] == [
        ({"died_on": "2026-03-10"}, {"died_on": "2026-03-08"})
    ]


@pytest.mark.parametrize("steps", [("verify", "approve"), ("reject",)])
def test_an_approved_paid_or_rejected_claim_cannot_be_corrected(admin, fisher, steps):
    claim = register(admin, fisher, "work_accident", months_incapacity=2)
    for step in steps:
        services.transition(actor=admin, claim=claim, action=step, reason="Bukan peserta")
    with pytest.raises(Conflict) as err:
        correct(admin, claim, months_incapacity=9)
    assert err.value.problems[0].code == "claim_not_editable"
    claim.refresh_from_db()
    assert (claim.months_incapacity, claim.total) == (2, 2 * MILLION)


def test_a_correction_outside_cover_or_without_reason_changes_nothing(admin, fisher):
    claim = register(admin, fisher, "work_accident", months_incapacity=2)
    with pytest.raises(ValidationFailed) as err:
        correct(admin, claim, event_date=dt.date(2026, 7, 1))
    assert err.value.problems[0].code == "outside_cover"
    with pytest.raises(ValidationFailed) as err:
        correct(admin, claim, reason=" ", months_incapacity=5)
    assert err.value.problems[0].field == "reason"
    claim.refresh_from_db()
    assert (claim.event_date, claim.total, claim.items.count()) == (
        dt.date(2026, 3, 10),
        2 * MILLION,
        1,
    )
    assert not [e for e in history(claim) if e.action == "claim.corrected"]


def test_documents_are_added_and_removed_by_a_correction(
    admin, fisher, media, django_capture_on_commit_callbacks
):
    claim = register(admin, fisher, "death", docs=[upload("salah.pdf")])
    [wrong] = claim.documents.all()
    stored = media / wrong.file.name
    assert stored.exists()
    with pytest.raises(ValidationFailed):
        correct(admin, claim, remove=[wrong.pk + 1000])
    with pytest.raises(ValidationFailed):
        correct(admin, claim, documents=[upload("virus.pdf", b"MZ\x90\x00")], remove=[wrong.pk])
    assert ClaimDocument.objects.filter(pk=wrong.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        correct(admin, claim, documents=[upload("akta-benar.pdf")], remove=[wrong.pk])
    assert list(claim.documents.values_list("original_name", flat=True)) == ["akta-benar.pdf"]
    assert not stored.exists()


def test_who_may_correct(admin, fisher):
    claim = register(admin, fisher, "work_accident", months_incapacity=2)
    viewer = make_user(Role.VIEWER, "61.72")
    with pytest.raises(PermissionDenied) as err:
        correct(viewer, claim, months_incapacity=3)
    assert err.value.problems[0].code == "forbidden"
    other_city = make_user(Role.PROGRAMME_OFFICER, "61.71")
    with pytest.raises(PermissionDenied) as err:
        correct(other_city, claim, months_incapacity=3)
    assert err.value.problems[0].code == "out_of_scope"


def test_corrected_replaces_only_the_fields_given():
    base = ClaimInput(
        kind="work_accident", event_date=dt.date(2026, 3, 1), description="x", home_care_cost=5
    )
    changed = corrected(base, {"description": "y", "home_care_cost": None, "kind": None})
    assert changed == dataclasses.replace(base, description="y", home_care_cost=None)


def test_trips_by_the_same_mode_share_the_cap_of_the_accident(admin, fisher):
    # PP 82/2019: transport to care by land up to Rp5,000,000, by sea up to Rp2,000,000, for
    # the accident, not per trip.
    claim = register(
        admin, fisher, "work_accident",
        transport=(Transport("land", 3 * MILLION), Transport("sea", 500_000),
                   Transport("land", 4 * MILLION)),
    )  # fmt: skip
    assert codes(claim) == {"transport_land": 5 * MILLION, "transport_sea": 500_000}
    land = claim.items.get(code="transport_land")
    assert land.formula == "min(Rp7.000.000, Rp5.000.000)"
