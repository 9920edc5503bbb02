"""A programme's export profile on the real database: chosen (audited), the batch in BPJS's
collective layout with the registry's BPJS fields, the branch's sheet back as the response."""

from __future__ import annotations

import csv
import io
import json

import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.enrolment.exchange import services as exchange
from jaring.enrolment.exchange.models import ExportSetting
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.regions.models import Region
from jaring.registry.models import Worker
from tests.factories import PASIRAN, make_user


def kolektif_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_choosing_a_profile_is_audited_and_used_by_the_next_batch(officer, programme, members):
    exchange.choose_profile(actor=officer, programme_id=programme.pk, profile="bpjs-kolektif")
    exchange.choose_profile(actor=officer, programme_id=programme.pk, profile="bpjs-kolektif")
    events = AuditEvent.objects.filter(action="bpjs_export_profile")
    assert [(e.before, e.after) for e in events] == [
        ({"profile": "jaring"}, {"profile": "bpjs-kolektif"})
    ]
    Worker.objects.filter(pk=members[0].worker_id).update(
        place_of_birth="Singkawang",
        mother_maiden_name="Fatimah",
        marital_status="married",
        email="citra@example.id",
    )
    Region.objects.filter(code=PASIRAN).update(postal_code="79123")
    exported = exchange.export_batch(actor=officer, programme_id=programme.pk, file_format="csv")
    assert exported.batch.profile == "bpjs-kolektif"
    dewi, citra = kolektif_rows(exported.content)  # village by village: Roban first
    assert citra["NIK"] == members[0].worker.nik and citra["NO"] == "2"
    assert citra["TEMPAT LAHIR"] == "Singkawang" and citra["NAMA IBU KANDUNG"] == "Fatimah"
    assert citra["STATUS PERKAWINAN"] == "KAWIN" and citra["EMAIL"] == "citra@example.id"
    assert citra["KODE POS"] == "79123" and citra["KELURAHAN"] == "Pasiran"
    assert citra["KECAMATAN"] == "Singkawang Barat"
    assert citra["KOTA/KAB"] == Region.objects.get(code="61.72").name
    assert citra["PROVINSI"] == Region.objects.get(code="61").name
    assert (citra["JKK"], citra["JKM"], citra["JHT"]) == ("Y", "Y", "N")
    assert dewi["TEMPAT LAHIR"] == "" and dewi["JENIS KELAMIN"] == "P"
    # The same batch again, unchanged, and in Jaring's layout on request.
    again = exchange.batch_file(actor=officer, batch_id=exported.batch.pk, file_format="csv")
    assert again.content == exported.content
    jaring = exchange.batch_file(
        actor=officer, batch_id=exported.batch.pk, file_format="csv", profile="jaring"
    )
    assert kolektif_rows(jaring.content)[1]["nik"] == citra["NIK"]


def test_the_kolektif_sheet_filled_in_by_the_branch_is_applied(officer, programme, members):
    exported = exchange.export_batch(
        actor=officer, programme_id=programme.pk, file_format="csv", profile="bpjs-kolektif"
    )
    rows = kolektif_rows(exported.content)
    out = io.StringIO()
    writer = csv.DictWriter(out, [*rows[0], "KETERANGAN"])
    writer.writeheader()
    rows[1]["NO KPJ"], rows[1]["TGL MULAI"] = "26000000001", "02-03-2026"  # Citra
    rows[0]["KETERANGAN"] = "NIK tidak terdaftar di Dukcapil"  # Dewi
    writer.writerows(rows)
    report = exchange.import_response(
        actor=officer,
        programme_id=programme.pk,
        data=out.getvalue().encode(),
        file_name="balasan.csv",
        profile="bpjs-kolektif",
    )
    assert (report.accepted, report.rejected) == (1, 1)
    citra, dewi = Membership.objects.filter(programme=programme).order_by("worker__full_name")
    assert citra.status == MembershipStatus.ACTIVE and citra.kpj == "26000000001"
    assert citra.start_date.isoformat() == "2026-03-02"
    assert dewi.status == MembershipStatus.CANDIDATE
    assert dewi.rejection_reason == "NIK tidak terdaftar di Dukcapil"


def test_an_unknown_profile_or_a_role_without_the_exchange_changes_nothing(
    officer, programme, members
):
    with pytest.raises(ValidationFailed) as exc:
        exchange.choose_profile(actor=officer, programme_id=programme.pk, profile="nope")
    assert exc.value.problems[0].code == "profile_unknown"
    with pytest.raises(ValidationFailed):
        exchange.export_batch(actor=officer, programme_id=programme.pk, profile="nope")
    enumerator = make_user(Role.ENUMERATOR, "61.72")
    with pytest.raises(PermissionDenied):
        exchange.choose_profile(actor=enumerator, programme_id=programme.pk, profile="jaring")
    assert not ExportSetting.objects.exists()
    assert set(Membership.objects.values_list("status", flat=True)) == {MembershipStatus.VERIFIED}


# --- API and CLI ----------------------------------------------------------------------------


def test_api_lists_profiles_chooses_one_and_exports_in_it(client, officer, programme, members):
    from jaring.accounts.services import create_token

    _, key = create_token(user=officer, name="test")
    auth = {"Authorization": f"Bearer {key}"}
    listed = {p["name"]: p for p in client.get("/api/bpjs/profiles", headers=auth).json()}
    assert listed["bpjs-kolektif"]["response_required"] == ["NIK", "NO KPJ"]
    assert listed["jaring"]["response_required"] == ["nik", "kpj", "status"]
    url = f"/api/bpjs/programmes/{programme.pk}/profile"
    bad = client.put(url, {"profile": "nope"}, content_type="application/json", headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "profile_unknown"
    chosen = client.put(
        url, {"profile": "bpjs-kolektif"}, content_type="application/json", headers=auth
    )
    assert chosen.json() == {"programme_id": programme.pk, "profile": "bpjs-kolektif"}
    made = client.post(f"/api/bpjs/programmes/{programme.pk}/batches?format=csv", headers=auth)
    assert made.status_code == 201 and made.json()["profile"] == "bpjs-kolektif"
    file = client.get(made.json()["file_url"], headers=auth)
    assert file.content.decode("utf-8-sig").startswith("NO,NIK,NO KPJ,NAMA LENGKAP")


def test_cli_export_in_a_profile_and_check_a_profile_file(officer, programme, members, tmp_path):
    from tests.enrolment.exchange.test_api_cli import run

    out_path = tmp_path / "kolektif.csv"
    code, out = run(
        "export", "--programme", str(programme.pk), "--profile", "bpjs-kolektif",
        "--format", "csv", "--out", str(out_path), "--user", officer.username, "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["profile"] == "bpjs-kolektif"
    assert out_path.read_text(encoding="utf-8-sig").startswith("NO,NIK,NO KPJ")
    bad = tmp_path / "cabang.toml"
    bad.write_text(
        '[[columns]]\nheader = "NIK"\nfield = "nik"\n[[columns]]\nheader = "nik"\n'
        'field = "kpj"\n[[columns]]\nheader = "X"\nfield = "warna"\n'
    )
    code, out = run("profiles", "--check", str(bad), "--json")
    errors = json.loads(out)["errors"]
    assert code == 2 and {e["field"] for e in errors} >= {
        "profile.columns.2",
        "profile.columns.3",
    }
    code, out = run("profiles", "--json")
    assert code == 0 and "bpjs-kolektif" in {p["name"] for p in json.loads(out)}
