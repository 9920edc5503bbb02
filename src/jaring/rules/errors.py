"""Why a rule table or a calculation was refused, in Bahasa Indonesia and English.

Pure Python: the Django layers turn a `RuleError` into a `core.errors.Problem` with the same code
and messages (`as_dict()` carries everything they need).
"""

from __future__ import annotations

from jaring.rules.messages import Reason


class RuleError(Exception):
    """A calculation the rules refuse, e.g. an income the base table does not define."""

    def __init__(self, reason: Reason, *, field: str | None = None, **params: object):
        self.code = reason.code
        # Templates may name the argument at fault as {field}.
        self.message_id = reason.id.format(field=field, **params)
        self.message_en = reason.en.format(field=field, **params)
        self.field = field
        self.params = params
        super().__init__(self.message_en)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "field": self.field,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "params": {k: str(v) for k, v in self.params.items()},
        }


class TableError(RuleError):
    """A rate table that cannot be loaded: malformed, or versions whose dates overlap."""
