"""Trying to get out of one's region through the API, by every route."""

import pytest

from jaring.accounts.audit import history
from jaring.registry.models import Worker
from jaring.rules.nik import mask
from tests.api.helpers import problems
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, ROBAN
from tests.registry.test_api import new_worker

pytestmark = pytest.mark.django_db


def names(caller, **params):
    return [w["full_name"] for w in caller.get("/api/workers/", **params).json()["items"]]


def test_enumerator_lists_only_their_village(api, enumerator, three_workers):
    caller = api(enumerator)
    assert caller.get("/api/workers/").json()["count"] == 1
    assert names(caller) == ["Siti Aminah"]
    assert names(caller, village=ROBAN) == []
    assert names(caller, district="61.72.01") == []
    assert names(caller, limit=500, offset=0) == ["Siti Aminah"]


@pytest.mark.parametrize("other", ["other_district", "other_city"])
def test_enumerator_cannot_reach_a_worker_of_another_village(api, enumerator, three_workers, other):
    worker = three_workers[other]
    caller = api(enumerator)
    assert names(caller, q=worker.nik) == []
    assert names(caller, q=worker.nik[:6]) == []
    assert names(caller, q=worker.full_name) == []
    assert names(caller, q=worker.full_name.split()[0].lower()) == []
    assert names(caller, village=worker.village_id) == []

    for path in (f"/api/workers/{worker.pk}", f"/api/workers/{worker.pk}/history"):
        response = caller.get(path)
        assert response.status_code == 404
        assert problems(response) == {None: "not_found"}
        assert worker.full_name not in response.content.decode()

    response = caller.patch(f"/api/workers/{worker.pk}", {"address": "taken over"})
    assert response.status_code == 404
    worker.refresh_from_db()
    assert worker.address == ""
    assert len(history(worker)) == 1


@pytest.mark.parametrize("village", [ROBAN, PONTIANAK_VILLAGE])
def test_enumerator_cannot_create_in_another_village(api, enumerator, village):
    response = api(enumerator).post("/api/workers/", new_worker(village))
    assert response.status_code == 422
    assert problems(response) == {"village": "village_out_of_scope"}
    assert not Worker.objects.exists()


def test_enumerator_cannot_move_their_worker_out_of_their_village(api, enumerator, three_workers):
    siti = three_workers["own"]
    response = api(enumerator).patch(f"/api/workers/{siti.pk}", {"village": ROBAN})
    assert response.status_code == 422
    assert problems(response) == {"village": "village_out_of_scope"}
    siti.refresh_from_db()
    assert siti.village_id == PASIRAN


def test_viewer_gets_masked_niks_everywhere(api, admin, viewer, three_workers):
    siti = three_workers["own"]
    old_nik = siti.nik
    api(admin).patch(
        f"/api/workers/{siti.pk}",
        {"nik": old_nik[:12] + "0099", "reason": "typo in the serial"},
    )
    siti.refresh_from_db()
    caller = api(viewer)

    listed = caller.get("/api/workers/").json()["items"]
    assert {w["full_name"] for w in listed} == {"Siti Aminah", "Ahmad Yani"}
    assert all(w["nik"] == mask(w["nik"]) and "*" in w["nik"] for w in listed)

    assert caller.get(f"/api/workers/{siti.pk}").json()["nik"] == mask(siti.nik)

    events = caller.get(f"/api/workers/{siti.pk}/history").json()
    shown = [(c["before"], c["after"]) for e in events for c in e["changes"] if c["field"] == "nik"]
    assert shown == [(mask(old_nik), mask(siti.nik)), (None, mask(old_nik))]
    raw = caller.get(f"/api/workers/{siti.pk}/history").content.decode()
    assert siti.nik not in raw and old_nik not in raw

    # A viewer may look up a whole NIK but not probe by its start (the birth date is in it).
    assert names(caller, q=siti.nik) == ["Siti Aminah"]
    assert names(caller, q=siti.nik[:8]) == []
