import pytest

from jaring.core import events

# The web and API fixtures, shared: the worker pages and the workers API are the registry's.
from tests.api.conftest import api, bearer  # noqa: F401
from tests.web.conftest import officer  # noqa: F401


@pytest.fixture
def announced():
    """The regencies each `workers_changed` sent during the test names."""
    sent: list[set[str]] = []

    def receive(sender, *, regencies, **_kwargs):
        sent.append(set(regencies))

    events.workers_changed.connect(receive, dispatch_uid="test-registry-announced")
    yield sent
    events.workers_changed.disconnect(dispatch_uid="test-registry-announced")
