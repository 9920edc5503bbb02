"""Why a rule table or a calculation was refused, in Bahasa Indonesia and English.

Pure Python: the Django layers turn a `RuleError` into a `core.errors.Problem` with the same code
and messages (`as_dict()` carries everything they need).

`ErrorCode` is the base of every app's enum of codes (`registry/errors.py`, ...). It lives here,
in the lowest layer, because the rules have codes of their own; `core.errors` builds on it.
"""

from __future__ import annotations

from enum import StrEnum

from jaring.rules.messages import Reason


class ErrorCode(StrEnum):
    """A stable error code: its value is the string on the wire and in stored row reasons.

    A member declares the HTTP statuses it is answered with (`NOT_FOUND = "not_found", 404`);
    one without is never answered on its own (an import row's reason, a rule's reason that a
    service wraps). `jaring errors` lists every member of every app.
    """

    statuses: tuple[int, ...]

    def __new__(cls, value: str, *statuses: int) -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.statuses = statuses
        return member


class RuleCode(ErrorCode):
    """The rules' own codes (named so beside `RuleError`, the exception that carries them)."""

    INPUT_REQUIRED = "input_required", 422
    CLAIM_LAPSED = "claim_lapsed", 422
    CLAIM_BEFORE_EVENT = "claim_before_event", 422
    CHILDREN_NOT_FOR_KIND = "children_not_for_kind", 422
    INPUT_CHILDREN = "input_children", 422
    CHILD_TOO_OLD = "child_too_old"
    CHILD_MARRIED = "child_married"
    CHILD_WORKING = "child_working"
    SCHOOL_YEAR_AFTER_AGE_LIMIT = "school_year_after_age_limit", 422
    SCHOOL_YEAR_INVALID = "school_year_invalid", 422
    CHILD_LIMIT = "child_limit"
    SCHOLARSHIP_JKM_TOO_SHORT = "scholarship_jkm_too_short"
    BUDGET_COST_ZERO = "budget_cost_zero"
    CALENDAR_MISSING = "calendar_missing", 422
    INPUT_CHOICE = "input_choice", 422
    INPUT_NOT_POSITIVE = "input_not_positive", 422
    INPUT_NEGATIVE = "input_negative", 422
    INPUT_ONE_OF = "input_one_of", 422
    INPUT_EMPTY = "input_empty", 422
    INPUT_PERCENT = "input_percent", 422
    EMPTY = "empty", 422
    NOT_DIGITS = "not_digits", 422
    LENGTH = "length", 422
    PROVINCE_UNKNOWN = "province_unknown", 422
    REGENCY_UNKNOWN = "regency_unknown", 422
    DISTRICT_ZERO = "district_zero", 422
    BIRTH_DATE_INVALID = "birth_date_invalid", 422
    SERIAL_ZERO = "serial_zero", 422
    DISTRICT_NEVER_EXISTED = "district_never_existed", 422
    REGENCY_LEGACY = "regency_legacy"
    DISTRICT_LEGACY = "district_legacy"
    TABLE_SYNTAX = "table_syntax", 422
    TABLE_UNKNOWN = "table_unknown", 422
    TABLE_MISSING = "table_missing", 422
    TABLE_CHOICE = "table_choice", 422
    TABLE_ROWS_OVERLAP = "table_rows_overlap", 422
    TABLE_ROW_MISSING = "table_row_missing", 422
    TABLE_RATE_SHAPE = "table_rate_shape", 422
    TABLE_HOLIDAY_YEAR = "table_holiday_year", 422
    TABLE_DISCOUNTS_OVERLAP = "table_discounts_overlap", 422
    INCOME_UNDEFINED = "income_undefined", 422
    BASE_UNDEFINED = "base_undefined", 422
    TABLE_DISABILITY_PERCENT = "table_disability_percent", 422
    TABLE_DISABILITY_CODE_TWICE = "table_disability_code_twice", 422
    DISABILITY_PART_UNKNOWN = "disability_part_unknown", 422
    TABLE_FIELD_MISSING = "table_field_missing", 422
    TABLE_FIELD_TYPE = "table_field_type", 422
    TABLE_UNKNOWN_FIELD = "table_unknown_field", 422
    TABLE_STATUS = "table_status", 422
    TABLE_NC_WITHOUT_NOTE = "table_nc_without_note", 422
    TABLE_DATE_ORDER = "table_date_order", 422
    TABLE_DUPLICATE_ID = "table_duplicate_id", 422
    TABLE_VERSIONS_OVERLAP = "table_versions_overlap", 422
    RULE_NO_VERSION = "rule_no_version", 422
    RULE_UNKNOWN_VERSION = "rule_unknown_version", 422
    # Employer compliance (rules/compliance.py).
    UMK_UNKNOWN = "umk_unknown", 422
    SIZE_NO_CRITERION = "size_no_criterion", 422
    RISK_CLASS_UNKNOWN = "risk_class_unknown", 422
    TABLE_THRESHOLDS_ORDER = "table_thresholds_order", 422
    # Perisai agents (rules/agents.py).
    AGENT_FEE_NOTHING = "agent_fee_nothing", 422


class RuleError(Exception):
    """A calculation the rules refuse, e.g. an income the base table does not define."""

    def __init__(self, reason: Reason, *, field: str | None = None, **params: object):
        self.code = reason.code
        # Templates may name the argument at fault as {field}.
        self.message_id = reason.id.format(field=field, **params)
        self.message_en = reason.en.format(field=field, **params)
        self.field = field
        self.params = params
        super().__init__(self.message_en)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "field": self.field,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "params": {k: str(v) for k, v in self.params.items()},
        }


class TableError(RuleError):
    """A rate table that cannot be loaded: malformed, or versions whose dates overlap."""
