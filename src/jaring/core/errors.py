"""Typed domain errors that the web, the API and the CLI all render the same way.

A service raises `DomainError` (one problem) or `ValidationFailed` (problems per field);
callers never get dicts of "success/error".
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils.translation import get_language


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message_id: str
    message_en: str
    field: str | None = None
    params: dict[str, object] = dataclass_field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.message_en if (get_language() or "id").startswith("en") else self.message_id

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "message_id": self.message_id,
            "message_en": self.message_en,
        }
        out.update(self.params)
        return out


class DomainError(Exception):
    status = 400

    def __init__(self, *problems: Problem):
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = list(problems)

    def by_field(self) -> dict[str | None, list[Problem]]:
        out: dict[str | None, list[Problem]] = {}
        for p in self.problems:
            out.setdefault(p.field, []).append(p)
        return out

    def as_dict(self) -> dict[str, object]:
        return {"errors": [p.as_dict() for p in self.problems]}


class ValidationFailed(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403
