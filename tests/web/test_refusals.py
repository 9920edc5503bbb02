"""A refusal a page's view lets through: 404, 403, or its problems as messages on the form."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.test import RequestFactory

from jaring.core.errors import CoreError, NotFound, PermissionDenied, Problem, ValidationFailed
from jaring.web.middleware import RefusalMiddleware

_REFUSED = Problem(CoreError.REQUIRED, "Nama wajib diisi.", "Name is required.", "name")


def _request(method: str, **headers):
    request = getattr(RequestFactory(), method)("/programs/7/edit?tab=1", **headers)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _render(request, exc):
    return RefusalMiddleware(lambda r: None).process_exception(request, exc)


@pytest.mark.parametrize("method", ["get", "post"])
def test_not_found_is_the_404_page_and_permission_denied_the_403_page(method):
    with pytest.raises(Http404):
        _render(_request(method), NotFound(Problem(CoreError.NOT_FOUND, "x", "x")))
    with pytest.raises(DjangoPermissionDenied):
        _render(_request(method), PermissionDenied(Problem(CoreError.FORBIDDEN, "x", "x")))


def test_a_refused_form_shows_its_problems_back_on_the_page_it_was_sent_from():
    request = _request("post", HTTP_REFERER="http://testserver/programs/7/")
    response = _render(request, ValidationFailed(_REFUSED))
    assert (response.status_code, response.url) == (302, "http://testserver/programs/7/")
    assert [m.message for m in get_messages(request)] == ["Nama wajib diisi."]


def test_without_a_page_of_this_site_to_go_back_to_the_form_is_shown_again():
    request = _request("post", HTTP_REFERER="https://elsewhere.example/")
    assert _render(request, ValidationFailed(_REFUSED)).url == "/programs/7/edit?tab=1"


def test_a_page_that_fails_to_show_is_left_to_the_error_page():
    assert _render(_request("get"), ValidationFailed(_REFUSED)) is None
