"""Which programmes' bills a user sees (who may do what with them: contributions.permissions).

Bills are money of a whole programme: a user sees a programme's bills when the programme's
region lies inside their own (a city officer sees the city's programmes, not the province's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import scope_code
from jaring.programs.models import Programme


def programmes_managed(user: User | None) -> QuerySet[Programme]:
    """Programmes whose region is the user's region or inside it; every one for the system."""
    qs = Programme.objects.select_related("region")
    code = None if user is None else scope_code(user)
    if code is None:
        return qs
    if code == "":
        return qs.none()
    return qs.filter(Q(region_id=code) | Q(region__code__startswith=code + "."))
