"""Connecting Nmbrs' REST API through the portal's own views: the authorization code flow against the sandbox's
identity service (the state checked, the redirect URI registered whole), tokens stored encrypted, refreshed
under the row lock, and clear words for a missing scope, a foreign answer and a revoked grant."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest
from django.contrib.messages import get_messages
from django.db import connection as db
from django.test import Client
from django.urls import reverse

from connectors.nmbrs_rest.client import tls_context
from connectors.nmbrs_rest.errors import GrantRevoked
from integrations.nmbrs_rest import access
from integrations.nmbrs_rest.models import NmbrsRestConnection, NmbrsRestPortalAccess, portal_connection
from portal.models import PortalSettings
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs_rest import data

PORTAL = "http://testserver"  # Django's test client: the portal's redirect URI is ours


@pytest.fixture
def portal(db, rest_server, rest_app, settings):
    settings.PORTAL_BASE_URL = PORTAL
    rest_app.state.register_redirect_uri(PORTAL + reverse("nmbrs_rest:callback"))  # as the firm registers it
    NmbrsRestPortalAccess.objects.create(portal=PortalSettings.load(), client_id=data.CLIENT_ID,
                                         client_secret=data.CLIENT_SECRET, subscription_key=data.SUBSCRIPTION_KEY)
    return rest_server


@pytest.fixture
def alice(users) -> Client:
    web = Client()
    web.force_login(users["alice"])
    return web


def at_nmbrs(url: str, decision: str = "allow") -> dict:
    """The person at the sandbox's login: e-mail and password, then "Toestaan" (or "Weigeren")."""
    with httpx2.Client(verify=tls_context()) as browser:
        assert browser.get(url).status_code == 200
        consent = browser.post(url, data={"step": "login", "username": data.DEMO_USERNAME,
                                          "password": data.DEMO_PASSWORD})
        ticket = re.search(r'name="ticket" value="([^"]+)"', consent.text).group(1)
        back = browser.post(url, data={"step": "consent", "ticket": ticket, "decision": decision})
    assert back.status_code == 302
    location = back.headers["Location"]
    assert location.startswith(PORTAL + reverse("nmbrs_rest:callback")), "only to the registered redirect URI"
    return dict(parse_qsl(urlsplit(location).query))


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def connect(web, **changed) -> tuple:
    started = web.post(reverse("nmbrs_rest:connect"))
    assert started.status_code == 302 and started["Location"].startswith(access.rest_environment().authorize_url)
    params = {**at_nmbrs(started["Location"]), **changed}
    return web.get(reverse("nmbrs_rest:callback"), params), params


def test_connecting_stores_the_grant_encrypted(portal, alice):
    answer, _ = connect(alice)
    assert answer.status_code == 302 and answer["Location"].endswith("/settings/#nmbrs_rest")
    assert said(answer) == ["Nmbrs geautoriseerd: het portaal mag nu loondocumenten ophalen via de REST API van "
                            "Nmbrs."]
    connection = portal_connection(PortalSettings.load())
    assert connection.status == ConnectionStatus.AUTHORISED and connection.refresh_token
    assert "offline_access" in connection.scope
    with db.cursor() as cursor:
        cursor.execute("SELECT refresh_token FROM nmbrs_rest_nmbrsrestconnection WHERE id = %s", [connection.pk])
        assert connection.refresh_token not in cursor.fetchone()[0], "stored encrypted"


def test_an_answer_for_another_attempt_is_refused(portal, alice):
    answer, _ = connect(alice, state="not-this-attempt")
    assert "hoort niet bij deze poging" in said(answer)[0]
    assert portal_connection(PortalSettings.load()) is None


def test_a_missing_scope_is_named_and_nothing_is_stored(portal, alice, rest_app):
    rest_app.state.withheld_scopes = {"document.read"}
    answer, _ = connect(alice)
    assert said(answer) == ["Nmbrs gaf minder rechten dan het portaal nodig heeft (document.read), dus Nmbrs is niet "
                            "verbonden. Klik nogmaals op \"Verbind met Nmbrs\" en sta alle rechten toe."]
    assert portal_connection(PortalSettings.load()) is None


def test_a_refresh_rotates_the_stored_pair_once_under_the_lock(portal, alice, rest_app):
    connect(alice)
    connection = portal_connection(PortalSettings.load())
    before = connection.refresh_token
    rest_app.state.expire_access_tokens()
    NmbrsRestConnection.objects.filter(pk=connection.pk).update(access_token_expires_at="2000-01-01T00:00Z")
    tokens = access.ConnectionTokens(connection.pk, access.oauth())
    assert tokens() and tokens() and tokens.refreshes == 1, "kept in memory while valid"
    connection.refresh_from_db()
    assert connection.refresh_token != before, "the new refresh token is stored at once"


def test_a_revoked_grant_means_re_authorise(portal, alice, rest_app):
    connect(alice)
    connection = portal_connection(PortalSettings.load())
    rest_app.state.revoke_grants()
    NmbrsRestConnection.objects.filter(pk=connection.pk).update(access_token_expires_at="2000-01-01T00:00Z")
    with pytest.raises(GrantRevoked) as refused:
        access.ConnectionTokens(connection.pk, access.oauth())()
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.BROKEN
    assert "opnieuw worden geautoriseerd" in str(refused.value.message)
    page = alice.get(reverse("portal:settings"))
    assert "Opnieuw autoriseren nodig" in page.content.decode()
