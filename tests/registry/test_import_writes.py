"""The registry's writes for an import: many changes at once, audited as one change is."""

from __future__ import annotations

import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import PermissionDenied
from jaring.registry import services
from jaring.registry.models import Worker
from tests.enrolment.exchange_setup import verified_members
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db

# Worker field -> the `update_worker` (WorkerInput) name, where they differ.
_INPUT = {"village_id": "village_code", "category_id": "category_code"}


def _update_event(worker: Worker) -> AuditEvent:
    return AuditEvent.objects.get(action="update", target_id=str(worker.pk))


@pytest.mark.parametrize(
    "change",
    [
        {"phone": "+6281299998888", "address": "Jl. Baru No. 1"},
        {"has_disability": False},
        {"village_id": ROBAN, "rt": "007"},
        {"declared_income": 1_500_000, "category_id": "trader"},
    ],
)
def test_records_what_update_worker_records(admin, change):
    shown = {"has_disability": True, "disability_kind": "physical", "declared_income": None}
    one, many = make_worker(admin, **shown), make_worker(admin, **shown)
    services.update_worker(
        actor=admin, worker=one, changes={_INPUT.get(f, f): v for f, v in change.items()}
    )
    updated = services.apply_import_updates(
        actor=admin, changes={many.pk: change}, reason="impor #7: b.csv"
    )
    assert updated == 1
    expected, event = _update_event(one), _update_event(many)
    assert (event.before, event.after) == (expected.before, expected.after)
    assert (event.actor, event.region_code, event.reason) == (
        admin,
        expected.region_code,
        "impor #7: b.csv",
    )
    one.refresh_from_db()
    many.refresh_from_db()
    assert services.snapshot(many) == {**services.snapshot(one), "nik": many.nik}
    for field in ("province_code", "regency_code", "district_code"):
        assert getattr(many, field) == getattr(one, field)
    assert many.updated_at > many.created_at


def test_many_workers_in_one_call(admin):
    workers = [make_worker(admin) for _ in range(5)]
    changes = {w.pk: {"rw": f"{i:03d}"} for i, w in enumerate(workers, start=10)}
    assert services.apply_import_updates(actor=admin, changes=changes, reason="x") == 5
    assert {w.pk: w.rw for w in Worker.objects.all()} == {pk: c["rw"] for pk, c in changes.items()}
    assert AuditEvent.objects.filter(action="update").count() == 5


def test_outside_the_scope_nothing_changes(admin):
    enumerator = make_user(Role.ENUMERATOR, PASIRAN)
    own, other = make_worker(admin, PASIRAN), make_worker(admin, ROBAN)
    for changes in ({other.pk: {"phone": "+6281200001111"}}, {own.pk: {"village_id": ROBAN}}):
        with pytest.raises(PermissionDenied):
            services.apply_import_updates(actor=enumerator, changes=changes, reason="x")
    assert not AuditEvent.objects.filter(action="update").exists()
    assert Worker.objects.get(pk=own.pk).village_id == PASIRAN


def test_who_the_worker_is_is_not_updated_in_bulk(admin):
    worker = make_worker(admin)
    with pytest.raises(ValueError):
        services.apply_import_updates(
            actor=admin, changes={worker.pk: {"full_name": "Someone Else"}}, reason="x"
        )


def test_counted_changes_announce_the_regencies_of_the_memberships(admin, announced):
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    member, other = make_worker(officer), make_worker(officer)
    verified_members(officer, make_programme(officer), [member])
    services.apply_import_updates(
        actor=officer, changes={member.pk: {"phone": "+6281200001111"}}, reason="x"
    )
    assert announced == []  # a phone is not counted
    services.apply_import_updates(
        actor=officer,
        changes={member.pk: {"has_disability": True}, other.pk: {"has_disability": True}},
        reason="x",
    )
    assert announced == [{"61.72"}]

    kind = {"disability_kind": "physical"}
    services.update_worker(actor=officer, worker=other, changes=kind)
    assert len(announced) == 1  # not a member
    services.update_worker(actor=officer, worker=member, changes=kind)
    assert announced[1:] == [{"61.72"}]
