"""The error codes of notifications."""

from jaring.rules.errors import ErrorCode


class NotifyError(ErrorCode):
    PHONE_MISSING = "notify_phone_missing", 422
    PHONE_NOT_INDONESIAN = "notify_phone_not_indonesian", 422
    TEMPLATE_UNKNOWN = "notify_template_unknown", 422
    TEMPLATE_FIELD = "notify_template_field", 422
    NIK_IN_MESSAGE = "notify_nik_in_message", 422
    GATEWAY_NOT_CONFIGURED = "notify_gateway_not_configured", 422
