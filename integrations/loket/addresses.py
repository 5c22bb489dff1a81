"""The address Loket sends a person back to after the login, and what to say when it is not theirs.

Loket sends the browser to the redirect URL: PORTAL_BASE_URL plus the callback's path (access.redirect_uri).
A browser keeps a session per site, and http://127.0.0.1:8000 and http://localhost:8000 are two sites to
it: a person who starts at the one and comes back at the other has no session there (a login page, then
an attempt that is not known), and Loket stays unconnected. So:

- with the sandbox (the local run, `make run`), which accepts any redirect URL as long as the token
  request names the same one, a person who uses another loopback name of the portal comes back to
  the name they use;
- with the real Loket, which accepts only the registered URL, such a person is told before leaving for
  Loket to open the portal at PORTAL_BASE_URL;
- every attempt remembers where it started (`remember`), so an answer that arrives at another address
  says so (`started_elsewhere`), not "another tab".
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from integrations.loket.access import redirect_uri

LOOPBACK = {"localhost", "127.0.0.1", "::1"}
# Long enough for a login at Loket, short enough to forget abandoned attempts.
ATTEMPT_SECONDS = 60 * 60


def _origin(scheme: str, netloc: str) -> str:
    return f"{scheme}://{netloc}"


def portal_origin() -> str:
    parts = urlsplit(settings.PORTAL_BASE_URL)
    return _origin(parts.scheme, parts.netloc)


def request_origin(request) -> str:
    return _origin(request.scheme, request.get_host())


def _loopback_alias(request) -> bool:
    """The person uses the portal at another loopback name (or port) than PORTAL_BASE_URL names."""
    base = urlsplit(settings.PORTAL_BASE_URL)
    here = urlsplit(request_origin(request))
    return request_origin(request) != portal_origin() and base.hostname in LOOPBACK and here.hostname in LOOPBACK \
        and base.port == here.port


def return_url(request) -> str:
    """Where Loket sends this person back to: the address they use, when the sandbox allows it."""
    if settings.LOKET_ENVIRONMENT == "sandbox" and _loopback_alias(request):
        return request_origin(request) + reverse("loket:callback")
    return redirect_uri()


def unreachable_return(request) -> str | None:
    """PORTAL_BASE_URL's address, when this person would come back there instead of where they are."""
    if urlsplit(return_url(request)).netloc != request.get_host() and _loopback_alias(request):
        return portal_origin()
    return None


def _key(state: str) -> str:
    # The state comes back from the browser and may hold anything: a digest is a valid key for any cache.
    return "loket-login-attempt:" + hashlib.sha256(state.encode("utf-8", "surrogatepass")).hexdigest()


def remember(request, state: str) -> None:
    cache.set(_key(state), request_origin(request), ATTEMPT_SECONDS)


def started_elsewhere(request) -> str | None:
    """The address a login attempt started at, when its answer arrives at another one."""
    state = request.GET.get("state", "")
    started = cache.get(_key(state)) if state else None
    return started if started and started != request_origin(request) else None
