"""Disconnect removes the stored tokens; the settings page then says Loket is not connected."""

import pytest
from django.urls import reverse

from integrations.loket.models import LoketConnection
from integrations.loket.tests.flow import connect_through_portal, nl, page_text
from portal.models import AuditLogEntry, Notice
from portal.models.audit import AuditAction
from portal.models.connections import ConnectionStatus
from tests.vendor_state import portal_loket_connection

pytestmark = pytest.mark.django_db


def disconnect(web, administration=None):
    data = {"administration": administration.pk} if administration is not None else {}
    return web.post(reverse("loket:disconnect"), data, follow=True)


def test_disconnect_removes_the_tokens(web, users, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    response = disconnect(web)
    assert response.redirect_chain[-1] == (reverse("portal:settings") + "#loket", 302)
    connection = portal_loket_connection()
    assert (connection.access_token, connection.refresh_token) == ("", "")
    assert connection.access_token_expires_at is None and connection.authorised_at is None
    assert connection.status == ConnectionStatus.NOT_CONNECTED
    page = page_text(response)
    assert nl("Loket is disconnected: the stored authorisation is removed.") in page
    assert 'data-testid="loket-not-connected"' in page and 'data-testid="loket-authorised"' not in page
    entry = AuditLogEntry.objects.get(action=AuditAction.DISCONNECTED)
    assert entry.username == "alice" and entry.changes == {}


def test_disconnecting_a_broken_connection_closes_its_notice(web, users, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    connection = portal_loket_connection()
    LoketConnection.objects.filter(pk=connection.pk).update(status=ConnectionStatus.BROKEN)
    Notice.objects.create(title="Loket", message="broken", key=f"loket-broken-{connection.pk}")
    disconnect(web)
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NOT_CONNECTED and connection.refresh_token == ""
    assert Notice.objects.get(key=f"loket-broken-{connection.pk}").resolved_at is not None


def test_disconnecting_when_not_connected_says_so(web, users, loket_portal):
    web.force_login(users["alice"])
    response = disconnect(web)
    assert nl("Loket was not connected.") in page_text(response)
    assert not AuditLogEntry.objects.filter(action=AuditAction.DISCONNECTED).exists()


def test_an_administrations_own_connection_is_disconnected_from_its_page(web, users, acme_admin, loket_portal):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users["carol"])
    connect_through_portal(web, acme_admin)
    response = disconnect(web, acme_admin)
    assert response.redirect_chain[-1] == (reverse("portal:administration", args=[acme_admin.pk]) + "#loket", 302)
    acme_admin.refresh_from_db()
    assert acme_admin.loket_link.own_connection.refresh_token == ""
    assert 'data-testid="loket-not-connected"' in page_text(response)


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_only_portal_managers_disconnect_the_portal(web, users, loket_portal, who):
    web.force_login(users["alice"])
    connect_through_portal(web)
    web.force_login(users[who])
    assert web.post(reverse("loket:disconnect")).status_code == 403
    assert portal_loket_connection().is_authorised


def test_another_domains_backoffice_cannot_disconnect_an_administration(web, users, acme_admin, loket_portal):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users["carol"])
    connect_through_portal(web, acme_admin)
    web.force_login(users["dave"])
    assert web.post(reverse("loket:disconnect"), {"administration": acme_admin.pk}).status_code == 404
    acme_admin.refresh_from_db()
    assert acme_admin.loket_link.own_connection.is_authorised
