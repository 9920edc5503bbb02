"""Properties of `rules.nik.compose` and `parse` over every district in the Kemendagri list."""

import datetime as dt
from functools import cache

from hypothesis import assume, given
from hypothesis import strategies as st
from lokal import wilayah

from jaring.rules.nik import compose, parse


@cache
def _districts() -> list[str]:
    return [
        d.code
        for p in wilayah.list_wilayah(None)
        for r in wilayah.list_wilayah(p.code)
        for d in wilayah.list_wilayah(r.code)
    ]


# Read when the module loads, not in a test's first draw: on a busy machine that read alone looked
# like slow input generation to Hypothesis (a FailedHealthCheck).
_DISTRICTS = _districts()
districts = st.builds(lambda i: _DISTRICTS[i % len(_DISTRICTS)], st.integers(0, 10**6))
# `rules.nik` reads a two-digit year in the 1900s or 2000s: from 2000 on, every birth of the
# last hundred years has one (before 2000, a 99-year-old's would be in the 1800s).
todays = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2098, 12, 31))
sexes = st.sampled_from(["M", "F"])
serials = st.integers(min_value=1, max_value=9999)


def _within_a_century(today: dt.date, born: dt.date) -> bool:
    """Born on or before today and less than 100 years before it: what two digits can hold."""
    return born <= today and (born.year + 100, born.month, born.day) > (
        today.year,
        today.month,
        today.day,
    )


def test_the_district_list_is_the_whole_country():
    assert len(_districts()) == 7285


@given(districts, st.data(), sexes, serials, todays)
def test_compose_then_parse_gives_back_district_birth_date_sex_and_serial(
    district, data, sex, serial, today
):
    born = data.draw(st.dates(min_value=dt.date(today.year - 100, 1, 1), max_value=today))
    assume(_within_a_century(today, born))
    nik = compose(district, born, sex, serial)
    parsed = parse(nik, today=today)
    assert parsed.valid, parsed.error
    assert parsed.nik == nik and len(nik) == 16
    assert parsed.district_code == district
    assert parsed.regency_code == district[:5]
    assert parsed.province_code == district[:2]
    assert parsed.birth_date == born
    assert parsed.sex == sex
    assert parsed.serial == f"{serial:04d}"


@given(districts, st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2025, 12, 31)), serials)
def test_women_have_forty_added_to_the_day(district, born, serial):
    day = int(compose(district, born, "F", serial)[6:8])
    assert day == born.day + 40
    assert 41 <= day <= 71
    assert int(compose(district, born, "M", serial)[6:8]) == born.day


@given(districts, st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2025, 12, 31)), sexes)
def test_serial_0000_is_refused(district, born, sex):
    parsed = parse(compose(district, born, sex, 0), today=dt.date(2026, 1, 1))
    assert not parsed.valid
    assert parsed.reason == "serial_zero"


@given(districts, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), sexes)
def test_nobody_is_born_in_the_future_or_a_century_ago(district, born, sex):
    today = dt.date(2026, 11, 22)
    parsed = parse(compose(district, born, sex, 1), today=today)
    assert parsed.valid
    # The two-digit year is put in the century that makes the person at most 99 years old.
    assert _within_a_century(today, parsed.birth_date)
    assert (parsed.birth_date.year % 100, parsed.birth_date.month, parsed.birth_date.day) == (
        born.year % 100,
        born.month,
        born.day,
    )


@given(districts, st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2025, 12, 31)), sexes)
def test_spaces_and_dots_do_not_matter(district, born, sex):
    nik = compose(district, born, sex, 17)
    spaced = f"{nik[:2]}.{nik[2:4]}.{nik[4:6]} {nik[6:12]} {nik[12:]}"
    assert parse(spaced, today=dt.date(2026, 1, 1)).nik == nik
