import datetime as dt

import polars as pl

from jaring.dedupe.features import person_features


def _one(**values):
    row = {
        "unique_id": 1,
        "nik": "6172025708850003",
        "full_name": "Siti Aminah",
        "birth_date": dt.date(1985, 8, 17),
        "sex": "F",
        "village_code": "61.72.02.1001",
        "phone": "+6281234567890",
    }
    row.update(values)
    return person_features(pl.DataFrame([row])).row(0, named=True)


def test_the_nik_is_split_into_region_birth_date_and_serial():
    f = _one(nik="6172 0257 0885 0003")
    assert (f["nik_region"], f["nik_dob"], f["nik_serial"]) == ("617202", "570885", "0003")


def test_a_nik_that_is_not_16_digits_gives_no_nik_evidence():
    for broken in ("617202570885003", "6.17203E+15", None, ""):
        f = _one(nik=broken)
        assert f["nik"] is None and f["nik_region"] is None and f["nik_serial"] is None


def test_titles_degrees_case_and_order_do_not_change_the_name():
    plain = _one(full_name="Siti Aminah")
    dressed = _one(full_name="Hj. SITI  Aminah, S.Pd")
    swapped = _one(full_name="Aminah Siti")
    assert plain["name"] == dressed["name"] == "siti aminah"
    assert swapped["name"] != plain["name"]
    assert swapped["name_sorted"] == plain["name_sorted"] == "aminah siti"


def test_phone_numbers_written_three_ways_are_one():
    numbers = {
        _one(phone=p)["phone"] for p in ("+62 812-3456-7890", "081234567890", "6281234567890")
    }
    assert numbers == {"81234567890"}
    assert _one(phone="")["phone"] is None
