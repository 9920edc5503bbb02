"""A password validator for what Django's list of common passwords misses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The alphabet, the digits (twice, so 7890123 is a run too) and the keyboard rows.
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


class RepetitionValidator:
    """Refuses a password made of few distinct characters (`aaaaaaaaaaaa`, `abababababab`) or
    one straight run of the alphabet, the digits or a keyboard row (`abcdefghijkl`,
    `789012345678`, `qwertyuiopas`), in either direction: guessers try them
    first, whatever their length."""

    min_distinct = 5

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        if len(set(lowered)) < self.min_distinct or _is_run(lowered):
            raise ValidationError(
                _("This password is a repeat or a run of characters."),
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a repeat or a run of characters.")


def _is_run(text: str) -> bool:
    """Whether the text is a stretch of one run, forwards or backwards."""
    return any(text in run or text in run[::-1] for run in _RUNS)
