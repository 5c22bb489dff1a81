"""Rotating refresh tokens: each works once, re-read after invalid_grant, and the client's 401 path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from connectors.loket import endpoints
from connectors.loket.client import LoketClient
from connectors.loket.errors import ConnectionBroken, InvalidGrant, LoketUnauthorized
from connectors.loket.tests.conftest import api_calls
from connectors.loket.tokens import MemoryTokenProvider, refresh_rotating


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
