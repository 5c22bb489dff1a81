"""Shared fixtures: the Loket sandbox over real HTTP, an authorised portal, and a client on top."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest

from connectors.documents import Period
from connectors.loket import environments
from connectors.loket.client import LoketClient
from connectors.loket.oauth import LoketOAuth
from connectors.loket.tokens import MemoryTokenProvider
from sandbox.loket import create_app, data
from sandbox.server import SandboxServer

REDIRECT_URI = "http://portal.test/instellingen/loket/callback"


@pytest.fixture
def app():
    return create_app()


class _AppSwitch:
    """One real HTTP server for the session, serving each test's fresh sandbox app.

    (Stopping a SandboxServer takes half a second, its serve_forever poll interval; per test that adds up.)
    """

    app = None

    def __call__(self, environ, start_response):
        app = self.app
        if app is None:  # a slow call outliving its test
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no sandbox app"]
        return app(environ, start_response)


@pytest.fixture(scope="session")
def _shared_server():
    switch = _AppSwitch()
    with SandboxServer(switch) as running:
        yield switch, running


@pytest.fixture
def server(app, _shared_server):
    switch, running = _shared_server
    switch.app = app
    yield running
    switch.app = None


@pytest.fixture
def env(server):
    return environments.sandbox(server.url + "/")


@pytest.fixture
def oauth(env):
    return LoketOAuth(env, data.CLIENT_ID, data.CLIENT_SECRET, REDIRECT_URI, timeout=2.0)


def log_in_at_loket(authorize_url: str, *, username=data.DEMO_USERNAME, password=data.DEMO_PASSWORD,
                    decision="allow", redirect_uri: str = REDIRECT_URI) -> dict[str, str]:
    """What a user's browser does: open the login form, log in, click Toestaan/Weigeren.
    Returns the query parameters of the redirect back to the portal (at `redirect_uri`)."""
    with httpx2.Client(follow_redirects=False, timeout=5) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200 and 'name="password"' in page.text
        consent = browser.post(authorize_url, data={"step": "login", "username": username, "password": password})
        assert "Toestaan" in consent.text and "Weigeren" in consent.text, consent.text
        ticket = re.search(r'name="ticket" value="([^"]+)"', consent.text).group(1)
        back = browser.post(authorize_url, data={"step": "consent", "ticket": ticket, "decision": decision})
    assert back.status_code == 302
    location = back.headers["Location"]
    assert location.startswith(redirect_uri), location
    return {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def tokens(oauth):
    url, state = oauth.authorization_url()
    params = log_in_at_loket(url)
    assert params["state"] == state
    return oauth.exchange_code(params["code"])


class SleepRecorder:
    def __init__(self):
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps():
    return SleepRecorder()


@pytest.fixture
def provider(oauth, tokens):
    return MemoryTokenProvider(oauth, tokens)


@pytest.fixture
def client(env, provider, sleeps):
    with LoketClient(env.api_base, provider, timeout=0.5, sleep=sleeps) as loket:
        yield loket


@pytest.fixture
def today(app):
    # The sandbox makes payroll up to "today"; pin it so a test never straddles midnight at month end.
    pinned = date.today()
    app.state.today = lambda: pinned
    return pinned


@pytest.fixture
def this_month(today):
    return Period.month(today.year, today.month)


@pytest.fixture
def korenschoof():
    return next(a for a in data.ADMINISTRATIONS if a.key == "korenschoof")


def api_calls(app, fragment: str) -> list[dict]:
    """The API requests the sandbox received whose path contains `fragment`."""
    return [r for r in app.state.requests if fragment in r["path"]]


# --- the portal's side (connectors/loket/views.py, portal/loket_access.py) ---------------------------
# Django is imported inside the fixtures: the connector's own tests above run without it.

PORTAL_BASE_URL = "http://testserver"  # Django's test client host, so the redirect URL is ours


@pytest.fixture
def loket_portal(settings, server):
    """The portal pointed at this test's Loket sandbox, with the sandbox's own OAuth client."""
    settings.LOKET_ENVIRONMENT = "sandbox"
    settings.LOKET_SANDBOX_URL = server.url
    settings.LOKET_CLIENT_ID = ""
    settings.LOKET_CLIENT_SECRET = ""
    settings.PORTAL_BASE_URL = PORTAL_BASE_URL
    return server


def portal_redirect_uri() -> str:
    from django.urls import reverse

    return PORTAL_BASE_URL + reverse("loket:callback")


def start_connect(web, administration=None):
    """POST "Verbind met Loket" as the logged-in user of `web`; returns the response (302 to Loket)."""
    from django.urls import reverse

    data = {"administration": administration.pk} if administration is not None else {}
    return web.post(reverse("loket:connect"), data)


def connect_through_portal(web, administration=None, *, decision="allow", follow=True):
    """The whole flow: "Verbind met Loket", log in at the sandbox, "Toestaan", back to our callback."""
    from django.urls import reverse

    started = start_connect(web, administration)
    assert started.status_code == 302, started
    params = log_in_at_loket(started["Location"], decision=decision, redirect_uri=portal_redirect_uri())
    return web.get(reverse("loket:callback"), params, follow=follow)


@pytest.fixture
def portal_connection(db, loket_portal, tokens):
    """The portal's Loket connection, authorised at the sandbox (as if "Toestaan" was clicked)."""
    from portal.loket_access import store_authorisation
    from portal.models import PortalSettings

    connection = store_authorisation(None, tokens, None)
    portal = PortalSettings.load()
    portal.loket_connection = connection
    portal.save()
    return connection


def nl(msgid: str) -> str:
    """`msgid` as a Dutch user sees it (the portal's default language), translated or not yet."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(msgid)


def page_text(response) -> str:
    """The page's HTML with entities decoded, to search for messages with quotes in them."""
    return html.unescape(response.content.decode())


@pytest.fixture
def web(db):
    """Django's test client (`client` here is the Loket API client above)."""
    from django.test import Client

    return Client()
