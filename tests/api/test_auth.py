import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jaring.accounts.models import ApiToken, Role
from jaring.accounts.services import create_token, revoke_token
from jaring.api.routes import api as ninja_api
from tests.api.helpers import problems
from tests.factories import make_user
from tests.registry.test_api import new_worker

pytestmark = pytest.mark.django_db


def test_no_token_is_401_in_the_error_format(client, three_workers):
    response = client.get("/api/workers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert problems(response) == {None: "unauthenticated"}
    assert "Siti" not in response.content.decode()


@pytest.mark.parametrize(
    "header", ["Bearer jrg_not-a-real-key", "Bearer ", "Token abc", "Basic YWRtaW46YWRtaW4="]
)
def test_a_wrong_token_is_401(client, three_workers, header):
    response = client.get("/api/workers/", headers={"Authorization": header})
    assert response.status_code == 401
    assert problems(response) == {None: "unauthenticated"}


def test_a_wrong_token_on_a_write_is_401_not_a_csrf_error(client, admin):
    response = client.post(
        "/api/workers/",
        new_worker(),
        content_type="application/json",
        headers={"Authorization": "Bearer jrg_wrong"},
    )
    assert response.status_code == 401


def test_a_revoked_token_stops_working(client, enumerator, three_workers):
    token, key = create_token(user=enumerator, name="field tablet")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/workers/", headers=headers).status_code == 200
    revoke_token(token=token)
    assert client.get("/api/workers/", headers=headers).status_code == 401


def test_a_deactivated_users_token_stops_working(client, enumerator):
    _, key = create_token(user=enumerator, name="field tablet")
    enumerator.is_active = False
    enumerator.save()
    assert (
        client.get("/api/workers/", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


def test_the_key_is_not_stored_and_use_is_noted(client, enumerator):
    token, key = create_token(user=enumerator, name="field tablet")
    assert key.startswith("jrg_") and len(key) > 40
    assert token.key_hash == ApiToken.hash(key) != key
    assert not ApiToken.objects.filter(key_hash__contains=key[4:20]).exists()
    assert token.prefix == key[:8]
    assert token.last_used_at is None
    client.get("/api/categories/", headers={"Authorization": f"Bearer {key}"})
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < dt.timedelta(seconds=10)


def test_a_browser_session_reads_and_must_send_csrf_to_write(enumerator, three_workers):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(enumerator)
    listed = browser.get("/api/workers/")
    assert listed.status_code == 200
    assert listed.json()["count"] == 1

    refused = browser.post("/api/workers/", new_worker(), content_type="application/json")
    assert refused.status_code == 403
    assert problems(refused) == {None: "csrf_failed"}

    browser.get("/api/docs")  # sets the CSRF cookie, as the interactive docs page does
    accepted = browser.post(
        "/api/workers/",
        new_worker(),
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert accepted.status_code == 201, accepted.json()


def test_a_sent_token_is_judged_alone_even_with_a_session(client, enumerator):
    client.force_login(enumerator)
    response = client.get("/api/workers/", headers={"Authorization": "Bearer jrg_wrong"})
    assert response.status_code == 401


def test_every_operation_of_every_router_needs_authentication(client):
    """Routers other apps add are protected unless they opt out; opting out is listed here."""
    public = {
        ("GET", "/api/imports/template.{kind}"),  # an empty spreadsheet: no personal data
    }
    schema = client.get("/api/openapi.json").json()
    operations = {
        (method.upper(), path): op
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }
    assert ("GET", "/api/workers/") in operations
    for key, op in operations.items():
        if key not in public:
            assert op.get("security"), f"{key} is open to anyone"
    for callback in ninja_api.auth:
        assert callback.__class__.__name__ in {"TokenAuth", "SessionAuth"}


def test_openapi_document_and_docs_are_served_locally(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Jaring API"
    assert '{"errors": [' in schema["info"]["description"]
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_token_of_a_role_without_scope_sees_nothing(api, three_workers):
    lost = make_user(Role.PROGRAMME_OFFICER, None)
    assert api(lost).get("/api/workers/").json()["count"] == 0
