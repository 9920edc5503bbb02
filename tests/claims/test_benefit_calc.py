"""The issue's "Show" commands: the yearly scholarship schedule and a partial disability from the
shipped (unconfirmed) table, as `jaring calc benefit --json` prints them."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def calc(*args):
    out = io.StringIO()
    call_command("calc", "benefit", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_scholarship_gives_the_yearly_schedule():
    children = json.dumps(
        [
            {"name": "Ani", "birth_date": "2004-03-01", "level": "training"},
            {"name": "Budi", "birth_date": "2021-09-01"},
        ]
    )
    result = calc(
        "--kind", "scholarship", "--cause", "jkk", "--children", children,
        "--event-date", "2023-10-07", "--claim-date", "2023-10-09",
    )  # fmt: skip
    schedule = result["schedule"]
    assert schedule[0] == {
        "school_year": "2023/2024", "child": "Ani", "level": "training", "amount": 12_000_000,
    }  # fmt: skip
    # Ani turns 23 on 1 March 2027: 2023/24 … 2026/27 at the university level.
    assert [r["school_year"] for r in schedule if r["child"] == "Ani"] == [
        "2023/2024", "2024/2025", "2025/2026", "2026/2027",
    ]  # fmt: skip
    # Budi (2 at the event) waits until school age: TK from 2026/2027.
    assert next(r for r in schedule if r["child"] == "Budi")["school_year"] == "2026/2027"
    assert result["total"] == sum(r["amount"] for r in schedule) == 48_000_000 + 87_000_000
    assert result["refused"] == []


def test_partial_disability_from_the_loaded_table():
    result = calc(
        "--kind", "jkk-partial-disability", "--body-part", "lengan_kanan_bahu",
        "--wage", "1000000", "--event-date", "2026-03-01", "--claim-date", "2026-03-05",
    )  # fmt: skip
    assert result["total"] == 32_000_000  # 40 % × 80 × Rp1,000,000
    assert "PP82-2019-CACAT" in result["rule_version"]
    [table] = [s for s in result["sources"] if s["table"] == "disability_percentages"]
    assert table["status"] == "NC"


def test_a_body_part_the_table_lacks_is_refused_naming_the_argument():
    with pytest.raises(CommandError) as caught:
        call_command(
            "calc", "benefit", "--kind", "jkk-partial-disability", "--body-part", "ekor",
            "--wage", "1000000", stdout=io.StringIO(),
        )  # fmt: skip
    assert str(caught.value).startswith("--body-part:")
