"""The error codes of region codes."""

from jaring.rules.errors import ErrorCode


class RegionError(ErrorCode):
    REGION_UNKNOWN = "region_unknown", 404, 422
