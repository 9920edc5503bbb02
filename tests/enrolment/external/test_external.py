"""Cover outside Jaring: the import (csv/xlsx, all or nothing), eligibility, page, API, CLI."""

import datetime as dt
import json
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.accounts.services import create_token
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.enrolment import eligibility
from jaring.enrolment.external.models import ExternalCover
from jaring.enrolment.external.services import import_external_cover
from jaring.regions.models import Region
from jaring.registry.models import Worker
from jaring.rules.nik import compose
from tests.factories import PASIRAN, make_user, make_worker
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)
HEADER = "nik,segment,benefits,start,end,kpj\n"


def unregistered_nik(serial: int = 9001) -> str:
    return compose(PASIRAN[:8], dt.date(1980, 5, 5), "M", serial)


def csv_file(tmp_path, body: str, name: str = "bpu-mandiri.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def reasons(programme, worker) -> list[str]:
    rules = eligibility.judge(programme, on=ON)
    row = rules.annotate(Worker.objects.filter(pk=worker.pk)).get()
    return [p.code for p in rules.reasons_of(row)]


def test_a_list_is_saved_linked_to_registered_workers_and_audited(officer, tmp_path):
    worker = make_worker(officer)
    stranger = unregistered_nik()
    path = csv_file(
        tmp_path,
        f"{worker.nik},BPU mandiri,JKK+JKM,01/01/2026,31/12/2026,23012345678\n"
        f'{stranger},wage_earner,"JKK,JKM,JHT,JP",2025-07-01,,\n',
    )
    result = import_external_cover(actor=officer, path=path)
    assert (result.rows, result.created, result.updated, result.registered) == (2, 2, 0, 1)
    assert result.region == "61.72" and result.source == "bpu-mandiri.csv"
    mine = ExternalCover.objects.get(nik=worker.nik)
    assert (mine.worker, mine.segment, mine.benefits, mine.kpj) == (
        worker,
        "self_paid",
        "JKK,JKM",
        "23012345678",
    )
    assert (mine.start_date, mine.end_date) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (mine.imported_by, mine.source) == (officer, "bpu-mandiri.csv")
    open_ended = ExternalCover.objects.get(nik=stranger)
    assert open_ended.worker is None and open_ended.end_date is None
    assert open_ended.benefits == "JKK,JKM,JHT,JP"
    [event] = history(Region.objects.get(code="61.72"))
    assert event.action == "external_cover.import" and event.after["rows"] == 2


def test_importing_the_same_list_again_updates_instead_of_doubling(officer, tmp_path):
    nik = unregistered_nik()
    import_external_cover(
        actor=officer, path=csv_file(tmp_path, f"{nik},pu,JKK JKM,2026-01-01,,\n")
    )
    again = import_external_cover(
        actor=officer, path=csv_file(tmp_path, f"{nik},pu,JKK JKM,2026-01-01,2026-04-30,\n")
    )
    assert (again.created, again.updated) == (0, 1)
    assert ExternalCover.objects.get().end_date == dt.date(2026, 4, 30)


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(officer, tmp_path):
    good = unregistered_nik()
    path = csv_file(
        tmp_path,
        f"{good},self_paid,JKK,2026-01-01,,\n"
        "12345,self_paid,JKK,2026-01-01,,\n"
        f"{unregistered_nik(9002)},freelance,JKK,2026-01-01,,\n"
        f"{unregistered_nik(9003)},self_paid,JKN,kemarin,2025-01-01,\n"
        f"{unregistered_nik(9004)},self_paid,JKM,2026-05-01,2026-04-01,\n"
        f"{good},self_paid,JKM,2026-01-01,,\n",
    )
    with pytest.raises(ValidationFailed) as exc:
        import_external_cover(actor=officer, path=path)
    found = {(p.params["row"], p.field, p.code) for p in exc.value.problems}
    assert found == {
        (3, "rows.3.nik", "length"),
        (4, "rows.4.segment", "segment_unknown"),
        (5, "rows.5.benefits", "benefits_unknown"),
        (5, "rows.5.start", "date_invalid"),
        (6, "rows.6.end", "end_before_start"),
        (7, "rows.7.nik", "row_twice"),
    }
    messages = {p.params["row"]: p.message_id for p in exc.value.problems}
    assert messages[5].startswith("Baris 5, kolom ")
    assert "'kemarin' bukan tanggal" in " ".join(p.message_id for p in exc.value.problems)
    assert not ExternalCover.objects.exists()


def test_a_file_without_the_required_columns_is_refused(officer, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("nik,mulai\n6172021708850001,2026-01-01\n")
    with pytest.raises(ValidationFailed) as exc:
        import_external_cover(actor=officer, path=path)
    [problem] = exc.value.problems
    assert problem.code == "columns_missing" and "segment, benefits" in problem.message_en


def test_xlsx_with_indonesian_headers_and_a_numeric_nik_cell(officer, tmp_path):
    nik = unregistered_nik()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIK", "Segmen", "Manfaat", "Tanggal Mulai", "Tanggal Selesai"])
    sheet.append([int(nik), "Penerima Upah", "JKK,JKM", dt.datetime(2026, 1, 1), None])
    path = tmp_path / "pu.xlsx"
    book.save(path)
    assert import_external_cover(actor=officer, path=path).rows == 1
    assert ExternalCover.objects.get().nik == nik


def test_who_and_where_may_import(officer, viewer, tmp_path):
    path = csv_file(tmp_path, f"{unregistered_nik()},pu,JKK,2026-01-01,,\n")
    with pytest.raises(PermissionDenied):
        import_external_cover(actor=viewer, path=path)
    with pytest.raises(PermissionDenied) as exc:
        import_external_cover(actor=officer, path=path, region_code="61.71")
    assert exc.value.problems[0].code == "out_of_scope"
    national = make_user(Role.ADMIN)
    with pytest.raises(ValidationFailed) as exc:
        import_external_cover(actor=national, path=path)
    assert exc.value.problems[0].code == "region_required"
    assert import_external_cover(actor=national, path=path, region_code="61.72").rows == 1


def test_overlapping_cover_outside_jaring_makes_a_worker_ineligible(officer, tmp_path):
    """The programme covers fishers 1 Feb – 30 Jun 2026 (from its PKS date)."""
    programme = make_programme(officer, cover_start_rule="pks_date")
    covered, ended_before, starts_after, jht_only = (make_worker(officer) for _ in range(4))
    later_registered = unregistered_nik()
    import_external_cover(
        actor=officer,
        path=csv_file(
            tmp_path,
            f"{covered.nik},self_paid,JKK,2025-06-01,2026-02-01,\n"
            f"{ended_before.nik},self_paid,JKK JKM,2025-06-01,2026-01-31,\n"
            f"{starts_after.nik},wage_earner,JKK JKM,2026-07-01,,\n"
            f"{jht_only.nik},wage_earner,JHT,2025-01-01,,\n"
            f"{later_registered},wage_earner,JKM,2025-01-01,,\n",
        ),
    )
    assert reasons(programme, covered) == ["covered_outside"]
    assert reasons(programme, ended_before) == []
    assert reasons(programme, starts_after) == []
    assert reasons(programme, jht_only) == []
    # Registered after the import: the NIK still matches, though no link was made.
    worker = make_worker(officer, nik=later_registered, birth_date=dt.date(1980, 5, 5))
    assert reasons(programme, worker) == ["covered_outside"]
    message = eligibility.REASON_BY_CODE["covered_outside"].problem(programme)
    assert "di luar Jaring" in message.message_id and "outside Jaring" in message.message_en


@pytest.fixture
def records(officer, tmp_path):
    worker = make_worker(officer, full_name="Siti Aminah")
    import_external_cover(
        actor=officer,
        path=csv_file(
            tmp_path,
            f"{worker.nik},self_paid,JKK JKM,2026-01-01,,\n"
            f"{unregistered_nik()},wage_earner,JKK,2026-01-01,,\n",
        ),
    )
    pontianak = make_user(Role.PROGRAMME_OFFICER, "61.71")
    import_external_cover(
        actor=pontianak,
        path=csv_file(tmp_path, f"{unregistered_nik(9100)},wage_earner,JKK,2026-01-01,,\n"),
    )
    return worker


def test_the_page_uploads_a_list_and_lists_the_records_of_the_region(client, officer, records):
    client.force_login(officer)
    page = client.get("/enrolment/external/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Siti Aminah" in body and body.count("<tr>") == 3  # header + Singkawang's two
    upload = SimpleUploadedFile(
        "pu.csv", (HEADER + f"{records.nik},pu,JKK,2027-01-01,,\n").encode()
    )
    done = client.post("/enrolment/external/", {"file": upload})
    assert done.status_code == 200 and ExternalCover.objects.count() == 4
    bad = SimpleUploadedFile("bad.csv", (HEADER + "1,pu,JKK,2027-01-01,,\n").encode())
    refused = client.post("/enrolment/external/", {"file": bad})
    assert refused.status_code == 400 and "Baris 2, kolom nik" in refused.content.decode()
    assert ExternalCover.objects.count() == 4


def test_the_api_imports_and_lists_within_the_region(client, officer, viewer, records):
    _, key = create_token(user=viewer, name="t")
    listed = client.get("/api/external-cover/", headers={"Authorization": f"Bearer {key}"})
    assert listed.status_code == 200
    assert len(listed.json()) == 2 and all("*" in r["nik"] for r in listed.json())
    _, key = create_token(user=officer, name="t")
    upload = SimpleUploadedFile(
        "pu.csv", (HEADER + f"{records.nik},pu,JKK,2027-01-01,,\n").encode()
    )
    done = client.post(
        "/api/external-cover/import", {"file": upload}, headers={"Authorization": f"Bearer {key}"}
    )
    assert done.status_code == 200 and done.json()["registered"] == 1
    bad = SimpleUploadedFile("bad.csv", (HEADER + f"{records.nik},pu,XYZ,2027-01-01,,\n").encode())
    refused = client.post(
        "/api/external-cover/import", {"file": bad}, headers={"Authorization": f"Bearer {key}"}
    )
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"], error["row"]) == (
        "rows.2.benefits",
        "benefits_unknown",
        2,
    )


def test_the_command_imports_and_lists(officer, records, tmp_path):
    path = csv_file(tmp_path, f"{unregistered_nik(9200)},other_funded,JKK JKM,2026-01-01,,\n")
    out = StringIO()
    call_command("external_cover", "import", str(path), "--user", officer.username, stdout=out)
    assert "1 records saved for 61.72 (1 new, 0 updated)" in out.getvalue()
    out = StringIO()
    call_command(
        "external_cover",
        "list",
        "--segment",
        "other_funded",
        "--json",
        "--user",
        officer.username,
        stdout=out,
    )
    [row] = json.loads(out.getvalue())
    assert row["segment"] == "other_funded" and row["benefits"] == ["JKK", "JKM"]
    bad = csv_file(tmp_path, "1,pu,JKK,2026-01-01,,\n")
    with pytest.raises(CommandError):
        call_command("external_cover", "import", str(bad), "--user", officer.username)
