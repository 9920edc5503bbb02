"""Password validators for what Django's list of common passwords misses."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_LIST = Path(__file__).parent / "data" / "breached-passwords.txt.gz"


class BreachedPasswordValidator(CommonPasswordValidator):
    """Refuses the 100,000 passwords seen most often in data breaches (Have I Been Pwned, as the
    UK's NCSC publishes them; data/README.md). Beside Django's 20,000 it adds 1,184 of 12
    characters or more, the only ones the minimum length lets through (`iloveyou1234`,
    `cristianoronaldo`, `bismillah123`); the shipped file is read once per process, never a
    network service."""

    def __init__(self, password_list_path=BREACHED_LIST):
        super().__init__(password_list_path)

    def get_error_message(self) -> str:
        return _("This password has appeared in data breaches.")

    def get_help_text(self) -> str:
        return _("Your password can't be one that has appeared in data breaches.")


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
