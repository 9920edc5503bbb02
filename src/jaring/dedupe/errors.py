"""The error codes of probable duplicates and their review."""

from jaring.rules.errors import ErrorCode


class DedupeError(ErrorCode):
    MERGE_MEMBERSHIP_AHEAD = "merge_membership_ahead", 409
    PROBABLE_DUPLICATE = "probable_duplicate"
    MERGED_INTO_WORKER = "merged_into_worker"
    ALREADY_MERGED = "already_merged", 409
    THRESHOLD_INVALID = "threshold_invalid", 422
    TOO_FEW_RECORDS = "too_few_records", 409
    PAIR_DECIDED = "pair_decided", 409
    ROWS_NOT_COMMITTED = "rows_not_committed", 409
    BATCH_NOT_OPEN = "batch_not_open", 409
    KEEP_INVALID = "keep_invalid", 422
