import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jaring.accounts.models import ApiToken, AuditEvent, Role
from jaring.accounts.services import create_token, use_token
from jaring.core.errors import ValidationFailed
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def jaring(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_a_key_that_works_and_is_not_stored(client, enumerator):
    created = json.loads(
        jaring("create", "--user", enumerator.username, "--name", "tablet", "--json")
    )
    assert created["user"] == enumerator.username
    assert created["name"] == "tablet"
    token = ApiToken.objects.get(pk=created["id"])
    assert token.key_hash == ApiToken.hash(created["key"])
    assert created["key"] not in json.dumps(list(ApiToken.objects.values()), default=str)
    response = client.get("/api/workers/", headers={"Authorization": f"Bearer {created['key']}"})
    assert response.status_code == 200


def test_create_text_output_has_the_key_on_its_own_line(enumerator):
    lines = jaring("create", "--user", enumerator.username, "--name", "tablet").splitlines()
    assert use_token(key=lines[-1]) == enumerator


def test_create_refuses_unknown_users_and_empty_names(enumerator):
    with pytest.raises(CommandError, match="no user 'nobody'"):
        jaring("create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        jaring("create", "--user", enumerator.username, "--name", "  ")
    assert not ApiToken.objects.exists()


def test_inactive_users_get_no_token(enumerator):
    enumerator.is_active = False
    enumerator.save()
    with pytest.raises(ValidationFailed) as exc:
        create_token(user=enumerator, name="x")
    assert exc.value.problems[0].field == "user"


def test_list_shows_tokens_but_never_keys(enumerator):
    other = make_user(Role.VIEWER, "61.72")
    _, key = create_token(user=enumerator, name="tablet")
    create_token(user=other, name="dashboard")
    rows = json.loads(jaring("list", "--json"))
    assert {(r["user"], r["name"]) for r in rows} == {
        (enumerator.username, "tablet"),
        (other.username, "dashboard"),
    }
    assert all(
        set(r) == {"id", "prefix", "user", "name", "created_at", "last_used_at"} for r in rows
    )
    mine = json.loads(jaring("list", "--user", enumerator.username, "--json"))
    assert [r["name"] for r in mine] == ["tablet"]
    text = jaring("list")
    assert "tablet" in text and "dashboard" in text and key not in text


def test_revoke_ends_the_token_and_is_audited(client, enumerator):
    token, key = create_token(user=enumerator, name="tablet")
    assert "revoked" in jaring("revoke", str(token.pk))
    assert not ApiToken.objects.exists()
    assert use_token(key=key) is None
    assert (
        client.get("/api/workers/", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )
    actions = list(
        AuditEvent.objects.filter(target_type="accounts.apitoken").values_list("action", flat=True)
    )
    assert sorted(actions) == ["token_create", "token_revoke"]


def test_revoke_of_an_unknown_id_revokes_nothing(enumerator):
    token, _ = create_token(user=enumerator, name="tablet")
    with pytest.raises(CommandError, match="no token with id 999"):
        jaring("revoke", str(token.pk), "999")
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_jaring_command_finds_the_token_command():
    # `jaring` is Django's command line (jaring.cli); running it in-process would close the
    # test database connection, so check the discovery it relies on instead.
    from django.core.management import get_commands

    assert get_commands()["token"] == "jaring.accounts"
