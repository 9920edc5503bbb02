"""`jaring load_regions FILE`: a newer Kemendagri list adds, renames and retires regions; a
retired village keeps its workers and history, is not offered for new ones, and NIKs of a
district a newer list added are valid (issue 13)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from jaring.accounts.models import AuditEvent, Role
from jaring.core.errors import ValidationFailed
from jaring.imports.lookups import Villages
from jaring.regions import updates
from jaring.regions.models import Region, RegionDataset
from jaring.registry import services
from jaring.registry.errors import RegistryError
from jaring.rules import nik
from tests.factories import make_user, make_worker, worker_input

pytestmark = pytest.mark.django_db

RENAMED = "61.72.02.1002"
SPLIT = "61.72.02.1003"  # split into two new kelurahan
NEW_DISTRICT = "61.72.06"


def singkawang_list(tmp_path, *, changed: bool = True, name: str = "wilayah_61_72.csv"):
    """Kota Singkawang's regions as cahyadsn/wilayah writes them (kode,nama), changed by a
    newer decree: one kelurahan renamed, one split in two, a new district with a kelurahan."""
    rows = list(
        Region.objects.filter(code__startswith="61.72.")
        .values_list("code", "name")
        .order_by("code")
    )
    if changed:
        rows = [(c, "Tanjung Batu Baru" if c == RENAMED else n) for c, n in rows if c != SPLIT]
        rows += [
            ("61.72.02.1090", "Pasiran Hulu"),
            ("61.72.02.1091", "Pasiran Hilir"),
            (NEW_DISTRICT, "Singkawang Raya"),
            (NEW_DISTRICT + ".1001", "Sedau Raya"),
        ]
    path = tmp_path / name
    lines = ["# a newer decree, Kota Singkawang only", "kode,nama"]
    path.write_text("\n".join(lines + [f"{c},{n}" for c, n in rows]) + "\n", encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_regions", *map(str, args), stdout=out)
    return out.getvalue()


def test_dry_run_prints_what_would_change_and_writes_nothing(tmp_path):
    text = run(singkawang_list(tmp_path), "--within", "61.72")
    assert "Dry run" in text
    assert "4 to add, 1 to rename, 1 to retire, 0 to bring back" in text
    assert (
        f"- {SPLIT}" in text and "~ 61.72.02.1002" in text and "+ 61.72.06 Singkawang Raya" in text
    )
    assert not Region.objects.filter(code__startswith=NEW_DISTRICT).exists()
    assert not Region.objects.filter(retired_on__isnull=False).exists()
    assert not AuditEvent.objects.filter(action__startswith="region_").exists()
    # Without --within a partial list retires nothing, and says why.
    partial = updates.plan(updates.read(singkawang_list(tmp_path)))
    assert (len(partial.added), len(partial.retired)) == (4, 0) and partial.no_retiring


def test_apply_adds_renames_and_retires_keeping_workers(tmp_path, api):
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    kept = make_worker(officer, SPLIT, full_name="Siti Warga Lama")
    old_list = singkawang_list(tmp_path, changed=False, name="old.csv")
    before = nik.parse(nik.compose(NEW_DISTRICT, dt.date(1990, 1, 1), "M", 7))
    assert before.reason == "district_never_existed"

    run(singkawang_list(tmp_path), "--within", "61.72", "--apply", "--source", "Kepmendagri X")

    split = Region.objects.get(code=SPLIT)
    assert split.retired_on == dt.date.today() and split.name  # kept, with its name
    assert Region.objects.get(code=RENAMED).name == "Tanjung Batu Baru"
    new = Region.objects.get(code=NEW_DISTRICT + ".1001")
    assert (new.kind, new.parent_id, new.match_key, new.added_on) == (
        "kelurahan",
        NEW_DISTRICT,
        "sedauraya",
        dt.date.today(),
    )
    actions = sorted(
        AuditEvent.objects.filter(action__startswith="region_").values_list("action", "target_id")
    )
    assert ("region_retire", SPLIT) in actions and ("region_rename", RENAMED) in actions
    assert len(actions) == 6
    event = AuditEvent.objects.get(action="region_rename")
    assert (
        event.after == {"name": "Tanjung Batu Baru"} and event.before["name"] != "Tanjung Batu Baru"
    )
    assert event.reason.startswith("Kepmendagri X (wilayah_61_72.csv")
    assert RegionDataset.objects.latest("pk").source == "Kepmendagri X"

    # The worker keeps the retired kelurahan and can still be changed; no one new goes there.
    kept.refresh_from_db()
    assert kept.village_id == SPLIT
    services.update_worker(actor=officer, worker=kept, changes={"phone": "081299990000"})
    with pytest.raises(ValidationFailed) as refused:
        services.create_worker(actor=officer, data=worker_input(SPLIT), source="test")
    assert [p.code for p in refused.value.problems] == [RegistryError.VILLAGE_RETIRED]
    listed = {r["code"]: r for r in api(officer).get("/api/regions/", parent="61.72.02").json()}
    assert listed[SPLIT]["retired_on"] == dt.date.today().isoformat()
    assert listed[RENAMED]["retired_on"] is None
    villages = Villages("61.72")
    assert SPLIT not in villages.codes and "61.72.02.1090" in villages.codes
    # A NIK of the district the newer list added is valid now.
    assert nik.parse(nik.compose(NEW_DISTRICT, dt.date(1990, 1, 1), "M", 7)).valid

    # The old list again brings the kelurahan back, the old name, and retires the new ones.
    again = updates.plan(updates.read(old_list), within=["61.72"])
    assert [c for c, *_ in again.reinstated] == [SPLIT]
    assert [c for c, *_ in again.renamed] == [RENAMED]
    assert len(again.retired) == 4 and not again.added


def test_worker_page_shows_a_retired_village(client, tmp_path):
    admin = make_user()
    worker = make_worker(admin, SPLIT)
    run(singkawang_list(tmp_path), "--within", "61.72", "--apply")
    viewer = make_user(Role.VIEWER, "61.72")
    client.force_login(viewer)
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "sudah tidak ada dalam daftar Kemendagri sejak" in page


def test_a_bad_list_is_refused_whole(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "kode,nama\n61.72.02.1090,Baru\n61.72.2.1,Salah\n61.72.02.1090,Lagi\n"
        "61.72.09.1001,Tanpa Induk\n61.72.02.1091,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        run(path, "--apply", "--within", "61.72")
    assert refused.value.returncode == 2
    with pytest.raises(ValidationFailed) as problems:
        updates.read(path)
    lines = [p.params["line"] for p in problems.value.problems]
    assert lines == [3, 4, 6]
    assert not Region.objects.filter(code="61.72.02.1090").exists()
    with pytest.raises(ValidationFailed):  # the parent 61.72.09 exists nowhere
        updates.plan(updates.read(_only(tmp_path, "61.72.09.1001,Tanpa Induk")), within=["61.72"])


def _only(tmp_path, line: str):
    path = tmp_path / "one.csv"
    path.write_text(f"kode,nama\n{line}\n", encoding="utf-8")
    return path
