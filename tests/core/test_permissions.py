"""One permission style: every area's table, read by name, with the roles each action had
before the tables were unified (the matrix below is that behaviour, pinned)."""

import pytest

from jaring.accounts.models import Role, User
from jaring.core.errors import PermissionDenied
from jaring.core.permissions import allowed, tables

A, P, E, B, C, V, G = (
    Role.ADMIN,
    Role.PROGRAMME_OFFICER,
    Role.ENUMERATOR,
    Role.BPJS_OFFICER,
    Role.COMPLIANCE_OFFICER,
    Role.VIEWER,
    Role.AGENT,
)

WHO_MAY = {
    "personal_data.see": {A, P, E, B, C},
    "logins.unlock": {A, P},
    "workers.change": {A, P, E},
    "workers.add": {A, P, E},
    "regions.load": {A},
    "imports.import": {A, P, E},
    "imports.synonyms": {A, P},
    "programmes.manage": {A, P},
    "coverage.population": {A, P},
    "coverage.counts": {A, P, B},
    "claims.view": {A, P, E, B},
    "claims.register": {A, P, E, B},
    "claims.verify": {A, P},
    "claims.approve": {A, B},
    "claims.pay": {A, B},
    "claims.reject": {A, P, B},
    "claims.report": {A, P, B, C, V},
    "compliance.view": {A, C, P, B},
    "compliance.import": {A, C, B},
    "compliance.match": {A, C},
    "compliance.act": {A, C},
    "compliance.report": {A, C, P, B, V},
    "contributions.view": {A, P, B, C, V},
    "contributions.bill": {A, P},
    "contributions.pay": {A, P, B},
    "contributions.rates": {A},
    "contributions.reconcile": {A, P, B},
    "duplicates.decide": {A, P},
    "duplicates.tune": {A},
    "memberships.enrol": {A, P, E},
    "memberships.verify": {A, P},
    "memberships.submit": {A, P, B},
    "memberships.activate": {A, P, B},
    "memberships.reject": {A, P, B},
    "memberships.end": {A, P},
    "memberships.expire": {A, P},
    "memberships.renew": {A, P},
    "exchange.exchange": {A, P, B},
    "cards.print": {A, P, E, B},
    "external_cover.import": {A, P, B},
    "continuity.view": {A, P, E, B, V, G},
    "continuity.choose": {A, P, E, G},
    "continuity.pay": {A, P, B, G},
    "continuity.bill": {A, P, B},
    "agents.view": {A, P, B, V, G},
    "agents.manage": {A, P, B},
    "agents.fees": {A, B},
    "notify.view": {A, P, B},
    "notify.send": {A, P},
    "autodebit.view": {A, P, B, V, G},
    "autodebit.mandate": {A, P, B, G},
    "autodebit.exchange": {A, B},
}


def _user(role: str, **extra) -> User:
    # Unsaved: the check reads the role and the account's state only.
    return User(username=role, role=role, **extra)


def test_every_action_of_every_table_is_pinned():
    declared = {f"{area}.{action}" for area, t in tables().items() for action in t.roles}
    assert declared == set(WHO_MAY)


@pytest.mark.parametrize("name", sorted(WHO_MAY))
def test_the_same_roles_may_take_each_action(name):
    assert {role for role in Role if allowed(_user(role), name)} == WHO_MAY[name]


def test_an_inactive_account_and_an_anonymous_visitor_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    for name in WHO_MAY:
        assert not allowed(_user(Role.ADMIN, is_active=False), name)
        assert not allowed(AnonymousUser(), name)


def test_the_refusal_names_the_action_in_both_languages():
    with pytest.raises(PermissionDenied) as refused:
        tables()["claims"].check(_user(Role.VIEWER), "verify")
    (problem,) = refused.value.problems
    assert problem.code == "forbidden"
    assert problem.message_id == "Peran Anda tidak boleh memverifikasi klaim."
    assert problem.message_en == "Your role may not verify claims."
