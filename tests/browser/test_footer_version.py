"""The installed portal version is in the page footer for people who are logged in, in their language,
and not shown to anonymous visitors."""

from __future__ import annotations

import pytest
from django.db import connections

from portal.models import PortalRole
from portal.version import portal_version
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_footer_shows_the_installed_version(live_server, page):
    from django.core.cache import cache

    cache.clear()
    make_user("alice", PortalRole.ADMINISTRATOR)
    version = portal_version()
    assert version and version != "0+unknown", "the portal is installed (pip install -e .)"
    connections.close_all()

    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("portal-version").count() == 0, "no version for anonymous visitors"
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    pass_second_step(page, "alice")
    footer = page.get_by_test_id("portal-version")
    footer.wait_for()
    assert footer.inner_text().strip() == f"Versie {version}"

    page.get_by_test_id("profile-link").click()
    page.get_by_label("Taal van het portaal").select_option("en")
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.get_by_test_id("portal-version").inner_text().strip() == f"Version {version}"
    page.screenshot(path="/tmp/d16-footer.png", full_page=True)
