"""The portal's own middleware: the person's language, and no caching of pages."""

from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from portal.languages import language_of


class UserLanguageMiddleware:
    """The page's language is the person's own choice (portal.languages), never the browser's
    Accept-Language or a cookie. Replaces Django's LocaleMiddleware, so it runs after authentication."""

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


class NoStoreMiddleware:
    """Every page the portal renders is kept out of browser and proxy caches.

    Nearly every page shows payroll data or settings with credentials (domains, runs, documents, the
    settings pages), and a page that does not is cheap to render again: one rule for all is the rule that
    cannot be forgotten on a new page. Static files never reach this (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response
