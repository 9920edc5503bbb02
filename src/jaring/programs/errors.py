"""The error codes of programmes, eligibility, budgets and what-if."""

from jaring.rules.errors import ErrorCode


class ProgrammeError(ErrorCode):
    PKS_MISSING = "pks_missing", 409
    REASON_UNKNOWN = "reason_unknown", 422
    CATEGORY_NOT_COVERED = "category_not_covered", 422
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    OUTSIDE_REGION = "outside_region"
    DECEASED = "deceased"
    MERGED_DUPLICATE = "merged_duplicate"
    ALREADY_ENROLLED = "already_enrolled"
    COVERED_ELSEWHERE = "covered_elsewhere"
    COVERED_OUTSIDE = "covered_outside"
    QUOTA_FULL = "quota_full"
    INVALID_CHOICE = "invalid_choice", 422
    CATEGORIES_EMPTY = "categories_empty", 422
    FISCAL_YEAR_RANGE = "fiscal_year_range", 422
    BUDGET_NOT_POSITIVE = "budget_not_positive", 422
    PKS_DATE_REQUIRED = "pks_date_required", 422
    AGE_RANGE = "age_range", 422
    PROGRAMME_NAME_TAKEN = "programme_name_taken", 409
    COVER_MONTHS_RANGE = "cover_months_range", 422
    QUOTA_NOT_POSITIVE = "quota_not_positive", 422
    CATEGORY_IN_USE = "category_in_use", 409
    CEILING_BELOW_ENROLLED = "ceiling_below_enrolled", 409
    OVER_BUDGET_CEILING = "over_budget_ceiling", 409
    CATEGORY_TWICE = "category_twice", 422
    PP50_DISCOUNT_NOT_VILLAGE = "pp50_discount_not_village", 422
    INCOME_BASE_NOT_POSITIVE = "income_base_not_positive", 422
    QUOTA_BELOW_ENROLLED = "quota_below_enrolled", 409
    WHAT_IF_NOT_POSITIVE = "what_if_not_positive", 422
    WHAT_IF_NOTHING_ASKED = "what_if_nothing_asked", 422
    WHAT_IF_MONTHS_REQUIRED = "what_if_months_required", 422
    WHAT_IF_NOT_NUMBER = "what_if_not_number", 422
