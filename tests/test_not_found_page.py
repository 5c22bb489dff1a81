"""An address that is not there: the portal's own 404 page in the person's language, also with DEBUG on
(`make run`), where Django would show its English technical page."""

import pytest
from django.utils import translation

from portal.models import PortalRole
from tests.people import make_user


@pytest.fixture
def alice(db):
    return make_user("alice", PortalRole.ADMINISTRATOR)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/geen-pagina/", "/administrations/999999/"])
def test_a_missing_page_is_the_portals_dutch_404(client, alice, settings, debug, path):
    settings.DEBUG = debug
    client.force_login(alice)
    with translation.override("nl"):
        response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet" in page
    assert "Naar het overzicht" in page
    assert "Page not found" not in page and "Not Found" not in page


def test_without_login_an_unknown_address_is_the_dutch_404_too(client, db, settings):
    settings.DEBUG = True
    with translation.override("nl"):
        response = client.get("/bestaat/niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
