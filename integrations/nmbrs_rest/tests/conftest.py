"""Fixtures for the portal's Nmbrs REST side: the connector's REST sandbox (every answer checked against Nmbrs'
OpenAPI description, and here every request the portal's client sends too), the engine's Yuki and Nmbrs SOAP
sandboxes, and the portal pointed at them. The payroll world of both Nmbrs sandboxes is one and the same
(the REST sandbox reads the SOAP sandbox's state), pinned to 18-11-2026."""

from __future__ import annotations

import pytest

from connectors.nmbrs_rest.tests import conftest as _connector
from connectors.nmbrs_rest.tests import spec
from tests.conftest import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: F401
from tests.engine import conftest as _engine

_served = _connector._served
clock = _connector.clock
rest_app = _connector.rest_app
_servers = _engine._servers
yuki = _engine.yuki
nmbrs = _engine.nmbrs
eager_celery = _engine.eager_celery
TODAY = _connector.TODAY
REDIRECT_URI = _connector.REDIRECT_URI


@pytest.fixture
def rest_server(_served, rest_app, settings, monkeypatch):
    """The portal pointed at the REST sandbox; every request of the portal's clients checked against the spec."""
    from integrations.nmbrs_rest import access

    failures: list[str] = []
    monkeypatch.setattr(access, "EXTRA_CLIENT_OPTIONS", {"event_hooks": spec.connector_hooks(failures)})
    settings.NMBRS_REST_ENVIRONMENT = _served[0].url
    yield _served[0]
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
    connection = store_authorisation(None, _connector.connect(oauth), None)
    set_portal_connection(PortalSettings.load(), connection)
    return connection


page = _engine.page  # Chromium that fails the test on any console error
