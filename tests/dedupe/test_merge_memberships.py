"""A merge moves the memberships and claims of the record given up, or settles a double
enrolment the way the enrolment lifecycle does, all in one audited transaction."""

import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.core.errors import Conflict
from jaring.coverage.models import FactsState
from jaring.coverage.selectors import members_on, people_on
from jaring.dedupe import services
from jaring.dedupe.models import PairStatus, ProbableDuplicate
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership
from jaring.regions.models import Region
from jaring.registry.models import Worker
from tests.factories import PASIRAN, make_user, make_worker
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)
COVERED_DAY = dt.date(2026, 4, 15)


@pytest.fixture
def officer():
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


@pytest.fixture
def twins(officer):
    """One person registered twice (the second NIK mistyped), and their pair in the queue."""
    first = make_worker(officer, full_name="Siti Aminah", phone="")
    second = make_worker(officer, full_name="Siti Aminah", phone="081311112222")
    pair = ProbableDuplicate.objects.create(
        worker=first,
        other_worker=second,
        nik_pair="|".join(sorted([first.nik, second.nik])),
        match_probability=0.99,
        match_weight=12.0,
        province_code="61",
        regency_code="61.72",
        district_code=PASIRAN[:8],
        village_id=PASIRAN,
    )
    return first, second, pair


def enrol(officer, programme, worker, *, status: str) -> Membership:
    """A membership of `worker` moved along the lifecycle up to `status`."""
    enrolment.enrol(
        actor=officer, programme=programme, workers=Worker.objects.filter(pk=worker.pk), on=ON
    )
    m = Membership.objects.get(worker=worker, programme=programme)
    steps = ["candidate", "verified", "submitted", "active"]
    for step in steps[1 : steps.index(status) + 1]:
        one = Membership.objects.filter(pk=m.pk)
        if step == "verified":
            enrolment.verify(actor=officer, memberships=one)
        elif step == "submitted":
            enrolment.mark_submitted(actor=officer, memberships=one)
        else:
            kpj = f"26{worker.pk:08d}{programme.pk:02d}"
            enrolment.activate(actor=officer, membership=m, kpj=kpj, start_date=ON)
    m.refresh_from_db()
    return m


def covered(day: dt.date) -> tuple[int, int]:
    """(records covered on `day`, people: a merged record counts as the one it went into)."""
    city = Region.objects.get(code="61.72")
    return members_on(city, day).values("worker_id").distinct().count(), people_on(city, day)


def test_the_duplicates_membership_moves_to_the_kept_record(officer, twins):
    first, second, pair = twins
    programme = make_programme(officer)
    theirs = enrol(officer, programme, second, status="active")
    kept = services.merge(actor=officer, pair_id=pair.pk, keep=first.pk, note="orang yang sama")
    theirs.refresh_from_db()
    assert theirs.worker_id == kept.pk == first.pk and theirs.status == "active"
    assert theirs.kpj  # the KPJ BPJS gave the person moves with the membership
    [moved] = [e for e in history(theirs) if e.action == "membership.moved_on_merge"]
    assert (moved.before, moved.after) == ({"worker": second.pk}, {"worker": first.pk})
    assert history(first)[0].after["memberships"]["moved"] == [theirs.pk]
    assert covered(COVERED_DAY) == (1, 1)
    second.refresh_from_db()
    assert second.merged_into_id == first.pk and not second.memberships.exists()


def test_a_person_enrolled_twice_is_counted_once_after_the_merge(officer, twins):
    first, second, pair = twins
    ours = enrol(officer, make_programme(officer), first, status="active")
    theirs = enrol(
        officer, make_programme(officer, name="JKK JKM Kelurahan"), second, status="active"
    )
    assert covered(COVERED_DAY) == (2, 2)
    stale = FactsState.objects.get(pk="61.72").changes
    services.merge(actor=officer, pair_id=pair.pk, keep=first.pk)
    # The dashboard's counts of the city are recounted before they are read again.
    assert FactsState.objects.get(pk="61.72").changes > stale
    theirs.refresh_from_db()
    ours.refresh_from_db()
    # Two covers at once are a double enrolment: the duplicate's one ends, as the lifecycle
    # says ("duplicate"), and moves to the person's record with the rest of their history.
    assert (theirs.status, theirs.end_reason, theirs.worker_id) == ("ended", "duplicate", first.pk)
    assert ours.status == "active"
    assert covered(COVERED_DAY) == (1, 1)
    assert [e.action for e in history(theirs)][:2] == [
        "membership.moved_on_merge",
        "membership.ended",
    ]


def test_a_candidacy_beside_an_active_membership_of_the_same_programme_is_ended(officer, twins):
    first, second, pair = twins
    programme = make_programme(officer)
    ours = enrol(officer, programme, first, status="active")
    theirs = enrol(officer, programme, second, status="candidate")
    services.merge(actor=officer, pair_id=pair.pk, keep=first.pk)
    theirs.refresh_from_db()
    assert (theirs.status, theirs.end_reason, theirs.worker_id) == ("ended", "duplicate", first.pk)
    assert Membership.objects.exclude(status="ended").get(worker=first) == ours


def test_a_merge_that_would_end_real_cover_is_refused_and_changes_nothing(officer, twins):
    first, second, pair = twins
    programme = make_programme(officer)
    enrol(officer, programme, first, status="candidate")
    theirs = enrol(officer, programme, second, status="active")
    with pytest.raises(Conflict) as exc:
        services.merge(actor=officer, pair_id=pair.pk, keep=first.pk)
    [problem] = exc.value.problems
    assert problem.code == "merge_membership_ahead"
    assert "Keep the other record" in problem.message_en
    theirs.refresh_from_db()
    second.refresh_from_db()
    pair.refresh_from_db()
    assert theirs.status == "active" and theirs.worker_id == second.pk
    assert second.merged_into_id is None and pair.status == PairStatus.PENDING
    # Keeping the record with the cover works: the other's candidacy ends as a duplicate.
    services.merge(actor=officer, pair_id=pair.pk, keep=second.pk)
    assert Membership.objects.get(worker=second, status="active") == theirs
    ended = Membership.objects.get(worker=second, status="ended")
    assert ended.end_reason == "duplicate"
