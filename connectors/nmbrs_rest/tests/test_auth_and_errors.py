"""Connecting (OAuth against the identity service), the subscription key, scopes, and the error classes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from connectors.nmbrs_rest import errors, scopes
from connectors.nmbrs_rest.tests.fixtures import connect
from connectors.nmbrs_rest.tokens import MemoryTokens, TokenProvider
from sandbox.nmbrs_rest import data


def test_the_authorize_url_asks_for_the_spec_scopes_with_offline_access(oauth, environment):
    url, state = oauth.authorization_url()
    asked = parse_qs(urlsplit(url).query)
    assert url.startswith(environment.authorize_url)
    assert asked["response_type"] == ["code"] and asked["state"] == [state]
    assert asked["client_id"] == [data.CLIENT_ID] and asked["redirect_uri"] == ["http://127.0.0.1:8000/nmbrs-rest/callback/"]
    assert asked["scope"][0].split() == list(scopes.REQUESTED)
    assert "offline_access" in asked["scope"][0].split()


def test_every_call_carries_the_subscription_key_and_a_refresh_is_persisted(rest_app, oauth, store, make_client):
    saved = []
    provider = TokenProvider(oauth, store.load, lambda tokens: (saved.append(tokens), store.save(tokens)))
    client = make_client()
    client.token_provider = provider
    first = store.tokens
    rest_app.state.expire_access_tokens()  # Nmbrs no longer takes the access token: one refresh, then on
    assert [d.number for d in client.debtors()] == ["D1001", "D1002", "D1003"]
    assert provider.refreshes == 1 and saved == [store.tokens] and store.tokens.refresh_token != first.refresh_token
    assert {r["subscription_key"] for r in rest_app.state.requests} == {data.SUBSCRIPTION_KEY}


def test_a_wrong_subscription_key_is_permanent_and_costs_no_refresh(make_client, store):
    before = store.tokens
    client = make_client(subscription_key="0" * 32)
    with pytest.raises(errors.InvalidSubscriptionKey) as raised:
        client.debtors()
    assert raised.value.permanent and raised.value.status == 401
    assert store.tokens == before  # a new token does not mend a key: none was asked for


def test_a_revoked_grant_is_permanent(rest_app, client):
    rest_app.state.revoke_grants()
    with pytest.raises(errors.GrantRevoked) as raised:
        client.debtors()
    assert raised.value.permanent and raised.value.error == "invalid_grant"


def test_a_grant_without_a_needed_scope_is_refused_when_connecting(rest_app, oauth):
    rest_app.state.withheld_scopes = {scopes.COMPANY_DOCUMENTS}
    with pytest.raises(errors.MissingScope) as raised:
        connect(oauth)
    assert raised.value.scope == scopes.COMPANY_DOCUMENTS and raised.value.permanent


def test_a_call_outside_the_granted_scopes_names_the_scope(rest_app, client, company):
    state = rest_app.state
    state.access_tokens = {token: (user, tuple(s for s in granted if s != scopes.COMPANY_DOCUMENTS), expiry)
                           for token, (user, granted, expiry) in state.access_tokens.items()}
    run = client.runs(company.id, 2026)[0]
    with pytest.raises(errors.MissingScope) as raised:
        client.start_task(f"/api/companies/{company.id}/runs/{run.id}/journals", {"year": 2026})
    assert raised.value.scope == "company.document.read" and raised.value.status == 403


def test_429_waits_out_retry_after_then_succeeds(rest_app, client, clock):
    rest_app.state.burst_calls, rest_app.state.burst_seconds, rest_app.state.retry_after = 2, 1.0, 1
    for _ in range(6):
        client.debtors()
    assert clock.slept == [1.0, 1.0]  # the third call of a second waited the second Nmbrs named, twice
    assert sum(1 for r in rest_app.state.requests if r["path"] == "/api/debtors") == 8  # 6 + the two refused


def test_a_retry_after_beyond_the_bound_is_a_transient_error(rest_app, make_client, clock):
    rest_app.state.burst_calls, rest_app.state.retry_after = 0, 600
    with pytest.raises(errors.RateLimited) as raised:
        make_client(max_retry_after=60).debtors()
    assert raised.value.transient and raised.value.retry_after == 600 and clock.slept == []


def test_5xx_is_retried_and_then_transient(rest_app, make_client, clock):
    rest_app.faults.add("http_error", vendor="nmbrs_rest", operation="GET /api/debtors", status=503, times=2,
                        body='{"type": "apiError", "httpStatus": 503, "code": 50301, "title": "Service_Unavailable"}')
    assert len(make_client().debtors()) == 3
    rest_app.faults.add("http_error", vendor="nmbrs_rest", operation="GET /api/debtors", status=502, times=0,
                        body='{"type": "apiError", "httpStatus": 502, "code": 50201, "title": "Bad_Gateway"}')
    with pytest.raises(errors.NmbrsRestUnavailable) as raised:
        make_client(max_attempts=3).debtors()
    assert raised.value.transient and raised.value.status == 502


def test_tokens_survive_a_round_trip_through_storage(store):
    again = MemoryTokens(type(store.tokens).from_dict(store.tokens.as_dict()))
    assert again.tokens == store.tokens and "company.document.read" in again.tokens.scope.split()
