"""The fields BPJS's collective form needs, in a city's list: place of birth, mother's maiden
name, marital status as Dukcapil writes it, email (issue 13)."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from jaring.imports import exports, services
from jaring.imports.columns import guess_mapping
from jaring.imports.models import ImportRow, Status
from jaring.imports.values import ValueMapping
from jaring.registry import selectors
from jaring.registry.models import Worker
from jaring.registry.services import snapshot
from tests.factories import make_worker

from .conftest import people_cells, write_csv
from .test_services import upload

pytestmark = pytest.mark.django_db


def test_indonesian_headers_are_recognised():
    headers = ["NIK", "Tempat Lahir", "NAMA IBU KANDUNG", "Status Kawin", "E-mail", "Tmp. Lahir"]
    mapping = guess_mapping(headers)
    assert (mapping["place_of_birth"], mapping["mother_maiden_name"]) == (
        "Tempat Lahir",
        "NAMA IBU KANDUNG",
    )
    assert (mapping["marital_status"], mapping["email"]) == ("Status Kawin", "E-mail")
    assert guess_mapping(["Status Perkawinan", "Alamat Email"]) == {
        "marital_status": "Status Perkawinan",
        "email": "Alamat Email",
    }


def _list(tmp_path, n: int, **columns) -> tuple:
    cells = people_cells(n, seed=41).with_columns(
        pl.Series(name, values, dtype=pl.String) for name, values in columns.items()
    )
    return cells, write_csv(cells, tmp_path / "kelurahan.csv")


def test_dukcapil_words_import_and_an_unknown_one_is_mapped_once(city_officer, tmp_path):
    marital = ["BELUM KAWIN", "K", "CH", "Cerai Mati", "Kawin Tercatat", "JANDA", "janda", "-"]
    cells, path = _list(
        tmp_path,
        8,
        **{
            "Tempat Lahir": ["SINGKAWANG", "pontianak", None, "", "Sambas", "-", "Bengkayang", "X"],
            "Nama Ibu Kandung": ["SITI AMINAH", None, "Fatimah", "", "", "", "", ""],
            "Status Perkawinan": marital,
            "Email": ["Budi@Mail.ID ", "", "", "", "", "", "", "bukan-email"],
        },
    )
    batch = upload(city_officer, path)
    assert (batch.counts["new"], batch.counts["rejected"]) == (5, 3)
    (janda,) = batch.unrecognised  # listed once, with its row count
    assert (janda["field"], janda["value"], janda["rows"]) == ("marital_status", "JANDA", 2)
    rejected = {
        r.row_number: {x["code"] for x in r.reasons}
        for r in ImportRow.objects.filter(outcome="rejected")
    }
    assert rejected == {7: {"marital_unreadable"}, 8: {"marital_unreadable"}, 9: {"invalid"}}
    batch, _ = services.map_values(
        actor=city_officer,
        batch=batch,
        mappings=[ValueMapping("marital_status", "Janda", "widowed")],
        remember=False,
    )
    services.enqueue(batch)
    batch.refresh_from_db()
    assert (batch.counts["new"], batch.counts["rejected"]) == (7, 1)
    batch = services.commit_batch(actor=city_officer, batch=batch)
    assert batch.status == Status.COMMITTED
    by_nik = {w.nik: w for w in Worker.objects.all()}
    niks = cells["NIK"].to_list()
    first = by_nik[niks[0]]
    assert (first.place_of_birth, first.mother_maiden_name) == ("Singkawang", "Siti Aminah")
    assert (first.marital_status, first.email) == ("single", "budi@mail.id")
    assert [by_nik[n].marital_status for n in niks[1:5]] == [
        "married",
        "divorced",
        "widowed",
        "married",
    ]
    assert (by_nik[niks[5]].marital_status, by_nik[niks[5]].place_of_birth) == ("widowed", "")
    assert by_nik[niks[7 - 1]].marital_status == "widowed"
    # The registration kept on the row shows the new fields too (history without an event).
    *_, registered = selectors.worker_history(first)
    assert registered.after == snapshot(first)
    assert registered.after["mother_maiden_name"] == "Siti Aminah"


def test_a_later_list_fills_the_fields_of_registered_workers(city_officer, tmp_path):
    cells = people_cells(2, seed=43).drop("Penghasilan per Bulan")
    row = cells.row(0, named=True)
    worker = make_worker(
        city_officer,
        row["Kelurahan/Desa"],
        nik=row["NIK"],
        full_name=row["Nama Lengkap"],
        birth_date=pl.Series([row["Tanggal Lahir"]]).str.to_date("%d/%m/%Y")[0],
        sex="M" if row["Jenis Kelamin"] == "L" else "F",
        category_code=row["Pekerjaan"],
        phone=row["No HP"],
        rt=row["RT"],
        rw=row["RW"],
        address=row["Alamat"],
    )
    cells = cells.with_columns(
        pl.Series("Tempat Lahir", ["Singkawang", None]),
        pl.Series("Nama Ibu Kandung", ["Rohana", None]),
        pl.Series("Status Kawin", ["CM", None]),
    )
    batch = upload(city_officer, write_csv(cells, tmp_path / "again.csv"))
    updated = ImportRow.objects.get(outcome="updated")
    assert updated.changes == {
        "place_of_birth": ["", "Singkawang"],
        "mother_maiden_name": ["", "Rohana"],
        "marital_status": ["", "widowed"],
    }
    services.commit_batch(actor=city_officer, batch=batch)
    worker.refresh_from_db()
    assert (worker.place_of_birth, worker.mother_maiden_name, worker.marital_status) == (
        "Singkawang",
        "Rohana",
        "widowed",
    )
    (event,) = [e for e in selectors.worker_history(worker) if e.action == "update"]
    assert event.after["marital_status"] == "widowed" and event.before["place_of_birth"] == ""


def test_the_template_has_the_columns_and_a_marital_status_list():
    book = openpyxl.load_workbook(io.BytesIO(exports.template_xlsx("61.72")))
    headers = [c.value for c in book["Data"][1]]
    assert {"Tempat Lahir", "Status Perkawinan", "Nama Ibu Kandung", "Email"} <= set(headers)
    lists = book["Daftar"]
    column = next(c.column_letter for c in lists[1] if c.value == "Status Perkawinan")
    words = [c.value for c in lists[column][1:] if c.value]
    assert words == ["Belum Kawin", "Kawin", "Cerai Hidup", "Cerai Mati"]
    letter = book["Data"].cell(1, headers.index("Status Perkawinan") + 1).column_letter
    assert any(f"{letter}2:" in str(v.sqref) for v in book["Data"].data_validations.dataValidation)
