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
