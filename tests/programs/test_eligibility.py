import datetime as dt

import pytest

from jaring.enrolment import eligibility
from jaring.enrolment.models import Membership
from jaring.programs.services import CategoryTerms
from jaring.registry.models import Worker
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, ROBAN, make_worker
from tests.programs.factories import BASE, make_programme

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


def reasons(programme, worker, on=ON) -> list[str]:
    rules = eligibility.judge(programme, on=on)
    row = rules.annotate(Worker.objects.filter(pk=worker.pk)).get()
    return [p.code for p in rules.reasons_of(row)]


@pytest.fixture
def programme(admin):
    """Cover starts on the PKS date, 1 February 2026."""
    return make_programme(admin, cover_start_rule="pks_date")


def test_an_adult_fisher_of_singkawang_is_eligible(programme, admin):
    assert reasons(programme, make_worker(admin, PASIRAN)) == []


def test_age_at_enrolment_is_inclusive_at_both_ends(programme, admin):
    eighteen_today = make_worker(admin, birth_date=dt.date(2008, 3, 1))
    eighteen_tomorrow = make_worker(admin, birth_date=dt.date(2008, 3, 2))
    sixty_five = make_worker(admin, birth_date=dt.date(1960, 3, 2))
    sixty_six_today = make_worker(admin, birth_date=dt.date(1960, 3, 1))
    assert reasons(programme, eighteen_today) == []
    assert reasons(programme, eighteen_tomorrow) == ["too_young"]
    assert reasons(programme, sixty_five) == []
    assert reasons(programme, sixty_six_today) == ["too_old"]


def test_every_reason_is_given_not_only_the_first(programme, admin):
    w = make_worker(
        admin, PONTIANAK_VILLAGE, birth_date=dt.date(2010, 1, 1), category_code="trader"
    )
    Worker.objects.filter(pk=w.pk).update(died_on=dt.date(2026, 1, 5))
    assert reasons(programme, w) == [
        "too_young",
        "outside_region",
        "category_not_covered",
        "deceased",
    ]


def test_a_district_programme_only_takes_its_district(admin):
    district = make_programme(admin, region_code="61.72.02", name="Singkawang Barat 2026")
    assert reasons(district, make_worker(admin, PASIRAN)) == []
    assert reasons(district, make_worker(admin, ROBAN)) == ["outside_region"]


def _membership(
    worker, programme, status: str = "candidate", start=None, end=None, **fields
) -> Membership:
    """The worker's membership of `programme`, with its cover from `start` to `end` if given."""
    terms = programme.categories.get(category_id=worker.category_id)
    return Membership.objects.create(
        worker=worker,
        programme=programme,
        status=status,
        start_date=start,
        end_date=end,
        category_id=worker.category_id,
        months=terms.cover_months,
        income_base=terms.income_base,
        village_id=worker.village_id,
        province_code=worker.province_code,
        regency_code=worker.regency_code,
        district_code=worker.district_code,
        **fields,
    )


@pytest.fixture
def other(admin):
    return make_programme(admin, name="CSR Nelayan 2026", funder="csr", participation_code="SC")


def test_already_enrolled_and_covered_elsewhere(programme, other, admin):
    enrolled, pending_elsewhere, active_elsewhere, lapsed_elsewhere, ended = (
        make_worker(admin) for _ in range(5)
    )
    _membership(enrolled, programme)
    _membership(pending_elsewhere, other, "submitted")
    # Cover from 1 Feb 2026 (the PKS date): cover that ends on that day still overlaps.
    _membership(active_elsewhere, other, "active", dt.date(2025, 9, 1), dt.date(2026, 2, 1))
    _membership(lapsed_elsewhere, other, "active", dt.date(2025, 8, 1), dt.date(2026, 1, 31))
    _membership(ended, programme, "ended", end_reason="withdrawn")
    assert reasons(programme, enrolled) == ["already_enrolled"]
    assert reasons(programme, pending_elsewhere) == ["covered_elsewhere"]
    assert reasons(programme, active_elsewhere) == ["covered_elsewhere"]
    assert reasons(programme, lapsed_elsewhere) == []
    assert reasons(programme, ended) == []
    # Cover from acceptance: from the day of enrolment, so February's cover is no obstacle.
    programme.cover_start_rule = "acceptance"
    assert reasons(programme, active_elsewhere) == []


def test_quota_full_counts_places_taken(admin):
    programme = make_programme(admin, categories=[CategoryTerms("fisher", 5, 2, BASE)])
    first, second, third = (make_worker(admin) for _ in range(3))
    _membership(first, programme)
    assert reasons(programme, third) == []
    _membership(second, programme, "active", ON, ON)
    assert reasons(programme, third) == ["quota_full"]
    # A membership ended before BPJS accepted it gives its place back.
    Membership.objects.filter(worker=first).update(status="ended", end_reason="duplicate")
    assert reasons(programme, third) == []


def test_counts_and_filter_by_reason_in_one_query(programme, admin, django_assert_num_queries):
    make_worker(admin)
    make_worker(admin, category_code="trader")
    make_worker(admin, category_code="trader", birth_date=dt.date(2012, 1, 1))
    rules = eligibility.judge(programme, on=ON)
    workers = Worker.objects.all()
    with django_assert_num_queries(1):
        counts = rules.counts(workers)
    assert counts == {
        "total": 3,
        "eligible": 1,
        **dict.fromkeys((r.code for r in eligibility.REASONS), 0),
        "category_not_covered": 2,
        "too_young": 1,
    }
    assert rules.with_reason(workers, "too_young").count() == 1
    assert rules.ineligible(workers).count() == 2
    assert rules.eligible(workers).get().category_id == "fisher"


def test_a_record_merged_into_another_worker_is_not_enrolled_twice(programme, admin):
    kept = make_worker(admin, PASIRAN)
    duplicate = make_worker(admin, PASIRAN, full_name="Budi Santoso S.")
    Worker.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    assert reasons(programme, kept) == []
    assert reasons(programme, duplicate) == ["merged_duplicate"]


def test_cover_elsewhere_counts_when_the_periods_overlap_whatever_its_status(
    programme, other, admin
):
    """Cover from 1 Feb 2026 (PKS date): fishers to 30 Jun, oil-palm workers to 31 Jan 2027."""
    renewed, expired, after_fisher_cover = (make_worker(admin) for _ in range(3))
    palm = make_worker(admin, category_code="palm_oil_worker")
    # Renewed into a later programme, but its own cover still runs into February.
    _membership(renewed, other, "renewed", dt.date(2025, 9, 1), dt.date(2026, 2, 28))
    # Expired by now (1 March) yet it covered February: the PKS date lies in the past.
    _membership(expired, other, "expired", dt.date(2025, 9, 1), dt.date(2026, 2, 15))
    # July to December: after a fisher's five months (no overlap, though it ends after the
    # start), inside an oil-palm worker's twelve.
    for worker in (after_fisher_cover, palm):
        _membership(worker, other, "active", dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert reasons(programme, renewed) == ["covered_elsewhere"]
    assert reasons(programme, expired) == ["covered_elsewhere"]
    assert reasons(programme, after_fisher_cover) == []
    assert reasons(programme, palm) == ["covered_elsewhere"]


def test_pending_cover_elsewhere_counts_in_the_fiscal_years_this_cover_touches(programme, admin):
    last_year = make_programme(admin, name="Pekerja Rentan 2025", fiscal_year=2025, pks_date=None)
    next_year = make_programme(admin, name="Pekerja Rentan 2027", fiscal_year=2027, pks_date=None)
    waiting_2025, waiting_2027 = make_worker(admin), make_worker(admin)
    palm_2027 = make_worker(admin, category_code="palm_oil_worker")
    _membership(waiting_2025, last_year, "submitted")
    _membership(waiting_2027, next_year, "verified")
    _membership(palm_2027, next_year, "candidate")
    assert reasons(programme, waiting_2025) == []
    # A fisher's cover ends in June 2026; an oil-palm worker's runs into January 2027.
    assert reasons(programme, waiting_2027) == []
    assert reasons(programme, palm_2027) == ["covered_elsewhere"]
