import pytest

from jaring.core.api.errors import request_problem
from tests.api.helpers import problems

pytestmark = pytest.mark.django_db


def test_unreadable_json_is_400_in_the_error_format(client, bearer, admin):
    response = client.post(
        "/api/workers/", "{not json", content_type="application/json", headers=bearer(admin)
    )
    assert response.status_code == 400
    assert problems(response) == {None: "http_400"}


def test_message_follows_the_requested_language(client, bearer, admin):
    headers = bearer(admin)
    indonesian = client.post(
        "/api/nik/check", {"niks": "x"}, content_type="application/json", headers=headers
    ).json()["errors"][0]
    english = client.post(
        "/api/nik/check",
        {"niks": "x"},
        content_type="application/json",
        headers={**headers, "Accept-Language": "en"},
    ).json()["errors"][0]
    assert indonesian["message"] == indonesian["message_id"] == "Harus berupa daftar."
    assert english["message"] == english["message_en"] == "Must be a list."
    assert english["field"] == "niks"


def test_domain_error_messages_follow_the_language_too(client, bearer, admin):
    response = client.get("/api/workers/424242", headers={**bearer(admin), "Accept-Language": "en"})
    assert response.json()["errors"][0]["message"] == "Worker not found."


def test_list_items_are_named_by_position():
    problem = request_problem(
        {"type": "string_type", "loc": ("body", "payload", "niks", 3), "msg": "Input should be"}
    )
    assert problem.field == "niks.3"
    assert problem.code == "invalid_string_type"


def test_query_and_path_fields_keep_their_names():
    assert request_problem({"type": "missing", "loc": ("query", "limit"), "msg": ""}).field == (
        "limit"
    )
    assert request_problem(
        {"type": "int_parsing", "loc": ("path", "worker_id"), "msg": ""}
    ).field == ("worker_id")


def test_unknown_error_types_fall_back_to_pydantics_english():
    problem = request_problem(
        {"type": "uuid_parsing", "loc": ("body", "p", "x"), "msg": "Bad uuid"}
    )
    assert (problem.message_id, problem.message_en) == ("Nilai tidak sah.", "Bad uuid")


def test_constraint_values_fill_the_message():
    problem = request_problem(
        {"type": "too_long", "loc": ("body", "p", "niks"), "msg": "", "ctx": {"max_length": 1000}}
    )
    assert problem.message_id == "Terlalu banyak butir (paling banyak 1000)."
    assert problem.message_en == "Too many items (at most 1000)."


def test_path_id_that_is_not_a_number(client, bearer, admin):
    response = client.get("/api/workers/abc", headers=bearer(admin))
    assert response.status_code == 422
    assert problems(response) == {"worker_id": "invalid_int_parsing"}
