"""A NIK as a user may see it: whole, or masked for viewers. Below every area that shows one.

Every whole NIK shown goes through here, so the read audit sees it (`audit.shown_whole`)."""

from __future__ import annotations

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.permissions import PERSONAL_DATA
from jaring.rules.nik import mask


def display_nik(user: User, nik: str) -> str:
    if not PERSONAL_DATA.may(user, "see"):
        return mask(nik)
    audit.shown_whole(user, nik)
    return nik
