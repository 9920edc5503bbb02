import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.enrolment import services
from jaring.enrolment.lifecycle import IllegalTransition
from jaring.enrolment.models import Membership
from jaring.programs.services import CategoryTerms, copy_to_next_year, update_programme
from jaring.registry.models import Worker
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, ROBAN, make_user, make_worker
from tests.programs.factories import BASE, JKK_JKM, make_programme

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


@pytest.fixture
def programme(admin):
    return make_programme(admin)


def enrol(actor, programme, workers=None, **kw):
    workers = Worker.objects.all() if workers is None else workers
    return services.enrol(actor=actor, programme=programme, workers=workers, on=ON, **kw)


def to_submitted(admin, programme) -> Membership:
    worker = make_worker(admin)
    enrol(admin, programme, Worker.objects.filter(pk=worker.pk))
    ms = Membership.objects.filter(worker=worker, programme=programme)
    services.verify(actor=admin, memberships=ms)
    services.mark_submitted(actor=admin, memberships=ms)
    return ms.get()


def submitted_elsewhere(admin, member: Membership) -> Membership:
    """The member's worker, also submitted to a CSR programme for fishers by another route."""
    csr = make_programme(admin, name="CSR Nelayan 2026", funder="csr", participation_code="SC")
    return Membership.objects.create(
        worker=member.worker,
        programme=csr,
        category_id="fisher",
        months=5,
        income_base=member.income_base,
        status="submitted",
        village_id=member.village_id,
        province_code="61",
        regency_code="61.72",
        district_code=member.district_code,
    )


def test_bulk_enrol_takes_the_terms_of_each_category_and_audits_each(admin, programme):
    make_worker(admin, PASIRAN)
    make_worker(admin, ROBAN, category_code="palm_oil_worker")
    assert enrol(admin, programme, reason="Daftar kelurahan") == 2
    rows = {m.category_id: m for m in Membership.objects.all()}
    assert (rows["fisher"].months, rows["palm_oil_worker"].months) == (5, 12)
    assert rows["fisher"].income_base == BASE and rows["fisher"].status == "candidate"
    assert rows["palm_oil_worker"].district_code == "61.72.01"
    [event] = history(rows["fisher"])
    assert event.actor == admin and event.action == "membership.enrol"
    assert event.after == {"status": "candidate", "programme": programme.pk}
    assert event.reason == "Daftar kelurahan" and event.region_code == PASIRAN


def test_a_selection_with_ineligible_workers_is_refused_whole(admin, programme):
    make_worker(admin)
    make_worker(admin, category_code="trader")
    make_worker(admin, PONTIANAK_VILLAGE)
    with pytest.raises(Conflict) as exc:
        enrol(admin, programme)
    assert {(p.code, p.params["count"]) for p in exc.value.problems} == {
        ("ineligible_category_not_covered", 1),
        ("ineligible_outside_region", 1),
    }
    assert not Membership.objects.exists()
    assert enrol(admin, programme, only_eligible=True) == 1


def test_quota_exceeded_is_refused_whole_with_the_numbers(admin):
    programme = make_programme(admin, categories=[CategoryTerms("fisher", 5, 2, BASE)])
    for _ in range(3):
        make_worker(admin)
    with pytest.raises(Conflict) as exc:
        enrol(admin, programme)
    [problem] = exc.value.problems
    assert problem.code == "quota_exceeded"
    assert problem.params == {"category": "fisher", "quota": 2, "taken": 0, "adding": 3}
    assert not Membership.objects.exists()


def test_budget_exceeded_is_refused_whole_with_the_numbers(admin):
    # Room for exactly two fishers for five months.
    programme = make_programme(admin, budget_ceiling=2 * 5 * JKK_JKM)
    make_worker(admin)
    make_worker(admin)
    assert enrol(admin, programme) == 2
    make_worker(admin)
    with pytest.raises(Conflict) as exc:
        enrol(admin, programme, only_eligible=True)
    [problem] = exc.value.problems
    assert problem.code == "budget_exceeded"
    assert problem.params == {
        "ceiling": 168_000,
        "committed": 168_000,
        "adding": 84_000,
    }
    assert Membership.objects.count() == 2


def test_the_whole_path_to_active_with_cover_from_acceptance(admin, programme):
    m = to_submitted(admin, programme)
    m = services.activate(
        actor=admin, membership=m, kpj="26012345678", start_date=dt.date(2026, 3, 15)
    )
    assert (m.status, m.kpj) == ("active", "26012345678")
    assert (m.start_date, m.end_date) == (dt.date(2026, 3, 15), dt.date(2026, 8, 14))
    assert [e.action for e in history(m)] == [
        "membership.active",
        "membership.submitted",
        "membership.verified",
        "membership.enrol",
    ]
    assert history(m)[0].after["kpj"] == "26012345678"
    assert history(m)[1].before == {"status": "verified"}


def test_cover_follows_the_pks_date_when_configured(admin):
    programme = make_programme(admin, cover_start_rule="pks_date", pks_date=dt.date(2026, 2, 1))
    m = to_submitted(admin, programme)
    m = services.activate(actor=admin, membership=m, kpj="26012345678", start_date=ON)
    assert (m.start_date, m.end_date) == (dt.date(2026, 2, 1), dt.date(2026, 6, 30))


def test_acceptance_date_is_required_when_cover_starts_on_acceptance(admin, programme):
    m = to_submitted(admin, programme)
    with pytest.raises(ValidationFailed) as exc:
        services.activate(actor=admin, membership=m, kpj="26012345678", start_date=None)
    assert exc.value.problems[0].field == "start_date"


def test_illegal_transitions_are_refused_and_change_nothing(admin, programme):
    make_worker(admin)
    make_worker(admin)
    enrol(admin, programme)
    ms = Membership.objects.all()
    services.verify(actor=admin, memberships=ms.filter(pk=ms.first().pk))
    with pytest.raises(IllegalTransition) as exc:
        services.mark_submitted(actor=admin, memberships=ms)
    assert exc.value.status == 409
    assert exc.value.problems[0].params == {"from": "candidate", "to": "submitted", "count": 1}
    assert sorted(ms.values_list("status", flat=True)) == ["candidate", "verified"]
    with pytest.raises(IllegalTransition):
        services.activate(actor=admin, membership=ms.first(), kpj="26012345678", start_date=ON)
    services.end(actor=admin, memberships=ms, end_reason="withdrawn", note="pindah kerja")
    with pytest.raises(IllegalTransition):
        services.verify(actor=admin, memberships=ms)
    assert set(ms.values_list("end_reason", flat=True)) == {"withdrawn"}


def test_unknown_end_reason(admin, programme):
    make_worker(admin)
    enrol(admin, programme)
    with pytest.raises(ValidationFailed):
        services.end(actor=admin, memberships=Membership.objects.all(), end_reason="bored")


def test_rejected_submission_goes_back_to_candidate_with_the_reason(admin, programme):
    m = to_submitted(admin, programme)
    m = services.reject_submission(actor=admin, membership=m, reason="NIK tidak padan Dukcapil")
    assert m.status == "candidate" and m.rejection_reason == "NIK tidak padan Dukcapil"
    with pytest.raises(ValidationFailed):
        services.reject_submission(actor=admin, membership=m, reason=" ")


def test_a_kpj_of_another_worker_is_refused(admin, programme):
    first, second = to_submitted(admin, programme), to_submitted(admin, programme)
    services.activate(actor=admin, membership=first, kpj="26012345678", start_date=ON)
    with pytest.raises(Conflict) as exc:
        services.activate(actor=admin, membership=second, kpj="26012345678", start_date=ON)
    assert exc.value.problems[0].code == "kpj_taken"
    with pytest.raises(ValidationFailed):
        services.activate(actor=admin, membership=second, kpj="12-AB", start_date=ON)
    second.refresh_from_db()
    assert second.status == "submitted" and second.kpj == ""


def test_overlapping_cover_for_the_same_worker_is_refused(admin, programme):
    m = to_submitted(admin, programme)
    # Enrolled in the CSR programme before the city's cover began, through another route.
    other = submitted_elsewhere(admin, m)
    services.activate(actor=admin, membership=m, kpj="26012345678", start_date=ON)
    with pytest.raises(Conflict) as exc:
        services.activate(
            actor=admin, membership=other, kpj="26012345678", start_date=dt.date(2026, 5, 1)
        )
    assert exc.value.problems[0].code == "cover_overlap"
    # …and the eligibility check keeps the worker out of the CSR programme in the first place.
    with pytest.raises(Conflict) as exc:
        enrol(admin, other.programme, Worker.objects.filter(pk=m.worker_id))
    assert {p.code for p in exc.value.problems} == {
        "ineligible_already_enrolled",
        "ineligible_covered_elsewhere",
    }


def test_expiry_and_renewal_into_next_year(admin, programme):
    m = to_submitted(admin, programme)
    services.activate(actor=admin, membership=m, kpj="26012345678", start_date=ON)
    assert services.expire_lapsed(actor=admin, on=dt.date(2026, 7, 31)) == 0
    assert services.expire_lapsed(actor=admin, on=dt.date(2026, 8, 1)) == 1
    m.refresh_from_db()
    assert m.status == "expired"
    next_year = copy_to_next_year(actor=admin, programme=programme)
    renewed = services.renew(
        actor=admin,
        memberships=Membership.objects.filter(pk=m.pk),
        into=next_year,
        on=dt.date(2027, 1, 5),
    )
    assert renewed == 1
    m.refresh_from_db()
    assert m.status == "renewed"
    successor = m.renewed_to
    assert (successor.programme, successor.status) == (next_year, "verified")
    assert history(m)[0].after == {"status": "renewed", "renewed_into": next_year.pk}
    # Renewed twice is illegal.
    with pytest.raises(IllegalTransition):
        services.renew(actor=admin, memberships=Membership.objects.filter(pk=m.pk), into=next_year)


def test_renewal_of_active_cover_continues_without_overlap(admin, programme):
    m = to_submitted(admin, programme)
    services.activate(actor=admin, membership=m, kpj="26012345678", start_date=ON)
    next_year = copy_to_next_year(actor=admin, programme=programme)
    update_programme(
        actor=admin,
        programme=next_year,
        changes={"cover_start_rule": "pks_date", "pks_date": dt.date(2026, 7, 1)},
    )
    services.renew(
        actor=admin, memberships=Membership.objects.filter(pk=m.pk), into=next_year, on=ON
    )
    successor = Membership.objects.get(programme=next_year)
    services.mark_submitted(actor=admin, memberships=Membership.objects.filter(pk=successor.pk))
    successor = services.activate(
        actor=admin, membership=successor, kpj="26012345678", start_date=None
    )
    # The old cover runs to 31 Jul 2026: the new one starts the day after, not on the PKS date.
    assert successor.start_date == dt.date(2026, 8, 1)


def test_roles_and_regions_are_enforced(admin, programme):
    make_worker(admin, PASIRAN)
    make_worker(admin, ROBAN)
    viewer = make_user(Role.VIEWER, "61.72")
    with pytest.raises(PermissionDenied):
        enrol(viewer, programme)
    pasiran_enumerator = make_user(Role.ENUMERATOR, PASIRAN)
    # Workers and programmes outside the actor's region are not found (404), as on every read.
    with pytest.raises(NotFound) as exc:
        enrol(pasiran_enumerator, programme)
    assert exc.value.problems[0].params == {"count": 1}
    assert enrol(pasiran_enumerator, programme, Worker.objects.filter(village_id=PASIRAN)) == 1
    with pytest.raises(PermissionDenied):
        services.verify(actor=pasiran_enumerator, memberships=Membership.objects.all())
    pontianak = make_user(Role.PROGRAMME_OFFICER, "61.71")
    with pytest.raises(NotFound):
        enrol(pontianak, programme, Worker.objects.none())


def test_a_selection_holding_another_region_s_memberships_is_not_found(admin, programme):
    make_worker(admin, PASIRAN)
    make_worker(admin, ROBAN)
    enrol(admin, programme)
    district = make_user(Role.PROGRAMME_OFFICER, ROBAN[:8])  # Singkawang Tengah
    with pytest.raises(NotFound) as exc:
        services.verify(actor=district, memberships=Membership.objects.all())
    assert exc.value.problems[0].params == {"count": 1}  # Pasiran's, not "outside your region"
    assert not Membership.objects.filter(status="verified").exists()


def test_nothing_selected(admin, programme):
    with pytest.raises(ValidationFailed):
        enrol(admin, programme, Worker.objects.none())
    assert not AuditEvent.objects.filter(action__startswith="membership").exists()
