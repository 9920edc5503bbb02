"""An enumerator of Pasiran tries every web route to reach workers of other villages."""

import csv
import io

import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.registry.models import Worker
from tests.factories import make_user
from tests.web.conftest import client_for

OUTSIDE = ["other_district", "other_city"]


def export_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("key", OUTSIDE)
def test_cannot_read_a_worker_of_another_village(enumerator, three_workers, key):
    worker = three_workers[key]
    client = client_for(enumerator)
    assert client.get(f"/workers/{worker.pk}/").status_code == 404
    assert client.get(f"/workers/{worker.pk}/edit/").status_code == 404
    assert client.get(f"/workers/{three_workers['own'].pk}/").status_code == 200


@pytest.mark.parametrize("key", OUTSIDE)
def test_cannot_find_a_worker_of_another_village(enumerator, three_workers, key):
    worker = three_workers[key]
    client = client_for(enumerator)
    for query in (
        f"q={worker.nik}",
        f"q={worker.nik[:8]}",
        f"q={worker.full_name}",
        f"district={worker.district_code}",
        f"district={worker.district_code}&village={worker.village_id}",
    ):
        response = client.get(f"/workers/?{query}", headers={"HX-Target": "results"})
        assert worker.full_name not in [w.full_name for w in response.context["page"].rows]
        # The query itself is echoed in links; the table cells must not show the worker.
        assert f">{worker.full_name}<".encode() not in response.content
        assert f">{worker.nik}<".encode() not in response.content
    own = client.get("/workers/").context["page"].rows
    assert [w.full_name for w in own] == ["Siti Aminah"]


@pytest.mark.parametrize("key", OUTSIDE)
def test_cannot_change_a_worker_of_another_village(enumerator, three_workers, key):
    worker = three_workers[key]
    before = Worker.objects.get(pk=worker.pk)
    response = client_for(enumerator).post(
        f"/workers/{worker.pk}/edit/",
        {
            "nik": worker.nik,
            "full_name": "Diubah Orang Lain",
            "birth_date": worker.birth_date.isoformat(),
            "sex": worker.sex,
            "village": worker.village_id,
            "category": worker.category_id,
            "reason": "coba",
        },
    )
    assert response.status_code == 404
    assert Worker.objects.get(pk=worker.pk).full_name == before.full_name
    assert not AuditEvent.objects.filter(target_id=str(worker.pk), action="update").exists()


def test_cannot_move_own_worker_out_of_the_village(enumerator, three_workers):
    own = three_workers["own"]
    response = client_for(enumerator).post(
        f"/workers/{own.pk}/edit/",
        {
            "nik": own.nik,
            "full_name": own.full_name,
            "birth_date": own.birth_date.isoformat(),
            "sex": own.sex,
            "village": three_workers["other_district"].village_id,
            "category": own.category_id,
        },
    )
    assert response.status_code == 200
    assert Worker.objects.get(pk=own.pk).village_id == own.village_id


def test_cannot_export_a_worker_of_another_village(enumerator, three_workers):
    client = client_for(enumerator)
    for query in (
        "",
        "district=61.72.01",
        "district=61.71.01",
        f"q={three_workers['other_city'].nik}",
    ):
        names = [r["full_name"] for r in export_rows(client.get(f"/workers/export.csv?{query}"))]
        assert "Ahmad Yani" not in names and "Lim Ah Kiong" not in names
    assert [r["full_name"] for r in export_rows(client.get("/workers/export.csv"))] == [
        "Siti Aminah"
    ]


def test_cannot_list_villages_of_another_district(enumerator):
    body = client_for(enumerator).get("/regions/village-select/?district=61.72.01").content
    assert b"61.72.01.1001" not in body
    body = client_for(enumerator).get("/regions/district-select/?province=61").content
    assert b"61.72.01" not in body and b"61.71" not in body


@pytest.mark.parametrize(
    "role", [Role.ENUMERATOR, Role.PROGRAMME_OFFICER, Role.VIEWER, Role.BPJS_OFFICER]
)
def test_admin_site_is_closed_to_non_admin_roles(role, three_workers):
    client = client_for(make_user(role, "61.72.02.1001"))
    worker = three_workers["other_city"]
    for url in (
        "/admin/",
        "/admin/registry/worker/",
        f"/admin/registry/worker/{worker.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/")


def test_user_without_a_scope_sees_nothing(three_workers):
    lost = make_user(Role.ENUMERATOR, None)
    client = client_for(lost)
    assert client.get("/workers/").context["page"].rows == []
    assert client.get(f"/workers/{three_workers['own'].pk}/").status_code == 404
