"""The error codes of rate tables, bills and payments."""

from jaring.rules.errors import ErrorCode


class ContributionError(ErrorCode):
    AMOUNT_NOT_POSITIVE = "amount_not_positive", 422
    REFERENCE_REQUIRED = "reference_required", 422
    REFERENCE_TAKEN = "reference_taken", 409
    PAYMENT_EXCEEDS_OPEN = "payment_exceeds_open", 409
    BILL_UNKNOWN = "bill_unknown", 422
    BILL_ALREADY_PAID = "bill_already_paid", 409
    TABLE_EMPTY = "table_empty", 422
    STATEMENT_MEMBER_MISSING = "statement_member_missing", 422
    STATEMENT_AMOUNT_INVALID = "statement_amount_invalid", 422
    STATEMENT_STATUS_UNKNOWN = "statement_status_unknown", 422
    STATEMENT_OTHER_MONTH = "statement_other_month", 422
    STATEMENT_OTHER_CITY = "statement_other_city", 409
    STATEMENT_NO_BILL = "statement_no_bill", 409
