"""Fixtures for the portal's Loket side (views, access): the connector's sandbox fixtures, the portal
pointed at that sandbox, the named users of tests/conftest.py, and the flow through our own views."""

from __future__ import annotations

import html

import pytest

from connectors.loket.tests import conftest as _connector
from sandbox.loket.login import log_in_at_loket

# The connector's sandbox fixtures, shared with its own tests (this folder does not see that conftest).
_shared_server = _connector._shared_server
app = _connector.app
client = _connector.client  # the Loket API client, as in the connector's tests (Django's is `web` here)
env = _connector.env
korenschoof = _connector.korenschoof
oauth = _connector.oauth
provider = _connector.provider
server = _connector.server
sleeps = _connector.sleeps
this_month = _connector.this_month
today = _connector.today
tokens = _connector.tokens

PORTAL_BASE_URL = "http://testserver"  # Django's test client host, so the redirect URL is ours


@pytest.fixture
def loket_portal(settings, server, app):
    """The portal pointed at this test's Loket sandbox, with the sandbox's own OAuth client (the portal's
    redirect URL registered with it, as a firm does at Loket)."""
    app.state.register_redirect_uri(portal_redirect_uri())
    settings.LOKET_ENVIRONMENT = "sandbox"
    settings.LOKET_SANDBOX_URL = server.url
    settings.LOKET_CLIENT_ID = ""
    settings.LOKET_CLIENT_SECRET = ""
    settings.PORTAL_BASE_URL = PORTAL_BASE_URL
    return server


def portal_redirect_uri() -> str:
    from django.urls import reverse

    return PORTAL_BASE_URL + reverse("loket:callback")


def start_connect(web, administration=None):
    """POST "Verbind met Loket" as the logged-in user of `web`; returns the response (302 to Loket)."""
    from django.urls import reverse

    data = {"administration": administration.pk} if administration is not None else {}
    return web.post(reverse("loket:connect"), data)


def connect_through_portal(web, administration=None, *, decision="allow", follow=True):
    """The whole flow: "Verbind met Loket", log in at the sandbox, "Toestaan", back to our callback."""
    from django.urls import reverse

    started = start_connect(web, administration)
    assert started.status_code == 302, started
    params = log_in_at_loket(started["Location"], decision=decision, redirect_uri=portal_redirect_uri())
    return web.get(reverse("loket:callback"), params, follow=follow)


@pytest.fixture
def portal_connection(db, loket_portal, tokens):
    """The portal's Loket connection, authorised at the sandbox (as if "Toestaan" was clicked)."""
    from integrations.loket.access import store_authorisation
    from integrations.loket.models import set_portal_connection
    from portal.models import PortalSettings

    connection = store_authorisation(None, tokens, None)
    portal = PortalSettings.load()
    set_portal_connection(portal, connection)
    return connection


def nl(msgid: str) -> str:
    """`msgid` as a Dutch user sees it (the portal's default language), translated or not yet."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(msgid)


def page_text(response) -> str:
    """The page's HTML with entities decoded, to search for messages with quotes in them."""
    return html.unescape(response.content.decode())


@pytest.fixture
def web(db):
    """Django's test client (`client` here is the Loket API client above)."""
    from django.test import Client

    return Client()
