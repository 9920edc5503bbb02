"""A NIK as a user may see it: whole, or masked for viewers. Below every area that shows one."""

from __future__ import annotations

from jaring.accounts.models import User
from jaring.accounts.scope import sees_full_nik
from jaring.rules.nik import mask


def display_nik(user: User, nik: str) -> str:
    return nik if sees_full_nik(user) else mask(nik)
