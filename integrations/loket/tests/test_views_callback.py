"""Step 2 of the flow: back from Loket. Success stores the tokens encrypted; every failure ends on the
settings page (or the administration's page) with a clear message and nothing stored."""

import pytest
from django.db import connection as db
from django.urls import reverse

from integrations.loket.models import LoketConnection
from integrations.loket.tests.flow import (
    connect_through_portal,
    log_in_at_loket,
    nl,
    page_text,
    portal_redirect_uri,
    start_connect,
)
from integrations.loket.views import SESSION_KEY
from portal.models import AuditLogEntry, Notice
from portal.models.audit import AuditAction
from portal.models.connections import ConnectionStatus
from tests.vendor_state import portal_loket_connection

pytestmark = pytest.mark.django_db



def settings_url():
    return reverse("portal:settings") + "#loket"


def back_from_loket(web, **params):
    return web.get(reverse("loket:callback"), params)


def test_allowing_access_stores_the_tokens_and_shows_loket_authorised_with_a_tick(web, users, loket_portal, app):
    web.force_login(users["alice"])
    response = connect_through_portal(web)
    assert response.redirect_chain[-1] == (settings_url(), 302)
    connection = portal_loket_connection()
    assert connection.status == ConnectionStatus.AUTHORISED
    assert connection.refresh_token in app.state.refresh_tokens  # the pair Loket issued
    assert connection.access_token_expires_at is not None
    assert connection.authorised_by == users["alice"]
    assert connection.environment == "sandbox"
    page = page_text(response)
    assert 'data-testid="loket-authorised">Loket geautoriseerd <span class="ok"' in page
    assert "✔" in page
    assert "alice" in page.split('data-testid="loket-authorised-by"')[1].split("</p>")[0]
    assert nl("Loket authorised: the portal may now fetch payroll documents from Loket.") in page
    assert SESSION_KEY not in web.session


def test_the_tokens_are_encrypted_at_rest(web, users, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    connection = portal_loket_connection()
    with db.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM portal_loketconnection WHERE id = %s",
                       [connection.pk])
        raw_access, raw_refresh = cursor.fetchone()
    assert connection.access_token and connection.access_token not in raw_access
    assert connection.refresh_token and connection.refresh_token not in raw_refresh


def test_connecting_is_in_the_audit_log(web, users, loket_portal):
    web.force_login(users["bob"])
    connect_through_portal(web)
    entry = AuditLogEntry.objects.get(action=AuditAction.CONNECTED)
    assert entry.username == "bob"
    assert entry.object_repr == nl("Portal Loket connection")
    assert entry.changes == {}  # never a token in the log


def test_an_administration_without_the_portals_access_gets_its_own_connection(web, users, acme_admin, loket_portal):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users["carol"])
    response = connect_through_portal(web, acme_admin)
    assert response.redirect_chain[-1] == (reverse("portal:administration", args=[acme_admin.pk]) + "#loket", 302)
    acme_admin.refresh_from_db()
    assert acme_admin.loket_link.own_connection.status == ConnectionStatus.AUTHORISED
    assert acme_admin.loket_link.own_connection.authorised_by == users["carol"]
    assert portal_loket_connection() is None  # the portal's stays as it was
    page = page_text(response)
    assert "Loket geautoriseerd" in page and "✔" in page


def test_connecting_again_replaces_the_pair_in_the_same_connection(web, users, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    first = portal_loket_connection()
    connect_through_portal(web)
    second = portal_loket_connection()
    assert second.pk == first.pk
    assert second.refresh_token != first.refresh_token
    assert LoketConnection.objects.count() == 1


def test_reconnecting_a_broken_connection_repairs_it_and_closes_the_notice(web, users, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    connection = portal_loket_connection()
    LoketConnection.objects.filter(pk=connection.pk).update(status=ConnectionStatus.BROKEN, status_reason="revoked")
    Notice.objects.create(title="Loket", message="broken", key=f"loket-broken-{connection.pk}")
    connect_through_portal(web)
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.AUTHORISED and connection.status_reason == ""
    assert Notice.objects.get(key=f"loket-broken-{connection.pk}").resolved_at is not None


# --- each error path ends on the settings page with a clear message ---------------------------------

def assert_nothing_stored():
    assert portal_loket_connection() is None
    assert not LoketConnection.objects.exists()


def test_denied_consent(web, users, loket_portal):
    web.force_login(users["alice"])
    response = connect_through_portal(web, decision="deny")
    assert response.redirect_chain[-1] == (settings_url(), 302)
    assert nl('Access was not granted at Loket ("Deny" was clicked), so Loket is not connected. Click '
              '"Connect to Loket" and choose "Allow" to connect.') in page_text(response)
    assert_nothing_stored()


def test_a_wrong_state(web, users, loket_portal):
    web.force_login(users["alice"])
    started = start_connect(web)
    params = log_in_at_loket(started["Location"], redirect_uri=portal_redirect_uri())
    params["state"] = "forged-" + params["state"]
    response = web.get(reverse("loket:callback"), params, follow=True)
    assert response.redirect_chain[-1] == (settings_url(), 302)
    assert nl('The answer from Loket does not belong to this login attempt (it was started in another tab, or '
              'has already been used). Loket is not connected. Click "Connect to Loket" again.') in page_text(response)
    assert_nothing_stored()


def test_a_callback_without_a_login_attempt_in_this_session(web, users, loket_portal):
    web.force_login(users["alice"])
    response = back_from_loket(web, code="anything", state="anything")
    assert response.status_code == 302 and response["Location"] == settings_url()
    assert_nothing_stored()


def test_an_answer_is_used_once(web, users, loket_portal):
    """Replaying Loket's redirect (browser back, reload) is refused: the state went with the first answer."""
    web.force_login(users["alice"])
    started = start_connect(web)
    params = log_in_at_loket(started["Location"], redirect_uri=portal_redirect_uri())
    assert back_from_loket(web, **params)["Location"] == settings_url()
    first = portal_loket_connection().refresh_token
    replay = web.get(reverse("loket:callback"), params, follow=True)
    assert nl('The answer from Loket does not belong to this login attempt (it was started in another tab, or '
              'has already been used). Loket is not connected. Click "Connect to Loket" again.') in page_text(replay)
    assert portal_loket_connection().refresh_token == first


def test_an_expired_code(web, users, loket_portal, app):
    web.force_login(users["alice"])
    started = start_connect(web)
    params = log_in_at_loket(started["Location"], redirect_uri=portal_redirect_uri())
    app.state.clock = lambda: 10**10  # the code's minute is long over when it reaches the token endpoint
    response = web.get(reverse("loket:callback"), params, follow=True)
    assert response.redirect_chain[-1] == (settings_url(), 302)
    assert nl('The authorisation code from Loket has expired or was already used, so Loket is not connected. '
              'Click "Connect to Loket" again and finish the login at Loket within a minute.') in page_text(response)
    assert_nothing_stored()


def test_a_loket_error_on_the_redirect(web, users, loket_portal):
    web.force_login(users["alice"])
    state = start_connect(web)["Location"].split("state=")[1].split("&")[0]
    response = web.get(reverse("loket:callback"), {"state": state, "error": "invalid_request",
                                                   "error_description": "Something is off"}, follow=True)
    assert response.redirect_chain[-1] == (settings_url(), 302)
    assert nl('Loket refused the authorisation (%(error)s), so Loket is not connected. Click "Connect to '
              'Loket" to try again; if it keeps happening, contact Loket support.') % {
        "error": "invalid_request: Something is off"} in page_text(response)
    assert_nothing_stored()


def test_lokets_token_endpoint_failing(web, users, loket_portal, app):
    web.force_login(users["alice"])
    started = start_connect(web)
    params = log_in_at_loket(started["Location"], redirect_uri=portal_redirect_uri())
    app.faults.add("http_error", vendor="loket", operation="POST /oauth/token", status=503)
    response = web.get(reverse("loket:callback"), params, follow=True)
    assert response.redirect_chain[-1] == (settings_url(), 302)
    assert nl("Loket's login service is unavailable or did not answer (%(error)s), so Loket is not connected. "
              "Try again in a few minutes.") % {"error": "server_error"} in page_text(response)
    assert_nothing_stored()


def test_a_wrong_client_secret(web, users, loket_portal, settings):
    settings.LOKET_CLIENT_ID, settings.LOKET_CLIENT_SECRET = "payrollsync-sandbox", "wrong-secret"
    web.force_login(users["alice"])
    started = start_connect(web)
    params = log_in_at_loket(started["Location"], redirect_uri=portal_redirect_uri())
    response = web.get(reverse("loket:callback"), params, follow=True)
    assert nl("Loket does not recognise the portal's client ID or secret (invalid_client). Check "
              "LOKET_CLIENT_ID and LOKET_CLIENT_SECRET.") in page_text(response)
    assert_nothing_stored()


def test_an_administrations_failure_ends_on_its_page(web, users, acme_admin, loket_portal):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users["carol"])
    response = connect_through_portal(web, acme_admin, decision="deny")
    assert response.redirect_chain[-1] == (reverse("portal:administration", args=[acme_admin.pk]) + "#loket", 302)
    acme_admin.refresh_from_db()
    assert acme_admin.loket_link.own_connection is None


def test_the_callback_needs_the_same_rights_as_connecting(web, users, loket_portal):
    web.force_login(users["alice"])
    started = start_connect(web)
    params = log_in_at_loket(started["Location"], redirect_uri=portal_redirect_uri())
    # Meanwhile alice lost her portal role; the pending attempt must not connect the portal.
    users["alice"].portal_membership.delete()
    users["alice"].refresh_from_db()
    assert back_from_loket(web, **params).status_code == 403
    assert_nothing_stored()
