"""The import pages and API: upload, progress, preview, commit, rejected rows, all scoped."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from jaring.accounts.models import ReadEvent, Role
from jaring.accounts.services import create_token
from jaring.imports import services
from jaring.imports.models import ImportBatch, ImportRow, Status
from jaring.registry import services as worker_services
from jaring.registry.models import Worker
from jaring.rules.nik import mask
from tests.factories import make_user

from .conftest import people_cells, write_csv
from .test_services import upload

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, key = create_token(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def csv_bytes(tmp_path):
    cells = people_cells(12, seed=41)
    cells = cells.with_columns(cells["Jenis Kelamin"].scatter(0, "?"))
    return write_csv(cells, tmp_path / "list.csv").read_bytes()


def post_file(client, url, data: bytes, name="list.csv", headers=None, **extra):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(url, {"file": upload, **extra}, headers=headers or {})


def test_api_upload_progress_preview_commit_rejected(client, city_officer, csv_bytes):
    auth = bearer(city_officer)
    response = post_file(client, "/api/imports/", csv_bytes, headers=auth)
    assert response.status_code == 201, response.content
    batch_id = response.json()["id"]
    status = client.get(f"/api/imports/{batch_id}", headers=auth).json()
    assert (status["status"], status["progress"]) == ("ready", 100)
    assert status["counts"]["new"] == 11 and status["counts"]["rejected"] == 1
    page = client.get(f"/api/imports/{batch_id}/rows", {"outcome": "rejected"}, headers=auth).json()
    assert page["count"] == 1
    assert page["results"][0]["reasons"][0]["code"] == "sex_unreadable"
    rejected = client.get(f"/api/imports/{batch_id}/rejected.xlsx", headers=auth)
    assert rejected.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(rejected.content)).active
    assert sheet.max_row == 2
    # The file shows the person's NIK as the list wrote it: a read, named in the read audit.
    nik = ImportRow.objects.get(batch_id=batch_id, outcome="rejected").nik
    read = ReadEvent.objects.get(what__endswith="/rejected.xlsx")
    assert (read.actor, read.records) == (city_officer, 1)
    assert list(read.subjects.values_list("nik", flat=True)) == [nik]
    committed = client.post(f"/api/imports/{batch_id}/commit", headers=auth)
    assert committed.status_code == 200 and committed.json()["status"] == "committed"
    assert Worker.objects.count() == 11
    again = client.post(f"/api/imports/{batch_id}/commit", headers=auth)
    assert again.status_code == 409


def test_api_refuses_bad_files_and_strangers(client, city_officer, csv_bytes):
    auth = bearer(city_officer)
    response = post_file(client, "/api/imports/", b"", headers=auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "file_empty"
    batch_id = post_file(client, "/api/imports/", csv_bytes, headers=auth).json()["id"]
    stranger = bearer(make_user(Role.PROGRAMME_OFFICER, "61.71"))
    for path in ("", "/rows", "/rejected.xlsx"):
        assert client.get(f"/api/imports/{batch_id}{path}", headers=stranger).status_code == 404
    assert client.post(f"/api/imports/{batch_id}/commit", headers=stranger).status_code == 404
    assert client.get("/api/imports/", headers=stranger).json() == []
    assert client.get("/api/imports/").status_code == 401


def test_api_mapping_correction(client, city_officer, tmp_path):
    cells = people_cells(3, seed=42).rename({"NIK": "Nomor KK atau KTP"})
    auth = bearer(city_officer)
    data = write_csv(cells, tmp_path / "m.csv").read_bytes()
    batch = post_file(client, "/api/imports/", data, headers=auth).json()
    assert batch["status"] == "needs_mapping"
    mapping = dict(batch["mapping"], nik="Nomor KK atau KTP")
    response = client.post(
        f"/api/imports/{batch['id']}/mapping",
        {"mapping": mapping},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 202
    assert client.get(f"/api/imports/{batch['id']}", headers=auth).json()["counts"]["new"] == 3


def test_pages(client, city_officer, csv_bytes):
    client.force_login(city_officer)
    page = client.get(reverse("imports:list"))
    assert page.status_code == 200
    assert reverse("imports:template") in page.content.decode()
    response = post_file(client, reverse("imports:list"), csv_bytes)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "imports:detail", args=[batch.pk]
    )
    detail = client.get(batch_url := reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "Jenis kelamin &#x27;?&#x27; tidak dikenal" in detail
    assert reverse("imports:commit", args=[batch.pk]) in detail
    # htmx polling of a finished batch asks for a full reload.
    assert client.get(batch_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    # First what saving will do (11 new, the refused row staying out), then the saving.
    preview = client.post(reverse("imports:commit", args=[batch.pk]))
    assert preview.status_code == 200 and 'data-count="11"' in preview.text
    assert 'id="confirm"' in preview.text and Worker.objects.count() == 0
    client.post(reverse("imports:commit", args=[batch.pk]), {"step": "confirm"})
    batch.refresh_from_db()
    assert batch.status == Status.COMMITTED and Worker.objects.count() == 11
    # Committed: asking again says it cannot be saved twice.
    again = client.post(reverse("imports:commit", args=[batch.pk]))
    assert again.status_code == 409 and 'id="confirm"' not in again.text
    template = client.get(reverse("imports:template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("imports:template"), {"format": "csv"}).content.startswith(
        "\ufeffNIK".encode()
    )


def test_pages_are_scoped(client, city_officer, csv_bytes):
    client.force_login(city_officer)
    post_file(client, reverse("imports:list"), csv_bytes)
    batch = ImportBatch.objects.get()
    client.force_login(make_user(Role.ENUMERATOR, "61.72.02.1001"))
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:rejected", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 404
    client.force_login(make_user(Role.VIEWER, "61.72"))
    assert client.get(reverse("imports:list")).status_code == 404


def test_an_imported_worker_history_shows_its_registration_from_the_row(
    client, city_officer, tmp_path
):
    cells = people_cells(3, seed=43)
    batch = upload(city_officer, write_csv(cells, tmp_path / "rt-03.csv"))
    services.commit_batch(actor=city_officer, batch=batch)
    worker = Worker.objects.get(nik=cells["NIK"][1])
    row = ImportRow.objects.get(pk=worker.import_row_id)
    assert (row.batch_id, row.nik) == (batch.pk, worker.nik)
    worker_services.update_worker(
        actor=city_officer, worker=worker, changes={"address": "Jl. Baru 7"}, reason="Pindah"
    )

    events = client.get(f"/api/workers/{worker.pk}/history", headers=bearer(city_officer)).json()
    assert [e["action"] for e in events] == ["update", "create"]
    registered = events[1]
    assert registered["actor"] == city_officer.username
    assert registered["reason"] == f"impor #{batch.pk}: rt-03.csv, baris {row.row_number}"
    shown = {c["field"]: c["after"] for c in registered["changes"]}
    assert shown["nik"] == worker.nik and shown["full_name"] == worker.full_name
    assert shown["address"] == cells["Alamat"][1] != "Jl. Baru 7"

    viewer = make_user(Role.VIEWER, "61.72")
    raw = client.get(f"/api/workers/{worker.pk}/history", headers=bearer(viewer)).content
    assert worker.nik.encode() not in raw and mask(worker.nik).encode() in raw

    client.force_login(city_officer)
    page = client.get(reverse("worker-detail", args=[worker.pk]))
    history = page.context["history"]
    assert [e.event.action for e in history] == ["update", "create"]
    assert history[1].who == (city_officer.get_full_name() or city_officer.username)
    assert f"impor #{batch.pk}: rt-03.csv, baris {row.row_number}" in page.content.decode()


def test_an_updated_rows_changes_are_shown_in_words(db):
    """The review names the village and occupation, a choice by its label, money as money."""
    from django.utils import translation

    from jaring.imports.selectors import changes_in_words
    from tests.factories import PASIRAN, ROBAN

    changes = {
        "village_code": [PASIRAN, ROBAN],
        "category_code": ["fisher", "trader"],
        "has_disability": [False, True],
        "marital_status": ["single", "married"],
        "declared_income": [1_000_000, 1_500_000],
    }
    with translation.override("id"):
        [words] = changes_in_words([changes])
    shown = " ".join(" ".join(w) for w in words)
    assert "Pasiran" in shown and "Roban" in shown and PASIRAN not in shown
    assert "fisher" not in shown and "trader" not in shown and "married" not in shown
    assert "Rp1.500.000" in shown and "Ya" in shown
