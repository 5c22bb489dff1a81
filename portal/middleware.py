"""The portal's own middleware: the person's language, no caching of pages, the second login step, its own
404 and 405 pages."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
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


class SecondFactorMiddleware:
    """A logged-in session of someone who needs the second login step (portal/two_factor.py) but did not
    pass it in this session is logged out and sent to the login: sessions from before the second step
    was required or switched on, someone made portal administrator while logged in, a login through
    another form (Django's admin site). The portal's own login never makes such a session: its second
    step logs in only after the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from portal import two_factor

        user = request.user
        if user.is_authenticated and not user.is_verified() and two_factor.second_step_needed(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class MethodNotAllowedPage:
    """A URL that only takes a form's POST, opened another way (a bookmark, a reload, an address typed or
    shared): the portal's own page, saying what happened, with a way back, instead of the browser's blank
    405. Django's `require_POST` and friends answer with an empty HttpResponseNotAllowed; its Allow
    header and status stay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        back = request.headers.get("Referer", "")
        if not back.startswith(f"{request.scheme}://{request.get_host()}/"):
            back = ""  # only a page of the portal itself
        page = render(request, "405.html", {"back": back}, status=405)
        page.headers["Allow"] = response.headers.get("Allow", "")
        return page


class NotFoundPage:
    """With DEBUG on (`make run`), Django answers an unknown address or a missing thing with its English
    technical 404 page; a person trying the portal locally sees the portal's own page (templates/404.html,
    the one Django itself shows with DEBUG off) in their language instead. The simulated vendors'
    pages (/sandbox/) keep Django's page: their developers want its details."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL matched (resolver_match is None): Django's own page, not a view's deliberate 404 answer.
        if response.status_code == 404 and request.resolver_match is None and self._applies(request):
            return self._page(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self._applies(request):
            return self._page(request)
        return None

    @staticmethod
    def _applies(request) -> bool:
        return settings.DEBUG and not request.path.startswith("/sandbox/")

    @staticmethod
    def _page(request):
        return render(request, "404.html", status=404)
