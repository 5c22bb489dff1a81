"""The second login step in Chromium: a portal administrator sets up an authenticator app at the next
login and logs in with the app's code; a domain user switches it on from the profile page and logs in
with a recovery code, makes new recovery codes there (the old ones stop working) and switches it off
again with a code. The test computes the codes from the key the page shows, as the app would."""

from __future__ import annotations

import base64
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import two_factor
from portal.models import Domain, PortalMembership, PortalRole
from tests.browser.steps import seed_two_domains_with_documents
from tests.people import PASSWORD, make_user
from tests.support import give_authenticator, second_step_code

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def app_code(secret: str, drift: int = 0) -> str:
    """What an authenticator app shows for the key on the set-up page (base32, in groups of four)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, 30, 0, 6, drift):06d}"


def password_step(journey, username: str) -> None:
    page = journey.page
    journey.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def log_out(journey) -> None:
    journey.page.locator("header").get_by_role("button", name="Uitloggen").click()
    journey.page.wait_for_url("**/login/")


def test_an_administrator_sets_up_the_app_at_the_next_login_and_logs_in_with_its_code(journey):
    frank = make_user("frank")
    PortalMembership.objects.create(user=frank, role=PortalRole.ADMINISTRATOR)  # no app yet
    connections.close_all()
    page = journey.page

    password_step(journey, "frank")
    page.wait_for_url("**/login/setup/")
    assert page.get_by_role("heading", name="Stel de tweede inlogstap in").is_visible()
    assert "Als portaalbeheerder kun je bij de salarissen" in page.get_by_test_id("two-factor-required").inner_text()
    assert page.get_by_test_id("two-factor-qr").locator("svg").is_visible()
    # Nothing else is reachable before the app is set up.
    journey.goto("/users/")
    page.wait_for_url("**/login/?next=/users/")
    password_step(journey, "frank")
    page.wait_for_url("**/login/setup/")
    secret = page.get_by_test_id("two-factor-secret").inner_text()

    page.get_by_label("Code uit de app").fill(app_code(secret))
    page.get_by_role("button", name="Aanzetten").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert page.get_by_text("De tweede inlogstap staat aan.").is_visible()
    page.get_by_test_id("recovery-codes-continue").click()
    page.wait_for_url(journey.url("/"))
    assert page.locator("header").get_by_role("link", name="frank").is_visible()

    # The next login asks for the app's code; a wrong one is refused with a Dutch message.
    log_out(journey)
    password_step(journey, "frank")
    page.wait_for_url("**/login/code/")
    assert "Je logt in als frank" in page.locator("main").inner_text()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    page.locator("main .error", has_text="Deze code klopt niet.").wait_for()
    time.sleep(1.1)  # django-otp answers no code for a second after a wrong one
    page.get_by_label("Code").fill(second_step_code(frank))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(journey.url("/"))
    journey.goto("/users/")
    assert page.get_by_role("heading", name="Gebruikers").is_visible()


def test_a_domain_user_switches_it_on_at_the_profile_page_and_logs_in_with_a_recovery_code(journey):
    made = seed_two_domains_with_documents()
    make_user("dave", domains=[made["Bakkerij De Korenschoof"]["administration"].domain])
    connections.close_all()
    page = journey.page

    password_step(journey, "dave")
    page.wait_for_url(journey.url("/"))  # no second step yet
    page.get_by_test_id("profile-link").click()
    assert page.get_by_test_id("two-factor-status").inner_text().startswith("Uit.")
    page.get_by_role("link", name="Stel de tweede inlogstap in").click()
    secret = page.get_by_test_id("two-factor-secret").inner_text()
    page.get_by_label("Code uit de app").fill(app_code(secret))
    page.get_by_role("button", name="Aanzetten").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    page.get_by_test_id("recovery-codes-continue").click()
    page.wait_for_url("**/profile/")
    assert "Er zijn nog 10 herstelcodes over" in page.get_by_test_id("two-factor-status").inner_text()

    log_out(journey)
    password_step(journey, "dave")
    page.wait_for_url("**/login/code/")
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(journey.url("/"))
    assert "Je hebt een herstelcode gebruikt; er zijn er nog 9 over" in page.locator("main").inner_text()
    page.get_by_test_id("profile-link").click()
    assert "Er zijn nog 9 herstelcodes over" in page.get_by_test_id("two-factor-status").inner_text()

    # The same recovery code does not work twice.
    log_out(journey)
    password_step(journey, "dave")
    page.wait_for_url("**/login/code/")
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Inloggen").click()
    page.locator("main .error", has_text="Deze code klopt niet.").wait_for()


def domain_user_with_the_second_step(username: str) -> tuple[object, list[str]]:
    """A domain user whose app and recovery codes are already set up (the journey above shows how):
    the user and the recovery codes."""
    domain = Domain.objects.create(name="Bakkerij", yuki_domain_id="dom-bakkerij", payroll_link_active=True)
    user = make_user(username, domains=[domain])
    give_authenticator(user)
    codes = two_factor.new_recovery_codes(user)
    connections.close_all()  # the live server's threads share the test database
    return user, codes


def code_step(journey, code: str) -> None:
    page = journey.page
    page.wait_for_url("**/login/code/")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()


def test_new_recovery_codes_from_the_profile_page_replace_the_old_ones(journey):
    with time_machine.travel(NOW, tick=True):
        erik, old_codes = domain_user_with_the_second_step("erik")
        page = journey.page
        journey.login(erik)
        journey.goto("/profile/")
        assert "Er zijn nog 10 herstelcodes over" in page.get_by_test_id("two-factor-status").inner_text()

        page.get_by_role("button", name="Nieuwe herstelcodes maken").click()
        page.get_by_role("heading", name="Je herstelcodes").wait_for()
        new_codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
        assert len(new_codes) == 10 and len(set(new_codes)) == 10
        assert not set(new_codes) & set(old_codes)
        page.get_by_test_id("recovery-codes-continue").click()
        page.wait_for_url("**/profile/")
        assert "Er zijn nog 10 herstelcodes over" in page.get_by_test_id("two-factor-status").inner_text()

        # An old code no longer logs in; a new one does, once.
        log_out(journey)
        password_step(journey, "erik")
        code_step(journey, old_codes[0])
        page.locator("main .error", has_text="Deze code klopt niet.").wait_for()
        assert page.url.endswith("/login/code/")
        time.sleep(1.1)  # django-otp answers no code for a second after a wrong one
        code_step(journey, new_codes[0])
        page.wait_for_url(journey.url("/"))
        assert "Je hebt een herstelcode gebruikt; er zijn er nog 9 over" in page.locator("main").inner_text()
        assert page.locator("header").get_by_role("link", name="erik").is_visible()


def test_a_domain_user_switches_the_second_step_off_with_a_code_from_the_app(journey):
    with time_machine.travel(NOW, tick=True):
        fleur, _codes = domain_user_with_the_second_step("fleur")
        page = journey.page
        journey.login(fleur)
        journey.goto("/profile/")
        status = page.get_by_test_id("two-factor-status")
        assert status.inner_text().startswith("Aan:")
        remove = page.get_by_test_id("two-factor-remove")

        # A wrong code is refused with its message: the second step stays on.
        remove.get_by_label("Code").fill("000000")
        remove.get_by_role("button", name="Tweede stap uitzetten").click()
        page.locator(".messages .error",
                     has_text="De tweede inlogstap staat nog aan: de code klopte niet.").wait_for()
        assert page.url.endswith("/profile/")
        assert status.inner_text().startswith("Aan:")
        assert TOTPDevice.objects.filter(user=fleur).exists()
        connections.close_all()

        time.sleep(1.1)  # django-otp answers no code for a second after a wrong one
        code = second_step_code(fleur)
        connections.close_all()
        remove.get_by_label("Code").fill(code)
        remove.get_by_role("button", name="Tweede stap uitzetten").click()
        page.locator(".messages .success", has_text="De tweede inlogstap staat uit.").wait_for()
        assert status.inner_text().startswith("Uit.")
        assert page.get_by_role("link", name="Stel de tweede inlogstap in").is_visible()
        assert page.get_by_test_id("two-factor-remove").count() == 0

        # The next login needs the password only.
        log_out(journey)
        password_step(journey, "fleur")
        page.wait_for_url(journey.url("/"))
        assert page.locator("header").get_by_role("link", name="fleur").is_visible()
