import datetime as dt
import itertools

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.registry.models import Worker
from jaring.rules.nik import compose
from tests.api.helpers import problems
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.querycount import assert_flat

pytestmark = pytest.mark.django_db


def new_worker(village=PASIRAN, **overrides):
    body = {
        "nik": compose(village[:8], dt.date(1990, 3, 4), "M", 77),
        "full_name": "  Bambang   Irawan ",
        "birth_date": "1990-03-04",
        "sex": "M",
        "village": village,
        "category": "ojek_driver",
        "rt": "3",
        "rw": "12",
        "phone": "0812 3456 7890",
    }
    body.update(overrides)
    return body


def test_list_filters_paginates_and_counts(api, admin, three_workers):
    make_worker(admin, PASIRAN, full_name="Dewi Lestari", sex="F", category_code="trader")
    make_worker(
        admin, PASIRAN, full_name="Eko Prasetyo", has_disability=True, disability_kind="physical"
    )
    officer = api(admin)

    everyone = officer.get("/api/workers/").json()
    assert everyone["count"] == 5
    assert [w["full_name"] for w in everyone["items"]] == [
        "Ahmad Yani",
        "Dewi Lestari",
        "Eko Prasetyo",
        "Lim Ah Kiong",
        "Siti Aminah",
    ]

    page = officer.get("/api/workers/", limit=2, offset=2).json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [w["full_name"] for w in page["items"]] == ["Eko Prasetyo", "Lim Ah Kiong"]

    def names(**params):
        return [w["full_name"] for w in officer.get("/api/workers/", **params).json()["items"]]

    assert names(district="61.72.02") == ["Dewi Lestari", "Eko Prasetyo", "Siti Aminah"]
    assert names(village=ROBAN) == ["Ahmad Yani"]
    assert names(category="trader") == ["Dewi Lestari"]
    assert names(disability="yes") == ["Eko Prasetyo"]
    assert "Eko Prasetyo" not in names(disability="no")
    assert names(q="siti") == ["Siti Aminah"]
    assert names(q=three_workers["other_city"].nik) == ["Lim Ah Kiong"]


def test_list_refuses_bad_query_parameters_by_name(api, admin):
    response = api(admin).get("/api/workers/", limit=0, disability="maybe", offset="x")
    assert response.status_code == 422
    assert problems(response) == {
        "limit": "invalid_greater_than_equal",
        "disability": "invalid_literal_error",
        "offset": "invalid_int_parsing",
    }


def test_get_returns_the_worker(api, enumerator, three_workers):
    siti = three_workers["own"]
    body = api(enumerator).get(f"/api/workers/{siti.pk}").json()
    assert body["nik"] == siti.nik
    assert body["full_name"] == "Siti Aminah"
    assert body["village"] == PASIRAN
    assert body["village_name"] == "Pasiran"
    assert body["district"] == "61.72.02"
    assert body["category"] == "fisher"
    assert body["url"] == f"/api/workers/{siti.pk}"
    assert body["web_url"] == f"/workers/{siti.pk}/"


def test_get_unknown_worker_is_404_in_the_error_format(api, admin):
    response = api(admin).get("/api/workers/999999")
    assert response.status_code == 404
    assert problems(response) == {None: "not_found"}


def test_create_registers_and_audits(api, enumerator):
    response = api(enumerator).post("/api/workers/", new_worker(source="Kelurahan Pasiran"))
    assert response.status_code == 201, response.json()
    body = response.json()
    worker = Worker.objects.get(pk=body["id"])
    assert worker.full_name == body["full_name"] == "Bambang Irawan"
    assert (worker.rt, worker.rw) == ("003", "012")
    assert worker.source == "Kelurahan Pasiran"
    assert worker.created_by == enumerator
    [event] = history(worker)
    assert (event.action, event.actor) == ("create", enumerator)
    assert event.after["nik"] == worker.nik


def test_create_source_defaults_to_api(api, enumerator):
    body = api(enumerator).post("/api/workers/", new_worker()).json()
    assert Worker.objects.get(pk=body["id"]).source == "API"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"nik": "617202040390007"}, "nik", "nik_length"),
        ({"nik": "99720204039000077"[:16]}, "nik", "nik_province_unknown"),
        ({"birth_date": "2090-01-01"}, "birth_date", "birth_date_future"),
        ({"birth_date": "1990-03-05"}, "birth_date", "birth_date_nik_mismatch"),
        ({"sex": "F"}, "sex", "sex_nik_mismatch"),
        ({"village": "61.72.02.9999"}, "village", "village_unknown"),
        ({"village": "61.72.02"}, "village", "village_unknown"),
        ({"category": "astronaut"}, "category", "category_unknown"),
        ({"rt": "1a"}, "rt", "rt_rw_invalid"),
        ({"phone": "12345"}, "phone", "phone_invalid"),
        ({"has_disability": True}, "disability_kind", "required"),
        ({"full_name": " "}, "full_name", "required"),
        ({"declared_income": -5}, "declared_income", "negative"),
        ({"consent_date": "2090-01-01"}, "consent_date", "date_future"),
    ],
)
def test_create_refuses_each_bad_field_with_its_own_code(api, admin, overrides, field, code):
    response = api(admin).post("/api/workers/", new_worker(**overrides))
    assert response.status_code == 422
    assert problems(response) == {field: code}
    assert not Worker.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"birth_date": "1990-02-30"}, "birth_date", "invalid_date_from_datetime_parsing"),
        ({"sex": "X"}, "sex", "invalid_literal_error"),
        ({"has_disability": "perhaps"}, "has_disability", "invalid_bool_parsing"),
        ({"declared_income": "banyak"}, "declared_income", "invalid_int_parsing"),
        ({"disability_kind": "ghost"}, "disability_kind", "invalid_literal_error"),
        ({"nik": 6172020403900077}, "nik", "invalid_string_type"),
        ({"full_name": "x" * 151}, "full_name", "invalid_string_too_long"),
        ({"favourite_colour": "blue"}, "favourite_colour", "invalid_extra_forbidden"),
    ],
)
def test_create_refuses_malformed_fields_by_name(api, admin, overrides, field, code):
    response = api(admin).post("/api/workers/", new_worker(**overrides))
    assert response.status_code == 422
    assert problems(response) == {field: code}
    [problem] = response.json()["errors"]
    assert problem["message_id"] and problem["message_en"]
    assert problem["message_id"] != problem["message_en"]
    assert not Worker.objects.exists()


def test_create_lists_every_missing_field(api, admin):
    response = api(admin).post("/api/workers/", {})
    assert response.status_code == 422
    assert problems(response) == dict.fromkeys(
        ["nik", "full_name", "birth_date", "sex", "village", "category"], "invalid_missing"
    )


def test_a_registered_nik_is_409_with_the_existing_worker(api, admin, three_workers):
    siti = three_workers["own"]
    response = api(admin).post(
        "/api/workers/",
        new_worker(nik=siti.nik, birth_date="1985-08-17", sex="F", full_name="Siti A."),
    )
    assert response.status_code == 409
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("nik", "nik_registered")
    assert problem["worker_id"] == siti.pk
    assert problem["worker_url"] == f"/workers/{siti.pk}/"
    assert Worker.objects.count() == 3


def test_patch_changes_only_what_is_sent_and_keeps_the_reason(api, enumerator, three_workers):
    siti = three_workers["own"]
    response = api(enumerator).patch(
        f"/api/workers/{siti.pk}",
        {"address": "Jl. Pasar Hilir 12", "rt": "7", "reason": "moved house"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["address"] == "Jl. Pasar Hilir 12"
    siti.refresh_from_db()
    assert (siti.address, siti.rt, siti.full_name, siti.rw) == (
        "Jl. Pasar Hilir 12",
        "007",
        "Siti Aminah",
        "002",
    )
    latest = history(siti)[0]
    assert (latest.action, latest.actor, latest.reason) == ("update", enumerator, "moved house")
    assert latest.after == {"address": "Jl. Pasar Hilir 12", "rt": "007"}


def test_patch_refuses_bad_fields_and_changes_nothing(api, admin, three_workers):
    siti = three_workers["own"]
    caller = api(admin)
    bad = caller.patch(f"/api/workers/{siti.pk}", {"nik": "123", "full_name": None, "rw": "x"})
    assert bad.status_code == 422
    assert problems(bad) == {"full_name": "invalid_string_type"}
    bad = caller.patch(f"/api/workers/{siti.pk}", {"nik": "123", "rw": "x"})
    assert bad.status_code == 422
    assert problems(bad) == {"nik": "nik_length", "rw": "rt_rw_invalid"}
    bad = caller.patch(f"/api/workers/{siti.pk}", {"village": "61.72.02.1"})
    assert problems(bad) == {"village": "village_unknown"}
    siti_after = Worker.objects.get(pk=siti.pk)
    assert (siti_after.nik, siti_after.rw, siti_after.village_id) == (siti.nik, "002", PASIRAN)
    assert len(history(siti)) == 1


def test_patch_to_another_workers_nik_is_409(api, admin, three_workers):
    siti, ahmad = three_workers["own"], three_workers["other_district"]
    response = api(admin).patch(
        f"/api/workers/{siti.pk}",
        {"nik": ahmad.nik, "birth_date": ahmad.birth_date.isoformat(), "sex": ahmad.sex},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["worker_id"] == ahmad.pk


def test_history_lists_changes_newest_first(api, enumerator, three_workers):
    siti = three_workers["own"]
    caller = api(enumerator)
    caller.patch(f"/api/workers/{siti.pk}", {"phone": "0813 1111 2222", "reason": "new phone"})
    events = caller.get(f"/api/workers/{siti.pk}/history").json()
    assert [e["action"] for e in events] == ["update", "create"]
    assert events[0]["actor"] == enumerator.username
    assert events[0]["reason"] == "new phone"
    assert events[0]["changes"] == [
        {"field": "phone", "before": "+6281234567890", "after": "+6281311112222"}
    ]


def test_roles_that_may_not_edit_get_403(api, three_workers):
    for role in (Role.VIEWER, Role.BPJS_OFFICER, Role.COMPLIANCE_OFFICER):
        caller = api(make_user(role, "61.72"))
        assert caller.post("/api/workers/", new_worker()).status_code == 403
        siti = three_workers["own"]
        response = caller.patch(f"/api/workers/{siti.pk}", {"address": "x"})
        assert response.status_code == 403
        assert problems(response) == {None: "forbidden"}
    assert Worker.objects.count() == 3


def test_list_queries_do_not_grow_with_the_page(api, admin):
    caller = api(admin)
    names = (f"Pekerja {n:02d}" for n in itertools.count())
    assert_flat(
        lambda: caller.get("/api/workers/"),
        lambda: make_worker(admin, PASIRAN, full_name=next(names)),
        more=11,
        shown=lambda r: len(r.json()["items"]),
        # token, rows, count, and the read audit's event and NIKs
        at_most=5,
    )
