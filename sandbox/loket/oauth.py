"""The sandbox's oauth.loket.nl: login form, consent ("Toestaan"/"Weigeren"), token endpoint.

Codes are single-use and expire (`state.code_ttl`); access tokens expire (`state.access_token_ttl`);
refresh tokens rotate: each works once, then `invalid_grant` (docs/vendors/loket.md, "Authorisation").
"""

from __future__ import annotations

import base64
import binascii
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandbox.loket.state import LoketState
from sandbox.loket.web import Response, form, html_response, json_response, query, redirect

_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{title} - Loket.nl (sandbox)</title></head>
<body><main><h1>Loket.nl</h1><p><em>Sandbox: nagebootste inlogpagina van Loket.</em></p>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> Response:
    return html_response(_PAGE.format(title=escape(title), body=body), status)


def _login_form(error: str = "") -> str:
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return f"""{message}<form method="post" action="">
<input type="hidden" name="step" value="login">
<label>Gebruikersnaam <input name="username" autocomplete="username" required></label>
<label>Wachtwoord <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Login</button></form>"""


def _consent_form(ticket: str, client_id: str) -> str:
    return f"""<p>De applicatie <strong>{escape(client_id)}</strong> vraagt toegang tot je Loket.nl gegevens.</p>
<form method="post" action="">
<input type="hidden" name="step" value="consent"><input type="hidden" name="ticket" value="{escape(ticket)}">
<button type="submit" name="decision" value="allow">Toestaan</button>
<button type="submit" name="decision" value="deny">Weigeren</button></form>"""


def _with_params(uri: str, params: dict) -> str:
    parts = urlsplit(uri)
    pairs = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def authorize(environ, state: LoketState) -> Response:
    params = query(environ)
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    # Errors about the client or redirect URI are shown here, never redirected (RFC 6749 4.1.2.1).
    if client_id not in state.clients:
        return _page("Fout", "<p>Onbekende applicatie (client_id).</p>", 400)
    if not redirect_uri.startswith(("http://", "https://")):
        return _page("Fout", "<p>Ongeldige redirect_uri.</p>", 400)
    # As Loket: the code goes only to a redirect URI registered with the client, compared as a whole
    # (docs/vendors/loket.md, "Authorisation"); another one gets this page, never a redirect.
    if not state.is_registered(client_id, redirect_uri):
        return _page("Fout", "<p>De redirect_uri is niet geregistreerd voor deze applicatie "
                             '(<code data-error="invalid_request">invalid_request</code>): Loket stuurt de '
                             "autorisatiecode alleen naar een geregistreerd adres.</p>", 400)
    back_state = {"state": params["state"]} if "state" in params else {}
    if params.get("response_type") != "code":
        return redirect(_with_params(redirect_uri, {"error": "unsupported_response_type", **back_state}))
    if params.get("scope") != "all":
        return redirect(_with_params(redirect_uri, {"error": "invalid_scope", **back_state}))
    if environ["REQUEST_METHOD"] == "GET":
        return _page("Inloggen", _login_form())

    posted = form(environ)
    if posted.get("step") == "login":
        username = posted.get("username", "")
        if not state.check_password(username, posted.get("password", "")):
            return _page("Inloggen", _login_form("Onjuiste gebruikersnaam of wachtwoord."), 200)
        return _page("Toegang verlenen", _consent_form(state.new_login_ticket(username), client_id))
    if posted.get("step") == "consent":
        username = state.take_login_ticket(posted.get("ticket", ""))
        if username is None:
            return _page("Inloggen", _login_form("Je sessie is verlopen, log opnieuw in."))
        if posted.get("decision") != "allow":
            return redirect(_with_params(redirect_uri, {"error": "access_denied", **back_state}))
        code = state.new_code(client_id, redirect_uri, username)
        return redirect(_with_params(redirect_uri, {"code": code, **back_state}))
    return _page("Inloggen", _login_form(), 400)


def _token_error(error: str, description: str, status: int = 400) -> Response:
    return json_response({"error": error, "error_description": description}, status,
                         [("Cache-Control", "no-store")])


def _client_credentials(environ, posted: dict) -> tuple[str, str]:
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return user, password
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
    return posted.get("client_id", ""), posted.get("client_secret", "")


def token(environ, state: LoketState) -> Response:
    if environ["REQUEST_METHOD"] != "POST":
        return _token_error("invalid_request", "Use POST.", 405)
    posted = form(environ)
    client_id, client_secret = _client_credentials(environ, posted)
    if state.clients.get(client_id) != client_secret or not client_id:
        return _token_error("invalid_client", "Client authentication failed.", 401)
    grant_type = posted.get("grant_type")
    if grant_type == "authorization_code":
        grant = state.take_code(posted.get("code", ""))
        if grant is None:
            return _token_error("invalid_grant", "The authorization code is invalid, used or expired.")
        if grant.client_id != client_id or grant.redirect_uri != posted.get("redirect_uri", ""):
            return _token_error("invalid_grant", "The code was issued to another client or redirect_uri.")
        issued = state.issue_tokens(grant.username)
    elif grant_type == "refresh_token":
        issued = state.rotate(posted.get("refresh_token", ""))
        if issued is None:
            return _token_error("invalid_grant", "The refresh token is invalid or was already used.")
    else:
        return _token_error("unsupported_grant_type", f"Grant type {grant_type!r} is not supported.")
    return json_response(issued, 200, [("Cache-Control", "no-store"), ("Pragma", "no-cache")])
