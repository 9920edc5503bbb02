"""The API keeps its OpenAPI contract (schemathesis), against a live test server.

Every operation is called with a bounded number of generated requests (`EXAMPLES`; about half
of them naming real records of the caller's city instead of generated ids) as a city
administrator, who sees data and may use every route. Any 5xx, a status the document does not
list, or an answer that does not match its schema fails the test; the failures of every
operation are listed together. Derandomised: a run is repeatable.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jaring.accounts.models import Role
from jaring.accounts.services import create_token
from tests.factories import make_user

# The generated scope test's records of one city (Kota Pontianak), and how its paths name them.
from tests.web.test_scope_escape_generated import (  # noqa: F401 (pontianak: a fixture)
    API_FIXED,
    API_OBJECTS,
    OTHER_CITY,
    pontianak,
)

EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.django_db(transaction=True)


def _known(path: str, records: dict) -> dict[str, object]:
    """The path's parameters filled with the city's records (as the scope test fills them)."""
    known = {}
    for param in re.findall(r"{(\w+)}", path):
        head = path[: path.index("{" + param + "}") + len(param) + 2]
        if param in API_FIXED:
            known[param] = API_FIXED[param]
        elif head in API_OBJECTS:
            known[param] = records[API_OBJECTS[head]]
    return known


def test_every_operation_keeps_the_contract(live_server, request):
    records, _ = request.getfixturevalue("pontianak")
    user = make_user(Role.ADMIN, OTHER_CITY)
    headers = {"Authorization": f"Bearer {create_token(user=user, name='contract')[1]}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if failure := _check(operation, _known(operation.path, records), live_server.url, headers):
            failures.append(f"{operation.label}: {failure}")
    assert failures == [], "\n\n".join(failures)


def _check(operation, known: dict, base_url: str, headers: dict) -> str | None:
    """What is wrong with the operation's answers to EXAMPLES requests, or None."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), real=st.booleans())
    def call(case, real):
        if real and known:
            case.path_parameters = {**(case.path_parameters or {}), **known}
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=CHECKS)

    try:
        call()
    # Schemathesis raises a group of failures (a BaseExceptionGroup) or one.
    except (Exception, BaseExceptionGroup) as exc:
        return _described(exc)
    return None


def _described(exc: BaseException) -> str:
    inner = getattr(exc, "exceptions", ())
    return "; ".join(" ".join(str(e).split("\n")[:4]) for e in inner) if inner else str(exc)[:2000]
