import datetime as dt

import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import Conflict, PermissionDenied, ValidationFailed
from jaring.registry import services
from jaring.registry.models import Worker
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, ROBAN, make_user, make_worker, worker_input

pytestmark = pytest.mark.django_db


def codes(exc) -> dict[str | None, list[str]]:
    return {f: [p.code for p in ps] for f, ps in exc.value.by_field().items()}


def test_create_normalises_and_audits(admin):
    data = worker_input(full_name="  siti   AMINAH ", rt="1", rw="12", phone="0812-3456-7890")
    w = services.create_worker(actor=admin, data=data, source="form")
    assert w.full_name == "siti AMINAH"
    assert w.name_key == "siti aminah"
    assert (w.rt, w.rw, w.phone) == ("001", "012", "+6281234567890")
    assert (w.province_code, w.regency_code, w.district_code) == ("61", "61.72", "61.72.02")
    event = AuditEvent.objects.get(target_id=str(w.pk))
    assert (event.action, event.actor, event.before) == ("create", admin, None)
    assert event.after["nik"] == w.nik


def test_bad_input_is_refused_per_field_and_nothing_is_written(admin):
    data = worker_input(
        nik="617202170885001",
        full_name="",
        birth_date=dt.date(2099, 1, 1),
        village_code="61.72.02.9999",
        category_code="astronaut",
        rt="12a",
        phone="12",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.create_worker(actor=admin, data=data, source="form")
    assert codes(exc) == {
        "nik": ["nik_length"],
        "full_name": ["required"],
        "birth_date": ["birth_date_future"],
        "village": ["village_unknown"],
        "category": ["category_unknown"],
        "rt": ["rt_rw_invalid"],
        "phone": ["phone_invalid"],
    }
    assert not Worker.objects.exists() and not AuditEvent.objects.exists()


def test_registered_nik_is_refused_with_a_link(admin):
    first = make_worker(admin)
    with pytest.raises(Conflict) as exc:
        services.create_worker(actor=admin, data=worker_input(nik=first.nik), source="form")
    problem = exc.value.problems[0]
    assert problem.code == "nik_registered"
    assert problem.params["worker_url"] == f"/workers/{first.pk}/"


def test_birth_date_and_sex_must_agree_with_the_nik_unless_overridden(admin):
    data = worker_input(birth_date=dt.date(1985, 8, 17), sex="M")
    data.birth_date = dt.date(1985, 8, 18)
    data.sex = "F"
    with pytest.raises(ValidationFailed) as exc:
        services.create_worker(actor=admin, data=data, source="form")
    assert codes(exc) == {
        "birth_date": ["birth_date_nik_mismatch"],
        "sex": ["sex_nik_mismatch"],
    }
    data.nik_override_reason = "KTP lama salah cetak, dicek dengan KK"
    w = services.create_worker(actor=admin, data=data, source="form")
    assert w.nik_override_reason == "KTP lama salah cetak, dicek dengan KK"
    assert AuditEvent.objects.get(target_id=str(w.pk)).reason == w.nik_override_reason


def test_update_records_only_what_changed(admin):
    w = make_worker(admin)
    services.update_worker(
        actor=admin, worker=w, changes={"address": "Jl. Diponegoro 5"}, reason="pindah"
    )
    event = AuditEvent.objects.filter(action="update").get()
    assert event.before == {"address": ""}
    assert event.after == {"address": "Jl. Diponegoro 5"}
    assert event.reason == "pindah"


def test_update_with_no_change_writes_no_audit(admin):
    w = make_worker(admin)
    services.update_worker(actor=admin, worker=w, changes={"full_name": w.full_name})
    assert not AuditEvent.objects.filter(action="update").exists()


def test_enumerator_cannot_create_or_move_a_worker_outside_the_village(enumerator, admin):
    with pytest.raises(ValidationFailed) as exc:
        services.create_worker(actor=enumerator, data=worker_input(ROBAN), source="form")
    assert codes(exc) == {"village": ["village_out_of_scope"]}
    own = make_worker(enumerator, PASIRAN)
    with pytest.raises(ValidationFailed):
        services.update_worker(actor=enumerator, worker=own, changes={"village_code": ROBAN})
    other = make_worker(admin, PONTIANAK_VILLAGE)
    with pytest.raises(PermissionDenied):
        services.update_worker(actor=enumerator, worker=other, changes={"address": "x"})


@pytest.mark.parametrize("role", [Role.VIEWER, Role.BPJS_OFFICER, Role.COMPLIANCE_OFFICER])
def test_read_only_roles_cannot_write(role):
    user = make_user(role, "61.72")
    with pytest.raises(PermissionDenied):
        services.create_worker(actor=user, data=worker_input(), source="form")


def test_unknown_field_in_an_update_is_refused(admin):
    w = make_worker(admin)
    with pytest.raises(ValidationFailed) as exc:
        services.update_worker(actor=admin, worker=w, changes={"salary": 5})
    assert codes(exc) == {"salary": ["unknown_field"]}
