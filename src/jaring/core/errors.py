"""Typed domain errors that the web, the API and the CLI all render the same way.

A service raises `DomainError` (one problem) or `ValidationFailed` (problems per field);
callers never get dicts of "success/error". A problem's code is a member of an app's enum
(`ErrorCode`): the codes used by several apps with one meaning are `CoreError`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils.translation import get_language

from jaring.rules.errors import ErrorCode
from jaring.rules.messages import Reason


class CoreError(ErrorCode):
    NOT_FOUND = "not_found", 404
    FORBIDDEN = "forbidden", 403
    OUT_OF_SCOPE = "out_of_scope", 400, 403, 422
    REQUIRED = "required", 422
    INVALID = "invalid", 422
    ILLEGAL_TRANSITION = "illegal_transition", 400, 409
    MONTH_INVALID = "month_invalid", 422
    DATE_FUTURE = "date_future", 422
    NEGATIVE = "negative", 422
    UNKNOWN_FIELD = "unknown_field", 422
    # An uploaded spreadsheet as a whole (core.spreadsheets and the areas reading uploads).
    FILE_EMPTY = "file_empty", 422
    FILE_TOO_LARGE = "file_too_large", 422
    FILE_TOO_LARGE_UNPACKED = "file_too_large_unpacked", 422
    FILE_TOO_MANY_PARTS = "file_too_many_parts", 422
    FILE_TOO_MANY_COLUMNS = "file_too_many_columns", 422
    FILE_LINE_TOO_LONG = "file_line_too_long", 422
    FILE_TOO_MUCH_MEMORY = "file_too_much_memory", 422
    FILE_TOO_SLOW = "file_too_slow", 422
    FILE_NOT_SPREADSHEET = "file_not_spreadsheet", 422
    FILE_ENCRYPTED = "file_encrypted", 422
    FILE_UNREADABLE = "file_unreadable", 422
    FILE_NO_ROWS = "file_no_rows", 422
    COLUMNS_MISSING = "columns_missing", 422
    # A background run whose process died (core.jobs): stored on the run, never raised.
    INTERRUPTED = "interrupted", 409
    UNAUTHENTICATED = "unauthenticated", 401
    CSRF_FAILED = "csrf_failed", 403

    @classmethod
    def _missing_(cls, value: object) -> CoreError | None:
        # Request errors name pydantic's error type (invalid_<type>) or an HTTP status
        # (http_<status>): open families, each made a member the first time it is met.
        if not isinstance(value, str):
            return None
        if value.startswith("invalid_"):
            statuses: tuple[int, ...] = (422,)
        elif value.startswith("http_") and value[5:].isdigit():
            statuses = (int(value[5:]),)
        else:
            return None
        member = str.__new__(cls, value)
        member._value_, member._name_, member.statuses = value, value.upper(), statuses
        return cls._value2member_map_.setdefault(value, member)


@dataclass(frozen=True, slots=True)
class Problem:
    code: ErrorCode
    message_id: str
    message_en: str
    field: str | None = None
    params: dict[str, object] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.code, ErrorCode):
            raise TypeError(f"a problem's code is an ErrorCode member, not {self.code!r}")

    @classmethod
    def of(cls, reason: Reason, field: str | None = None, **params: object) -> Problem:
        """The problem a reason's templates describe, filled with `params` (kept with it)."""
        return cls(
            reason.code,
            reason.id.format(**params),
            reason.en.format(**params),
            field=field,
            params=params,
        )

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

    def __reduce__(self):
        # Pickled by its problems, not its message: a child process's refusal reaches the
        # caller whole (core.sandbox).
        return (type(self), tuple(self.problems))

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

    @classmethod
    def of(cls, what_id: str, what_en: str, field: str | None = None) -> NotFound:
        """ "<what> not found", in both languages: the one 404 every area answers."""
        return cls(
            Problem(
                CoreError.NOT_FOUND, f"{what_id} tidak ditemukan.", f"{what_en} not found.", field
            )
        )


class PermissionDenied(DomainError):
    status = 403
