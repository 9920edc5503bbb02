"""Rate-table versions an admin adds: validated with the shipped tables, overlaps refused,
earlier bills keep the version they were priced with."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management.base import CommandError

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.contributions import rate_services, services
from jaring.contributions.models import Bill, RateImport
from jaring.contributions.rate_tables import current_tables, version_rows
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.rules import contributions, due_dates
from tests.contributions.setup import MONTHLY, member, programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SHIPPED_BASE = "BPU-BASE-PP44-2015-PP49-2023"
OFFICIAL = """
[[bpu_income_base]]
id = "BPU-BASE-OFFICIAL-2026-09"
effective_from = 2026-09-01
source = "Lampiran PP 44/2015 as amended, official table (test)"
status = "C"
max_jkk = 207_000

[[bpu_income_base.rows]]
income_from = 1
income_to = 1_099_999
base = 1_000_000

[[bpu_income_base.rows]]
income_from = 1_100_000
income_to = 1_299_999
base = 1_200_000
"""


def add(actor, text=OFFICIAL, name="official.toml", **kw):
    return rate_services.import_rates(actor=actor, text=text, file_name=name, **kw)


def test_a_version_overlapping_the_one_in_force_is_refused_with_the_way_out(admin):
    with pytest.raises(ValidationFailed) as exc:
        add(admin)
    [problem] = exc.value.problems
    assert problem.code == "table_versions_overlap" and problem.field == "file"
    assert SHIPPED_BASE in problem.message_en and "close the previous version" in (
        problem.message_en
    )
    assert not RateImport.objects.exists()


def test_closing_the_previous_version_puts_the_new_one_in_force_from_its_date(admin):
    imported = add(admin, close_previous=True, note="Surat BPJS 2026")
    assert imported.closes == [
        {"table": "bpu_income_base", "id": SHIPPED_BASE, "effective_to": "2026-08-31"}
    ]
    tables = current_tables()
    assert tables.bpu_income_base.in_force(dt.date(2026, 8, 1)).meta.id == SHIPPED_BASE
    assert tables.bpu_income_base.in_force(dt.date(2026, 9, 1)).meta.id == (
        "BPU-BASE-OFFICIAL-2026-09"
    )
    # JKK 1 % of Rp1,200,000 + JKM Rp6,800 (RULES.md), from the new version only.
    sept = contributions.contribution(
        month=dt.date(2026, 9, 1), funder="apbd", income=1_150_000, tables=tables
    )
    assert (sept.base, sept.jkk, sept.jkm, sept.total) == (1_200_000, 12_000, 6_800, 18_800)
    rows = {(r.table, r.id): r for r in version_rows("bpu_income_base")}
    assert rows[("bpu_income_base", SHIPPED_BASE)].effective_to == dt.date(2026, 8, 31)
    assert rows[("bpu_income_base", "BPU-BASE-OFFICIAL-2026-09")].import_id == imported.pk


def test_bills_made_before_keep_the_version_they_were_priced_with(admin):
    p = programme(admin)
    member(admin, p, dt.date(2026, 8, 1), "palm_oil_worker")
    services.run_month(actor=SYSTEM, month=dt.date(2026, 9, 1), as_of=dt.date(2026, 9, 1))
    imported = add(admin, close_previous=True)
    assert imported.bills_in_range == 1
    services.run_month(actor=SYSTEM, month=dt.date(2026, 9, 1), as_of=dt.date(2026, 9, 1))
    services.run_month(actor=SYSTEM, month=dt.date(2026, 10, 1), as_of=dt.date(2026, 9, 1))
    sept, octo = Bill.objects.filter(programme=p).order_by("month")
    assert sept.rule_version.startswith(SHIPPED_BASE) and sept.total == MONTHLY
    assert octo.rule_version.startswith("BPU-BASE-OFFICIAL-2026-09") and octo.total == MONTHLY


def test_a_json_holiday_calendar_moves_the_due_date(admin):
    calendar = {
        "holidays": [
            {
                "id": "SKB-2025-TEST",
                "effective_from": "2025-01-01",
                "effective_to": "2025-12-31",
                "source": "SKB 3 Menteri 2024 (test)",
                "rows": [
                    {"date": "2025-01-15", "name": "Hari libur uji", "type": "libur_nasional"}
                ],
            }
        ]
    }
    with pytest.raises(Exception) as before:
        due_dates.due_date(dt.date(2025, 1, 1), tables=current_tables())
    assert before.value.code == "calendar_missing"
    add(admin, json.dumps(calendar), "libur-2025.json")
    # 15 January 2025 (a Wednesday) is a day off in the loaded calendar: due the 16th.
    due = due_dates.due_date(dt.date(2025, 1, 1), tables=current_tables())
    assert due.date == dt.date(2025, 1, 16)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (OFFICIAL.replace("max_jkk", "max_jk"), "table_unknown_field"),
        (OFFICIAL.replace('status = "C"', 'status = "NC"'), "table_nc_without_note"),
        ("[[bpu_income_bases]]\nid = 'x'\n", "table_unknown"),
        ("not = [toml", "table_syntax"),
        ("", "table_empty"),
    ],
)
def test_a_malformed_file_is_refused_whole(admin, text, code):
    with pytest.raises(ValidationFailed) as exc:
        add(admin, text, close_previous=True)
    assert exc.value.problems[0].code == code
    assert not RateImport.objects.exists()


def test_a_dry_run_checks_without_adding(admin):
    checked = add(admin, close_previous=True, dry_run=True)
    assert checked.pk is None and checked.closes
    assert not RateImport.objects.exists()


def test_only_an_admin_adds_versions():
    with pytest.raises(PermissionDenied):
        add(make_user(Role.PROGRAMME_OFFICER, "61.72"), close_previous=True)


def test_the_calculator_uses_an_imported_version(admin, capsys):
    from django.core.management import call_command

    def calc():
        call_command("calc", "contribution", "--income", "1150000", "--month", "2026-09", "--json")
        return json.loads(capsys.readouterr().out)

    with pytest.raises(CommandError):
        calc()  # the shipped table defines only the minimum base
    capsys.readouterr()
    add(admin, close_previous=True)
    out = calc()
    assert (out["base"], out["jkk"], out["jkm"], out["total"]) == (1_200_000, 12_000, 6_800, 18_800)
