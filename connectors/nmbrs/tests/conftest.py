"""The Nmbrs sandbox served over real HTTP, and clients pointed at it."""

from __future__ import annotations

import pytest

from connectors.nmbrs.client import NmbrsClient, NmbrsCredentials
from connectors.nmbrs.source import NmbrsSource
from sandbox.nmbrs import create_app, data
from sandbox.server import SandboxServer


class _CurrentApp:
    """One HTTP server for the session (stopping one costs 0.5 s), a fresh sandbox per test."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def _served():
    current = _CurrentApp()
    with SandboxServer(current) as server:
        yield server, current


@pytest.fixture
def nmbrs_app(_served):
    app = create_app()
    _served[1].app = app
    return app


@pytest.fixture
def nmbrs_server(_served, nmbrs_app):
    return _served[0]


@pytest.fixture
def base_url(nmbrs_server) -> str:
    return f"{nmbrs_server.url}/soap/v3/"


@pytest.fixture
def make_client(base_url):
    def make(username=data.DEMO_USERNAME, token=data.DEMO_TOKEN, domain=data.DEMO_DOMAIN, **kwargs):
        kwargs.setdefault("retry_delay", 0)
        return NmbrsClient(NmbrsCredentials(username, token, domain), base_url, **kwargs)

    return make


@pytest.fixture
def client(make_client) -> NmbrsClient:
    return make_client()


@pytest.fixture
def source(client) -> NmbrsSource:
    return NmbrsSource(client)


@pytest.fixture
def today(nmbrs_app):
    return nmbrs_app.state.today()


# --- The portal's views against the sandbox (test_views_*.py) --------------------------------------
# The portal's named users and domains (tests/conftest.py), imported because connectors/ does not see
# that conftest. Its `login` fixture is not: here `client` is the Nmbrs client, so `login` is ours.
from tests.conftest import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: E402, F401


@pytest.fixture
def login(db):
    """login(user) -> a Django test client logged in as `user` (one per call: several users per test)."""
    from django.test import Client

    def as_user(user, language=None):
        web = Client()
        web.force_login(user)
        if language:
            from portal.languages import choose_language

            choose_language(user, language)  # the person's stored choice, as their profile page sets it
        return web

    return as_user


@pytest.fixture
def portal_nmbrs(settings, base_url):
    """The portal talks to the sandbox served over HTTP."""
    settings.NMBRS_ENVIRONMENT = base_url
    return base_url
