"""The portal settings page (docs/vendors/loket.md, "Authorisation"): the button "Verbind met Loket" while no valid token is
stored, the green tick "Loket geautoriseerd" once one is."""

import pytest
from django.urls import reverse

from integrations.loket.models import LoketConnection, set_portal_connection
from portal.models import PortalSettings
from portal.models.connections import ConnectionStatus


@pytest.mark.django_db
def test_connect_button_until_authorised_then_the_tick(users, login):
    client = login(users["alice"])
    page = client.get(reverse("portal:settings")).content.decode()
    assert ">Verbind met Loket</button>" in page and "Loket geautoriseerd" not in page

    portal = PortalSettings.load()
    set_portal_connection(portal, LoketConnection.objects.create(environment="sandbox", refresh_token="rt",
                                                             status=ConnectionStatus.AUTHORISED))
    page = client.get(reverse("portal:settings")).content.decode()
    assert "Loket geautoriseerd" in page and ">Verbind met Loket</button>" not in page
    assert "Opnieuw verbinden" in page, "connecting again (another Loket user) stays possible"
