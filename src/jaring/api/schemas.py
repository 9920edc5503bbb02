"""The shapes of the reference API (regions, categories, NIK check)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jaring.core.api.schemas import Strict


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
