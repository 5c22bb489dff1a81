"""The real YukiClient against the Yuki sandbox over real HTTP, one fresh sandbox per test."""

from __future__ import annotations

import pytest

from sandbox.server import SandboxServer
from sandbox.yuki import create_app, data
from yuki_client import MemoryStore, YukiClient


class _Switch:
    """One HTTP server for the whole session (stopping one takes half a second), serving a fresh
    sandbox app per test."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def _server():
    switch = _Switch()
    with SandboxServer(switch) as server:
        server.switch = switch
        server.base_url = server.url + "/ws/"
        yield server


@pytest.fixture
def sandbox(_server):
    _server.switch.app = _server.app = create_app()
    yield _server
    _server.switch.app = _server.app = None


@pytest.fixture
def wsdl_cache(tmp_path):
    return tmp_path / "wsdl-cache"


@pytest.fixture
def store():
    return MemoryStore()


@pytest.fixture
def make_client(sandbox, wsdl_cache, store):
    def make(**overrides) -> YukiClient:
        options = {"domain_id": data.DEMO_DOMAIN_ID, "store": store, "wsdl_cache_dir": wsdl_cache, "timeout": 5.0}
        access_key = overrides.pop("access_key", data.DEMO_ACCESS_KEY)
        options.update(overrides)
        return YukiClient(sandbox.base_url, access_key, **options)

    return make


@pytest.fixture
def client(make_client) -> YukiClient:
    return make_client()
