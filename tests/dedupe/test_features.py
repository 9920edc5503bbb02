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


def test_indonesian_spellings_abbreviations_and_titles_are_one_name():
    same = {
        "muhamad rizki": ("Muhammad Rizki", "M. Rizki", "Moh.Rizki", "Mohammad Rizki", "Muh Rizki"),
        "siti aminah": ("Siti Aminah", "St. Aminah", "Hj. Siti Aminah, S.Pd", "Sitti Aminah"),
        "abdulah nur": ("Abdullah Noor", "Abdulah Nur", "H. Abdullah Nur"),
        "abdul rahman ali": ("Abd. Rahman bin Ali", "Abdul Rahman Ali", "Abdoel Rahman Ali"),
        "hasan": ("Uray Hasan", "Abang Hasan", "Hasan"),
        "sukarno yoko": ("Soekarno Djoko", "Sukarno Joko"),
    }
    for canonical, spellings in same.items():
        assert {_one(full_name=s)["name"] for s in spellings} == {canonical}


def test_the_nik_birth_part_forgets_the_sex():
    woman, man = _one(nik="6172025708850003"), _one(nik="6172021708850003")
    assert woman["nik_birth"] == man["nik_birth"] == "170885"
    assert woman["nik_dob"] != man["nik_dob"]


def test_a_household_is_its_village_rt_rw_and_street_address():
    a = _one(address="Jl. Merdeka No. 5", rt="003", rw="02")
    b = _one(address="JALAN MERDEKA NOMOR 5", rt="3", rw="2")
    assert a["address_key"] == b["address_key"] is not None
    assert _one(address="", rt="003", rw="02")["address_key"] is None
