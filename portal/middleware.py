"""The page's language is the person's own choice (portal.languages), never the browser's
Accept-Language or a cookie. Replaces Django's LocaleMiddleware, so it runs after authentication."""

from django.utils import translation
from django.utils.cache import patch_vary_headers

from portal.languages import language_of


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(getattr(request, "user", None))
        # override() restores the thread's language afterwards: a worker thread serving the next
        # request (or the next test) never inherits this person's choice.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
