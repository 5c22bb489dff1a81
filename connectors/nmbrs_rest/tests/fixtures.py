"""The Nmbrs REST sandbox over real HTTP, every exchange checked against Nmbrs' OpenAPI description: the fixtures
of connectors/nmbrs_rest/tests/ (its conftest.py imports them) that integrations/nmbrs_rest/tests/ and
tests/browser/ use too.

One server per session; a fresh sandbox per test. The sandbox's answers pass through `ValidatingApp`
and the connector's requests through `connector_hooks`: a test ends with a check that neither side
broke the spec. The payroll world is pinned to 18-11-2026; the sandbox's clock for tokens and bursts is
a fake one that the client's retry sleeps move forward (so a Retry-After is really waited out).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest

from connectors.nmbrs_rest import environments
from connectors.nmbrs_rest.client import NmbrsRestClient, tls_context
from connectors.nmbrs_rest.oauth import NmbrsRestOAuth, parse_callback
from connectors.nmbrs_rest.source import NmbrsRestSource
from connectors.nmbrs_rest.tasks import Polling
from connectors.nmbrs_rest.tests import spec
from connectors.nmbrs_rest.tokens import MemoryTokens, TokenProvider
from sandbox.nmbrs_rest import create_app, data
from sandbox.server import SandboxServer

TODAY = date(2026, 11, 18)
REDIRECT_URI = "http://127.0.0.1:8000/nmbrs-rest/callback/"
FAST_POLLING = Polling(first_delay=0.01, max_delay=0.05, max_wait=15.0, concurrency=8)  # a busy machine is slow


class FakeClock:
    def __init__(self, now: float = 1_790_000_000.0):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class CurrentApp:
    """The app the session's one server hands each request to: each test sets its own."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def rest_sandbox_server():
    """(server, the CurrentApp it serves, the ValidatingApp around it): one per session."""
    spec.openapi()  # once per session, before any server thread needs it
    current = CurrentApp()
    validating = spec.ValidatingApp(current)
    with SandboxServer(validating) as server:
        yield server, current, validating


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rest_app(rest_sandbox_server, clock):
    app = create_app(redirect_uris=[REDIRECT_URI])
    app.state.clock = clock
    app.state.payroll.clock = lambda: TODAY
    app.state.burst_calls = 100_000  # the burst test lowers it
    rest_sandbox_server[1].app = app
    validating = rest_sandbox_server[2]
    validating.failures.clear()
    yield app
    failures, validating.failures[:] = list(validating.failures), []
    assert not failures, f"the sandbox answered outside Nmbrs' OpenAPI description: {failures}"


@pytest.fixture
def environment(rest_sandbox_server, rest_app) -> environments.NmbrsRestEnvironment:
    return environments.sandbox(rest_sandbox_server[0].url)


@pytest.fixture
def oauth(environment) -> NmbrsRestOAuth:
    return NmbrsRestOAuth(environment, data.CLIENT_ID, data.CLIENT_SECRET, REDIRECT_URI)


def connect(oauth: NmbrsRestOAuth, username: str = data.DEMO_USERNAME, password: str = data.DEMO_PASSWORD):
    """A person connects Nmbrs: the authorize page, login, consent, back to the portal, code exchange."""
    url, state = oauth.authorization_url()
    with httpx2.Client(verify=tls_context()) as browser:
        assert browser.get(url).status_code == 200
        consent = browser.post(url, data={"step": "login", "username": username, "password": password})
        ticket = re.search(r'name="ticket" value="([^"]+)"', consent.text).group(1)
        back = browser.post(url, data={"step": "consent", "ticket": ticket, "decision": "allow"})
    assert back.status_code == 302
    location = back.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return oauth.exchange_code(parse_callback(dict(parse_qsl(urlsplit(location).query)), state))


@pytest.fixture
def store(oauth) -> MemoryTokens:
    return MemoryTokens(connect(oauth))


@pytest.fixture
def spec_failures() -> list[str]:
    return []


@pytest.fixture
def make_client(environment, oauth, store, clock, spec_failures):
    made = []

    def make(subscription_key: str = data.SUBSCRIPTION_KEY, **kwargs) -> NmbrsRestClient:
        provider = TokenProvider(oauth, store.load, store.save)
        kwargs.setdefault("sleep", clock.sleep)
        client = NmbrsRestClient(environment.api_base, subscription_key, provider,
                                 event_hooks=spec.connector_hooks(spec_failures), **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
    assert not spec_failures, f"the connector sent requests outside Nmbrs' OpenAPI description: {spec_failures}"


@pytest.fixture
def client(make_client) -> NmbrsRestClient:
    return make_client()


@pytest.fixture
def source(client) -> NmbrsRestSource:
    return NmbrsRestSource(client, polling=FAST_POLLING)


@pytest.fixture
def company(source):
    """Bakkerij Jansen B.V. (number 101: three employees, a correction run in March 2025)."""
    return next(c for c in source.companies() if c.number == "101")
