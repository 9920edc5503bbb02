# The web and API fixtures, shared: the worker pages and the workers API are the registry's.
from tests.api.conftest import api, bearer  # noqa: F401
from tests.web.conftest import officer  # noqa: F401
