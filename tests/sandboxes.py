"""The vendor sandboxes over real HTTP that the portal's tests share: one Yuki and one Nmbrs SOAP server per
test session, a fresh vendor app per test, and Celery run eagerly in the test process. tests/conftest.py
imports these fixtures, and so does integrations/nmbrs_rest/tests/conftest.py (a folder that cannot see
tests/conftest.py).
"""

from __future__ import annotations

import pytest

from payrollsync.celery import app as celery_app
from sandbox.nmbrs import create_app as create_nmbrs
from sandbox.server import SandboxServer
from sandbox.yuki import create_app as create_yuki
from yuki_client import clear_client_cache


class Switch:
    """One server per test session, a fresh vendor app per test."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def sandbox_servers():
    yuki, nmbrs = Switch(), Switch()
    with SandboxServer(yuki) as yuki_server, SandboxServer(nmbrs) as nmbrs_server:
        yield {"yuki": (yuki_server, yuki), "nmbrs": (nmbrs_server, nmbrs)}


@pytest.fixture
def yuki(sandbox_servers, settings, tmp_path):
    server, switch = sandbox_servers["yuki"]
    switch.app = create_yuki()
    settings.YUKI_BASE_URL = server.url + "/ws/"
    settings.YUKI_WSDL_CACHE_DIR = str(tmp_path / "wsdl")
    server.app = switch.app
    yield server
    clear_client_cache()


@pytest.fixture
def nmbrs(sandbox_servers, settings):
    server, switch = sandbox_servers["nmbrs"]
    switch.app = create_nmbrs()
    settings.NMBRS_ENVIRONMENT = server.url + "/soap/v3/"
    server.app = switch.app
    return server


@pytest.fixture
def eager_celery():
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
