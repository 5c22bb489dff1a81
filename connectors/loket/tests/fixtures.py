"""The Loket sandbox over real HTTP and a Loket client on top (no Django): fixtures defined once, imported by
this folder's conftest.py and by integrations/loket/tests/conftest.py (which does not see this folder)."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.documents import Period
from connectors.loket import environments
from connectors.loket.client import LoketClient
from connectors.loket.oauth import LoketOAuth
from connectors.loket.tokens import MemoryTokenProvider
from sandbox.loket import create_app, data
from sandbox.loket.login import log_in_at_loket as scripted_login
from sandbox.server import SandboxServer

REDIRECT_URI = "http://portal.test/instellingen/loket/callback"


@pytest.fixture
def app():
    return create_app(redirect_uris=[REDIRECT_URI])  # this folder's client, as registered at Loket


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
def loket_sandbox_server():
    switch = _AppSwitch()
    with SandboxServer(switch) as running:
        yield switch, running


@pytest.fixture
def server(app, loket_sandbox_server):
    switch, running = loket_sandbox_server
    switch.app = app
    yield running
    switch.app = None


@pytest.fixture
def env(server):
    return environments.sandbox(server.url + "/")


@pytest.fixture
def oauth(env):
    return LoketOAuth(env, data.CLIENT_ID, data.CLIENT_SECRET, REDIRECT_URI, timeout=2.0)


def log_in_at_loket(authorize_url: str, *, redirect_uri: str = REDIRECT_URI, **options) -> dict[str, str]:
    """The scripted user of sandbox.loket.login, coming back to this folder's redirect URI."""
    return scripted_login(authorize_url, redirect_uri=redirect_uri, **options)


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
