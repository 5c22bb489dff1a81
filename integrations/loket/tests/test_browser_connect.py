"""Done-when of the issue: in headless Chromium, log in to the portal, click "Verbind met Loket", log in at
the Loket sandbox, click "Toestaan" and see "Loket geautoriseerd" with the green tick (docs/vendors/loket.md, "Authorisation")."""

import pytest
from django.db import connections

from portal.models import PortalRole
from portal.models.connections import ConnectionStatus
from sandbox.loket import data
from tests.conftest import PASSWORD, make_user
from tests.support import chromium_page as chromium
from tests.support import pass_second_step
from tests.vendor_state import portal_loket_connection

SCREENSHOT = "/tmp/loket_connected.png"


@pytest.fixture
def chromium_page(monkeypatch):
    with chromium(monkeypatch) as page:
        yield page


@pytest.fixture
def browser_portal(live_server, settings, server, app):
    app.state.register_redirect_uri(f"{live_server.url}/loket/callback/")  # as a firm registers it at Loket
    settings.PORTAL_BASE_URL = live_server.url
    settings.LOKET_ENVIRONMENT = "sandbox"
    settings.LOKET_SANDBOX_URL = server.url
    settings.LOKET_CLIENT_ID = settings.LOKET_CLIENT_SECRET = ""
    return live_server


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_connect_to_loket_in_a_real_browser(browser_portal, chromium_page):
    from django.core.cache import cache

    cache.clear()  # the login throttle counts per user and address
    make_user("alice", PortalRole.ADMINISTRATOR)
    connections.close_all()
    page = chromium_page

    page.goto(f"{browser_portal.url}/settings/")  # the login comes first
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    pass_second_step(page, "alice")  # a portal administrator: the code of the authenticator app
    page.wait_for_url(f"{browser_portal.url}/settings/")

    page.get_by_role("button", name="Verbind met Loket").click()
    page.wait_for_url("**/oauth/authorize?*")
    page.get_by_label("Gebruikersnaam").fill(data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()

    page.wait_for_url(f"{browser_portal.url}/settings/**")
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
