"""JKK and JKM benefits; expected figures from PP 82/2019 as summarised in RULES.md."""

import datetime as dt

import pytest

from jaring.rules.benefits import Child, calculate, children_from
from jaring.rules.errors import RuleError

EVENT = dt.date(2026, 3, 10)
CLAIM = dt.date(2026, 4, 1)
WAGE = 1_000_000


def calc(kind, **kwargs):
    kwargs.setdefault("event_date", EVENT)
    kwargs.setdefault("claimed_on", CLAIM)
    return calculate(kind, **kwargs)


def amounts(result):
    return {i.code: i.amount for i in result.items}


def test_jkm_death_is_42_million():
    r = calc("jkm-death")
    assert amounts(r) == {"jkm_lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert r.total == 42_000_000
    assert all("PP 82/2019" in i.basis for i in r.items)


def test_jkk_death_is_48_wages_at_least_the_jkm_lump_sum_plus_funeral_and_periodic():
    r = calc("jkk-death", wage=WAGE)
    assert amounts(r)["jkk_death"] == max(48 * WAGE, 20_000_000)
    assert r.total == 48_000_000 + 10_000_000 + 12_000_000
    assert "48 × Rp1.000.000" in r.items[0].basis


def test_jkk_death_floor_is_the_jkm_lump_sum():
    # 48 × wage is below Rp20,000,000 only for a wage under Rp416,667, which no BPU base
    # reaches; a table with such a base shows the floor at work.
    from jaring.rules import rates

    docs = rates.shipped_documents()
    docs[0]["bpu_income_base"][0]["rows"].append(
        {"income_from": 1_100_000, "income_to": 1_100_000, "base": 400_000, "source": "test"}
    )
    tables = rates.build_tables(*docs)
    r = calc("jkk-death", wage=400_000, tables=tables)
    assert amounts(r)["jkk_death"] == 20_000_000


def test_total_permanent_disability_is_70_percent_of_80_wages_plus_periodic():
    r = calc("jkk-total-disability", wage=WAGE)
    assert amounts(r) == {"jkk_total_disability": 56 * WAGE, "periodic": 12_000_000}


def test_partial_anatomical_and_functional_disability():
    anatomical = calc("jkk-partial-disability", wage=WAGE, disability_percent="10")
    assert anatomical.total == 10 * 80 * WAGE // 100
    functional = calc(
        "jkk-partial-disability", wage=WAGE, disability_percent=10, function_lost_percent="50"
    )
    assert functional.total == 50 * 10 * 80 * WAGE // 10_000


def test_partial_disability_by_body_part_reads_the_unconfirmed_table():
    r = calc("jkk-partial-disability", wage=WAGE, body_part="lengan_kanan_bahu")
    assert r.total == 40 * 80 * WAGE // 100  # right arm from the shoulder: 40 %
    [table] = [m for m in r.versions if m.table == "disability_percentages"]
    assert (table.id, table.status) == ("PP82-2019-CACAT", "NC")
    # A body part the table lacks is still refused, naming the version.
    with pytest.raises(RuleError) as caught:
        calc("jkk-partial-disability", wage=WAGE, body_part="kulit_kepala")
    assert (caught.value.code, caught.value.field) == ("disability_part_unknown", "body_part")
    assert "PP82-2019-CACAT" in caught.value.message_en


def test_stmb_full_wage_for_12_months_then_half():
    assert calc("jkk-stmb", wage=WAGE, months_incapacity=5).total == 5 * WAGE
    r = calc("jkk-stmb", wage=WAGE, months_incapacity=15)
    assert amounts(r) == {"stmb_first": 12 * WAGE, "stmb_after": 3 * WAGE // 2}


@pytest.mark.parametrize(
    ("mode", "cost", "paid"),
    [
        ("land", 7_000_000, 5_000_000),
        ("land", 3_000_000, 3_000_000),
        ("sea", 2_500_000, 2_000_000),
        ("air", 12_000_000, 10_000_000),
    ],
)
def test_transport_is_capped_per_mode(mode, cost, paid):
    assert calc("transport", mode=mode, cost=cost).total == paid


def test_home_care_is_capped_at_20_million():
    assert calc("home-care", cost=25_000_000).total == 20_000_000
    assert calc("home-care", cost=8_000_000).total == 8_000_000


def test_medical_care_is_as_needed_without_a_ceiling_paid_to_the_facility():
    # "medical care per medical need, no ceiling": whatever the facility bills is the amount.
    r = calc("medical-care", cost=480_000_000)
    [item] = r.items
    assert (item.amount, item.payee) == (480_000_000, "provider")
    assert "sesuai kebutuhan medis" in item.formula and "PP 82/2019" in item.regulation
    # Before the facility's bill the entitlement is recorded without an amount.
    [pending] = calc("medical-care").items
    assert (pending.amount, pending.code) == (0, "medical_care")
    assert "tagihan belum ada" in pending.formula


def test_medical_care_lapses_with_the_other_jkk_benefits():
    with pytest.raises(RuleError) as caught:
        calc("medical-care", event_date=dt.date(2020, 3, 10), claimed_on=dt.date(2025, 3, 11))
    assert caught.value.code == "claim_lapsed"


def kindergarten_child(born=dt.date(2022, 1, 1)):
    return Child(birth_date=born, level="tk")


def test_scholarship_two_children_at_most_174_million_over_time():
    r = calc("jkk-death", wage=WAGE, children=[kindergarten_child(), kindergarten_child()])
    scholarships = [i for i in r.items if i.code == "scholarship"]
    # TK 2 × 1.5M + SD 6 × 1.5M + SMP 3 × 2M + SMA 3 × 3M + university 5 × 12M = 87M per child.
    assert [i.amount for i in scholarships] == [87_000_000, 87_000_000]
    assert sum(i.amount for i in scholarships) == 174_000_000
    assert len(scholarships[0].schedule) == 2 + 6 + 3 + 3 + 5


def test_a_third_child_is_refused():
    kids = [kindergarten_child(), kindergarten_child(), kindergarten_child()]
    r = calc("jkk-death", wage=WAGE, children=kids)
    assert len([i for i in r.items if i.code == "scholarship"]) == 2
    assert [x.code for x in r.refusals] == ["child_limit"]
    assert r.refusals[0].subject == "3"


def test_a_child_aged_23_is_refused():
    child = Child(birth_date=dt.date(2003, 3, 10), level="university")  # 23 on the event date
    r = calc("jkk-death", wage=WAGE, children=[child])
    assert [i.code for i in r.items] == ["jkk_death", "periodic", "funeral"]
    assert [x.code for x in r.refusals] == ["child_too_old"]
    assert "23" in r.refusals[0].message_id and "23" in r.refusals[0].message_en


def test_a_child_aged_22_gets_only_the_years_before_23():
    child = Child(birth_date=dt.date(2003, 3, 11), level="university")  # 22, turns 23 next day
    r = calc("jkk-death", wage=WAGE, children=[child])
    assert amounts(r)["scholarship"] == 12_000_000


def test_married_or_working_children_are_refused_and_do_not_use_a_place():
    kids = [
        Child(birth_date=dt.date(2005, 1, 1), level="university", married=True),
        Child(birth_date=dt.date(2006, 1, 1), level="university", working=True),
        kindergarten_child(),
        kindergarten_child(),
    ]
    r = calc("jkk-death", wage=WAGE, children=kids)
    assert [x.code for x in r.refusals] == ["child_married", "child_working"]
    assert len([i for i in r.items if i.code == "scholarship"]) == 2


def test_jkm_scholarship_needs_three_years_of_contributions():
    short = calc("jkm-death", children=[kindergarten_child()], months_contributed=35)
    assert short.total == 42_000_000
    assert [x.code for x in short.refusals] == ["scholarship_jkm_too_short"]
    enough = calc("jkm-death", children=[kindergarten_child()], months_contributed=36)
    assert enough.total == 42_000_000 + 87_000_000


def test_jkk_scholarship_has_no_minimum_membership():
    r = calc("scholarship", cause="jkk", children=[kindergarten_child()], months_contributed=1)
    assert r.total == 87_000_000


def test_jkk_claims_lapse_after_5_years():
    event = dt.date(2020, 3, 10)
    assert calc("jkk-death", wage=WAGE, event_date=event, claimed_on=dt.date(2025, 3, 10)).total
    with pytest.raises(RuleError) as caught:
        calc("jkk-death", wage=WAGE, event_date=event, claimed_on=dt.date(2025, 3, 11))
    assert caught.value.code == "claim_lapsed"
    assert "2025-03-10" in caught.value.message_en


def test_jkm_death_has_no_jkk_lapse():
    r = calc("jkm-death", event_date=dt.date(2019, 12, 10), claimed_on=dt.date(2026, 1, 1))
    assert r.total == 42_000_000


def test_a_wage_the_base_table_does_not_define_is_refused():
    with pytest.raises(RuleError) as caught:
        calc("jkk-death", wage=3_000_000)
    assert caught.value.code == "base_undefined"
    assert caught.value.field == "wage"


def test_an_event_before_pp82_2019_has_no_table():
    with pytest.raises(RuleError) as caught:
        calc("jkm-death", event_date=dt.date(2019, 1, 1))
    assert caught.value.code == "rule_no_version"


KID = [Child(dt.date(2020, 1, 1), "sd")]


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        ("jkk-death", {}, "wage"),
        ("jkk-stmb", {"wage": WAGE}, "months_incapacity"),
        ("transport", {"cost": 1}, "mode"),
        ("home-care", {}, "cost"),
        ("scholarship", {"children": []}, "cause"),
        ("jkm-death", {"children": [Child(dt.date(2020, 1, 1), "sd")]}, "months_contributed"),
        ("jkk-partial-disability", {"wage": WAGE}, "disability_percent"),
        (
            "jkk-partial-disability",
            {"wage": WAGE, "disability_percent": "120"},
            "disability_percent",
        ),
        ("flood", {}, "kind"),
        ("jkk-stmb", {"wage": WAGE, "months_incapacity": 2, "children": KID}, "children"),
        ("jkm-death", {"claimed_on": dt.date(2026, 3, 1)}, "claimed_on"),
    ],
)
def test_missing_or_bad_arguments_are_refused_by_name(kind, kwargs, field):
    with pytest.raises(RuleError) as caught:
        calc(kind, **kwargs)
    assert caught.value.field == field


def test_children_from_json_data():
    kids = children_from([{"birth_date": "2015-04-01", "level": "sd", "grade": 3}])
    assert kids == [Child(birth_date=dt.date(2015, 4, 1), level="sd", grade=3)]
    with pytest.raises(RuleError):
        children_from([{"birth_date": "2015-04-01", "levle": "sd"}])
    with pytest.raises(RuleError):
        children_from({"birth_date": "2015-04-01"})
