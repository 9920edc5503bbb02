"""The shapes every area's API shares: strict input, the one error body, binary answers."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
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


class RuleVersionOut(Schema):
    """A version of a rule table (jaring/rules/data) an answer was reckoned with."""

    table: str
    id: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str = Field(description="the regulation the figures come from")
    status: str = Field(description="confirmed, or why not")
    note: str
    incomplete: bool


class ErrorOut(Schema):
    errors: list[ProblemOut]


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents, for `response={200: X, **errors(401, 404)}`."""
    return dict.fromkeys(statuses, ErrorOut)


def file_response(*media_types: str) -> dict[str, object]:
    """`openapi_extra` for a route that answers a file: its 200 is binary, in these media types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"content": dict.fromkeys(media_types, binary)}}}
