import datetime as dt

from jaring.accounts.models import AuditEvent
from jaring.registry import services
from jaring.rules.nik import mask
from tests.factories import PASIRAN, make_worker
from tests.web.conftest import client_for


def test_worker_page_shows_the_fields_and_the_history(officer, admin):
    worker = make_worker(
        admin, PASIRAN, full_name="Siti Aminah", sex="F", address="Jl. Pasar Baru 3"
    )
    services.update_worker(
        actor=officer,
        worker=worker,
        changes={"full_name": "Siti Aminah Lubis", "declared_income": 1_500_000},
        reason="Nama sesuai KTP",
    )
    response = client_for(officer).get(f"/workers/{worker.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        worker.nik,
        "Siti Aminah Lubis",
        "Pasiran",
        "Singkawang Barat",
        "Jl. Pasar Baru 3",
    ):
        assert text in body
    assert "Rp1.500.000" in body
    history = response.context["history"]
    assert [e.event.action for e in history] == ["update", "create"]
    update = history[0]
    assert update.event.actor == officer
    assert update.event.reason == "Nama sesuai KTP"
    changes = {str(c.label): (c.before, c.after) for c in update.changes}
    assert changes["Nama lengkap"] == ("Siti Aminah", "Siti Aminah Lubis")
    assert changes["Penghasilan per bulan"] == (None, "Rp1.500.000")
    assert "Rina Wulandari" in body
    assert "Nama sesuai KTP" in body
    # The creation entry names the village rather than its bare code.
    created = {str(c.label): c.after for c in history[1].changes}
    assert created["Kelurahan/Desa"] == f"Pasiran ({PASIRAN})"
    assert created["Tanggal lahir"] == worker.birth_date


def test_viewer_sees_the_nik_masked_on_the_page_and_in_the_history(viewer, officer, admin):
    worker = make_worker(admin, PASIRAN, full_name="Siti Aminah", sex="F")
    old_nik = worker.nik
    new_nik = old_nik[:-4] + "0999"
    services.update_worker(
        actor=officer, worker=worker, changes={"nik": new_nik}, reason="Salah ketik"
    )
    body = client_for(viewer).get(f"/workers/{worker.pk}/").content.decode()
    assert old_nik not in body and new_nik not in body
    assert mask(old_nik) in body and mask(new_nik) in body
    assert b"/edit/" not in client_for(viewer).get(f"/workers/{worker.pk}/").content


def test_unknown_worker_is_404(officer):
    assert client_for(officer).get("/workers/999999/").status_code == 404


def test_history_dates_are_dates_in_the_page_language(officer, admin):
    worker = make_worker(admin, PASIRAN, consent_date=dt.date(2026, 3, 2))
    body = client_for(officer).get(f"/workers/{worker.pk}/").content.decode()
    assert "2 Maret 2026" in body


def test_history_of_a_change_without_a_person_says_system(officer, admin):
    worker = make_worker(admin, PASIRAN)
    services.update_worker(actor=admin, worker=worker, changes={"address": "Jl. Baru"})
    AuditEvent.objects.filter(target_id=str(worker.pk)).update(actor=None)
    response = client_for(officer).get(f"/workers/{worker.pk}/")
    assert response.status_code == 200
    assert "oleh sistem" in response.content.decode()
