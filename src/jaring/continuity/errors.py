"""The error codes of self-paying members, their payments and the hand-over."""

from jaring.rules.errors import ErrorCode


class ContinuityError(ErrorCode):
    CHOICE_RECORDED = "handover_choice_recorded", 409
    CHOICE_UNKNOWN = "handover_choice_unknown", 422
    NOT_ENDING = "handover_not_ending", 409
    HANDOVER_CLOSED = "handover_closed", 409
    CHANNEL_UNKNOWN = "selfpay_channel_unknown", 422
    INCOME_REQUIRED = "selfpay_income_required", 422
    ALREADY_SELF_PAYING = "selfpay_already_active", 409
    COVER_NOT_ACTIVE = "selfpay_cover_not_active", 409
    COVER_ACTIVE = "selfpay_cover_active", 409
    MONTHS_OUT_OF_RANGE = "selfpay_months_out_of_range", 422
    AMOUNT_MISMATCH = "selfpay_amount_mismatch", 422
    REFERENCE_REQUIRED = "selfpay_reference_required", 422
    REFERENCE_TAKEN = "selfpay_reference_taken", 409
    NOT_IDENTIFIED = "selfpay_not_identified", 404
