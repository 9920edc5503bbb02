import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.core.errors import Conflict, PermissionDenied, ValidationFailed
from jaring.enrolment import services as enrolment
from jaring.programs.models import ProgrammeStatus
from jaring.programs.services import CategoryTerms, copy_to_next_year, update_programme
from jaring.registry.models import Worker
from tests.factories import make_user, make_worker
from tests.programs.factories import BASE, SINGKAWANG, make_programme

pytestmark = pytest.mark.django_db


def codes(exc) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in exc.value.problems}


def test_create_stores_terms_and_is_audited(admin):
    p = make_programme(admin)
    assert p.region_id == SINGKAWANG and p.benefit_list == ("JKK", "JKM")
    terms = {c.category_id: (c.cover_months, c.quota, c.income_base) for c in p.categories.all()}
    assert terms == {"fisher": (5, 100, BASE), "palm_oil_worker": (12, 50, BASE)}
    [event] = history(p)
    assert event.action == "programme.create" and event.actor == admin
    assert event.after["categories"]["fisher"] == [5, 100, BASE]


def test_income_base_the_rate_table_does_not_define_is_refused(admin):
    with pytest.raises(ValidationFailed) as exc:
        make_programme(admin, categories=[CategoryTerms("fisher", 5, 100, 2_500_000)])
    [problem] = exc.value.problems
    assert problem.field == "categories.0.income_base"
    assert problem.code == "base_undefined"
    assert "2.500.000" in problem.message_id or "2,500,000" in problem.message_en


def test_every_bad_field_is_reported_at_once(admin):
    with pytest.raises(ValidationFailed) as exc:
        make_programme(
            admin,
            name=" ",
            funder="apbn",
            region_code="99.99",
            min_age=70,
            max_age=60,
            cover_start_rule="pks_date",
            pks_date=None,
            status="active",
            categories=[
                CategoryTerms("astronaut", 5, 10, BASE),
                CategoryTerms("fisher", 0, 0, BASE),
            ],
        )
    assert codes(exc) >= {
        ("required", "name"),
        ("invalid_choice", "funder"),
        ("region_unknown", "region"),
        ("age_range", "max_age"),
        ("pks_date_required", "pks_date"),
        ("category_unknown", "categories.0.category"),
        ("cover_months_range", "categories.1.cover_months"),
        ("quota_not_positive", "categories.1.quota"),
    }


def test_same_name_region_and_year_conflicts(admin):
    make_programme(admin)
    with pytest.raises(Conflict):
        make_programme(admin)


def test_roles_and_regions(admin):
    with pytest.raises(PermissionDenied):
        make_programme(make_user(Role.ENUMERATOR, "61.72.02.1001"))
    pontianak_officer = make_user(Role.PROGRAMME_OFFICER, "61.71")
    with pytest.raises(ValidationFailed) as exc:
        make_programme(pontianak_officer)
    assert ("out_of_scope", "region") in codes(exc)
    assert make_programme(make_user(Role.PROGRAMME_OFFICER, "61.72")).pk


def test_copy_to_next_year(admin):
    p = make_programme(admin, cover_start_rule="pks_date")
    copy = copy_to_next_year(actor=admin, programme=p)
    assert copy.fiscal_year == 2027 and copy.name == "Perlindungan Pekerja Rentan 2027"
    assert copy.previous == p and copy.status == ProgrammeStatus.DRAFT
    # Next year's PKS is not signed yet: the rule stays, the agreement is cleared.
    assert (copy.pks_number, copy.pks_date, copy.cover_start_rule) == ("", None, "pks_date")
    assert copy.legal_basis == "Perwali Singkawang 1/2026"
    assert sorted(copy.categories.values_list("category_id", "cover_months", "quota")) == [
        ("fisher", 5, 100),
        ("palm_oil_worker", 12, 50),
    ]
    assert [e.action for e in history(copy)] == ["programme.copy", "programme.create"]


def test_update_changes_only_given_fields_and_audits_the_difference(admin):
    p = make_programme(admin)
    update_programme(
        actor=admin, programme=p, changes={"budget_ceiling": 5_000_000}, reason="APBD-P"
    )
    p.refresh_from_db()
    assert p.budget_ceiling == 5_000_000
    event = history(p)[0]
    assert event.before == {"budget_ceiling": 1_000_000_000}
    assert event.after == {"budget_ceiling": 5_000_000} and event.reason == "APBD-P"


def test_update_refuses_unknown_fields(admin):
    with pytest.raises(ValidationFailed) as exc:
        update_programme(actor=admin, programme=make_programme(admin), changes={"colour": 1})
    assert codes(exc) == {("unknown_field", "colour")}


def test_a_ceiling_below_what_members_cost_is_refused_in_rupiah(admin):
    p = make_programme(admin)
    make_worker(admin)
    enrolment.enrol(actor=admin, programme=p, workers=Worker.objects.all(), on=dt.date(2026, 3, 1))
    with pytest.raises(Conflict) as exc:
        update_programme(actor=admin, programme=p, changes={"budget_ceiling": 50_000})
    [problem] = exc.value.problems
    assert problem.code == "ceiling_below_enrolled"
    assert problem.message_id == "Pagu Rp50.000 lebih kecil dari biaya peserta terdaftar Rp84.000."
