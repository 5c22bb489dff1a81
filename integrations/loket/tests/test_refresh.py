"""Rotating refresh tokens: each works once, re-read after invalid_grant, and the client's 401 path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx2
import pytest

from connectors.loket import endpoints, environments
from connectors.loket.client import LoketClient
from connectors.loket.errors import ConnectionBroken, InvalidGrant, LoketUnauthorized, OAuthError
from connectors.loket.oauth import LoketOAuth, TokenSet
from connectors.loket.tests.fixtures import REDIRECT_URI, api_calls
from connectors.loket.tokens import MemoryTokenProvider, refresh_rotating
from integrations.loket.models import LoketConnection


def _token_calls(app) -> int:
    return app.faults.calls.get("loket:POST /oauth/token", 0)


def test_a_refresh_gives_a_new_pair_and_the_old_refresh_token_is_dead(oauth, tokens):
    fresh = oauth.refresh(tokens.refresh_token)
    assert fresh.refresh_token != tokens.refresh_token and fresh.access_token != tokens.access_token
    with pytest.raises(InvalidGrant):
        oauth.refresh(tokens.refresh_token)
    again = oauth.refresh(fresh.refresh_token)  # the new one works, once
    assert again.refresh_token not in (fresh.refresh_token, tokens.refresh_token)


def test_after_invalid_grant_a_newer_stored_token_is_used_without_another_refresh(oauth, tokens, app):
    newer = oauth.refresh(tokens.refresh_token)  # another worker rotated and stored this
    calls_before = _token_calls(app)
    result = refresh_rotating(oauth, tokens, reread=lambda: newer)
    assert result == newer
    assert _token_calls(app) == calls_before + 1  # only the failed attempt with the stale token


def test_after_invalid_grant_a_newer_but_stale_stored_token_is_refreshed(oauth, tokens):
    newer = oauth.refresh(tokens.refresh_token)
    stale = replace(newer, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    result = refresh_rotating(oauth, tokens, reread=lambda: stale)
    assert result.refresh_token not in (tokens.refresh_token, newer.refresh_token)


def test_invalid_grant_with_nothing_newer_stored_means_the_connection_is_broken(oauth, tokens, app):
    app.state.revoke_refresh_tokens()
    with pytest.raises(ConnectionBroken, match="Verbind met Loket"):
        refresh_rotating(oauth, tokens, reread=lambda: tokens)
    with pytest.raises(ConnectionBroken):
        refresh_rotating(oauth, tokens, reread=lambda: None)


def test_the_provider_refreshes_an_access_token_about_to_expire(oauth, tokens, env, app):
    expiring = replace(tokens, expires_at=datetime.now(UTC) + timedelta(seconds=30))
    saved = []
    provider = MemoryTokenProvider(oauth, expiring, on_refresh=saved.append)
    with LoketClient(env.api_base, provider) as client:
        client.get_page(endpoints.ADMINISTRATIONS)
        client.get_page(endpoints.ADMINISTRATIONS)
    assert provider.refreshes == 1 and saved == [provider.tokens]
    used = {call["authorization"] for call in api_calls(app, "/administrations")}
    assert used == {f"Bearer {provider.tokens.access_token}"}


def test_a_401_makes_the_client_refresh_once_and_repeat_the_call(client, provider, app):
    app.state.expire_access_tokens()  # Loket stops accepting the token before our clock says so
    page = client.get_page(endpoints.ADMINISTRATIONS)
    assert page.total_size == 5
    assert provider.refreshes == 1
    assert [c["authorization"] for c in api_calls(app, "/administrations")][-1] == \
        f"Bearer {provider.tokens.access_token}"


def test_a_401_after_the_refresh_asks_for_a_new_authorisation(client, provider, app):
    app.faults.add("http_error", vendor="loket", operation="GET /api/v2/*", status=401, times=0,
                   headers={"Content-Type": "application/json"}, body='{"messages": []}')
    with pytest.raises(LoketUnauthorized, match="Verbind met Loket"):
        client.get_page(endpoints.ADMINISTRATIONS)
    assert provider.refreshes == 1  # not a refresh loop
    assert app.faults.calls["loket:GET /api/v2/providers/employers/administrations"] == 2


def test_a_401_with_a_revoked_authorisation_ends_in_connection_broken(client, app):
    app.state.expire_access_tokens()
    app.state.revoke_refresh_tokens()
    with pytest.raises(ConnectionBroken):
        client.get_page(endpoints.ADMINISTRATIONS)


# --- RFC 6749 section 6: a refresh answer without a refresh token keeps the one we have ------------

MOCK_LOKET = environments.sandbox("https://loket.test/")


def _answer(**refresh_token):
    return {"access_token": "issued-access", "token_type": "bearer", "expires_in": 3599, **refresh_token}


class TokenEndpoint(httpx2.MockTransport):
    """A token endpoint that answers every POST with `answer` and keeps the requests it got."""

    def __init__(self, url: str, answer: dict):
        self.requests: list[httpx2.Request] = []

        def handle(request: httpx2.Request) -> httpx2.Response:
            assert (request.method, str(request.url)) == ("POST", url), "only the token endpoint is called"
            self.requests.append(request)
            return httpx2.Response(200, json=answer)

        super().__init__(handle)


@pytest.mark.parametrize("refresh_token", [{}, {"refresh_token": None}, {"refresh_token": ""}],
                         ids=["absent", "null", "empty"])
def test_a_refresh_answer_without_a_refresh_token_keeps_the_stored_one(refresh_token):
    endpoint = TokenEndpoint(MOCK_LOKET.token_url, _answer(**refresh_token))
    oauth = LoketOAuth(MOCK_LOKET, "client", "secret", REDIRECT_URI, transport=endpoint)
    fresh = oauth.refresh("stored-refresh")
    assert fresh.access_token == "issued-access", "the access token Loket issued is used"
    assert fresh.refresh_token == "stored-refresh"
    assert not fresh.is_expired()
    assert "refresh_token=stored-refresh" in endpoint.requests[-1].content.decode()


def test_the_provider_uses_the_kept_refresh_token_for_the_next_refresh():
    endpoint = TokenEndpoint(MOCK_LOKET.token_url, _answer(refresh_token=None))
    oauth = LoketOAuth(MOCK_LOKET, "client", "secret", REDIRECT_URI, transport=endpoint)
    expired = TokenSet("old-access", "stored-refresh", datetime.now(UTC) - timedelta(seconds=1))
    saved = []
    provider = MemoryTokenProvider(oauth, expired, on_refresh=saved.append)
    assert provider() == "issued-access"
    assert provider(force_refresh=True) == "issued-access"
    assert [t.refresh_token for t in saved] == ["stored-refresh", "stored-refresh"]
    assert all("refresh_token=stored-refresh" in request.content.decode() for request in endpoint.requests)
    assert len(endpoint.requests) == 2


def test_a_code_exchange_without_a_refresh_token_is_still_refused():
    endpoint = TokenEndpoint(MOCK_LOKET.token_url, _answer(refresh_token=None))
    oauth = LoketOAuth(MOCK_LOKET, "client", "secret", REDIRECT_URI, transport=endpoint)
    with pytest.raises(OAuthError, match="no refresh_token"):
        oauth.exchange_code("a-code")


def test_the_portals_connection_keeps_its_refresh_token_when_loket_sends_none(portal_connection, monkeypatch):
    from integrations.loket import access as loket_access


    stored_refresh = portal_connection.refresh_token
    endpoint = TokenEndpoint(loket_access.loket_environment().token_url, _answer(refresh_token=None))
    monkeypatch.setattr(loket_access, "LoketOAuth", partial(LoketOAuth, transport=endpoint))
    assert loket_access.ConnectionTokenProvider(portal_connection.pk)(force_refresh=True) == "issued-access"
    assert len(endpoint.requests) == 1
    connection = LoketConnection.objects.get(pk=portal_connection.pk)
    assert connection.status == "authorised"
    assert (connection.access_token, connection.refresh_token) == ("issued-access", stored_refresh)
