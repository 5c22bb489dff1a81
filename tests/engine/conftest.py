"""The import engine against the Nmbrs/Loket/Yuki sandboxes over real HTTP.

The Yuki sandbox's own record (`yuki.app.state.journals` / `.archive`) is the judge of what was booked.
Celery runs eagerly in the test process here; tests that need a real worker start one themselves.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from integrations.nmbrs.models import NmbrsCredentials
from payrollsync.celery import app as celery_app
from portal.models import Domain, ImportSettings
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import create_app as create_nmbrs
from sandbox.nmbrs import data as nmbrs_data
from sandbox.server import SandboxServer
from sandbox.yuki import create_app as create_yuki
from sandbox.yuki import data as yuki_data
from tests.vendor_state import make_administration
from yuki_client import clear_client_cache


class Switch:
    """One server per test session, a fresh vendor app per test."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def _servers():
    yuki, nmbrs = Switch(), Switch()
    with SandboxServer(yuki) as yuki_server, SandboxServer(nmbrs) as nmbrs_server:
        yield {"yuki": (yuki_server, yuki), "nmbrs": (nmbrs_server, nmbrs)}


@pytest.fixture
def yuki(_servers, settings, tmp_path):
    server, switch = _servers["yuki"]
    switch.app = create_yuki()
    settings.YUKI_BASE_URL = server.url + "/ws/"
    settings.YUKI_WSDL_CACHE_DIR = str(tmp_path / "wsdl")
    server.app = switch.app
    yield server
    clear_client_cache()


@pytest.fixture
def nmbrs(_servers, settings):
    server, switch = _servers["nmbrs"]
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


@pytest.fixture
def bakkerij_nmbrs(transactional_db, yuki, nmbrs, eager_celery):
    """An Nmbrs administration (Bakkerij Jansen, company 50001) booking into the Yuki sandbox's demo administration."""
    domain = Domain.objects.create(name="Jansen Groep", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                   payroll_link_active=True)
    return make_administration(
        domain=domain, name="Bakkerij Jansen B.V.", yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID,
        yuki_access_key=yuki_data.DEMO_ACCESS_KEY, source="nmbrs", nmbrs_company_id=50001,
        nmbrs_company_number="101", use_portal_import_settings=False,
        own_import_settings=ImportSettings.objects.create(auto_import=True, import_sepa_files=True),
        own_nmbrs_credentials=NmbrsCredentials.objects.create(
            login_email=nmbrs_data.DEMO_USERNAME, api_token=nmbrs_data.DEMO_TOKEN, tenant_key=nmbrs_data.DEMO_DOMAIN,
            status=ConnectionStatus.AUTHORISED))


def booked_in_yuki(yuki) -> list[str]:
    """What the Yuki sandbox holds: journal subjects and archive file names."""
    state = yuki.app.state
    return sorted([j.subject for j in state.journals] + [f.file_name for f in state.archive])


def fetched_entries(**filters):
    """The ledger's fetched documents, without those waiting at the source (the sandboxes' current
    wage tax returns are not final yet; tests/engine/test_waiting_at_source.py covers those)."""
    from portal.models import EntryState, LedgerEntry

    return LedgerEntry.objects.filter(**filters).exclude(state=EntryState.WAITING_AT_SOURCE)


@pytest.fixture
def page(monkeypatch):
    """Chromium (tests.support.chromium_page) that fails the test on any console error of the page."""
    from tests.support import chromium_page

    with chromium_page(monkeypatch) as page:
        errors = []

        def console(message):
            # The browser's own favicon request is no error of this page (the portal has no favicon yet).
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                errors.append(f"{message.text} {message.location.get('url', '')}")

        page.on("console", console)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        assert not errors, f"console errors: {errors}"


@pytest.fixture
def noon_today():
    """Today at 12:00 in Amsterdam, the clock ticking from there: a test that imports 'this month' (as the
    sandboxes serve it) and counts Yuki's calls per day cannot cross midnight halfway, whatever hour the
    suite runs (CI starts near midnight)."""
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(noon, tick=True) as traveller:
        yield traveller
