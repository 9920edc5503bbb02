"""The error codes of claims and their documents."""

from jaring.rules.errors import ErrorCode


class ClaimError(ErrorCode):
    NOT_COVERED = "not_covered", 422
    OUTSIDE_COVER = "outside_cover", 422
    NOTHING_TO_COMPUTE = "nothing_to_compute", 422
    CLAIM_NOT_EDITABLE = "claim_not_editable", 409
    AFTER_DEATH = "after_death", 422
    KIND_FIXED = "kind_fixed", 422
    DOCUMENT_UNKNOWN = "document_unknown", 422
    CLAIM_CLOSED = "claim_closed", 409
    ACTION_UNKNOWN = "action_unknown", 422
    DEATH_CLAIM_EXISTS = "death_claim_exists", 409
    DOCUMENT_TOO_LARGE = "document_too_large", 422
    DOCUMENT_TYPE = "document_type", 422
    HEIRS_NOT_FOR_KIND = "heirs_not_for_kind", 422
    HEIR_SHARES_TOTAL = "heir_shares_total", 422
    HEIR_SHARE_RANGE = "heir_share_range", 422
    CHILD_UNKNOWN = "child_unknown", 404
    SCHOOL_YEAR_CLAIMED_TWICE = "school_year_claimed_twice", 409
    SCHOOL_YEAR_STOPPED = "school_year_stopped", 409
    SCHOOL_YEAR_NOT_SCHEDULED = "school_year_not_scheduled", 422
    SCHOOL_YEAR_STATUS = "school_year_status", 409
    CLAIM_NOT_APPROVED = "claim_not_approved", 409
    PAYMENT_EXCEEDS_DUE = "payment_exceeds_due", 422
