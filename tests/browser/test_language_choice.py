"""Dutch for everyone whatever the browser asks; English only for a person who chooses it on their
profile, and that choice sticks: after a reload, and after logging out and in again."""

import pytest

from portal.models import PortalRole, UserProfile
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step

pytestmark = pytest.mark.browser


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    if username == "alice":  # a portal administrator: the app's code too
        pass_second_step(page, username)
    page.wait_for_url(f"{base_url}/")


def heading_and_nav(page) -> str:
    return page.locator("header").inner_text()


@pytest.mark.django_db(transaction=True)
def test_dutch_by_default_english_on_the_profile_and_it_sticks(live_server, english_browser):
    page, base = english_browser, live_server.url
    make_user("alice", PortalRole.ADMINISTRATOR)
    assert page.evaluate("navigator.language") == "en-US", "the browser itself asks for English"

    page.goto(f"{base}/login/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", name="Inloggen").is_visible(), "an anonymous page is Dutch"

    log_in(page, base, "alice")
    assert "Uitloggen" in heading_and_nav(page) and "Importlog" in heading_and_nav(page)

    page.get_by_test_id("profile-link").click()
    page.get_by_label("Taal van het portaal").select_option("en")
    page.get_by_role("button", name="Bewaren").click()
    assert page.get_by_text("Your profile is saved.").is_visible(), "told in the language just chosen"
    assert UserProfile.objects.get(user__username="alice").language == "en", "stored on the user"

    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Language of the portal").input_value() == "en"
    assert "Log out" in heading_and_nav(page) and "Uitloggen" not in heading_and_nav(page)

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/login/")
    assert page.get_by_role("heading", name="Inloggen").is_visible(), "logged out: Dutch again"
    log_in(page, base, "alice")
    assert "Log out" in heading_and_nav(page) and "Run log" in heading_and_nav(page), "English after a new login"

    # Another person on the same browser still gets Dutch: the choice is alice's, not the browser's.
    page.get_by_role("button", name="Log out").click()
    make_user("bob", PortalRole.BACKOFFICE)
    log_in(page, base, "bob")
    assert "Uitloggen" in heading_and_nav(page)
