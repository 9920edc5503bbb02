"""A NIK as a user may see it: whole, or masked for viewers. Below every area that shows one."""

from __future__ import annotations

from jaring.accounts.models import User
from jaring.accounts.permissions import PERSONAL_DATA
from jaring.rules.nik import mask


def display_nik(user: User, nik: str) -> str:
    return nik if PERSONAL_DATA.may(user, "see") else mask(nik)
