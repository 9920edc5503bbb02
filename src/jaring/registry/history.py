"""A worker's audit history as an officer reads it: labelled fields, names instead of codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jaring.accounts import audit
from jaring.accounts.masking import display_nik, display_phone, display_private
from jaring.accounts.models import User
from jaring.regions.models import Region
from jaring.registry import selectors
from jaring.registry.models import DisabilityKind, MaritalStatus, OccupationCategory, Sex, Worker
from jaring.web.templatetags.jaring_ui import rupiah

LABELS = {
    "nik": "NIK",
    "full_name": _("Full name"),
    "birth_date": _("Birth date"),
    "sex": _("Sex"),
    "village_id": _("Village"),
    "rt": "RT",
    "rw": "RW",
    "address": _("Address"),
    "phone": _("Phone"),
    "category_id": _("Occupation"),
    "has_disability": _("Has a disability"),
    "disability_kind": _("Kind of disability"),
    "declared_income": _("Declared monthly income"),
    "consent_date": _("Consent date"),
    "nik_override_reason": _("NIK exception reason"),
    "place_of_birth": _("Place of birth"),
    "mother_maiden_name": _("Mother's maiden name"),
    "marital_status": _("Marital status"),
    "email": _("Email"),
}
ACTIONS = {"create": _("Registered"), "update": _("Changed")}
_DATES = {"birth_date", "consent_date"}
_CHOICES = {
    "sex": dict(Sex.choices),
    "disability_kind": dict(DisabilityKind.choices),
    "marital_status": dict(MaritalStatus.choices),
}


@dataclass
class Change:
    label: str
    before: object
    after: object


@dataclass
class Entry:
    event: audit.Entry
    action: str
    who: str
    changes: list[Change]


def _names(events: list[audit.Entry]) -> dict[str, dict[str, str]]:
    """Region and category names for every code the events mention, in two queries."""
    codes: dict[str, set] = {"village_id": set(), "category_id": set()}
    for e in events:
        for side in (e.before or {}, e.after or {}):
            for field, found in codes.items():
                if side.get(field):
                    found.add(side[field])
    return {
        "village_id": {
            r.code: f"{r.name} ({r.code})"
            for r in Region.objects.filter(code__in=codes["village_id"])
        },
        "category_id": {
            c.code: str(c) for c in OccupationCategory.objects.filter(code__in=codes["category_id"])
        },
    }


def _shown(user: User, field: str, value, names: dict[str, dict[str, str]]):
    if value is None or value == "":
        return None
    if field == "nik":
        return display_nik(user, value)
    if field == "phone":
        return display_phone(user, value)
    if field == "mother_maiden_name":
        return display_private(user, value)
    if field == "declared_income":
        return rupiah(value)
    if field in _DATES:
        return dt.date.fromisoformat(value)
    if field in names:
        return names[field].get(value, value)
    if field in _CHOICES:
        return _CHOICES[field].get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def _changes(user: User, event: audit.Entry, names) -> list[Change]:
    """Changed fields in form order; a field empty before and after is left out."""
    order = {field: i for i, field in enumerate(LABELS)}
    out = []
    for field, before, after in sorted(event.changes(), key=lambda c: order.get(c[0], 99)):
        shown_before = _shown(user, field, before, names)
        shown_after = _shown(user, field, after, names)
        if shown_before is not None or shown_after is not None:
            out.append(Change(LABELS.get(field, field), shown_before, shown_after))
    return out


def worker_history(user: User, worker: Worker) -> list[Entry]:
    events = selectors.worker_history(worker)
    names = _names(events)
    return [
        Entry(
            event=e,
            action=ACTIONS.get(e.action, e.action),
            # Imports and the demo write without a person behind them.
            who=(e.actor.get_full_name() or e.actor.username) if e.actor else _("system"),
            changes=_changes(user, e, names),
        )
        for e in events
    ]
