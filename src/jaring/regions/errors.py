"""The error codes of region codes."""

from jaring.rules.errors import ErrorCode


class RegionError(ErrorCode):
    REGION_UNKNOWN = "region_unknown", 404, 422
    # A region list (`jaring load_regions FILE`): a row that cannot be loaded, a file without
    # the code and name columns, a --within region that does not exist.
    REGION_FILE_ROW = "region_file_row", 422
    REGION_FILE_COLUMNS = "region_file_columns", 422
