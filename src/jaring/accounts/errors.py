"""The error codes of users and API tokens."""

from jaring.rules.errors import ErrorCode


class AccountError(ErrorCode):
    USER_INACTIVE = "user_inactive", 422
    # A read of more whole NIKs than JARING_EXPORT_REASON_OVER without saying why.
    READ_REASON_REQUIRED = "read_reason_required", 422
