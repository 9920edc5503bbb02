from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


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
