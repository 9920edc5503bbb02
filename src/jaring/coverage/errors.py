"""The error codes of coverage figures, targets and the dashboard."""

from jaring.rules.errors import ErrorCode


class CoverageError(ErrorCode):
    BY_INVALID = "by_invalid", 422
    BY_NOT_AFTER = "by_not_after", 422
    REGION_LEVEL = "region_level", 422
    MONTH_FUTURE = "month_future", 422
    NO_WORKING_POPULATION = "no_working_population"
    OVER_HUNDRED = "over_hundred"
    NO_TARGET = "no_target"
    NO_SEGMENT_COUNTS = "no_segment_counts"
    POPULATION_FROM_OTHER_YEAR = "population_from_other_year"
    TARGET_BELOW_CURRENT = "target_below_current"
    SEGMENT_COUNTS_OLDER = "segment_counts_older"
    YEAR_INVALID = "year_invalid", 422
    MISSING = "missing", 422
    SOURCE_UNKNOWN = "source_unknown", 422
    TARGET_INVALID = "target_invalid", 422
    NOT_A_NUMBER = "not_a_number", 422
    POPULATION_ZERO = "population_zero", 422
    NOTHING = "nothing", 400
