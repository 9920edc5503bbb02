# The API callers of tests/api, for the outbox routes.
from tests.api.conftest import api, bearer  # noqa: F401
