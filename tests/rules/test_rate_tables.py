"""Loading the regulation tables: shipped data, versions, and what is refused when loading."""

import datetime as dt
import json
import subprocess
import sys
from importlib import resources

import pytest

from jaring.rules.errors import RuleError, TableError
from jaring.rules.rates import (
    DATA_FILES,
    build_tables,
    default_tables,
    load_tables,
    parse_toml,
    shipped_documents,
)
from jaring.rules.tables import with_new_version

RATES_V1 = """
[[bpu_rates]]
id = "R1"
effective_from = 2015-07-01
effective_to = {end}
source = "test"
[[bpu_rates.rows]]
benefit = "JKK"
percent_of_base = "1"
[[bpu_rates.rows]]
benefit = "JKM"
flat = 6_800
[[bpu_rates.rows]]
benefit = "JHT"
percent_of_base = "2"
"""

RATES_V2 = """
[[bpu_rates]]
id = "R2"
effective_from = 2027-01-01
source = "a new regulation"
[[bpu_rates.rows]]
benefit = "JKK"
percent_of_base = "0.5"
[[bpu_rates.rows]]
benefit = "JKM"
flat = 7_000
[[bpu_rates.rows]]
benefit = "JHT"
percent_of_base = "2"
"""


def shipped_without(table):
    docs = [dict(d) for d in shipped_documents()]
    for d in docs:
        d.pop(table, None)
    return docs


def with_rates(*texts):
    return build_tables(*shipped_without("bpu_rates"), *(parse_toml(t) for t in texts))


def test_shipped_tables_load_and_keep_their_unconfirmed_notes():
    t = default_tables()
    base = t.bpu_income_base.in_force(dt.date(2026, 1, 1))
    assert base.meta.incomplete
    assert "[NC]" in base.meta.note
    assert [(r.income_from, r.income_to, r.base) for r in base.rows] == [(1, 1_099_999, 1_000_000)]
    assert base.max_jkk == 207_000
    disability = t.disability_percentages.in_force(dt.date(2026, 1, 1))
    assert disability.meta.incomplete and "[NC]" in disability.meta.note
    assert {d.id for d in t.contribution_discounts} == {"PP49-2020", "PP50-2025"}


def test_a_new_version_is_picked_from_its_date_and_the_old_one_before():
    t = with_rates(RATES_V1.format(end="2026-12-31"), RATES_V2)
    assert t.bpu_rates.in_force(dt.date(2026, 12, 1)).meta.id == "R1"
    assert t.bpu_rates.in_force(dt.date(2027, 1, 1)).meta.id == "R2"
    assert t.bpu_rates.by_id("R1").rows["JKM"].flat == 6_800


def test_overlapping_versions_are_refused_when_loading():
    with pytest.raises(TableError) as caught:
        with_rates(RATES_V1.format(end="2027-01-01"), RATES_V2)
    err = caught.value
    assert err.code == "table_versions_overlap"
    assert "R1" in err.message_en and "R2" in err.message_en
    assert "tumpang tindih" in err.message_id


def test_an_open_ended_version_overlaps_any_later_one():
    with pytest.raises(TableError, match="overlaps"):
        with_rates(RATES_V1.replace("effective_to = {end}\n", ""), RATES_V2)


def test_overlapping_discounts_are_refused():
    extra = """
[[contribution_discounts]]
id = "LOCAL-2026"
regulation = "a made-up overlapping discount"
percent = "10"
benefits = ["JKM"]
excluded_funders = []
[[contribution_discounts.periods]]
sectors = ["other"]
months_from = "2026-12"
months_to = "2027-02"
"""
    with pytest.raises(TableError) as caught:
        load_tables(*(_shipped_texts()), extra)
    assert caught.value.code == "table_discounts_overlap"
    assert "2026-12" in caught.value.message_en


def _shipped_texts():
    folder = resources.files("jaring.rules").joinpath("data")
    return [folder.joinpath(name).read_text() for name in DATA_FILES]


@pytest.mark.parametrize(
    ("broken", "code"),
    [
        ('percent_of_base = "1"', "table_rate_shape"),  # JKM with both flat and percent
        ("percent_of_base = 1.5", "table_field_type"),  # a float would round
        ('status = "NC"', "table_nc_without_note"),
        ("flatt = 1", "table_unknown_field"),
    ],
)
def test_malformed_rows_are_refused_naming_the_place(broken, code):
    text = RATES_V1.format(end="2026-12-31").replace("flat = 6_800", f"flat = 6_800\n{broken}")
    with pytest.raises(TableError) as caught:
        with_rates(text)
    assert caught.value.code == code
    assert "bpu_rates[0].rows[1]" in caught.value.message_en


def test_effective_to_before_effective_from_is_refused():
    with pytest.raises(TableError) as caught:
        with_rates(RATES_V1.format(end="2015-01-01"))
    assert caught.value.code == "table_date_order"


def test_bad_toml_and_unknown_tables_are_refused():
    with pytest.raises(TableError) as caught:
        load_tables("[[bpu_rates]\n")
    assert caught.value.code == "table_syntax"
    with pytest.raises(TableError) as caught:
        load_tables("[[bpu_ratez]]\nid = 'x'\n")
    assert caught.value.code == "table_unknown"


def test_a_missing_table_is_refused():
    with pytest.raises(TableError) as caught:
        build_tables(*shipped_without("bpu_rates"))
    assert caught.value.code == "table_missing"


def test_a_date_outside_every_version_is_refused():
    t = with_rates(RATES_V1.format(end="2026-12-31"))
    with pytest.raises(RuleError) as caught:
        t.bpu_rates.in_force(dt.date(2027, 1, 1))
    assert caught.value.code == "rule_no_version"


def test_versions_stored_as_json_load_the_same():
    # A database layer stores versions as JSON: dates as ISO strings must load too.
    docs = json.loads(json.dumps(shipped_documents(), default=str))
    t = build_tables(*docs)
    assert t.bpu_rates.in_force(dt.date(2026, 1, 1)).rows["JKM"].flat == 6_800


def test_adding_a_version_closes_the_one_in_force_the_day_before():
    docs = shipped_documents()
    official = {
        "id": "BPU-BASE-OFFICIAL",
        "effective_from": dt.date(2027, 1, 1),
        "source": "the official table, loaded by an admin",
        "rows": [
            {"income_from": 1, "income_to": 1_099_999, "base": 1_000_000},
            {"income_from": 1_100_000, "income_to": 1_199_999, "base": 1_100_000},
        ],
    }
    docs[0]["bpu_income_base"] = with_new_version(docs[0]["bpu_income_base"], official)
    t = build_tables(*docs)
    old = t.bpu_income_base.in_force(dt.date(2026, 12, 31))
    assert old.meta.effective_to == dt.date(2026, 12, 31)
    assert t.bpu_income_base.in_force(dt.date(2027, 1, 1)).row_for_income(1_150_000).base == (
        1_100_000
    )
    # The shipped version keeps refusing what it does not define, for months before.
    with pytest.raises(RuleError):
        old.row_for_income(1_150_000)


def test_the_rules_package_does_not_import_django():
    code = (
        "import sys; import jaring.rules.benefits, jaring.rules.budget, jaring.rules.due_dates; "
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
