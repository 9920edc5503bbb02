"""The error codes of auto-debit: mandates, the instruction file and the result file."""

from jaring.rules.errors import ErrorCode


class AutodebitError(ErrorCode):
    BANK_UNKNOWN = "autodebit_bank_unknown", 422
    ACCOUNT_INVALID = "autodebit_account_invalid", 422
    DAY_INVALID = "autodebit_day_invalid", 422
    CONSENT_REQUIRED = "autodebit_consent_required", 422
    CONSENT_DOCUMENT = "autodebit_consent_document", 422
    MANDATE_ACTIVE = "autodebit_mandate_active", 409
    COVER_NOT_ACTIVE = "autodebit_cover_not_active", 409
    NOTHING_TO_DEBIT = "autodebit_nothing_to_debit", 409
    RESULT_COLUMNS = "autodebit_result_columns", 422
    RESULT_UNKNOWN_LINE = "autodebit_result_unknown_line", 422
    RESULT_STATUS = "autodebit_result_status", 422
    RESULT_REPEATED = "autodebit_result_repeated", 422
    RESULT_CONFLICT = "autodebit_result_conflict", 422
    RESULT_UNREADABLE = "autodebit_result_unreadable", 422
