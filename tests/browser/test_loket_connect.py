"""The portal's Loket link set up as a person does it: in headless Chromium, log in to the portal, click "Verbind met Loket", log in at
the Loket sandbox, click "Toestaan" and see "Loket geautoriseerd" with the green tick (docs/vendors/loket.md, "Authorisation")."""

import pytest
from django.db import connections

from portal.models import PortalRole
from portal.models.connections import ConnectionStatus
from sandbox.loket import data
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step
from tests.vendor_state import portal_loket_connection

SCREENSHOT = "/tmp/loket_connected.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_connect_to_loket_in_a_real_browser(live_server, vendors, page, settings):
    from django.core.cache import cache

    cache.clear()  # the login throttle counts per user and address
    make_user("alice", PortalRole.ADMINISTRATOR)
    connections.close_all()
    settings.PORTAL_BASE_URL = live_server.url

    page.goto(f"{live_server.url}/settings/")  # the login comes first
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    pass_second_step(page, "alice")  # a portal administrator: the code of the authenticator app
    page.wait_for_url(f"{live_server.url}/settings/")

    page.get_by_role("button", name="Verbind met Loket").click()
    page.wait_for_url("**/oauth/authorize?*")
    page.get_by_label("Gebruikersnaam").fill(data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()

    page.wait_for_url(f"{live_server.url}/settings/**")
    authorised = page.get_by_test_id("loket-authorised")
    authorised.wait_for()
    assert authorised.inner_text().strip() == "Loket geautoriseerd ✔"
    tick = authorised.locator("span.ok")
    assert tick.inner_text() == "✔"
    assert tick.evaluate("el => getComputedStyle(el).color") == "rgb(26, 127, 55)"  # green (--ok)
    assert "alice" in page.get_by_test_id("loket-authorised-by").inner_text()
    page.screenshot(path=SCREENSHOT, full_page=True)

    try:
        connection = portal_loket_connection()
        assert connection.status == ConnectionStatus.AUTHORISED and connection.refresh_token
    finally:
        # Under Playwright's greenlet this test body has database connections of its own (Django keeps
        # them per context): close them, or the test database cannot be dropped at the end.
        connections.close_all()
