"""The OpenAPI document is the API's contract: one schema per name, and every answer typed.

Ninja merges every schema into `components.schemas` by class name and keeps the last one, so two
classes with one name (two `RunIn`s once) silently give one of the routes the other's contract.
"""

from __future__ import annotations

import json

from ninja.openapi.schema import OpenAPISchema

from jaring.api.routes import api


class _Recording(OpenAPISchema):
    """The document as Ninja builds it, remembering each name given two different schemas."""

    def __init__(self, *args, **kwargs):
        self.collisions: dict[str, list[dict]] = {}
        super().__init__(*args, **kwargs)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, schema in definitions.items():
            if name in self.schemas and self.schemas[name] != schema:
                self.collisions.setdefault(name, [self.schemas[name]]).append(schema)
        super().add_schema_definitions(definitions)


def _document() -> _Recording:
    return _Recording(api, "")


def _typed(schema: dict) -> bool:
    """A named schema (possibly in a list or `X | None`), not a bare object or nothing."""
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _typed(schema.get("items", {}))
    return any(_typed(s) for s in schema.get("anyOf", []) if s.get("type") != "null")


def _answers(operation: dict) -> dict[str, dict]:
    """{status: response} of the operation's successful answers."""
    return {str(k): v for k, v in operation["responses"].items() if str(k).startswith("2")}


def _untyped(document: dict) -> set[tuple[str, str]]:
    found = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = _answers(operation)
            for answer in answers.values():
                content = answer.get("content", {})
                json_schema = content.get("application/json", {}).get("schema")
                files = [c for t, c in content.items() if t != "application/json"]
                binary = files and all(c["schema"].get("format") == "binary" for c in files)
                if not (json_schema and _typed(json_schema)) and not binary:
                    found.add((method, path))
            if not answers:
                found.add((method, path))
    return found


def test_no_two_schemas_share_a_name():
    assert _document().collisions == {}


def test_the_served_document_is_the_one_checked(client):
    served = client.get("/api/openapi.json").json()
    assert served["components"]["schemas"].keys() == _document()["components"]["schemas"].keys()


def test_every_operation_declares_a_typed_success_answer():
    untyped = _untyped(json.loads(json.dumps(_document(), default=str)))
    assert untyped == set(), "type these answers with a Schema"


def test_the_checks_see_a_collision_and_an_untyped_answer():
    from ninja import NinjaAPI, Router, Schema

    def named(fields: dict) -> type[Schema]:
        return type("RunIn", (Schema,), {"__annotations__": fields})

    first, second = named({"month": str}), named({"threshold": float})
    router = Router()
    router.post("/a", response={201: dict})(lambda request, body: {})
    router.post("/b", response={201: first})(lambda request: {})
    router.post("/c", response={201: second})(lambda request: {})
    probe = NinjaAPI(urls_namespace="probe")
    probe.add_router("/", router)
    document = _Recording(probe, "")
    assert set(document.collisions) == {"RunIn"}
    assert _untyped(json.loads(json.dumps(document, default=str))) == {("post", "/a")}
