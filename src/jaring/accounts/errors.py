"""The error codes of users and API tokens."""

from jaring.rules.errors import ErrorCode


class AccountError(ErrorCode):
    USER_INACTIVE = "user_inactive", 422
