"""The top-bar menu: one entry per area, in the order an officer's year runs, built from the
user's rights.

An entry shows only when its page would open for this user: it names the action of the area's
permission table (`core.permissions.allowed(user, "area.action")`, the same check the page and
its services make) and, where the page also depends on the user's region (coverage has no figures
per village), the deepest scope it serves. An entry may name other pages to fall back to: a
viewer without the claims list still finds the claims' money report under "Claims".

An area that adds pages adds one `Entry` to MENU (or, from an app above web, calls `add`).
tests/web/test_menu.py opens every link of every role's menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jaring.accounts.middleware import pending_step
from jaring.core.permissions import allowed
from jaring.regions.models import Level


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    # (url name, "area.action" or None for every signed-in user), the first the user may open
    pages: tuple[tuple[str, str | None], ...]
    # The deepest scope that has this page (Level.DISTRICT: not for a village's user)
    deepest: int | None = None

    def page_for(self, user) -> str | None:
        scope = getattr(user, "scope", None)
        if self.deepest is not None and scope is not None and scope.level > self.deepest:
            return None
        for name, action in self.pages:
            if action is None or allowed(user, action):
                return name
        return None


MENU: list[Entry] = [
    Entry(_("Coverage"), (("coverage:index", None),), deepest=Level.DISTRICT),
    Entry(_("Workers"), (("worker-list", None),)),
    Entry(_("Imports"), (("imports:list", "imports.import"),)),
    Entry(_("Duplicates"), (("dedupe:queue", None),)),
    Entry(_("Programmes"), (("programs:list", None),)),
    Entry(_("Memberships"), (("enrolment:list", None),)),
    Entry(
        _("BPJS and cards"),
        (("enrolment:bpjs:index", "exchange.exchange"), ("enrolment:bpjs:index", "cards.print")),
    ),
    Entry(
        _("Contributions"),
        (("contributions:bills", "contributions.view"),),
    ),
    Entry(_("Continued cover"), (("continuity:handover", "continuity.view"),)),
    # An agent's login opens its own page there; an officer the agents by activity.
    Entry(_("Agents"), (("agents:index", "agents.view"),)),
    Entry(_("Auto-debit"), (("autodebit:mandates", "autodebit.view"),)),
    Entry(_("Messages"), (("notify:outbox", "notify.view"),)),
    Entry(_("Claims"), (("claims:list", "claims.view"), ("claims:report", "claims.report"))),
    Entry(
        _("Employers"),
        (("compliance:work", "compliance.view"), ("compliance:report", "compliance.report")),
    ),
]


def add(entry: Entry, *, before: str | None = None) -> None:
    """An area above web puts its entry in the menu (from its AppConfig.ready), before the
    entry whose first page is `before`, or last."""
    if any(e.pages == entry.pages for e in MENU):
        return
    for i, e in enumerate(MENU):
        if before is not None and e.pages[0][0] == before:
            MENU.insert(i, entry)
            return
    MENU.append(entry)


def entries_for(user) -> list[tuple[str, str | Promise]]:
    """(url, label) of every entry this user may open, in the menu's order."""
    out = []
    for entry in MENU:
        name = entry.page_for(user)
        if name is not None:
            out.append((reverse(name), entry.label))
    return out


def menu(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    if pending_step(request):
        return {}  # the login is not complete: its pages lead nowhere else
    entries = entries_for(request.user)
    # The entry whose address is the longest start of this page's (/enrolment/bpjs/… is "BPJS
    # and cards", not "Memberships").
    here = max(
        (url for url, _label in entries if request.path.startswith(url)), key=len, default=None
    )
    return {
        "menu": [{"url": url, "label": label, "current": url == here} for url, label in entries]
    }
