import datetime as dt

import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.registry.models import Worker
from jaring.rules.nik import compose
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.web.conftest import client_for


def form_data(village: str = PASIRAN, **overrides) -> dict[str, str]:
    birth = dt.date(1990, 5, 12)
    data = {
        "nik": compose(village[:8], birth, "M", 77),
        "full_name": "Joko Susilo",
        "birth_date": birth.isoformat(),
        "sex": "M",
        "district": village[:8],
        "village": village,
        "rt": "3",
        "rw": "12",
        "address": "Gg. Melati 7",
        "phone": "0812 3456 7890",
        "category": "ojek_driver",
        "declared_income": "1200000",
        "consent_date": "2026-01-15",
    }
    data.update(overrides)
    return data


def errors(response) -> dict[str, list[str]]:
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def test_enumerator_registers_a_worker_in_own_village(enumerator):
    response = client_for(enumerator).post("/workers/new/", form_data())
    worker = Worker.objects.get(full_name="Joko Susilo")
    assert response.status_code == 302
    assert response.url == f"/workers/{worker.pk}/"
    assert (worker.rt, worker.rw, worker.source, worker.created_by) == (
        "003",
        "012",
        "web",
        enumerator,
    )
    assert AuditEvent.objects.filter(target_id=str(worker.pk), action="create").exists()


def test_new_form_starts_in_the_enumerators_village(enumerator):
    form = client_for(enumerator).get("/workers/new/").context["form"]
    assert form["district"].value() == "61.72.02"
    assert form["village"].value() == PASIRAN


def test_bad_input_shows_errors_on_the_fields_and_saves_nothing(enumerator):
    data = form_data(nik="617202120590", full_name="  ", rt="12a", phone="12345")
    response = client_for(enumerator).post("/workers/new/", data)
    assert response.status_code == 200
    found = errors(response)
    assert found["nik"] == ["NIK harus 16 digit, yang diisi 12 digit."]
    assert found["full_name"] == ["Nama wajib diisi."]
    assert found["rt"] == ["RT harus berupa angka 1–3 digit."]
    assert "phone" in found
    assert b"Belum ada yang disimpan" in response.content
    assert Worker.objects.count() == 0


def test_errors_are_in_english_when_english_is_chosen(enumerator):
    client = client_for(enumerator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/workers/new/", form_data(full_name=""))
    assert errors(response)["full_name"] == ["Name is required."]


def test_future_birth_date_and_unknown_category(enumerator):
    data = form_data(birth_date=(dt.date.today() + dt.timedelta(days=3)).isoformat())
    data["category"] = "astronaut"
    response = client_for(enumerator).post("/workers/new/", data)
    found = errors(response)
    assert "Tanggal lahir tidak boleh di masa depan." in found["birth_date"]
    assert found["category"] == ["Kategori pekerjaan 'astronaut' tidak dikenal."]


def test_duplicate_nik_links_to_the_registered_worker(enumerator, admin):
    existing = make_worker(admin, PASIRAN, full_name="Siti Aminah", sex="F")
    response = client_for(enumerator).post(
        "/workers/new/", form_data(nik=existing.nik, sex="F", birth_date="1985-08-17")
    )
    assert errors(response)["nik"] == ["NIK ini sudah terdaftar."]
    assert f'href="/workers/{existing.pk}/"'.encode() in response.content
    assert Worker.objects.count() == 1


def test_nik_mismatch_needs_an_override_reason_which_is_stored(enumerator):
    data = form_data(birth_date="1990-05-13", sex="F")
    client = client_for(enumerator)
    refused = errors(client.post("/workers/new/", data))
    assert refused["birth_date"][0].startswith("Tanggal lahir tidak cocok dengan NIK")
    assert refused["sex"][0].startswith("Jenis kelamin tidak cocok dengan NIK")
    assert Worker.objects.count() == 0
    data["nik_override_reason"] = "KTP lama salah cetak, sudah dicek di Dukcapil"
    assert client.post("/workers/new/", data).status_code == 302
    worker = Worker.objects.get()
    assert worker.nik_override_reason == "KTP lama salah cetak, sudah dicek di Dukcapil"
    assert worker.birth_date == dt.date(1990, 5, 13)


def test_edit_records_the_change_and_reason_in_the_history(enumerator, admin):
    worker = make_worker(admin, PASIRAN, full_name="Sutrisno")
    client = client_for(enumerator)
    form = client.get(f"/workers/{worker.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(address="Jl. Kurma 12", reason="Pindah rumah")
    data["has_disability"] = ""
    response = client.post(f"/workers/{worker.pk}/edit/", data)
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.address == "Jl. Kurma 12"
    event = AuditEvent.objects.filter(target_id=str(worker.pk), action="update").get()
    assert event.actor == enumerator
    assert event.reason == "Pindah rumah"
    assert event.after == {"address": "Jl. Kurma 12"}
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "Pindah rumah" in page and "Jl. Kurma 12" in page


def test_bad_edit_changes_nothing(enumerator, admin):
    worker = make_worker(admin, PASIRAN, full_name="Sutrisno")
    data = form_data(nik=worker.nik, full_name="", birth_date="1985-08-17", rt="abcd")
    response = client_for(enumerator).post(f"/workers/{worker.pk}/edit/", data)
    assert response.status_code == 200
    assert "full_name" in errors(response)
    worker.refresh_from_db()
    assert worker.full_name == "Sutrisno"
    assert not AuditEvent.objects.filter(target_id=str(worker.pk), action="update").exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.BPJS_OFFICER, Role.COMPLIANCE_OFFICER])
def test_roles_that_may_not_edit_get_403(role, admin):
    worker = make_worker(admin, PASIRAN)
    client = client_for(make_user(role, "61.72"))
    assert client.get("/workers/new/").status_code == 403
    assert client.post("/workers/new/", form_data()).status_code == 403
    assert client.get(f"/workers/{worker.pk}/edit/").status_code == 403
    response = client.post(f"/workers/{worker.pk}/edit/", form_data(full_name="X"))
    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.full_name == "Budi Santoso"
    assert Worker.objects.count() == 1


def test_enumerator_cannot_register_into_another_village(enumerator):
    response = client_for(enumerator).post("/workers/new/", form_data(village=ROBAN))
    assert response.status_code == 200
    assert errors(response)["village"] == ["Kelurahan/desa ini di luar wilayah kerja Anda."]
    assert Worker.objects.count() == 0


def test_date_inputs_carry_iso_dates_whatever_the_language(enumerator, admin):
    # A browser's <input type="date"> drops a value like 17-08-1985 and the date is lost.
    worker = make_worker(admin, PASIRAN, consent_date=dt.date(2026, 1, 5))
    body = client_for(enumerator).get(f"/workers/{worker.pk}/edit/").content.decode()
    assert 'type="date" name="birth_date" value="1985-08-17"' in body
    assert 'type="date" name="consent_date" value="2026-01-05"' in body
