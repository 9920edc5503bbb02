import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.api.helpers import problems

pytestmark = pytest.mark.django_db


def test_regions_without_parent_are_the_provinces(api, viewer):
    provinces = api(viewer).get("/api/regions/").json()
    assert len(provinces) == 38
    assert {
        "code": "61",
        "name": "Kalimantan Barat",
        "level": 1,
        "kind": "provinsi",
        "postal_code": "",
        "retired_on": None,
    } in provinces


def test_regions_under_a_city_are_its_districts(api, viewer):
    districts = api(viewer).get("/api/regions/", parent="61.72").json()
    assert [(r["code"], r["name"]) for r in districts] == [
        ("61.72.01", "Singkawang Tengah"),
        ("61.72.02", "Singkawang Barat"),
        ("61.72.03", "Singkawang Timur"),
        ("61.72.04", "Singkawang Utara"),
        ("61.72.05", "Singkawang Selatan"),
    ]
    villages = api(viewer).get("/api/regions/", parent="61.72.02").json()
    assert "Pasiran" in {r["name"] for r in villages}
    assert {r["level"] for r in villages} == {4}


def test_unknown_parent_is_404_on_the_field(api, viewer):
    response = api(viewer).get("/api/regions/", parent="61.99")
    assert response.status_code == 404
    assert problems(response) == {"parent": "region_unknown"}


def test_categories(api, viewer):
    categories = api(viewer).get("/api/categories/").json()
    assert len(categories) == 15
    fisher = next(c for c in categories if c["code"] == "fisher")
    assert fisher["name"] == fisher["name_id"] == "Nelayan"
    assert (fisher["name_en"], fisher["ecosystem"]) == ("Fisher", "vulnerable")


def test_nik_check_gives_the_same_objects_as_the_cli(api, viewer):
    niks = ["6172025708850001", "617202570885000", "6172 0257 0885 0000", "abc"]
    response = api(viewer).post("/api/nik/check", {"niks": niks})
    assert response.status_code == 200
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("nik", *niks, "--json", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert [r["reason"] for r in response.json()] == [None, "length", "serial_zero", "not_digits"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"niks": []}, "niks", "invalid_too_short"),
        ({"niks": ["1"] * 1001}, "niks", "invalid_too_long"),
        ({"niks": ["6172025708850001", 6172025708850001]}, "niks.1", "invalid_string_type"),
        ({}, "niks", "invalid_missing"),
    ],
)
def test_nik_check_refuses_bad_bodies(api, viewer, body, field, code):
    response = api(viewer).post("/api/nik/check", body)
    assert response.status_code == 422
    assert problems(response) == {field: code}
