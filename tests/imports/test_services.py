"""Upload, background check, preview, commit: all or nothing, audited, scoped, repeatable."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import polars as pl
import pytest
from django.core.files import File

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.imports import exports, pipeline, selectors, services
from jaring.imports.models import ImportBatch, ImportRow, Status
from jaring.registry.models import Worker
from tests.factories import PASIRAN, make_user, make_worker

from .conftest import TODAY, people_cells, write_csv

pytestmark = pytest.mark.django_db


def upload(actor, path, region=None) -> ImportBatch:
    with path.open("rb") as f:
        batch = services.create_batch(
            actor=actor, upload=File(f), name=path.name, region_code=region
        )
    services.enqueue(batch)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def list_file(tmp_path):
    return write_csv(people_cells(40, seed=21), tmp_path / "kelurahan.csv")


def test_upload_checks_in_the_background_and_keeps_everything(city_officer, list_file):
    batch = upload(city_officer, list_file)
    assert batch.status == Status.READY
    assert batch.progress == 100
    assert batch.counts["rows"] == 40 and batch.counts["new"] == 40
    assert batch.sha256 and batch.size == list_file.stat().st_size
    assert batch.file.read() == list_file.read_bytes()
    assert batch.mapping["nik"] == "NIK"
    assert batch.region_code == "61.72"
    assert ImportRow.objects.filter(batch=batch).count() == 40
    assert Worker.objects.count() == 0  # nothing is saved before the officer commits


def test_commit_adds_every_approved_row_with_audit(city_officer, list_file):
    batch = services.commit_batch(actor=city_officer, batch=upload(city_officer, list_file))
    assert batch.status == Status.COMMITTED and batch.committed_by == city_officer
    assert Worker.objects.count() == 40
    (event,) = AuditEvent.objects.filter(action="import", actor=city_officer)
    assert event.target_id == str(batch.pk) and event.after["workers_added"] == 40
    assert Worker.objects.filter(source__startswith=f"impor #{batch.pk}").count() == 40
    with pytest.raises(Conflict):
        services.commit_batch(actor=city_officer, batch=batch)


def test_the_same_file_again_changes_nothing_and_says_so(city_officer, list_file):
    first = services.commit_batch(actor=city_officer, batch=upload(city_officer, list_file))
    events = AuditEvent.objects.count()
    again = upload(city_officer, list_file)
    assert again.counts["same_file_as"] == first.pk
    assert again.counts["unchanged"] == 40 and again.counts["new"] == 0
    services.commit_batch(actor=city_officer, batch=again)
    assert Worker.objects.count() == 40
    assert AuditEvent.objects.count() == events


def test_a_later_list_updates_phone_and_address_audited(city_officer, tmp_path):
    cells = people_cells(5, seed=22)
    services.commit_batch(
        actor=city_officer, batch=upload(city_officer, write_csv(cells, tmp_path / "a.csv"))
    )
    later = cells.with_columns(
        pl.Series("No HP", ["081299998888", *cells["No HP"].to_list()[1:]]),
        pl.Series("Alamat", [*cells["Alamat"].to_list()[:4], "Jl. Baru No. 1"]),
        pl.Series("RT", [None, *cells["RT"].to_list()[1:]]),  # empty: keeps what is registered
    )
    batch = upload(city_officer, write_csv(later, tmp_path / "b.csv"))
    assert (batch.counts["updated"], batch.counts["unchanged"]) == (2, 3)
    services.commit_batch(actor=city_officer, batch=batch)
    first = Worker.objects.get(nik=cells["NIK"][0])
    assert first.phone == "+6281299998888"
    assert first.rt == cells["RT"][0]
    assert Worker.objects.get(nik=cells["NIK"][4]).address == "Jl. Baru No. 1"
    event = AuditEvent.objects.get(action="update", target_id=str(first.pk))
    assert event.before == {"phone": "+62" + cells["No HP"][0][1:]}
    assert event.after == {"phone": "+6281299998888"}
    assert event.actor == city_officer


def test_commit_is_all_or_nothing(city_officer, admin, list_file):
    batch = upload(city_officer, list_file)
    # Someone registers one of the NIKs between the check and the commit.
    row = ImportRow.objects.filter(batch=batch).order_by("row_number").last()
    make_worker(admin, row.village_code, nik=row.nik, birth_date=row.birth_date, sex=row.sex)
    with pytest.raises(Conflict) as exc:
        services.commit_batch(actor=city_officer, batch=batch)
    assert exc.value.problems[0].code == "registry_changed"
    assert Worker.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == Status.READY


def test_rows_outside_the_importers_village_are_rejected(tmp_path):
    enumerator = make_user(Role.ENUMERATOR, PASIRAN)
    cells = people_cells(30, seed=23)
    batch = upload(enumerator, write_csv(cells, tmp_path / "e.csv"))
    inside = (cells["Kelurahan/Desa"] == PASIRAN).sum()
    assert batch.counts["new"] == inside
    assert batch.counts["rejected"] == 30 - inside
    codes = {
        r["code"]
        for reasons in ImportRow.objects.filter(batch=batch, outcome="rejected").values_list(
            "reasons", flat=True
        )
        for r in reasons
    }
    assert codes == {"village_out_of_scope"}


def test_batches_are_scoped(city_officer, list_file):
    batch = upload(city_officer, list_file)
    pontianak = make_user(Role.PROGRAMME_OFFICER, "61.71")
    village = make_user(Role.ENUMERATOR, PASIRAN)
    viewer = make_user(Role.VIEWER, "61.72")
    national = make_user(Role.ADMIN)
    for outsider in (pontianak, village, viewer):
        assert not selectors.batches_for(outsider).filter(pk=batch.pk).exists()
        with pytest.raises(NotFound):
            selectors.get_batch(outsider, batch.pk)
    assert selectors.get_batch(national, batch.pk) == batch
    with pytest.raises(PermissionDenied):
        services.import_region(pontianak, "61.72")
    with pytest.raises(PermissionDenied):
        upload(viewer, list_file)


def test_bad_files_leave_no_batch_or_a_failed_one(city_officer, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValidationFailed):
        upload(city_officer, tmp_path / "empty.csv")
    (tmp_path / "pic.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ValidationFailed):
        upload(city_officer, tmp_path / "pic.xlsx")
    assert ImportBatch.objects.count() == 0
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ValidationFailed):
        upload(city_officer, tmp_path / "broken.xlsx")


def test_mapping_can_be_corrected_before_import(city_officer, tmp_path):
    cells = people_cells(5, seed=24).rename({"NIK": "Nomor"})
    batch = upload(city_officer, write_csv(cells, tmp_path / "m.csv"))
    assert batch.status == Status.NEEDS_MAPPING
    assert batch.problems[0]["field"] == "nik"
    assert "Nomor" in batch.headers
    mapping = dict(batch.mapping, nik="Nomor")
    batch = services.remap(actor=city_officer, batch=batch, mapping=mapping)
    services.enqueue(batch)
    batch.refresh_from_db()
    assert batch.status == Status.READY and batch.counts["new"] == 5
    with pytest.raises(ValidationFailed):
        services.remap(actor=city_officer, batch=batch, mapping={"nik": "Tidak Ada"})


def test_rejected_rows_file_round_trip(city_officer, tmp_path):
    cells = people_cells(6, seed=25).with_columns(
        pl.Series("Jenis Kelamin", ["?", "L", "=CMD()", "P", "L", "P"]),
        pl.Series("Nama Lengkap", ["=1+1", "Budi", "Ani", "Siti", "Wati", "Joko"]),
    )
    cells = (
        cells.with_columns(
            pl.when(pl.int_range(pl.len()) >= 3).then(pl.col("Jenis Kelamin")).otherwise(None)
        )
        if False
        else cells
    )
    batch = upload(city_officer, write_csv(cells, tmp_path / "r.csv"))
    rejected = batch.counts["rejected"]
    assert rejected >= 2
    data = exports.rejected_xlsx(batch)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.values)
    assert values[0][-1] == "Alasan Penolakan"
    assert len(values) == 1 + rejected
    by_name = {row[1]: row for row in values[1:]}
    assert "Nama berisi rumus" in by_name["=1+1"][-1]
    # Text starting with "=" is stored as text, never as a formula.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    # The officer fixes the rows in the file and sends it back: the reason column is ignored.
    for row in sheet.iter_rows(min_row=2):
        row[1].value = "Nama Diperbaiki"
        nik = row[0].value
        row[3].value = "P" if int(nik[6:8]) > 40 else "L"
    fixed = tmp_path / "fixed.xlsx"
    sheet.parent.save(fixed)
    again = upload(city_officer, fixed)
    assert again.counts["rows"] == rejected
    assert again.counts["new"] == rejected
    assert "Alasan Penolakan" not in again.mapping.values()


def test_template_has_the_headers_and_instructions(tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(exports.template_xlsx()))
    assert book.sheetnames == ["Data", "Daftar", "Petunjuk"]
    headers = [c.value for c in book["Data"][1]]
    assert headers[:5] == [
        "NIK",
        "Nama Lengkap",
        "Tanggal Lahir",
        "Jenis Kelamin",
        "Kelurahan/Desa",
    ]
    assert any("Nelayan" in str(c.value) for c in book["Petunjuk"]["A"])
    csv_text = exports.template_csv().decode("utf-8-sig")
    assert csv_text.splitlines()[0].split(";") == headers
    # The filled-in template is a valid import file.
    (tmp_path / "t.xlsx").write_bytes(exports.template_xlsx())
    assert (
        pipeline.analyse(tmp_path / "t.xlsx", region_code="61.72", today=TODAY).counts["new"] == 1
    )
