"""Which programmes' bills a user sees (who may do what with them: contributions.permissions).

Bills are money of a whole programme: a user sees a programme's bills when the programme's
region lies inside their own (a city officer sees the city's programmes, not the province's).
"""

from __future__ import annotations

from django.db.models import QuerySet

from jaring.accounts.scope import Actor, scope_q
from jaring.programs.models import Programme


def programmes_managed(user: Actor) -> QuerySet[Programme]:
    """Programmes whose region is the user's region or inside it; every one for the system."""
    return Programme.objects.select_related("region").filter(scope_q(user, field="region__code"))
