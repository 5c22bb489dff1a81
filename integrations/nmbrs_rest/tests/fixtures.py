"""The portal pointed at the Nmbrs REST sandbox: the fixtures and helpers of integrations/nmbrs_rest/tests/ (its
conftest.py imports them) that tests/browser/test_journey_nmbrs_rest.py uses too. The REST sandbox checks each
of its answers, and here the portal's client each request, against Nmbrs' OpenAPI description; the payroll
world of both Nmbrs sandboxes is one and the same (the REST sandbox reads the SOAP sandbox's state), pinned to
18-11-2026."""

from __future__ import annotations

import pytest

from connectors.documents import DocumentKind, Period
from connectors.nmbrs_rest.tests import spec
from connectors.nmbrs_rest.tests.fixtures import REDIRECT_URI, TODAY, connect
from integrations.nmbrs_rest.models import NmbrsRestLink
from portal import tasks
from portal.imports import runs
from portal.models import Domain, ImportRun, ImportSettings, RunTrigger
from sandbox.yuki import data as yuki_data
from tests.vendor_state import make_administration, nmbrs_options

OCTOBER = Period.month(2026, 10)
PLAN = {kind: (OCTOBER,) for kind in (DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.WAGE_TAX_RETURN,
                                      DocumentKind.SEPA)}


@pytest.fixture
def rest_server(rest_sandbox_server, rest_app, settings, monkeypatch):
    """The portal pointed at the REST sandbox; every request of the portal's clients checked against the spec."""
    from integrations.nmbrs_rest import access

    server = rest_sandbox_server[0]
    failures: list[str] = []
    monkeypatch.setattr(access, "EXTRA_CLIENT_OPTIONS", {"event_hooks": spec.connector_hooks(failures)})
    settings.NMBRS_REST_ENVIRONMENT = server.url
    yield server
    assert not failures, f"the portal sent requests outside Nmbrs' OpenAPI description: {failures}"


@pytest.fixture
def one_world(rest_app, nmbrs):
    """The SOAP sandbox's payroll world is the REST sandbox's too, on 18-11-2026."""
    nmbrs.app.state.clock = lambda: TODAY
    rest_app.state.payroll = nmbrs.app.state
    return nmbrs.app.state


@pytest.fixture
def portal_rest_connection(db, rest_server, rest_app):
    """The portal's Nmbrs REST connection, authorised at the sandbox (login and "Toestaan" done)."""
    from connectors.nmbrs_rest import environments
    from connectors.nmbrs_rest.oauth import NmbrsRestOAuth
    from integrations.nmbrs_rest.access import store_authorisation
    from integrations.nmbrs_rest.models import NmbrsRestPortalAccess, set_portal_connection
    from portal.models import PortalSettings
    from sandbox.nmbrs_rest import data

    NmbrsRestPortalAccess.objects.update_or_create(portal=PortalSettings.load(), defaults={
        "client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET, "subscription_key": data.SUBSCRIPTION_KEY})
    oauth = NmbrsRestOAuth(environments.sandbox(rest_server.url), data.CLIENT_ID, data.CLIENT_SECRET, REDIRECT_URI)
    connection = store_authorisation(None, connect(oauth), None)
    set_portal_connection(PortalSettings.load(), connection)
    return connection


def import_now(administration, plan=PLAN) -> ImportRun:
    """Import the plan (October 2026's documents by default) now; with eager Celery fetched and pushed here."""
    run = runs.create_run(administration, trigger=RunTrigger.MANUAL, plan=plan)
    tasks.enqueue(run)
    run.refresh_from_db()
    return run


def jansen_administration(source: str, **links):
    """Bakkerij Jansen B.V. booking into the Yuki sandbox's demo administration, importing from `source`."""
    domain = Domain.objects.create(name="Jansen Groep", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                   payroll_link_active=True)
    settings_row = ImportSettings.objects.create(auto_import=True, import_sepa_files=True)
    nmbrs_options(settings_row, wage_tax_return_status="any")  # the sandbox's October return is not locked yet
    return make_administration(
        domain=domain, name="Bakkerij Jansen B.V.", yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID,
        yuki_access_key=yuki_data.DEMO_ACCESS_KEY, source=source, relation_code="101",
        use_portal_import_settings=False, own_import_settings=settings_row, **links)


def link_rest(administration, connection, **fields) -> None:
    """Link the administration to its own REST connection (not the portal's)."""
    NmbrsRestLink.objects.update_or_create(administration=administration, defaults={
        "use_portal_access": False, "own_connection": connection, **fields})
    administration._state.fields_cache.pop("nmbrs_rest_link", None)
