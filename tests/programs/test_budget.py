import datetime as dt

import pytest

from jaring.core.errors import ValidationFailed
from jaring.enrolment import services
from jaring.enrolment.models import Membership
from jaring.enrolment.selectors import programme_budget
from jaring.programs import budget
from jaring.registry.models import Worker
from tests.factories import make_worker
from tests.programs.factories import JKK_JKM, make_programme

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


def test_planned_enrolled_active_and_remaining(admin):
    p = make_programme(admin)  # 100 fishers × 5 months, 50 oil-palm workers × 12 months
    make_worker(admin)
    make_worker(admin)
    make_worker(admin, category_code="palm_oil_worker")
    services.enrol(actor=admin, programme=p, workers=Worker.objects.all(), on=ON)
    m = Membership.objects.filter(category_id="fisher").first()
    Membership.objects.filter(pk=m.pk).update(
        status="active", start_date=ON, end_date=dt.date(2026, 7, 31)
    )
    b = programme_budget(p, on=ON)
    assert b.planned == (100 * 5 + 50 * 12) * JKK_JKM
    assert b.enrolled == (2 * 5 + 12) * JKK_JKM
    assert b.active == 5 * JKK_JKM
    assert b.remaining == p.budget_ceiling - b.enrolled
    fisher = next(c for c in b.categories if c.category_code == "fisher")
    assert (fisher.enrolled_workers, fisher.active_workers) == (2, 1)
    assert fisher.monthly_per_worker == JKK_JKM


def test_pp50_2025_discount_applies_to_a_csr_programme_not_to_an_apbd_one(admin):
    apbd = make_programme(admin)
    csr = make_programme(admin, name="CSR 2026", funder="csr", participation_code="SC")
    # From April 2026 "other" sectors pay half of JKK+JKM under PP 50/2025.
    may = dt.date(2026, 5, 1)
    assert budget.what_if_cost(apbd, workers=10, months=1, on=may)["total"] == 10 * JKK_JKM
    assert budget.what_if_cost(csr, workers=10, months=1, on=may)["total"] == 10 * JKK_JKM // 2


def test_what_if_capacity_and_cost(admin):
    p = make_programme(admin)
    assert budget.what_if_capacity(p, budget=1_000_000, months=5, on=ON)["workers"] == 11
    cost = budget.what_if_cost(p, workers=7737, category_code="fisher", on=ON)
    assert cost["total"] == 7737 * 5 * JKK_JKM
    with pytest.raises(ValidationFailed) as exc:
        budget.what_if_cost(p, workers=10, months=5, base=3_000_000, on=ON)
    assert exc.value.problems[0].code == "base_undefined"
    with pytest.raises(ValidationFailed):
        budget.what_if_capacity(p, budget=1_000_000, category_code="trader", on=ON)
