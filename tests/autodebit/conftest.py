# The API callers of tests/api, for the auto-debit routes.
from tests.api.conftest import api, bearer  # noqa: F401
