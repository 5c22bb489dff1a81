"""The lock per account in Chromium (portal/account_lock.py): wrong passwords from several addresses, each
below its own limit, lock the account; then the right password is refused too, and the login page says so
in Dutch, with the time from which logging in is possible again.

The live server sees every request from 127.0.0.1. Here that address is our own reverse proxy
(TRUSTED_PROXY_ADDRESSES), so the X-Forwarded-For header the browser sends names the client, as nginx's
would: each attempt comes from another address."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connections

from portal.models import Domain, LoginFailure
from tests.people import PASSWORD, make_user

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def attempt(journey, password: str, address: str) -> None:
    """The login form, typed as a person would, from the client `address` (behind our proxy)."""
    page = journey.page
    page.set_extra_http_headers({"X-Forwarded-For": address})
    journey.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill("gijs")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_wrong_passwords_from_several_addresses_lock_the_account_and_the_login_page_says_until_when(
        journey, settings):
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]
    settings.AXES_FAILURE_LIMIT = 5  # per (name, address): never reached from any one address here
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 3
    settings.LOGIN_ACCOUNT_WINDOW_SECONDS = 24 * 3600
    settings.LOGIN_ACCOUNT_LOCKOUT_SECONDS = 3600
    page = journey.page
    with time_machine.travel(NOW, tick=True):
        domain = Domain.objects.create(name="Bakkerij", yuki_domain_id="dom-bakkerij", payroll_link_active=True)
        make_user("gijs", domains=[domain])
        connections.close_all()  # the live server's threads share the test database

        for n in (1, 2, 3):  # one wrong password from each of three addresses
            attempt(journey, "niet-mijn-wachtwoord", f"203.0.113.{n}")
            assert page.locator("form .errorlist.nonfield").is_visible(), "the wrong password is refused"
            assert page.get_by_test_id("login-locked").count() == 0, "no address reached its own limit"
        assert sorted(LoginFailure.objects.filter(username="gijs").values_list("address", flat=True)) == [
            "203.0.113.1", "203.0.113.2", "203.0.113.3"], "each attempt came from its own address"
        connections.close_all()

        # The right password, from yet another address: refused, and the page says until when.
        journey.expect_status(429, "/login/")
        attempt(journey, PASSWORD, "203.0.113.4")
        locked = page.get_by_test_id("login-locked")
        assert locked.inner_text() == ("Te veel mislukte inlogpogingen voor dit account, vanaf verschillende "
                                       "adressen. Inloggen kan weer vanaf 02-03-2026 11:00.")
        assert page.get_by_label("Gebruikersnaam").input_value() == "gijs"
        journey.goto("/")
        page.wait_for_url("**/login/?next=/")  # not logged in
