"""Fixtures for the portal's Loket side (views, access): the connector's sandbox fixtures
(connectors/loket/tests/fixtures.py), the named people (tests/people.py), and the portal pointed at that
sandbox. The flow through our own views is in flow.py."""

from __future__ import annotations

import pytest

from connectors.loket.tests.fixtures import (  # noqa: F401 - the connector's sandbox fixtures
    app,
    client,  # the Loket API client, as in the connector's tests (Django's is `web` here)
    env,
    korenschoof,
    loket_sandbox_server,
    oauth,
    provider,
    server,
    sleeps,
    this_month,
    today,
    tokens,
)
from integrations.loket.tests.flow import PORTAL_BASE_URL, portal_redirect_uri
from tests.people import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: F401 - the named people
from tests.support import point_portal_at_loket


@pytest.fixture
def loket_portal(settings, server, app):  # noqa: F811 - imported fixtures, requested by name
    """The portal pointed at this test's Loket sandbox, with the sandbox's own OAuth client (the portal's
    redirect URL registered with it, as a firm does at Loket)."""
    app.state.register_redirect_uri(portal_redirect_uri())
    point_portal_at_loket(settings, server.url)
    settings.PORTAL_BASE_URL = PORTAL_BASE_URL
    return server


@pytest.fixture
def portal_connection(db, loket_portal, tokens):  # noqa: F811 - an imported fixture
    """The portal's Loket connection, authorised at the sandbox (as if "Toestaan" was clicked)."""
    from integrations.loket.access import store_authorisation
    from integrations.loket.models import set_portal_connection
    from portal.models import PortalSettings

    connection = store_authorisation(None, tokens, None)
    portal = PortalSettings.load()
    set_portal_connection(portal, connection)
    return connection


@pytest.fixture
def web(db):
    """Django's test client (`client` here is the Loket API client above)."""
    from django.test import Client

    return Client()
