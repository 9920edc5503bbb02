"""The error codes of Perisai agents: the registry, collections, deposits and fees."""

from jaring.rules.errors import ErrorCode


class AgentError(ErrorCode):
    NIK_INVALID = "agent_nik_invalid", 422
    PHONE_INVALID = "agent_phone_invalid", 422
    NUMBER_TAKEN = "agent_number_taken", 409
    ALREADY_AGENT = "agent_already_registered", 409
    USER_NOT_AGENT = "agent_user_not_agent", 422
    AREA_UNKNOWN = "agent_area_unknown", 422
    NOT_ACTIVE = "agent_not_active", 409
    REJOIN_TOO_EARLY = "agent_rejoin_too_early", 409
    DEPOSIT_NOTHING = "agent_deposit_nothing", 409
    DEPOSIT_MISMATCH = "agent_deposit_mismatch", 422
    DEPOSIT_REFERENCE_TAKEN = "agent_deposit_reference_taken", 409
    FEE_NO_ACTIVITY = "agent_fee_no_activity", 422
