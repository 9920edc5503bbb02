from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from jaring.core.errors import DomainError, NotFound, PermissionDenied
from jaring.web.feedback import show_problems


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages speak Bahasa Indonesia until the user picks English with the language switch.

    Many office laptops run an English browser, whose Accept-Language would otherwise turn
    every page English. API clients still choose per request with Accept-Language.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(
            chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        request.LANGUAGE_CODE = translation.get_language()
        return None


class RefusalMiddleware:
    """The one web renderer of a refusal a page's view lets through (a `DomainError`).

    NotFound is the 404 page and PermissionDenied the 403 page, whatever the request; any other
    refusal of a form (a POST) becomes its problems as error messages on the page the form was
    sent from. A view catches a refusal itself only to do something else with it (put problems
    on a bound form's fields, show them on the page it renders).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied from exception
        if isinstance(exception, DomainError) and request.method == "POST":
            show_problems(request, exception)
            back = request.META.get("HTTP_REFERER", "")
            safe = url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(back if back and safe else request.get_full_path())
        return None
