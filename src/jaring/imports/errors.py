"""The error codes of worker-list imports: files, column mapping, and each row's reasons."""

from jaring.rules.errors import ErrorCode


class ImportsError(ErrorCode):
    MAPPING_UNKNOWN_HEADER = "mapping_unknown_header", 422
    MAPPING_UNKNOWN_FIELD = "mapping_unknown_field", 422
    MAPPING_HEADER_TWICE = "mapping_header_twice", 422
    VILLAGE_AMBIGUOUS = "village_ambiguous"
    VILLAGE_REQUIRED = "village_required"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    NIK_OTHER_PERSON = "nik_other_person"
    # A NIK registered outside the importer's region: neither the code nor the message says
    # that it exists or where (issue 14), only that the administrator can help.
    NIK_NOT_REGISTRABLE = "nik_not_registrable"
    NIK_EXCEL_MANGLED = "nik_excel_mangled"
    DATE_UNREADABLE = "date_unreadable"
    SEX_UNREADABLE = "sex_unreadable"
    CATEGORY_REQUIRED = "category_required"
    DISABILITY_UNREADABLE = "disability_unreadable"
    INCOME_UNREADABLE = "income_unreadable"
    RT_RW_UNREADABLE = "rt_rw_unreadable"
    MARITAL_UNREADABLE = "marital_unreadable"
    # The value-mapping step (issue 13): a value mapped to a code the field does not have, one
    # value mapped twice, a field that has no codes, a wording already remembered.
    VALUE_FIELD_UNKNOWN = "value_field_unknown", 422
    VALUE_CODE_UNKNOWN = "value_code_unknown", 422
    VALUE_MAPPED_TWICE = "value_mapped_twice", 422
    VALUE_EMPTY = "value_empty", 422
    SYNONYM_EXISTS = "synonym_exists", 409
    BATCH_COMMITTED = "batch_committed", 409
    BATCH_NOT_READY = "batch_not_ready", 409
    REGISTRY_CHANGED = "registry_changed", 409
