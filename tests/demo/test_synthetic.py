"""The synthetic people generator: deterministic, unique, and consistent with the NIK rules."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lokal import wilayah

from jaring.demo.synthetic import Person, generate_people, people_frame, villages_under
from jaring.registry.models import DisabilityKind
from jaring.rules.nik import parse

TODAY = dt.date(2026, 11, 22)


def test_same_seed_same_people_other_seed_other_people():
    assert generate_people(200, seed=7, today=TODAY) == generate_people(200, seed=7, today=TODAY)
    assert generate_people(200, seed=7, today=TODAY) != generate_people(200, seed=8, today=TODAY)


def test_villages_are_the_real_singkawang_villages():
    villages = villages_under("61.72")
    assert len(villages) == 26
    assert "61.72.02.1001" in villages  # Pasiran
    people = generate_people(2000, today=TODAY)
    assert {p.village_code for p in people} == set(villages)
    assert all(wilayah.wilayah_name(p.village_code) for p in people)


def test_people_look_like_a_city_list():
    people = generate_people(3000, today=TODAY)
    assert len({p.nik for p in people}) == 3000
    assert {p.sex for p in people} == {"M", "F"}
    assert all(18 <= _age(p.birth_date) <= 64 for p in people)
    assert all(p.phone.startswith("+628") and len(p.phone) == 14 for p in people)
    assert all(p.rt.isdigit() and "001" <= p.rt <= "015" for p in people)
    assert all(p.address.startswith("Jl. ") and " No. " in p.address for p in people)
    assert len({p.full_name for p in people}) > 500
    disabled = [p for p in people if p.has_disability]
    assert 20 < len(disabled) < 110  # 2 % of 3000 is 60
    assert {p.disability_kind for p in disabled} <= set(DisabilityKind.values)
    assert all(p.disability_kind == "" for p in people if not p.has_disability)
    assert len({p.category_code for p in people}) == 15


def test_category_weights_are_respected():
    people = generate_people(300, categories={"fisher": 1, "farmer": 0}, today=TODAY)
    assert {p.category_code for p in people} == {"fisher"}


def test_a_village_region_and_a_province_region():
    assert {p.village_code for p in generate_people(20, region="61.72.02.1001")} == {
        "61.72.02.1001"
    }
    assert {p.village_code[:5] for p in generate_people(500, region="61", seed=1)} > {"61.72"}


def test_refuses_ages_a_two_digit_year_cannot_hold_and_unknown_regions():
    with pytest.raises(ValueError):
        generate_people(1, age_range=(18, 120))
    with pytest.raises(ValueError):
        generate_people(1, region="99.99")


def test_people_frame_has_the_person_fields():
    people = generate_people(50, today=TODAY)
    frame = people_frame(people)
    assert frame.columns == list(Person.__dataclass_fields__)
    assert frame.height == 50
    assert frame.schema["birth_date"] == pl.Date
    assert frame.row(0, named=True)["nik"] == people[0].nik


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=60),
    seed=st.integers(min_value=0, max_value=2**32),
    region=st.sampled_from(["61.72", "61.71", "64.74", "61.72.05", "31.71"]),
    today=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
)
def test_every_generated_nik_parses_back_to_its_inputs(n, seed, region, today):
    people = generate_people(n, seed=seed, region=region, today=today)
    assert len({p.nik for p in people}) == n
    for p in people:
        parsed = parse(p.nik, today=today)
        assert parsed.valid, (p.nik, parsed.error)
        assert parsed.district_code == p.village_code[:8]
        assert parsed.birth_date == p.birth_date
        assert parsed.sex == p.sex


def _age(born: dt.date) -> int:
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
