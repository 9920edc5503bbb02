"""The registry-like population: its truth must hold, or every quality figure built on it lies."""

import datetime as dt

import polars as pl
import pytest

from jaring.demo.population import LOOKALIKE_KINDS, NIK_KINDS, VARIATIONS, make_population
from jaring.rules.nik import parse

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def pop():
    return make_population(20_000, seed=3, today=TODAY)


def _pairs(pop, table: pl.DataFrame) -> pl.DataFrame:
    r = pop.records
    left = r.select(pl.all().name.suffix("_l"))
    right = r.select(pl.all().name.suffix("_r"))
    return table.join(left, on="record_id_l").join(right, on="record_id_r")


def test_every_nik_is_valid_and_unique(pop):
    niks = pop.records["nik"]
    assert niks.n_unique() == len(niks)
    assert all(parse(n, today=TODAY).valid for n in niks)


def test_duplicates_are_one_person_with_another_nik(pop):
    pairs = _pairs(pop, pop.duplicates)
    assert len(pairs) == len(pop.duplicates) >= 500
    assert (pairs["person_id_l"] == pairs["person_id_r"]).all()
    assert (pairs["nik_l"] != pairs["nik_r"]).all()
    assert set(pairs["kind"]) == set(NIK_KINDS)
    seen = {v for vs in pairs["variations"] for v in vs.split(",") if v}
    assert seen == set(VARIATIONS)


def test_lookalikes_are_different_people_of_every_kind(pop):
    pairs = _pairs(pop, pop.lookalikes)
    assert (pairs["person_id_l"] != pairs["person_id_r"]).all()
    assert set(pairs["kind"]) == set(LOOKALIKE_KINDS)


def test_twins_share_birth_date_address_and_follow_each_other(pop):
    twins = _pairs(pop, pop.lookalikes.filter(pl.col("kind") == "twin"))
    assert len(twins) >= 100
    assert (twins["birth_date_l"] == twins["birth_date_r"]).all()
    assert (twins["address_l"] == twins["address_r"]).all()
    assert (twins["full_name_l"] != twins["full_name_r"]).all()
    same_sex = twins.filter(pl.col("sex_l") == pl.col("sex_r"))
    serial = pl.col("nik_l").str.slice(12).cast(pl.Int32) - pl.col("nik_r").str.slice(12).cast(
        pl.Int32
    )
    assert same_sex.select(serial.abs().max()).item() == 1


def test_same_day_neighbours_differ_only_in_the_serial(pop):
    pairs = _pairs(pop, pop.lookalikes.filter(pl.col("kind") == "same_day_serial"))
    assert len(pairs) >= 200
    assert (pairs["nik_l"].str.slice(0, 12) == pairs["nik_r"].str.slice(0, 12)).all()


def test_placeholder_dates_are_common_among_older_people(pop):
    older = pop.records.filter(pl.col("birth_date").dt.year() < 1976)
    day_month = pl.col("birth_date").dt.strftime("%d-%m")
    placeholder = older.filter(day_month.is_in(["01-01", "01-07", "31-12"]))
    assert 0.25 < len(placeholder) / len(older) < 0.55


def test_households_share_an_address_and_often_a_phone(pop):
    pairs = _pairs(pop, pop.lookalikes.filter(pl.col("kind") == "household"))
    assert (pairs["address_l"] == pairs["address_r"]).all()
    assert (pairs["village_code_l"] == pairs["village_code_r"]).all()
    shared_phone = (pairs["phone_l"] == pairs["phone_r"]).mean()
    assert 0.3 < shared_phone < 0.9


def test_the_same_seed_gives_the_same_people():
    a = make_population(500, seed=9, today=TODAY)
    b = make_population(500, seed=9, today=TODAY)
    assert a.records.equals(b.records)
    assert a.duplicates.equals(b.duplicates)
