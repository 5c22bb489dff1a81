"""The Nmbrs sandbox served over real HTTP, and clients pointed at it: fixtures defined once, imported by
this folder's conftest.py and by integrations/nmbrs/tests/conftest.py (which does not see this folder)."""

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
def nmbrs_sandbox_server():
    current = _CurrentApp()
    with SandboxServer(current) as server:
        yield server, current


@pytest.fixture
def nmbrs_app(nmbrs_sandbox_server):
    app = create_app()
    nmbrs_sandbox_server[1].app = app
    return app


@pytest.fixture
def nmbrs_server(nmbrs_sandbox_server, nmbrs_app):
    return nmbrs_sandbox_server[0]


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
