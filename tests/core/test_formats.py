"""core.formats: the decimal comma in Indonesian, the point in English; a regulation's rate with
every decimal it has."""

from jaring.core import formats


def test_percent_with_the_languages_decimal_mark():
    assert formats.percent(37.5, "id") == "37,5 %"
    assert formats.percent(37.5, "en") == "37.5 %"
    assert formats.percent(None, "id") == formats.MISSING


def test_a_rate_as_the_regulation_writes_it():
    assert formats.percent("0.1", "id", places=None) == "0,1 %"
    assert formats.percent("0.1", "en", places=None) == "0.1 %"
    assert formats.percent("0.24", "id", places=None) == "0,24 %"
    assert formats.percent("5.70", "id", places=None) == "5,7 %"
    assert formats.percent(2, "id", places=None) == "2 %"
    assert formats.percent("1000", "id", places=None) == "1.000 %"
