"""What the API contract test (schemathesis) found, pinned: each was a 500."""

from __future__ import annotations

from tests.api.helpers import problems
from tests.contributions.setup import programme


def test_a_programme_patch_refuses_null_for_a_required_field(api, admin):
    prog = programme(admin)
    answer = api(admin).patch(f"/api/programmes/{prog.pk}", {"max_age": None, "pks_date": None})
    assert answer.status_code == 422
    assert problems(answer) == {"max_age": "required"}


def test_list_offsets_and_day_counts_past_any_list_are_not_server_errors(api, admin):
    caller = api(admin)
    assert caller.get("/api/enrolment/memberships", offset=2**63).status_code == 200
    assert caller.get("/api/enrolment/memberships", expiring_within=10**9).status_code == 422
    assert caller.get("/api/workers/", offset=2**63).status_code == 422
    assert caller.get("/api/contributions/bills", month="13-2026").status_code == 422
