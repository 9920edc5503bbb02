"""The error codes of users, their logins and API tokens."""

from jaring.rules.errors import ErrorCode


class AccountError(ErrorCode):
    USER_INACTIVE = "user_inactive", 422
    # A read of more whole NIKs than JARING_EXPORT_REASON_OVER without saying why.
    READ_REASON_REQUIRED = "read_reason_required", 422
    # A browser session that passed the password but not yet the second factor, or that must
    # still choose a new password, is refused by the API as by every page.
    SECOND_FACTOR_REQUIRED = "second_factor_required", 403
    PASSWORD_CHANGE_REQUIRED = "password_change_required", 403
    CODE_WRONG = "code_wrong", 422
    # django-otp's throttle: after each wrong code the next try waits twice as long.
    CODE_TOO_SOON = "code_too_soon", 429
    SECOND_FACTOR_EXISTS = "second_factor_exists", 409
