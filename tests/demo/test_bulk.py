"""`insert_workers`: the bulk path stores what `create_worker` would, and audits every worker."""

import datetime as dt

import polars as pl
import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.accounts.scope import codes_of
from jaring.core.errors import Conflict, PermissionDenied, ValidationFailed
from jaring.demo.synthetic import generate_people, people_frame
from jaring.registry.bulk import insert_workers
from jaring.registry.models import Worker
from jaring.registry.names import name_key
from jaring.registry.selectors import WorkerFilter, search_workers
from jaring.registry.services import snapshot
from tests.factories import PASIRAN, make_user, make_worker

TODAY = dt.date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def test_inserts_workers_with_name_keys_region_codes_and_audit(admin):
    people = generate_people(300, seed=1, disability_rate=0.2, today=TODAY)
    assert insert_workers(people_frame(people), source="demo", actor=admin) == 300

    workers = {w.nik: w for w in Worker.objects.all()}
    assert len(workers) == 300
    for p in people:
        w = workers[p.nik]
        assert (w.full_name, w.birth_date, w.sex, w.village_id) == (
            p.full_name,
            p.birth_date,
            p.sex,
            p.village_code,
        )
        assert (w.rt, w.rw, w.address, w.phone, w.category_id) == (
            p.rt,
            p.rw,
            p.address,
            p.phone,
            p.category_code,
        )
        assert (w.has_disability, w.disability_kind, w.declared_income) == (
            p.has_disability,
            p.disability_kind,
            p.declared_income,
        )
        assert w.name_key == name_key(p.full_name)
        assert {k: getattr(w, k) for k in codes_of(p.village_code)} == codes_of(p.village_code)
        assert (w.source, w.created_by, w.consent_date) == ("demo", admin, None)

    events = AuditEvent.objects.filter(target_type="registry.worker", action="create")
    assert events.count() == 300
    by_target = {e.target_id: e for e in events}
    for w in workers.values():
        event = by_target[str(w.pk)]
        assert event.actor == admin
        assert event.region_code == w.village_id
        assert event.before is None
        # The same record create_worker writes, so histories read the same whichever path.
        assert event.after == snapshot(w)


def test_accepts_a_frame_with_consent_and_override_reason():
    frame = people_frame(generate_people(3, today=TODAY)).with_columns(
        pl.lit(dt.date(2026, 3, 1)).alias("consent_date"),
        pl.lit("KTP lama").alias("nik_override_reason"),
    )
    assert insert_workers(frame, source="import:7") == 3
    w = Worker.objects.first()
    assert (w.consent_date, w.nik_override_reason, w.created_by) == (
        dt.date(2026, 3, 1),
        "KTP lama",
        None,
    )
    event = AuditEvent.objects.get(target_id=str(w.pk))
    assert event.reason == "KTP lama"
    assert event.after == snapshot(w)


def test_bulk_workers_are_found_by_name_search(admin):
    people = generate_people(200, seed=2, today=TODAY)
    insert_workers(people_frame(people), source="demo")
    first = people[0].full_name.split()[0]
    expected = {p.nik for p in people if name_key(p.full_name).startswith(first.lower())}
    found = search_workers(admin, WorkerFilter(q=first))
    assert {w.nik for w in found} == expected


def test_nothing_is_empty():
    assert insert_workers(people_frame([]), source="demo") == 0
    assert not Worker.objects.exists()


def test_a_nik_twice_in_the_batch_is_refused():
    people = generate_people(5, today=TODAY)
    people[4].nik = people[1].nik
    with pytest.raises(Conflict) as raised:
        insert_workers(people_frame(people), source="demo")
    assert raised.value.problems[0].code == "nik_repeated"
    assert raised.value.problems[0].params["niks"] == [people[1].nik]
    assert not Worker.objects.exists()


def test_a_registered_nik_is_refused_and_nothing_is_written(admin):
    people = generate_people(5, region=PASIRAN, today=TODAY)
    existing = make_worker(
        admin, PASIRAN, nik=people[2].nik, birth_date=people[2].birth_date, sex=people[2].sex
    )
    with pytest.raises(Conflict) as raised:
        insert_workers(people_frame(people), source="demo")
    assert raised.value.problems[0].code == "nik_registered"
    assert raised.value.problems[0].params["niks"] == [existing.nik]
    assert list(Worker.objects.all()) == [existing]
    assert AuditEvent.objects.count() == 1


def test_unknown_village_and_category_are_refused():
    people = generate_people(2, today=TODAY)
    people[0].village_code = "61.72.09.1001"
    people[1].category_code = "astronaut"
    with pytest.raises(ValidationFailed) as raised:
        insert_workers(people_frame(people), source="demo")
    assert {p.code for p in raised.value.problems} == {"village_unknown", "category_unknown"}
    assert not Worker.objects.exists()


def test_an_enumerator_may_load_only_their_village(enumerator):
    assert (
        insert_workers(
            people_frame(generate_people(3, region=PASIRAN)), source="x", actor=enumerator
        )
        == 3
    )
    with pytest.raises(ValidationFailed) as raised:
        insert_workers(
            people_frame(generate_people(50, seed=9, region="61.72.02")),
            source="x",
            actor=enumerator,
        )
    assert {p.code for p in raised.value.problems} == {"village_out_of_scope"}
    assert Worker.objects.count() == 3


def test_a_viewer_may_not_load(viewer):
    with pytest.raises(PermissionDenied):
        insert_workers(people_frame(generate_people(1)), source="x", actor=viewer)
    assert not Worker.objects.exists()
    with pytest.raises(PermissionDenied):
        insert_workers(
            people_frame(generate_people(1)),
            source="x",
            actor=make_user(Role.BPJS_OFFICER, "61.72"),
        )
