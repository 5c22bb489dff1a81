"""Fixtures shared by the portal's tests (tests/ and its folders): the named people (tests/people.py), the
vendor sandboxes over real HTTP, a portal full of realistic data, and a real Celery worker.

Where a fixture lives: in the conftest.py of the nearest folder that holds every test using it, defined
once (README "Architecture", tests paragraph; tests/test_architecture.py checks it). Helpers that are not
fixtures live in modules (tests/support.py, tests/people.py): nothing imports from a conftest.py.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from integrations.nmbrs.models import NmbrsCredentials
from portal.models import Domain, ImportSettings
from portal.models.connections import ConnectionStatus
from sandbox.loket import create_app as create_loket
from sandbox.nmbrs import create_app as create_nmbrs
from sandbox.nmbrs import data as nmbrs_data
from sandbox.server import SandboxServer
from sandbox.yuki import data as yuki_data
from tests.people import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: F401 - fixtures
from tests.sandboxes import eager_celery, nmbrs, sandbox_servers, yuki  # noqa: F401 - fixtures
from tests.support import celery_worker, kill_task_process, point_portal_at_loket
from tests.vendor_state import make_administration


@pytest.fixture(autouse=True)
def _forget_yuki_sessions():
    """Each test starts with a fresh database and Yuki sandbox: no Yuki session remembered in-process."""
    from portal.yuki_store import forget_sessions

    forget_sessions()
    yield
    forget_sessions()


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


# -- the vendor sandboxes over real HTTP (Yuki and Nmbrs SOAP: tests/sandboxes.py) ---------------------------
@pytest.fixture
def loket(settings):
    """The Loket sandbox with the portal's redirect URL registered (as a firm registers it at Loket)."""
    from integrations.loket.access import redirect_uri

    app = create_loket(redirect_uris=[redirect_uri()])
    with SandboxServer(app) as server:
        server.app = app
        point_portal_at_loket(settings, server.url)
        yield server


@pytest.fixture
def nmbrs_companies(settings):
    """The Nmbrs sandbox over HTTP as the portal's shared Nmbrs access: the list of companies it sees."""
    from tests.support import share_nmbrs_access

    app = create_nmbrs()
    with SandboxServer(app) as server:
        settings.NMBRS_ENVIRONMENT = server.url + "/soap/v3/"
        share_nmbrs_access()
        yield app.state.companies


@pytest.fixture
def bakkerij_nmbrs(transactional_db, yuki, nmbrs, eager_celery):  # noqa: F811 - imported fixtures
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


@pytest.fixture
def realistic_portal(transactional_db, yuki, nmbrs, loket, eager_celery, settings):  # noqa: F811 - imported fixtures
    """A portal full of realistic data (tests/i18n/realistic.py), made by the engine against the sandboxes."""
    from django.utils import translation

    from tests.i18n import realistic

    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with translation.override(settings.LANGUAGE_CODE):  # as a worker: no person, the portal's language
        portal = realistic.build()
    yield portal
    cache.clear()


# -- a real Celery worker -----------------------------------------------------------------------------------
# The settings a worker process takes over from the test: the sandboxes and the portal it must reach, and
# how soon it retries or checks an upload.
WORKER_SETTINGS = ("YUKI_BASE_URL", "YUKI_WSDL_CACHE_DIR", "LOKET_ENVIRONMENT", "LOKET_SANDBOX_URL",
                   "NMBRS_ENVIRONMENT", "PORTAL_BASE_URL", "IMPORT_RECONCILE_DELAY_SECONDS", "IMPORT_RETRY_SECONDS")
# Fixtures that change those settings: set up before the worker starts, whatever order the test names them in.
_WORKER_REACHES = ("live_server", "vendors", "yuki", "nmbrs", "loket", "bakkerij_nmbrs")


@pytest.fixture
def worker(request, transactional_db, settings):
    """A real Celery worker process on a private queue (tests.support.celery_worker) that reaches what this
    test reaches. The test's `celery_worker` mark may choose `pool`, `concurrency` (2 by default, as the
    journeys need: one process pushes while another answers) and settings for both sides, e.g.
    `@pytest.mark.celery_worker(concurrency=1, IMPORT_RECONCILE_DELAY_SECONDS=0)`; any other upper-case
    name is passed to the worker's environment only. Yields the process: `.queue`, `.kill_child()`."""
    for name in _WORKER_REACHES:
        if name in request.fixturenames:
            request.getfixturevalue(name)
    mark = request.node.get_closest_marker("celery_worker")
    options = dict(mark.kwargs) if mark else {}
    pool, concurrency = options.pop("pool", "prefork"), options.pop("concurrency", 2)
    for name, value in options.items():
        if hasattr(settings, name):
            setattr(settings, name, value)
    env = {name: getattr(settings, name) for name in WORKER_SETTINGS} | options
    with celery_worker(settings, pool=pool, concurrency=concurrency, **env) as process:
        process.kill_child = lambda: kill_task_process(process)
        yield process
