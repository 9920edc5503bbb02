"""A NIK or phone number as a user may see it: whole, or masked for viewers. Below every area
that shows one.

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


def display_private(user: User, text: str) -> str:
    """What identifies a person as a NIK does (the mother's maiden name, BPJS's identity
    check): a viewer sees its first letter only."""
    if not text or PERSONAL_DATA.may(user, "see"):
        return text
    return text[0] + "*" * (len(text) - 1)


def display_phone(user: User, phone: str) -> str:
    """A phone number reaches a person as surely as a NIK: a viewer sees its operator prefix
    and last two digits (enough to tell two numbers apart), never the number."""
    if not phone or PERSONAL_DATA.may(user, "see"):
        return phone
    return mask_phone(phone)


def mask_phone(phone: str) -> str:
    if not phone:
        return phone
    kept = 6 if phone.startswith("+62") else 4  # the operator's prefix: +62 857 or 0857
    return phone[:kept] + "*" * max(len(phone) - kept - 2, 0) + phone[-2:]
