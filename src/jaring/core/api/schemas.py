"""The shapes every area's API shares: strict input, the one error body, binary answers."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class Strict(Schema):
    # A misspelt field would otherwise be dropped without a word and the change silently lost.
    model_config = ConfigDict(extra="forbid")


class ProblemOut(Schema):
    # Some problems carry more keys (e.g. `worker_id` and `worker_url` for a NIK already there).
    model_config = ConfigDict(extra="allow")

    code: str
    field: str | None
    message: str
    message_id: str
    message_en: str


class ErrorOut(Schema):
    errors: list[ProblemOut]


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents, for `response={200: X, **errors(401, 404)}`."""
    return dict.fromkeys(statuses, ErrorOut)


def file_response(*media_types: str) -> dict[str, object]:
    """`openapi_extra` for a route that answers a file: its 200 is binary, in these media types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"content": dict.fromkeys(media_types, binary)}}}
