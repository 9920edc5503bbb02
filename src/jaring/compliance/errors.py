"""The error codes of employer compliance."""

from jaring.rules.errors import ErrorCode


class ComplianceError(ErrorCode):
    COLUMN_UNKNOWN = "column_unknown", 422
    NIB_LENGTH = "nib_length", 422
    NAME_REQUIRED = "name_required", 422
    NUMBER_INVALID = "number_invalid", 422
    EMPLOYER_TWICE = "employer_twice", 422
    VILLAGE_OUTSIDE = "village_outside", 422
    PROGRAMMES_UNKNOWN = "programmes_unknown", 422
    NPP_REQUIRED = "npp_required", 422
    LIST_OTHER_CITY = "list_other_city", 422
    REGION_REQUIRED = "region_required", 422
    STEP_OUT_OF_ORDER = "step_out_of_order", 409
    STEP_TOO_EARLY = "step_too_early", 409
    STEP_AFTER_DEADLINE = "step_after_deadline", 409
    CASE_CLOSED = "case_closed", 409
    CASE_EXISTS = "case_exists", 409
    NO_WAGE_DATA = "no_wage_data", 422
    LEAD_CLOSED = "lead_closed", 409
    EVIDENCE_TOO_LARGE = "evidence_too_large", 422
    EVIDENCE_TYPE = "evidence_type", 422
    LINK_UNDONE = "link_undone", 409
