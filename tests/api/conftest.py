import pytest

from jaring.accounts.services import create_token


@pytest.fixture
def bearer(db):
    """`bearer(user)` → the headers that call the API as `user`."""

    def headers(user) -> dict[str, str]:
        _, key = create_token(user=user, name="test")
        return {"Authorization": f"Bearer {key}"}

    return headers


@pytest.fixture
def api(client, bearer):
    """`api(user).get(path)`, `.post(path, json)`, `.patch(path, json)` as `user`."""

    class Caller:
        def __init__(self, user):
            self.headers = bearer(user)

        def get(self, path, **params):
            return client.get(path, params, headers=self.headers)

        def post(self, path, body):
            return client.post(path, body, content_type="application/json", headers=self.headers)

        def patch(self, path, body):
            return client.patch(path, body, content_type="application/json", headers=self.headers)

    return Caller
