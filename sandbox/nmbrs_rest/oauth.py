"""The sandbox's identity service: /connect/authorize (login, consent) and /connect/token.

As Nmbrs' (docs/vendors/nmbrs-rest.md, "Authorisation"): codes only to a redirect URI registered with
the client, compared whole (anything else gets an error page, never a redirect); a code works once,
for 5 minutes; a refresh token only with `offline_access`, and each works once (rotation).
"""

from __future__ import annotations

import base64
import binascii
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandbox.nmbrs_rest.state import ALL_SCOPES, RestState
from sandbox.nmbrs_rest.web import Response, form, html_response, json_response, query, redirect

_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{title} - Nmbrs (sandbox)</title></head>
<body><main><h1>Nmbrs</h1><p><em>Sandbox: gesimuleerde Nmbrs-login.</em></p>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> Response:
    return html_response(_PAGE.format(title=escape(title), body=body), status)


def _login_form(message: str = "") -> str:
    shown = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    return f"""{shown}<form method="post" action="">
<input type="hidden" name="step" value="login">
<label>E-mailadres <input name="username" autocomplete="username" required></label>
<label>Wachtwoord <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Inloggen</button></form>"""


def _consent_form(ticket: str, client_id: str, scopes: list[str]) -> str:
    listed = "".join(f"<li><code>{escape(s)}</code></li>" for s in scopes)
    return f"""<p>De applicatie <strong>{escape(client_id)}</strong> vraagt toegang tot:</p><ul>{listed}</ul>
<form method="post" action="">
<input type="hidden" name="step" value="consent"><input type="hidden" name="ticket" value="{escape(ticket)}">
<button type="submit" name="decision" value="allow">Toestaan</button>
<button type="submit" name="decision" value="deny">Weigeren</button></form>"""


def _with_params(uri: str, params: dict) -> str:
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(query=urlencode(parse_qsl(parts.query, keep_blank_values=True)
                                                     + list(params.items()))))


def authorize(environ, state: RestState) -> Response:
    params = query(environ)
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    if client_id not in state.clients:
        return _page("Fout", "<p>Onbekende applicatie (client_id).</p>", 400)
    if not state.is_registered(client_id, redirect_uri):
        return _page("Fout", '<p>De redirect_uri is niet geregistreerd voor deze applicatie (<code data-error='
                             '"invalid_request">invalid_request</code>).</p>', 400)
    back = {"state": params["state"]} if "state" in params else {}
    if params.get("response_type") != "code":
        return redirect(_with_params(redirect_uri, {"error": "unsupported_response_type", **back}))
    scopes = params.get("scope", "").split()
    if not scopes or any(s not in ALL_SCOPES for s in scopes):
        return redirect(_with_params(redirect_uri, {"error": "invalid_scope", **back}))
    if environ["REQUEST_METHOD"] == "GET":
        return _page("Inloggen", _login_form())
    posted = form(environ)
    if posted.get("step") == "login":
        if not state.check_password(posted.get("username", ""), posted.get("password", "")):
            return _page("Inloggen", _login_form("Onjuist e-mailadres of wachtwoord."))
        return _page("Toegang verlenen", _consent_form(state.new_ticket(posted["username"]), client_id, scopes))
    if posted.get("step") == "consent":
        username = state.take_ticket(posted.get("ticket", ""))
        if username is None:
            return _page("Inloggen", _login_form("Je sessie is verlopen, log opnieuw in."))
        if posted.get("decision") != "allow":
            return redirect(_with_params(redirect_uri, {"error": "access_denied", **back}))
        code = state.new_code(client_id, redirect_uri, username, tuple(scopes))
        return redirect(_with_params(redirect_uri, {"code": code, **back}))
    return _page("Inloggen", _login_form(), 400)


def _token_error(error: str, description: str, status: int = 400) -> Response:
    return json_response({"error": error, "error_description": description}, status, [("Cache-Control", "no-store")])


def _client(environ, posted: dict) -> tuple[str, str]:
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return user, password
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
    return posted.get("client_id", ""), posted.get("client_secret", "")


def token(environ, state: RestState) -> Response:
    if environ["REQUEST_METHOD"] != "POST":
        return _token_error("invalid_request", "Use POST.", 405)
    posted = form(environ)
    client_id, secret = _client(environ, posted)
    if not client_id or state.clients.get(client_id) != secret:
        return _token_error("invalid_client", "Client authentication failed.", 401)
    grant_type = posted.get("grant_type")
    if grant_type == "authorization_code":
        grant = state.take_code(posted.get("code", ""))
        if grant is None:
            return _token_error("invalid_grant", "The authorization code is invalid, used or expired.")
        if grant.client_id != client_id or grant.redirect_uri != posted.get("redirect_uri", ""):
            return _token_error("invalid_grant", "The code was issued to another client or redirect_uri.")
        issued = state.issue_tokens(grant.username, grant.scopes)
    elif grant_type == "refresh_token":
        issued = state.rotate(posted.get("refresh_token", ""))
        if issued is None:
            return _token_error("invalid_grant", "The refresh token is invalid, used or revoked.")
    else:
        return _token_error("unsupported_grant_type", f"Grant type {grant_type!r} is not supported.")
    return json_response(issued, 200, [("Cache-Control", "no-store"), ("Pragma", "no-cache")])
