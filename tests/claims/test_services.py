"""Claims end to end: cover, lapse, every entitlement with its regulation, refusals, workflow,
death, documents, scope. Expected amounts are worked out from PP 82/2019 (RULES.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.claims import selectors, services
from jaring.claims.entitlements import ChildInput, Transport
from jaring.claims.models import Claim, ClaimDocument
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.enrolment.models import Membership
from tests.claims.setup import JPEG, PDF, PNG, codes, register, upload
from tests.contributions.setup import member, programme
from tests.factories import PONTIANAK_VILLAGE, ROBAN, make_user

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


# --- entitlements ------------------------------------------------------------------------------


def test_jkm_death_pays_lump_sum_periodic_and_funeral_with_their_regulation(admin, fisher):
    claim = register(admin, fisher, "death", claimant_name="Siti", claimant_relation="istri")
    # PP 82/2019: Rp20,000,000 + Rp12,000,000 (24 months at once) + Rp10,000,000.
    assert codes(claim) == {
        "jkm_lump_sum": 20 * MILLION,
        "periodic": 12 * MILLION,
        "funeral": 10 * MILLION,
    }
    assert claim.total == 42 * MILLION
    assert all("PP 82/2019" in i.regulation and i.formula for i in claim.items.all())
    assert "PP82-2019" in claim.rule_version
    assert (claim.status, claim.wage, claim.months_contributed) == ("submitted", MILLION, 2)


def test_jkk_death_is_48_times_the_wage_plus_periodic_and_funeral(admin, fisher):
    claim = register(admin, fisher, "work_death")
    assert codes(claim) == {
        "jkk_death": 48 * MILLION,
        "periodic": 12 * MILLION,
        "funeral": 10 * MILLION,
    }
    assert claim.items.get(code="jkk_death").formula.startswith("max(48 × Rp1.000.000")


def test_scholarships_two_children_at_most_and_under_23(admin, fisher):
    children = (
        # TK from age 4: TK 2 + SD 6 + SMP 3 + SMA 3 + university 5 years, all before 23:
        # 2×1.5 + 6×1.5 + 3×2 + 3×3 + 5×12 = Rp87,000,000.
        ChildInput("Ani", dt.date(2022, 1, 1), "tk"),
        ChildInput("Adi", dt.date(2003, 1, 1), "university"),  # 23 on the event date
        # SD grade 1 at 6: everything but TK, the last university year at 22 → Rp84,000,000.
        ChildInput("Ari", dt.date(2019, 7, 1), "sd"),
        ChildInput("Ayu", dt.date(2016, 5, 1), "smp"),  # a third child: beyond the limit
    )
    claim = register(admin, fisher, "work_death", children=children)
    scholarships = {i.name_en: i.amount for i in claim.items.filter(code="scholarship")}
    assert scholarships == {
        "Education scholarship, child Ani": 87 * MILLION,
        "Education scholarship, child Ari": 84 * MILLION,
    }
    assert claim.total == 70 * MILLION + 171 * MILLION
    refused = {r["subject"]: r["code"] for r in claim.refusals}
    assert refused == {"Adi": "child_too_old", "Ayu": "child_limit"}
    assert "23" in next(r["message_en"] for r in claim.refusals if r["subject"] == "Adi")
    assert claim.children.count() == 4


def test_jkm_scholarship_needs_three_years_of_contributions(admin, fisher):
    child = (ChildInput("Ani", dt.date(2022, 1, 1), "tk"),)
    short = register(admin, fisher, "death", children=child)
    assert [r["code"] for r in short.refusals] == ["scholarship_jkm_too_short"]
    assert short.total == 42 * MILLION
    Claim.objects.all().delete()
    # 34 months known to BPJS before Jaring + Feb and Mar 2026 covered here = 36.
    enough = register(admin, fisher, "death", children=child, prior_months=34)
    assert enough.months_contributed == 36
    assert enough.total == 42 * MILLION + 87 * MILLION


def test_work_accident_adds_stmb_disability_transport_and_home_care(admin, fisher):
    claim = register(
        admin,
        fisher,
        "work_accident",
        months_incapacity=14,
        disability="partial",
        disability_percent="10",
        transport=(Transport("land", 6 * MILLION), Transport("sea", 1_500_000)),
        home_care_cost=25 * MILLION,
    )
    assert codes(claim) == {
        "stmb_first": 12 * MILLION,  # 12 months × 100 % × wage
        "stmb_after": 2 * 500_000,  # then 50 %
        "jkk_partial_anatomical": 8 * MILLION,  # 10 % × 80 × wage
        "transport_land": 5 * MILLION,  # capped at Rp5,000,000
        "transport_sea": 1_500_000,  # under the Rp2,000,000 cap
        "home_care": 20 * MILLION,  # capped at Rp20,000,000
    }
    assert claim.total == 47_500_000


def test_total_disability_is_56_times_the_wage_plus_periodic(admin, fisher):
    claim = register(admin, fisher, "occupational_disease", disability="total")
    assert codes(claim) == {"jkk_total_disability": 56 * MILLION, "periodic": 12 * MILLION}


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("event", [dt.date(2026, 1, 31), dt.date(2026, 7, 1)])
def test_an_event_outside_cover_is_refused_with_the_cover_period(admin, fisher, event):
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "death", event=event, claimed_on=dt.date(2026, 7, 2))
    [problem] = err.value.problems
    assert (problem.code, problem.field) == ("outside_cover", "event_date")
    assert "2026-02-01 to 2026-06-30" in problem.message_en
    assert not Claim.objects.exists()


def test_a_membership_never_active_gives_no_cover(admin, fisher):
    Membership.objects.filter(pk=fisher.pk).update(status="verified", start_date=None)
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "death")
    assert err.value.problems[0].code == "not_covered"


def test_jkk_claims_lapse_five_years_after_the_event(admin):
    old = member(admin, programme(admin), dt.date(2020, 3, 1))  # covered 2020-03-01..07-31
    event = dt.date(2020, 5, 10)
    with pytest.raises(ValidationFailed) as err:
        register(
            admin, old, "work_accident", event=event, months_incapacity=1,
            claimed_on=dt.date(2025, 5, 11),
        )  # fmt: skip
    assert err.value.problems[0].code == "claim_lapsed"
    assert "2025-05-10" in err.value.problems[0].message_en
    on_last_day = register(
        admin, old, "work_accident", event=event, months_incapacity=1,
        claimed_on=dt.date(2025, 5, 10),
    )  # fmt: skip
    assert on_last_day.total == MILLION


def test_an_income_base_the_table_does_not_define_is_refused(admin, fisher):
    # A base an admin's table once allowed, but not the table in force on the event date.
    Membership.objects.filter(pk=fisher.pk).update(income_base=1_500_000)
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "work_death")
    [problem] = err.value.problems
    assert problem.field == "income_base"
    assert "1.500.000" in problem.message_en and "1.000.000" in problem.message_en
    assert not Claim.objects.exists()


def test_children_only_with_death_or_total_disability(admin, fisher):
    with pytest.raises(ValidationFailed) as err:
        register(
            admin, fisher, "work_accident", months_incapacity=2,
            children=(ChildInput("Ani", dt.date(2020, 1, 1), "sd"),),
        )  # fmt: skip
    assert (err.value.problems[0].code, err.value.problems[0].field) == (
        "children_not_for_kind",
        "children",
    )


def test_a_work_accident_needs_something_to_compute(admin, fisher):
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "work_accident")
    assert err.value.problems[0].code == "nothing_to_compute"


def test_field_problems_are_listed_together(admin, fisher):
    with pytest.raises(ValidationFailed) as err:
        register(
            admin, fisher, "flood", description=" ", event=dt.date(2027, 1, 1),
            transport=(Transport("rocket", 1),),
        )  # fmt: skip
    assert {p.field for p in err.value.problems} == {
        "kind",
        "description",
        "event_date",
        "transport.0.mode",
    }


# --- workflow ----------------------------------------------------------------------------------


def test_register_verify_approve_pay_each_audited(admin, fisher):
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    bpjs = make_user(Role.BPJS_OFFICER, "61.72")
    claim = register(officer, fisher, "work_accident", months_incapacity=3)
    claim = services.transition(actor=officer, claim=claim, action="verify")
    claim = services.transition(actor=bpjs, claim=claim, action="approve")
    claim = services.transition(
        actor=bpjs, claim=claim, action="pay", paid_on=dt.date(2026, 4, 2), reference="BPJS-77"
    )
    assert (claim.status, claim.paid_on, claim.payment_reference) == (
        "paid",
        dt.date(2026, 4, 2),
        "BPJS-77",
    )
    events = sorted(history(claim), key=lambda e: e.pk)
    assert [(e.action, e.actor) for e in events] == [
        ("claim.submitted", officer),
        ("claim.verified", officer),
        ("claim.approved", bpjs),
        ("claim.paid", bpjs),
    ]
    assert events[-1].after == {
        "status": "paid",
        "paid_on": "2026-04-02",
        "reference": "transfer: BPJS-77",
        "amount": 3 * MILLION,
        "due_after": 0,
    }
    [payment] = claim.payments.all()
    assert (payment.amount, payment.reference_kind, payment.scholarship_year) == (
        3 * MILLION, "transfer", None,
    )  # fmt: skip


def test_illegal_transitions_and_missing_reasons_are_refused(admin, fisher):
    claim = register(admin, fisher, "death")
    with pytest.raises(Conflict) as err:
        services.transition(actor=admin, claim=claim, action="approve")
    assert err.value.problems[0].code == "illegal_transition"
    with pytest.raises(ValidationFailed) as err:
        services.transition(actor=admin, claim=claim, action="reject", reason="  ")
    assert err.value.problems[0].field == "reason"
    services.transition(actor=admin, claim=claim, action="verify")
    services.transition(actor=admin, claim=claim, action="approve")
    with pytest.raises(ValidationFailed) as err:
        services.transition(actor=admin, claim=claim, action="pay")
    assert {p.field for p in err.value.problems} == {"paid_on", "reference"}
    rejected = services.transition(
        actor=admin, claim=claim, action="reject", reason="Akta kematian palsu"
    )
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Akta kematian palsu")
    with pytest.raises(Conflict):
        services.transition(actor=admin, claim=claim, action="verify")


def test_roles_split_verification_from_approval(admin, fisher):
    enumerator = make_user(Role.ENUMERATOR, fisher.village_id)
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    claim = register(enumerator, fisher, "death")
    with pytest.raises(PermissionDenied):
        services.transition(actor=enumerator, claim=claim, action="verify")
    services.transition(actor=officer, claim=claim, action="verify")
    with pytest.raises(PermissionDenied):
        services.transition(actor=officer, claim=claim, action="approve")


def test_a_verified_death_marks_the_worker_and_ends_the_membership(admin, fisher):
    claim = register(admin, fisher, "death")
    fisher.refresh_from_db()
    assert fisher.status == "active" and fisher.worker.died_on is None  # not before checking
    services.transition(actor=admin, claim=claim, action="verify")
    fisher.refresh_from_db()
    assert fisher.worker.died_on == dt.date(2026, 3, 10)
    assert (fisher.status, fisher.end_reason) == ("ended", "death")
    assert next(e.action for e in history(fisher.worker)) == "worker.died"
    # Cover ended that day: a second death claim, or an event after the death, is refused.
    with pytest.raises(Conflict):
        register(admin, fisher, "work_death")
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "work_accident", event=dt.date(2026, 3, 11), months_incapacity=1)
    assert err.value.problems[0].code == "after_death"


# --- documents ---------------------------------------------------------------------------------


def test_documents_are_stored_under_random_names_by_their_content(admin, fisher, media):
    claim = register(
        admin,
        fisher,
        "death",
        docs=[upload("akta.pdf", PDF), upload("foto.PNG", PNG), upload("ktp", JPEG)],
    )
    docs = list(claim.documents.order_by("id"))
    assert [(d.original_name, d.content_type) for d in docs] == [
        ("akta.pdf", "application/pdf"),
        ("foto.PNG", "image/png"),
        ("ktp", "image/jpeg"),
    ]
    for d in docs:
        stored = Path(d.file.path)
        assert stored.is_relative_to(media / "claims")
        assert "akta" not in stored.name and "foto" not in stored.name
        assert len(stored.stem) >= 32
    assert Path(docs[0].file.path).read_bytes() == PDF


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(admin, fisher, media):
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "death", docs=[upload("ok.pdf"), upload("virus.pdf", b"MZ\x90")])
    [problem] = err.value.problems
    assert (problem.code, problem.field) == ("document_type", "documents.1")
    assert not Claim.objects.exists() and not ClaimDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused(admin, fisher, settings, media):
    settings.JARING_CLAIM_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "death", docs=[upload("big.pdf", PDF + b"0" * 1024)])
    assert err.value.problems[0].code == "document_too_large"
    assert not Claim.objects.exists()
    ok = register(admin, fisher, "death", docs=[upload("small.pdf", PDF)])
    assert ok.documents.count() == 1


def test_documents_can_be_added_until_the_claim_is_closed(admin, fisher):
    claim = register(admin, fisher, "death")
    services.add_documents(actor=admin, claim=claim, documents=[upload("surat.pdf")])
    assert claim.documents.count() == 1
    services.transition(actor=admin, claim=claim, action="reject", reason="Bukan peserta")
    with pytest.raises(Conflict):
        services.add_documents(actor=admin, claim=claim, documents=[upload("lagi.pdf")])


# --- scope -------------------------------------------------------------------------------------


def test_scope_registering_seeing_and_downloading(admin, fisher):
    claim = register(admin, fisher, "death", docs=[upload()])
    elsewhere = make_user(Role.PROGRAMME_OFFICER, "61.71")  # Pontianak
    other_district = make_user(Role.ENUMERATOR, ROBAN)
    with pytest.raises(PermissionDenied):
        register(other_district, fisher, "work_death")
    with pytest.raises(PermissionDenied):
        services.transition(actor=elsewhere, claim=claim, action="verify")
    assert not selectors.claims_for(elsewhere).exists()
    doc = claim.documents.get()
    for user in (elsewhere, other_district):
        with pytest.raises(NotFound):
            selectors.get_document(user, doc.pk)
    city = make_user(Role.PROGRAMME_OFFICER, "61.72")
    assert selectors.get_document(city, doc.pk) == doc
    viewer = make_user(Role.VIEWER, "61.72")
    with pytest.raises(PermissionDenied):
        selectors.claims_for(viewer)


def test_find_membership_by_nik_or_kpj_in_scope(admin, fisher):
    nik = fisher.worker.nik
    assert selectors.find_membership(admin, nik, dt.date(2026, 3, 1)) == fisher
    assert selectors.find_membership(admin, fisher.kpj, dt.date(2026, 3, 1)) == fisher
    pontianak = make_user(Role.PROGRAMME_OFFICER, PONTIANAK_VILLAGE[:5])
    with pytest.raises(NotFound):
        selectors.find_membership(pontianak, nik, dt.date(2026, 3, 1))
