"""The top-bar menu: one entry per area, in the order an officer's year runs."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jaring.accounts.middleware import pending_step

MENU = [
    ("coverage:index", _("Coverage")),
    ("worker-list", _("Workers")),
    ("imports:list", _("Imports")),
    ("dedupe:queue", _("Duplicates")),
    ("programs:list", _("Programmes")),
    ("enrolment:list", _("Memberships")),
    ("contributions:bills", _("Contributions")),
    ("continuity:handover", _("Continued cover")),
    ("claims:list", _("Claims")),
    ("compliance:work", _("Employers")),
]


def menu(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    if pending_step(request):
        return {}  # the login is not complete: its pages lead nowhere else
    items = []
    for name, label in MENU:
        url = reverse(name)
        current = request.path.startswith(url) if url != "/" else request.path == url
        items.append({"url": url, "label": label, "current": current})
    return {"menu": items}
