import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jaring.rules import nik

TODAY = dt.date(2026, 11, 22)


def test_man_born_1985_in_singkawang_barat():
    r = nik.parse("6172021708850001", today=TODAY)
    assert r.valid and r.reason is None
    assert (r.province_code, r.regency_code, r.district_code) == ("61", "61.72", "61.72.02")
    assert r.birth_date == dt.date(1985, 8, 17)
    assert r.sex == "M"


def test_woman_has_day_plus_40():
    r = nik.parse("6172025708850001", today=TODAY)
    assert r.valid
    assert r.birth_date == dt.date(1985, 8, 17)
    assert r.sex == "F"


def test_spaces_and_dots_are_stripped():
    assert nik.parse("61.72.02 170885 0001", today=TODAY).nik == "6172021708850001"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("61720217088500A1", "not_digits"),
        ("617202170885001", "length"),  # 15 digits: a lost digit
        ("61720217088500011", "length"),
        ("9901011708850001", "province_unknown"),
        ("6199011708850001", "regency_unknown"),
        ("6172001708850001", "district_zero"),
        ("6172023208850001", "birth_date_invalid"),  # 32 August
        ("6172022902850001", "birth_date_invalid"),  # 29 Feb 1985
        ("6172020008850001", "birth_date_invalid"),  # day 0
        ("6172021713850001", "birth_date_invalid"),  # month 13
        ("6172021708850000", "serial_zero"),
    ],
)
def test_refusals_each_have_their_own_reason(raw, reason):
    r = nik.parse(raw, today=TODAY)
    assert not r.valid
    assert r.reason == reason
    assert r.error.id and r.error.en and r.error.id != r.error.en


def test_length_message_says_how_many_digits():
    r = nik.parse("617202170885001", today=TODAY)
    assert "15" in r.error.id and "15" in r.error.en


def test_century_is_resolved_so_nobody_is_born_in_the_future():
    # 01-12-26 is after TODAY in 2026, so it is 1926; 01-01-26 is 2026 (a baby).
    assert nik.parse("6172020112260001", today=TODAY).birth_date == dt.date(1926, 12, 1)
    assert nik.parse("6172020101260001", today=TODAY).birth_date == dt.date(2026, 1, 1)
    assert nik.parse("6172020101990001", today=TODAY).birth_date == dt.date(1999, 1, 1)


def test_code_of_a_regency_moved_to_a_new_province_is_accepted_with_a_warning():
    # Tarakan was 64.73 before Kalimantan Utara (65) was created in 2012.
    r = nik.parse("6473011708850001", today=TODAY)
    assert r.valid
    assert [w.code for w in r.warnings] == ["regency_legacy"]


def test_a_district_code_that_never_existed_is_refused():
    # Pontianak has six districts (61.71.01-06), in every edition since 2016.
    r = nik.parse("6171071708850001", today=TODAY)
    assert (r.valid, r.reason) == (False, "district_never_existed")
    assert "61.71.07" in r.error.en
    assert not nik.parse("6172991708850001", today=TODAY).valid


def test_a_district_code_of_an_earlier_edition_is_valid_with_a_note():
    # Mariat was listed as 96.01.39 (Kab. Sorong) in a 2025 edition, not in the decree in force.
    r = nik.parse("9601391708850001", today=TODAY)
    assert r.valid
    assert [w.code for w in r.warnings] == ["district_legacy"]
    assert "Mariat" in r.warnings[0].en
    for code, row in nik.historical_district_codes().items():
        assert row["source"].startswith(("cahyadsn/wilayah ", "benangmerah/wilayah ")), code


def test_a_district_code_retired_before_2016_is_valid_with_a_note():
    # Pangandaran was 32.07.22 under Kab. Ciamis in Lampiran I Permendagri 18/2013; UU 21/2012
    # made Kabupaten Pangandaran (32.18) and Permendagri 39/2015 no longer lists the old code.
    r = nik.parse("3207221508850001", today=TODAY)
    assert r.valid
    assert [w.code for w in r.warnings] == ["district_legacy"]
    assert "Pangandaran" in r.warnings[0].en and "2013" in r.warnings[0].en
    assert "Permendagri 18/2013" in nik.historical_district_codes()["32.07.22"]["source"]
    # Ciamis never had a 99th district in any edition: still refused.
    r = nik.parse("3207991508850001", today=TODAY)
    assert (r.valid, r.reason) == (False, "district_never_existed")


def test_compose_is_the_inverse_of_parse():
    code = nik.compose("61.72.02", dt.date(1990, 2, 3), "F", 12)
    assert code == "6172024302900012"
    r = nik.parse(code, today=TODAY)
    assert (r.birth_date, r.sex, r.district_code) == (dt.date(1990, 2, 3), "F", "61.72.02")


def test_mask_hides_the_birth_date():
    assert nik.mask("6172021708850001") == "6172********0001"


def test_cli_json_prints_one_object_per_input(capsys):
    with pytest.raises(CommandError):
        call_command("nik", "6172025708850001", "617202170885001", json=True)
    out = json.loads(capsys.readouterr().out)
    assert [o["valid"] for o in out] == [True, False]
    first, second = out
    assert first["nik"] == "6172025708850001"
    assert first["reason"] is None
    assert first["birth_date"] == "1985-08-17"
    assert first["sex"] == "F"
    assert (first["province_code"], first["regency_code"], first["district_code"]) == (
        "61",
        "61.72",
        "61.72.02",
    )
    assert second["reason"] == "length"


def test_cli_exits_zero_when_all_valid(capsys):
    call_command("nik", "6172021708850001", json=True)
    assert json.loads(capsys.readouterr().out)[0]["valid"] is True
