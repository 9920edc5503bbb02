"""activate_many / reject_many: the rules of one activation, applied to many in one call."""

import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.enrolment import bulk, services
from jaring.enrolment.lifecycle import IllegalTransition
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.enrolment.services import Acceptance, Refusal, RowsRefused
from tests.enrolment.test_lifecycle import ON, submitted_elsewhere, to_submitted
from tests.factories import PASIRAN, make_user
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(admin):
    return make_programme(admin)


def state() -> list[tuple]:
    return list(
        Membership.objects.order_by("pk").values_list(
            "status", "kpj", "start_date", "end_date", "rejection_reason"
        )
    )


def test_many_activations_in_one_call_each_with_its_cover_and_audit(admin, programme):
    first, second = to_submitted(admin, programme), to_submitted(admin, programme)
    covers = services.activate_many(
        actor=admin,
        rows=[
            Acceptance(first.pk, " 26012345678 ", ON),
            Acceptance(second.pk, "26012345679", dt.date(2026, 3, 15)),
        ],
    )
    assert [(c.start_date, c.end_date) for c in covers] == [
        (ON, dt.date(2026, 7, 31)),
        (dt.date(2026, 3, 15), dt.date(2026, 8, 14)),
    ]
    first.refresh_from_db()
    assert (first.status, first.kpj, first.end_date) == (
        "active",
        "26012345678",
        dt.date(2026, 7, 31),
    )
    event = history(first)[0]
    assert (event.action, event.actor, event.reason) == (
        "membership.active",
        admin,
        "Diterima BPJS, KPJ 26012345678",
    )
    assert event.before == {
        "status": "submitted",
        "kpj": "",
        "start_date": None,
        "end_date": None,
    }
    assert event.after == {
        "status": "active",
        "kpj": "26012345678",
        "start_date": "2026-03-01",
        "end_date": "2026-07-31",
        "rejection_reason": "",
    }
    assert AuditEvent.objects.filter(action="membership.active").count() == 2


def test_a_kpj_taken_by_an_earlier_row_is_refused_for_a_later_one_and_nothing_changes(
    admin, programme
):
    first, second, third = (to_submitted(admin, programme) for _ in range(3))
    before, events = state(), AuditEvent.objects.count()
    with pytest.raises(RowsRefused) as exc:
        services.activate_many(
            actor=admin,
            rows=[
                Acceptance(first.pk, "26012345678", ON),
                Acceptance(second.pk, "26012345678", ON),
                Acceptance(third.pk, "12-AB", ON),
            ],
        )
    errors = exc.value.errors
    assert sorted(errors) == [1, 2]
    assert isinstance(errors[1], Conflict) and errors[1].problems[0].code == "kpj_taken"
    assert errors[1].problems[0].params == {"worker_id": first.worker_id}
    assert isinstance(errors[2], ValidationFailed) and errors[2].problems[0].code == "kpj_invalid"
    assert exc.value.status == 422  # a conflict and a validation problem together
    assert state() == before and AuditEvent.objects.count() == events


def test_the_same_membership_twice_is_refused_the_second_time(admin, programme):
    m = to_submitted(admin, programme)
    with pytest.raises(RowsRefused) as exc:
        services.activate_many(
            actor=admin,
            rows=[Acceptance(m.pk, "26012345678", ON), Acceptance(m.pk, "26012345678", ON)],
        )
    assert list(exc.value.errors) == [1]
    assert isinstance(exc.value.errors[1], IllegalTransition)
    assert exc.value.status == 409


def test_cover_overlapping_an_earlier_row_of_the_same_worker_is_refused(admin, programme):
    m = to_submitted(admin, programme)
    other = submitted_elsewhere(admin, m)
    with pytest.raises(RowsRefused) as exc:
        services.activate_many(
            actor=admin,
            rows=[
                Acceptance(m.pk, "26012345678", ON),
                Acceptance(other.pk, "26012345678", dt.date(2026, 5, 1)),
            ],
        )
    (problem,) = exc.value.errors[1].problems
    assert problem.code == "cover_overlap" and problem.params == {"membership_id": m.pk}
    assert "until 2026-07-31" in problem.message_en


def test_members_outside_the_actor_region_are_not_found_per_row(admin, programme):
    m = to_submitted(admin, programme)
    elsewhere = make_user(Role.BPJS_OFFICER, "61.72.01")  # Singkawang Tengah
    assert m.village_id == PASIRAN
    with pytest.raises(RowsRefused) as exc:
        services.activate_many(actor=elsewhere, rows=[Acceptance(m.pk, "26012345678", ON)])
    # As a membership that does not exist: "outside your region" would tell that it does.
    (error,) = exc.value.errors.values()
    assert isinstance(error, NotFound) and error.problems[0].code == "not_found"
    assert exc.value.status == 404
    with pytest.raises(RowsRefused) as exc:
        services.reject_many(actor=elsewhere, rows=[Refusal(m.pk, "NIK tidak cocok")])
    assert exc.value.status == 404 and exc.value.problems[0].code == "not_found"
    m.refresh_from_db()
    assert m.status == MembershipStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.activate_many(
            actor=make_user(Role.ENUMERATOR, PASIRAN), rows=[Acceptance(m.pk, "26012345678", ON)]
        )


def test_many_rejections_go_back_to_candidate_with_their_reasons(admin, programme):
    first, second = to_submitted(admin, programme), to_submitted(admin, programme)
    assert (
        services.reject_many(
            actor=admin,
            rows=[Refusal(first.pk, " Data ganda "), Refusal(second.pk, "NIK tidak padan")],
        )
        == 2
    )
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == ("candidate", "Data ganda")
    event = history(first)[0]
    assert (event.action, event.reason) == ("membership.rejected", "Data ganda")
    assert event.before == {"status": "submitted", "rejection_reason": ""}
    with pytest.raises(RowsRefused) as exc:
        services.reject_many(actor=admin, rows=[Refusal(second.pk, "lagi"), Refusal(first.pk, " ")])
    assert exc.value.errors[0].problems[0].code == "illegal_transition"
    assert exc.value.errors[1].problems[0].code == "reason_required"


def test_a_reason_with_quotes_and_accents_is_stored_exactly_as_given(admin, programme):
    # The answers travel to the database as one JSON document: nothing in a reason may break
    # it or be changed by it.
    m = to_submitted(admin, programme)
    reason = 'Nama "Siti\' Aminah" beda; \\ Dukcapil — ñ\nbaris 2'
    services.reject_many(actor=admin, rows=[Refusal(m.pk, reason)])
    m.refresh_from_db()
    assert m.rejection_reason == reason and history(m)[0].reason == reason
    assert history(m)[0].after["rejection_reason"] == reason


def test_value_lists_beyond_the_sqlite_parameter_limit_are_one_parameter(admin, programme):
    # 40,000 values: older SQLite refused more than 999 bound parameters, 3.32+ 32,766.
    m = to_submitted(admin, programme)
    services.activate_many(actor=admin, rows=[Acceptance(m.pk, "26012345678", ON)])
    ids = [*range(10**9, 10**9 + 40_000), m.pk]
    assert list(bulk.among(Membership.objects.all(), "pk", ids)) == [m]
    kpjs = [f"9{i:010d}" for i in range(40_000)] + ["26012345678"]
    assert list(bulk.among(Membership.objects.values_list("pk", flat=True), "kpj", kpjs)) == [m.pk]
    assert not bulk.among(Membership.objects.all(), "pk", []).exists()
