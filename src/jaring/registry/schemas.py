"""The shapes of the workers API. Field names are the same in and out."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import create_model
from pydantic.fields import FieldInfo

from jaring.core.api.schemas import Strict
from jaring.registry.models import DisabilityKind, MaritalStatus

DisabilityKindIn = Literal["", *DisabilityKind.values]  # type: ignore[valid-type]
MaritalStatusIn = Literal["", *MaritalStatus.values]  # type: ignore[valid-type]


class WorkerIn(Strict):
    nik: str = Field(max_length=40, examples=["6172025708850001"])
    full_name: str = Field(max_length=150)
    birth_date: dt.date
    sex: Literal["M", "F"]
    village: str = Field(max_length=13, description="village code", examples=["61.72.02.1001"])
    category: str = Field(max_length=40, description="occupation category code")
    rt: str = Field("", max_length=3)
    rw: str = Field("", max_length=3)
    address: str = Field("", max_length=255)
    phone: str = Field("", max_length=20)
    has_disability: bool = False
    disability_kind: DisabilityKindIn = ""
    declared_income: int | None = Field(None, description="rupiah per month")
    consent_date: dt.date | None = None
    nik_override_reason: str = Field(
        "", description="why a birth date or sex that disagrees with the NIK is right"
    )
    place_of_birth: str = Field("", max_length=100)
    mother_maiden_name: str = Field("", max_length=150, description="masked for viewers")
    marital_status: MaritalStatusIn = ""
    email: str = Field("", max_length=254)


class WorkerCreate(WorkerIn):
    source: str = Field("API", max_length=100, description="where the record came from")


def _optional(field: FieldInfo) -> FieldInfo:
    # Absent means "leave as it is"; an explicit null is still checked against the type.
    return FieldInfo.merge_field_infos(field, default=None)


WorkerPatch = create_model(
    "WorkerPatch",
    __base__=Strict,
    reason=(str, Field("", description="why the record is changed; kept in the history")),
    **{name: (f.annotation, _optional(f)) for name, f in WorkerIn.model_fields.items()},
)


class WorkerOut(Schema):
    id: int
    nik: str = Field(description="masked (6172********0001) for viewers")
    full_name: str
    birth_date: dt.date
    sex: str
    village: str
    village_name: str
    district: str
    regency: str
    province: str
    rt: str
    rw: str
    address: str
    phone: str
    category: str
    category_name: str
    has_disability: bool
    disability_kind: str
    declared_income: int | None
    consent_date: dt.date | None
    died_on: dt.date | None
    nik_override_reason: str
    place_of_birth: str
    mother_maiden_name: str = Field(description="masked (F******) for viewers")
    marital_status: str
    email: str
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str
    web_url: str


class WorkerPage(Schema):
    count: int = Field(description="all matching workers, not only this page")
    limit: int
    offset: int
    items: list[WorkerOut]


class WorkerQuery(Schema):
    q: str = Field("", max_length=150, description="NIK (whole or its start) or name start")
    district: str = Field("", max_length=8, examples=["61.72.02"])
    village: str = Field("", max_length=13, examples=["61.72.02.1001"])
    category: str = Field("", max_length=40)
    disability: Literal["", "yes", "no"] = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)
    reason: str = Field(
        "",
        max_length=500,
        description="why you need the page: required when it holds whole NIKs of more people "
        "than the server's JARING_EXPORT_REASON_OVER (default 100); kept in the read audit",
    )


class ChangeOut(Schema):
    field: str
    before: object | None
    after: object | None


class HistoryOut(Schema):
    at: dt.datetime
    action: str
    actor: str | None
    reason: str
    changes: list[ChangeOut]


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
