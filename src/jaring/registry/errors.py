"""The error codes of the worker registry."""

from jaring.rules.errors import ErrorCode


class RegistryError(ErrorCode):
    # One per reason `rules.nik` refuses a NIK for, prefixed: `nik_length` for "length".
    NIK_EMPTY = "nik_empty", 422
    NIK_NOT_DIGITS = "nik_not_digits", 422
    NIK_LENGTH = "nik_length", 422
    NIK_PROVINCE_UNKNOWN = "nik_province_unknown", 422
    NIK_REGENCY_UNKNOWN = "nik_regency_unknown", 422
    NIK_DISTRICT_ZERO = "nik_district_zero", 422
    NIK_DISTRICT_NEVER_EXISTED = "nik_district_never_existed", 422
    NIK_BIRTH_DATE_INVALID = "nik_birth_date_invalid", 422
    NIK_SERIAL_ZERO = "nik_serial_zero", 422
    NIK_REGISTERED = "nik_registered", 409
    # A NIK twice in one load (409) or in one BPJS answer file (422, enrolment's exchange).
    NIK_REPEATED = "nik_repeated", 409, 422
    BIRTH_DATE_NIK_MISMATCH = "birth_date_nik_mismatch", 422
    SEX_NIK_MISMATCH = "sex_nik_mismatch", 422
    BIRTH_DATE_FUTURE = "birth_date_future", 422
    NAME_FORMULA = "name_formula", 422
    RT_RW_INVALID = "rt_rw_invalid", 422
    PHONE_INVALID = "phone_invalid", 422
    VILLAGE_UNKNOWN = "village_unknown", 422
    VILLAGE_OUT_OF_SCOPE = "village_out_of_scope", 422
    # A village a newer Kemendagri list retired (jaring load_regions): its workers keep it,
    # no one new is placed there.
    VILLAGE_RETIRED = "village_retired", 422
    CATEGORY_UNKNOWN = "category_unknown", 422
