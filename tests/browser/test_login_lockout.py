"""The login lockout as a person sees it, in a real browser: wrong passwords, then the lock, also for a
look-alike spelling of the name, while another person still logs in."""

from datetime import timedelta

import pytest
from django.db import connections

from portal.models import PortalRole
from tests.people import PASSWORD, make_user

pytestmark = pytest.mark.browser


def log_in(page, base, username, password):
    page.goto(f"{base}/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_locked_login_says_so_and_stays_locked_for_look_alike_names(journey, settings):
    page, base = journey.page, journey.base_url
    journey.expect_status(429, "/login/")  # the lock answers "Too Many Requests"
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    make_user("thr3", PortalRole.ADMINISTRATOR)
    make_user("bob", PortalRole.BACKOFFICE)
    connections.close_all()

    for _ in range(2):
        log_in(page, base, "thr3", "not-the-password")
        assert page.url == f"{base}/login/"
        assert "juiste gebruikersnaam" in page.locator("main form").inner_text().lower()
    log_in(page, base, "thr3", "not-the-password")  # the third failure locks
    assert page.get_by_test_id("login-locked").is_visible()

    log_in(page, base, "thr3", PASSWORD)
    locked = page.get_by_test_id("login-locked")
    assert "Te veel mislukte inlogpogingen. Wacht 15 minuten" in locked.inner_text()
    assert page.url == f"{base}/login/", "the right password does not get through while locked"
    page.screenshot(path="/tmp/e2e_login_locked.png")

    for look_alike in ("ｔhr3", "THR3"):  # fullwidth t; Django would log either in as thr3
        log_in(page, base, look_alike, PASSWORD)
        assert page.get_by_test_id("login-locked").is_visible(), look_alike
        assert page.url == f"{base}/login/"

    log_in(page, base, "bob", PASSWORD)
    assert page.url == f"{base}/", "someone else on the same computer is not locked out"
    assert page.get_by_text("bob").first.is_visible()
    connections.close_all()
