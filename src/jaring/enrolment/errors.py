"""The error codes of memberships, the BPJS exchange, cover outside Jaring and cards."""

from jaring.rules.errors import ErrorCode


class EnrolmentError(ErrorCode):
    # One per eligibility reason (enrolment.eligibility), prefixed: enrolling a worker who is
    # too young is refused as `ineligible_too_young`.
    INELIGIBLE_TOO_YOUNG = "ineligible_too_young", 409
    INELIGIBLE_TOO_OLD = "ineligible_too_old", 409
    INELIGIBLE_OUTSIDE_REGION = "ineligible_outside_region", 409
    INELIGIBLE_CATEGORY_NOT_COVERED = "ineligible_category_not_covered", 409
    INELIGIBLE_DECEASED = "ineligible_deceased", 409
    INELIGIBLE_MERGED_DUPLICATE = "ineligible_merged_duplicate", 409
    INELIGIBLE_ALREADY_ENROLLED = "ineligible_already_enrolled", 409
    INELIGIBLE_COVERED_ELSEWHERE = "ineligible_covered_elsewhere", 409
    INELIGIBLE_COVERED_OUTSIDE = "ineligible_covered_outside", 409
    INELIGIBLE_QUOTA_FULL = "ineligible_quota_full", 409
    TOO_MANY_ATTEMPTS = "too_many_attempts", 429
    COVER_ENDED = "cover_ended", 409
    LANGUAGE_UNKNOWN = "language_unknown", 422
    NO_ACTIVE_MEMBERS = "no_active_members", 422
    KPJ_REPEATED = "kpj_repeated", 409
    NIK_INVALID = "nik_invalid", 422
    STATUS_UNKNOWN = "status_unknown", 422
    KPJ_MISSING = "kpj_missing", 422
    REASON_MISSING = "reason_missing", 422
    DATE_REQUIRED = "date_required", 422
    DATE_INVALID = "date_invalid", 422
    KPJ_TAKEN = "kpj_taken", 400, 409
    ANSWERED_BEFORE = "answered_before", 409
    RESPONSE_WRONG_PROGRAMME = "response_wrong_programme", 409
    FORMAT_UNKNOWN = "format_unknown", 422
    NOTHING_TO_SUBMIT = "nothing_to_submit", 422
    REGION_REQUIRED = "region_required", 422
    NIK_EXCEL_NUMBER = "nik_excel_number", 422
    # Cover outside Jaring and coverage's counts name the same three segments.
    SEGMENT_UNKNOWN = "segment_unknown", 422
    BENEFITS_UNKNOWN = "benefits_unknown", 422
    END_BEFORE_START = "end_before_start", 422
    ROW_TWICE = "row_twice", 422
    COVER_OVERLAP = "cover_overlap", 400, 409
    NOTHING_SELECTED = "nothing_selected", 422
    CHANGED_MEANWHILE = "changed_meanwhile", 409
    PROGRAMME_CLOSED = "programme_closed", 409
    BUDGET_EXCEEDED = "budget_exceeded", 409
    END_REASON_UNKNOWN = "end_reason_unknown", 422
    KPJ_INVALID = "kpj_invalid", 400, 422
    REASON_REQUIRED = "reason_required", 400, 422
    RENEW_INTO_SAME = "renew_into_same", 409
    RENEW_WORKER_TWICE = "renew_worker_twice", 409
    QUOTA_EXCEEDED = "quota_exceeded", 409
    START_DATE_REQUIRED = "start_date_required", 400, 422
    PROFILE_INVALID = "profile_invalid", 422
    PROFILE_UNKNOWN = "profile_unknown", 422
