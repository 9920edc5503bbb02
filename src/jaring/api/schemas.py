"""The shapes the API reads and writes. Field names are the same in and out."""

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


class ErrorOut(Schema):
    errors: list[ProblemOut]


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents, for `response={200: X, **errors(401, 404)}`."""
    return dict.fromkeys(statuses, ErrorOut)


def file_response(*media_types: str) -> dict[str, object]:
    """`openapi_extra` for a route that answers a file: its 200 is binary, in these media types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"content": dict.fromkeys(media_types, binary)}}}


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    postal_code: str


class CategoryOut(Schema):
    code: str
    name: str
    name_id: str
    name_en: str
    ecosystem: str


class NikCheckIn(Strict):
    niks: list[str] = Field(min_length=1, max_length=1000)


class NikMessageOut(Schema):
    code: str
    message_id: str
    message_en: str


class NikOut(Schema):
    input: str
    nik: str | None
    valid: bool
    reason: str | None
    message_id: str | None
    message_en: str | None
    warnings: list[NikMessageOut]
    birth_date: dt.date | None
    sex: str | None
    province_code: str | None
    regency_code: str | None
    district_code: str | None
