"""A copy waiting for next year's PKS takes candidates but no renewals or BPJS submissions."""

import datetime as dt

import pytest

from jaring.core.errors import Conflict, ValidationFailed
from jaring.enrolment import services
from jaring.enrolment.models import Membership
from jaring.programs.services import copy_to_next_year, update_programme
from jaring.registry.models import Worker
from tests.factories import make_worker
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


@pytest.fixture
def active_member(admin):
    """A fisher covered from the 2026 PKS date, 1 February, to 30 June."""
    programme = make_programme(admin, cover_start_rule="pks_date", status="active")
    worker = make_worker(admin)
    services.enrol(
        actor=admin, programme=programme, workers=Worker.objects.filter(pk=worker.pk), on=ON
    )
    ms = Membership.objects.filter(worker=worker)
    services.verify(actor=admin, memberships=ms)
    services.mark_submitted(actor=admin, memberships=ms)
    return services.activate(actor=admin, membership=ms.get(), kpj="26012345678", start_date=ON)


def test_renewal_into_a_copy_without_its_pks_is_refused_until_it_is_entered(admin, active_member):
    next_year = copy_to_next_year(actor=admin, programme=active_member.programme)
    renewing = Membership.objects.filter(pk=active_member.pk)
    with pytest.raises(Conflict) as exc:
        services.renew(actor=admin, memberships=renewing, into=next_year, on=ON)
    [problem] = exc.value.problems
    assert (problem.code, problem.field) == ("pks_missing", "pks_date")
    assert "nomor dan tanggal PKS-nya belum diisi" in problem.message_id
    assert "before renewing memberships into it" in problem.message_en
    assert not Membership.objects.filter(programme=next_year).exists()
    active_member.refresh_from_db()
    assert active_member.status == "active"

    update_programme(
        actor=admin,
        programme=next_year,
        changes={"pks_number": "PKS/001/2027", "pks_date": dt.date(2026, 7, 1)},
    )
    assert services.renew(actor=admin, memberships=renewing, into=next_year, on=ON) == 1


def test_candidates_wait_in_the_draft_but_are_not_sent_to_bpjs(admin, active_member):
    next_year = copy_to_next_year(actor=admin, programme=active_member.programme)
    newcomer = make_worker(admin)
    services.enrol(
        actor=admin, programme=next_year, workers=Worker.objects.filter(pk=newcomer.pk), on=ON
    )
    waiting = Membership.objects.filter(programme=next_year)
    services.verify(actor=admin, memberships=waiting)
    with pytest.raises(Conflict) as exc:
        services.mark_submitted(actor=admin, memberships=waiting)
    assert exc.value.problems[0].code == "pks_missing"
    assert waiting.get().status == "verified"


def test_the_draft_cannot_come_into_force_without_its_pks_date(admin, active_member):
    next_year = copy_to_next_year(actor=admin, programme=active_member.programme)
    with pytest.raises(ValidationFailed) as exc:
        update_programme(actor=admin, programme=next_year, changes={"status": "active"})
    assert {(p.code, p.field) for p in exc.value.problems} == {("pks_date_required", "pks_date")}
