"""`jaring calc`: JSON shapes, the Indonesian table, and errors naming the argument."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

# The command prices with the versions in force, admin imports included (a database read).
pytestmark = pytest.mark.django_db


def calc(*args):
    out = StringIO()
    call_command("calc", *args, stdout=out)
    return out.getvalue()


def calc_json(*args):
    return json.loads(calc(*args, "--json"))


def test_contribution_json():
    data = calc_json("contribution", "--income", "1000000", "--month", "2025-06")
    assert {k: data[k] for k in ("base", "jkk", "jkm", "jht", "total")} == {
        "base": 1_000_000,
        "jkk": 10_000,
        "jkm": 6_800,
        "jht": 0,
        "total": 16_800,
    }
    assert data["rule_version"].startswith("BPU-BASE")


def test_contribution_json_with_jht_and_pp50_discount():
    data = calc_json(
        "contribution",
        "--income",
        "Rp1.000.000",
        "--benefits",
        "JKK,JKM,JHT",
        "--month",
        "2026-02",
        "--funder",
        "self",
        "--sector",
        "transport",
    )
    assert (data["jkk"], data["jkm"], data["jht"], data["total"]) == (5_000, 3_400, 20_000, 28_400)
    assert [d["id"] for d in data["discounts"]] == ["PP50-2025"]


def test_contribution_table_is_in_indonesian():
    text = calc("contribution", "--income", "1000000", "--month", "2025-06")
    assert "Iuran BPU bulan 2025-06" in text
    assert "Jumlah" in text and "Rp16.800" in text


def test_benefit_json():
    data = calc_json(
        "benefit",
        "--kind",
        "jkk-death",
        "--wage",
        "1000000",
        "--event-date",
        "2026-03-10",
        "--claim-date",
        "2026-04-01",
        "--children",
        '[{"birth_date": "2022-01-01", "level": "tk"}, {"birth_date": "2003-01-01", '
        '"level": "university"}]',
    )
    assert data["total"] == 48_000_000 + 10_000_000 + 12_000_000 + 87_000_000
    assert all({"name", "amount", "basis"} <= set(item) for item in data["items"])
    assert [r["code"] for r in data["refused"]] == ["child_too_old"]


def test_benefit_stmb():
    data = calc_json(
        "benefit", "--kind", "jkk-stmb", "--wage", "1000000", "--months-incapacity", "14"
    )
    assert data["total"] == 12_000_000 + 2 * 500_000


def test_benefit_table():
    text = calc("benefit", "--kind", "jkm-death")
    assert "Santunan sekaligus JKM" in text and "Rp42.000.000" in text


def test_budget_json():
    data = calc_json("budget", "--workers", "7737", "--months", "5", "--start", "2025-01")
    assert data["monthly_per_worker"] == 16_800
    assert data["total"] == 7_737 * 5 * 16_800
    assert data["per_benefit"] == {"JKK": 7_737 * 5 * 10_000, "JKM": 7_737 * 5 * 6_800}


def test_capacity_json():
    budget = str(7_737 * 5 * 16_800 + 1)
    data = calc_json("capacity", "--budget", budget, "--months", "5", "--start", "2025-01")
    assert data["workers"] == 7_737
    assert data["remaining"] == 1


def test_budget_table():
    text = calc(
        "budget", "--workers", "10", "--months", "12", "--start", "2026-01", "--funder", "self"
    )
    assert "Iuran per pekerja berubah" in text
    assert "Rp1.260.000" in text  # 10 × (3 × 16,800 + 9 × 8,400)


def test_an_undefined_income_is_refused_naming_the_argument():
    with pytest.raises(CommandError) as caught:
        calc("contribution", "--income", "2500000", "--month", "2025-06")
    assert str(caught.value).startswith("--income:")
    assert "Rp2.500.000" in str(caught.value)
    assert caught.value.returncode == 1


def test_the_json_error_is_printed_for_scripts():
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "calc",
            "budget",
            "--workers",
            "5",
            "--months",
            "5",
            "--income-base",
            "1500000",
            "--json",
            stdout=out,
        )
    error = json.loads(out.getvalue())["errors"][0]
    assert (error["code"], error["argument"]) == ("base_undefined", "--income-base")


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (["contribution", "--income", "abc"], "--income"),
        (["contribution", "--income", "1000000", "--month", "2026-13"], "--month"),
        (["contribution", "--income", "1000000", "--benefits", "JKK,JKP"], "--benefits"),
        (["contribution", "--income", "1000000", "--funder", "bank"], "--funder"),
        (["budget", "--workers", "-3", "--months", "5"], "--workers"),
        (["benefit", "--kind", "jkk-death", "--children", "[{"], "--children"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(args, argument):
    with pytest.raises(CommandError) as caught:
        calc(*args)
    assert argument in str(caught.value)


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (["budget", "--workers", "0", "--months", "5"], "--workers"),
        (["benefit", "--kind", "jkk-death"], "--wage"),
        (["benefit", "--kind", "jkk-stmb", "--wage", "1000000"], "--months-incapacity"),
        (
            [
                "benefit",
                "--kind",
                "jkk-death",
                "--wage",
                "1000000",
                "--event-date",
                "2019-12-10",
                "--claim-date",
                "2025-12-11",
            ],
            "--event-date",
        ),
    ],
)
def test_rule_refusals_name_the_argument(args, argument):
    with pytest.raises(CommandError) as caught:
        calc(*args)
    assert str(caught.value).startswith(f"{argument}:")


def test_a_month_without_tables_is_refused_with_the_reason():
    with pytest.raises(CommandError) as caught:
        calc("contribution", "--income", "1000000", "--month", "2014-01")
    assert "2014-01-01" in str(caught.value)
    assert not str(caught.value).startswith("None")


def test_compliance_fine_json():
    data = calc_json("compliance-fine", "--owed", "10000000", "--months", "3")
    assert data["fine"] == 30_000 and data["per_month"] == 10_000
    assert data["rule_version"] == "PP86-2013" and data["status"] == "NC"


def test_wage_check_json_and_table():
    data = calc_json("wage-check", "--region", "61.72", "--year", "2026", "--wage", "3000000")
    assert (data["below_umk"], data["umk"], data["shortfall"]) == (True, 3_247_387, 247_387)
    text = calc("wage-check", "--region", "61.72", "--year", "2026", "--wage", "3000000")
    assert "di bawah UMK" in text and "Rp3.247.387" in text


def test_wage_check_of_an_unknown_year_names_the_argument():
    with pytest.raises(CommandError, match="--region"):
        calc("wage-check", "--region", "61.72", "--year", "2020", "--wage", "1")
