"""Authorising the portal at Loket: authorize URL, login + consent, callback checks, code exchange."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest

from connectors.loket.errors import (
    ConsentDenied,
    InvalidGrant,
    OAuthError,
    OAuthTransientError,
    StateMismatch,
)
from connectors.loket.oauth import LoketOAuth, parse_callback
from connectors.loket.tests.fixtures import REDIRECT_URI, log_in_at_loket
from sandbox.loket import data


def test_authorize_url_asks_for_a_code_with_scope_all_and_our_state(oauth, env):
    url, state = oauth.authorization_url()
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert url.startswith(env.authorize_url + "?")
    assert params == {"response_type": "code", "client_id": data.CLIENT_ID, "redirect_uri": REDIRECT_URI,
                      "scope": "all", "state": state}
    assert len(state) >= 32
    assert oauth.authorization_url()[1] != state  # a fresh state per attempt


def test_login_toestaan_and_callback_give_tokens_that_expire_in_about_an_hour(oauth):
    url, state = oauth.authorization_url()
    back = log_in_at_loket(url)
    code = parse_callback(back, expected_state=state)
    tokens = oauth.exchange_code(code)
    assert tokens.access_token and tokens.refresh_token and tokens.access_token != tokens.refresh_token
    remaining = (tokens.expires_at - datetime.now(UTC)).total_seconds()
    assert 3590 < remaining <= 3599
    assert not tokens.is_expired()


def test_wrong_password_shows_the_login_form_again_with_an_error(oauth):
    url, _ = oauth.authorization_url()
    with httpx2.Client() as browser:
        answer = browser.post(url, data={"step": "login", "username": data.DEMO_USERNAME, "password": "nope"})
    assert answer.status_code == 200
    assert "Onjuiste gebruikersnaam of wachtwoord" in answer.text and "Toestaan" not in answer.text


def test_weigeren_ends_in_consent_denied(oauth):
    url, state = oauth.authorization_url()
    back = log_in_at_loket(url, decision="deny")
    assert back == {"error": "access_denied", "state": state}
    with pytest.raises(ConsentDenied, match="Weigeren"):
        parse_callback(back, expected_state=state)


def test_a_state_that_is_not_ours_is_refused_before_anything_else(oauth):
    url, _ = oauth.authorization_url()
    back = log_in_at_loket(url)
    with pytest.raises(StateMismatch):
        parse_callback(back, expected_state="another-session-state")
    with pytest.raises(StateMismatch):
        parse_callback(back, expected_state=None)  # no login attempt in this session at all


def test_other_errors_on_the_redirect_carry_loket_description():
    with pytest.raises(OAuthError, match="invalid_scope") as caught:
        parse_callback({"state": "s", "error": "invalid_scope", "error_description": "bad scope"}, "s")
    assert caught.value.description == "bad scope" and not isinstance(caught.value, ConsentDenied)
    with pytest.raises(OAuthError, match="without an authorization code"):
        parse_callback({"state": "s"}, "s")


def test_a_code_works_once(oauth):
    url, state = oauth.authorization_url()
    code = parse_callback(log_in_at_loket(url), state)
    oauth.exchange_code(code)
    with pytest.raises(InvalidGrant, match="invalid_grant"):
        oauth.exchange_code(code)


def test_an_expired_code_is_invalid_grant(oauth, app):
    app.state.code_ttl = -1  # every code is born expired
    url, state = oauth.authorization_url()
    code = parse_callback(log_in_at_loket(url), state)
    with pytest.raises(InvalidGrant):
        oauth.exchange_code(code)


def test_a_code_for_another_redirect_uri_is_invalid_grant(oauth, env):
    url, state = oauth.authorization_url()
    code = parse_callback(log_in_at_loket(url), state)
    other = LoketOAuth(env, data.CLIENT_ID, data.CLIENT_SECRET, "http://elsewhere.test/cb")
    with pytest.raises(InvalidGrant):
        other.exchange_code(code)


def test_a_wrong_client_secret_is_a_configuration_error_not_invalid_grant(oauth, env):
    url, state = oauth.authorization_url()
    code = parse_callback(log_in_at_loket(url), state)
    wrong = LoketOAuth(env, data.CLIENT_ID, "not-the-secret", REDIRECT_URI)
    with pytest.raises(OAuthError, match="client ID or secret") as caught:
        wrong.exchange_code(code)
    assert caught.value.error == "invalid_client"
    assert not isinstance(caught.value, InvalidGrant | OAuthTransientError)


def test_token_endpoint_failures_are_transient(oauth, app):
    app.faults.add("http_error", vendor="loket", operation="POST /oauth/token", status=503, body="down")
    with pytest.raises(OAuthTransientError, match="HTTP 503") as caught:
        oauth.exchange_code("whatever")
    assert caught.value.transient


def test_token_endpoint_timeout_is_transient(oauth, app):
    oauth.timeout = 0.3
    app.faults.add("timeout", vendor="loket", operation="POST /oauth/token", seconds=1.0)
    with pytest.raises(OAuthTransientError, match="did not answer in time"):
        oauth.exchange_code("whatever")


def test_unreadable_token_answer_is_transient(oauth, app):
    app.faults.add("http_error", vendor="loket", operation="POST /oauth/token", status=200,
                   headers={"Content-Type": "application/json"}, body='{"access_token": ')
    with pytest.raises(OAuthTransientError, match="unreadable"):
        oauth.exchange_code("whatever")


def test_unreachable_login_service_is_transient(env):
    dead = LoketOAuth(env.__class__("sandbox", "http://127.0.0.1:9", "http://127.0.0.1:9/api/v2"),
                      data.CLIENT_ID, data.CLIENT_SECRET, REDIRECT_URI, timeout=1)
    with pytest.raises(OAuthTransientError, match="Could not reach"):
        dead.exchange_code("x")


@pytest.mark.parametrize("elsewhere", [
    "https://evil.example/steal",
    REDIRECT_URI + "/../../evil",
    REDIRECT_URI + "x",
    REDIRECT_URI + "?next=https://evil.example/",
    REDIRECT_URI.replace("/loket/", "/LOKET/"),
    REDIRECT_URI.replace("http://", "https://"),
])
def test_the_code_goes_only_to_the_registered_redirect_uri(env, app, elsewhere):
    """As Loket: another redirect URI gets an error page at "Loket", not a redirect, at every step."""
    url, _state = LoketOAuth(env, data.CLIENT_ID, data.CLIENT_SECRET, elsewhere).authorization_url()
    with httpx2.Client(follow_redirects=False, timeout=5) as browser:
        for response in (browser.get(url),
                         browser.post(url, data={"step": "login", "username": data.DEMO_USERNAME,
                                                 "password": data.DEMO_PASSWORD}),
                         browser.post(url, data={"step": "consent", "ticket": app.state.new_login_ticket(
                             data.DEMO_USERNAME), "decision": "allow"})):
            assert response.status_code == 400 and "Location" not in response.headers
            assert "niet geregistreerd" in response.text and "invalid_request" in response.text
    assert app.state.codes == {}, "no code was made"


def test_a_redirect_uri_registered_later_works_as_at_loket(env, app):
    other = "https://portal.example.nl/loket/callback/"
    client = LoketOAuth(env, data.CLIENT_ID, data.CLIENT_SECRET, other)
    assert httpx2.get(client.authorization_url()[0], timeout=5).status_code == 400
    app.state.register_redirect_uri(other)
    url, state = client.authorization_url()
    code = parse_callback(log_in_at_loket(url, redirect_uri=other), expected_state=state)
    assert client.exchange_code(code).access_token
