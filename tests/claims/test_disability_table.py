"""The disability percentage table of PP 82/2019: shipped from public copies, marked
unconfirmed; an admin loads the official one as a new version, then claims use it.

RULES.md: partial anatomical disability pays "table % × 80 × wage". The percentages in TABLE
below are test figures for made-up body parts, not the regulation's.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from jaring.contributions import rate_services
from jaring.core.errors import ValidationFailed
from tests.claims.setup import register
from tests.contributions.setup import member, programme

pytestmark = pytest.mark.django_db

MILLION = 1_000_000
SHIPPED = "PP82-2019-CACAT"
TABLE = """
[[disability_percentages]]
id = "TEST-CACAT-2026"
effective_from = 2026-01-01
source = "Lampiran PP 44/2015 as amended by PP 82/2019 (test figures)"
status = "C"

[[disability_percentages.rows]]
code = "bagian_a"
name_id = "Bagian A"
name_en = "Part A"
percent = "15"

[[disability_percentages.rows]]
code = "bagian_b"
name_id = "Bagian B"
name_en = "Part B"
percent = "2.5"
"""


@pytest.fixture
def fisher(admin):
    return member(admin, programme(admin), dt.date(2026, 2, 1))


def load(admin, text=TABLE):
    return rate_services.import_rates(
        actor=admin, text=text, file_name="cacat.toml", close_previous=True
    )


def test_the_shipped_unconfirmed_table_prices_a_claim(admin, fisher):
    claim = register(admin, fisher, "work_accident", disability="partial", body_part="mata_sebelah")
    [item] = claim.items.all()
    # One eye: 35 % × 80 × Rp1,000,000.
    assert (item.code, item.amount) == ("jkk_partial_anatomical", 28 * MILLION)
    [source] = [s for s in claim.sources if s["table"] == "disability_percentages"]
    assert (source["id"], source["status"]) == (SHIPPED, "NC")


def test_a_body_part_the_table_lacks_is_refused_with_the_way_out(admin, fisher):
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "work_accident", disability="partial", body_part="bagian_a")
    [problem] = err.value.problems
    assert (problem.code, problem.field) == ("disability_part_unknown", "body_part")
    assert SHIPPED in problem.message_en and "load the official table" in problem.message_en


def test_a_loaded_table_prices_the_body_part_and_refuses_one_it_lacks(admin, fisher):
    imported = load(admin)
    assert imported.closes == [
        {"table": "disability_percentages", "id": SHIPPED, "effective_to": "2025-12-31"}
    ]
    claim = register(admin, fisher, "work_accident", disability="partial", body_part="bagian_a")
    [item] = claim.items.all()
    # 15 % × 80 × Rp1,000,000.
    assert (item.code, item.amount) == ("jkk_partial_anatomical", 12 * MILLION)
    assert item.formula.startswith("15 % × 80 × Rp1.000.000")
    assert "TEST-CACAT-2026" in claim.rule_version
    functional = register(
        admin, fisher, "work_accident", disability="partial", body_part="bagian_b",
        function_lost_percent="40",
    )  # fmt: skip
    # 40 % of function lost × 2.5 % × 80 × Rp1,000,000.
    assert functional.total == 800_000
    with pytest.raises(ValidationFailed) as err:
        register(admin, fisher, "work_accident", disability="partial", body_part="bagian_z")
    assert err.value.problems[0].code == "disability_part_unknown"
    assert "TEST-CACAT-2026" in err.value.problems[0].message_en


def test_the_calculator_uses_the_loaded_table(admin):
    load(admin)
    out = io.StringIO()
    call_command(
        "calc", "benefit", "--kind", "jkk-partial-disability", "--wage", "1000000",
        "--body-part", "bagian_b", "--event-date", "2026-03-01", "--claim-date", "2026-03-05",
        "--json", stdout=out,
    )  # fmt: skip
    result = json.loads(out.getvalue())
    assert result["total"] == 2 * MILLION  # 2.5 % × 80 × Rp1,000,000
    assert "TEST-CACAT-2026" in result["rule_version"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (('percent = "2.5"', 'percent = "120"'), "table_disability_percent"),
        (('code = "bagian_b"', 'code = "bagian_a"'), "table_disability_code_twice"),
        (('status = "C"', 'status = "NC"'), "table_nc_without_note"),
    ],
)
def test_a_malformed_table_is_refused_whole(admin, change, code):
    with pytest.raises(ValidationFailed) as err:
        load(admin, TABLE.replace(*change))
    assert err.value.problems[0].code == code
