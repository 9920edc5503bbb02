"""The exchange through the API and the `jaring bpjs` command: the same rules, scope and files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jaring.accounts.models import Role
from jaring.accounts.services import create_token
from jaring.enrolment.exchange.table import read_table
from jaring.enrolment.models import Membership, MembershipStatus
from tests.enrolment.exchange_setup import print_on
from tests.factories import PASIRAN, make_user

S = MembershipStatus


def headers(user) -> dict[str, str]:
    _, key = create_token(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def answer(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nik", "kpj", "status", "reason", "start_date"])
    writer.writerows(rows)
    return out.getvalue().encode()


# --- API ------------------------------------------------------------------------------------


def test_api_exports_a_batch_lists_it_and_serves_its_file(client, officer, programme, members):
    auth = headers(officer)
    url = f"/api/bpjs/programmes/{programme.pk}/batches"
    # A dry run says what the batch would hold and changes nothing.
    dry = client.post(f"{url}?format=csv&village={PASIRAN}&dry_run=true", headers=auth)
    assert dry.status_code == 200, dry.content
    assert dry.json()["lines"] == 1 and dry.json()["names"] == ["Citra"]
    assert not Membership.objects.filter(status=S.SUBMITTED).exists()
    created = client.post(f"{url}?format=csv&village={PASIRAN}", headers=auth)
    assert created.status_code == 201, created.content
    assert created.json()["reference"] == dry.json()["reference"]
    batch = created.json()
    assert batch["lines"] == 1 and batch["reference"].startswith("JRG-")
    listed = client.get(url, headers=auth).json()
    assert [(b["id"], b["pending"], b["accepted"]) for b in listed] == [(batch["id"], 1, 0)]
    file = client.get(batch["file_url"], headers=auth)
    assert file.status_code == 200 and file["Content-Type"].startswith("text/csv")
    assert f'filename="{batch["reference"]}.csv"' in file["Content-Disposition"]
    (row,) = [cells for _, cells in read_table(file.content, "b.csv").rows]
    assert row["name"] == "Citra"
    xlsx = client.get(batch["file_url"] + "?format=xlsx", headers=auth)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_refusals_use_the_error_format(client, officer, programme, members):
    url = f"/api/bpjs/programmes/{programme.pk}/batches"
    enumerator = make_user(Role.ENUMERATOR, PASIRAN)
    assert client.post(url, headers=headers(enumerator)).status_code == 403
    elsewhere = make_user(Role.PROGRAMME_OFFICER, "61.71")
    assert client.post(url, headers=headers(elsewhere)).status_code == 404
    assert client.post(url).status_code == 401
    bad = client.post(url + "?format=pdf", headers=headers(officer))
    assert bad.status_code == 422
    assert Membership.objects.filter(status=S.SUBMITTED).count() == 0


def test_api_imports_a_response_once(client, officer, programme, members):
    auth = headers(officer)
    client.post(f"/api/bpjs/programmes/{programme.pk}/batches?format=csv", headers=auth)
    citra, dewi = members
    data = answer(
        [
            (citra.worker.nik, "23012345678", "accepted", "", "2026-03-02"),
            (dewi.worker.nik, "", "rejected", "Data ganda", ""),
            ("6172021708850999", "23012345600", "accepted", "", "2026-03-02"),
        ]
    )
    url = f"/api/bpjs/programmes/{programme.pk}/responses"

    def upload():
        return client.post(url, {"file": io.BytesIO(data)}, headers=auth)

    first = upload()
    assert first.status_code == 200, first.content
    report = first.json()
    assert (report["accepted"], report["rejected"], report["already_imported"]) == (1, 1, False)
    assert report["not_submitted"] == [{"row": 4, "nik": "6172021708850999"}]
    second = upload().json()
    assert second["already_imported"] and second["already_applied"] == 2
    dup = answer(
        [
            (citra.worker.nik, "23012345678", "accepted", "", "2026-03-02"),
            (dewi.worker.nik, "23012345678", "accepted", "", "2026-03-02"),
        ]
    )
    refused = client.post(url, {"file": io.BytesIO(dup)}, headers=auth)
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "kpj_repeated"


def test_api_serves_card_pdfs(client, officer, programme, members, monkeypatch):
    auth = headers(officer)
    client.post(f"/api/bpjs/programmes/{programme.pk}/batches?format=csv", headers=auth)
    citra, _ = members
    client.post(
        f"/api/bpjs/programmes/{programme.pk}/responses",
        {
            "file": io.BytesIO(
                answer([(citra.worker.nik, "23012345678", "accepted", "", "2026-03-02")])
            )
        },
        headers=auth,
    )
    print_on(monkeypatch, dt.date(2026, 4, 1))  # inside the cover accepted above
    sheet = client.get(f"/api/bpjs/programmes/{programme.pk}/cards.pdf", headers=auth)
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    assert sheet.content.startswith(b"%PDF")
    one = client.get(f"/api/bpjs/memberships/{citra.pk}/card.pdf?language=en", headers=auth)
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    viewer = make_user(Role.VIEWER, "61.72")
    assert (
        client.get(
            f"/api/bpjs/memberships/{citra.pk}/card.pdf", headers=headers(viewer)
        ).status_code
        == 403
    )


# --- CLI ------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("bpjs", *args, stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_cli_export_then_import_response(officer, programme, members, tmp_path):
    path = tmp_path / "batch.xlsx"
    dry = ("export", "--programme", str(programme.pk), "--dry-run", "--user", officer.username)
    code, out = run(*dry, "--json")
    assert code == 0 and json.loads(out)["lines"] == 2 and not path.exists()
    code, out = run(*dry)
    assert code == 0 and "nothing changed" in out
    assert not Membership.objects.filter(status=S.SUBMITTED).exists()
    code, out = run(
        "export", "--programme", str(programme.pk), "--format", "xlsx", "--out", str(path),
        "--user", officer.username, "--json",
    )  # fmt: skip
    assert code == 0
    summary = json.loads(out)
    assert summary["lines"] == 2 and summary["format"] == "xlsx" and path.is_file()
    niks = [cells["nik"] for _, cells in read_table(path.read_bytes(), "b.xlsx").rows]
    assert sorted(niks) == sorted(m.worker.nik for m in members)

    response = tmp_path / "jawaban.csv"
    response.write_bytes(
        answer([(n, f"2301234560{i}", "accepted", "", "2026-03-02") for i, n in enumerate(niks)])
    )
    args = ("import-response", str(response), "--programme", str(programme.pk))
    code, out = run(*args, "--user", officer.username, "--json")
    assert code == 0 and json.loads(out)["accepted"] == 2
    assert set(Membership.objects.values_list("status", flat=True)) == {S.ACTIVE}
    code, out = run(*args, "--user", officer.username)
    assert code == 0 and "sudah pernah diimpor" in out

    again = tmp_path / "again.csv"
    code, out = run(
        "batch-file", str(summary["batch_id"]), "--format", "csv", "--out", str(again),
        "--user", officer.username,
    )  # fmt: skip
    assert code == 0 and again.read_bytes().startswith("\ufeffbatch,nik".encode())


def test_cli_refusals_print_json_errors_and_exit_2(officer, programme, members, tmp_path):
    code, out = run(
        "export", "--programme", str(programme.pk), "--out", str(tmp_path / "x.csv"),
        "--user", make_user(Role.VIEWER, "61.72").username, "--json",
    )  # fmt: skip
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "forbidden"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"nik,status\n6172021708850001,accepted\n")
    code, out = run(
        "import-response", str(bad), "--programme", str(programme.pk),
        "--user", officer.username, "--json",
    )  # fmt: skip
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "columns_missing"
    with pytest.raises(CommandError):
        call_command("bpjs", "export", "--programme", "1", "--out", "x", "--user", "nobody")
