from tests.api.conftest import api, bearer  # noqa: F401  (the API fixtures, shared)
