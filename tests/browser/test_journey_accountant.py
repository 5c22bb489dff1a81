"""The accountant (portal administrator) in Chromium: portal settings, Loket and Nmbrs, administrations,
imports of every kind, the run log, a document's history, notices, users and the audit log.

Imports run on a real Celery worker against the sandboxes over real HTTP; nothing is faked in the database
except where a test says so.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.demo import seed_demo_data
from portal.models import (
    Administration,
    AuditLogEntry,
    Domain,
    EntryState,
    ImportRun,
    LedgerEntry,
    Notice,
    PortalRole,
    PortalSettings,
    RunStatus,
)
from sandbox.loket import data as loket_data
from sandbox.nmbrs import data as nmbrs_data
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text
from tests.conftest import PASSWORD, make_user


def login_with_the_form(journey, username: str) -> None:
    journey.goto("/")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.locator("form button[type=submit]").click()
    journey.page.wait_for_url(journey.url("/"))


def connect_loket(journey) -> None:
    """Seed 000 step 2 through the Loket sandbox's own OAuth pages."""
    page = journey.page
    journey.goto("/settings/")
    page.get_by_role("button", name="Verbind met Loket").click()
    page.get_by_label("Gebruikersnaam").fill(loket_data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(loket_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()
    page.get_by_test_id("loket-authorised").wait_for()


def test_portal_settings(journey, vendors):
    make_user("alice", PortalRole.ADMINISTRATOR)
    login_with_the_form(journey, "alice")
    page = journey.page
    journey.goto("/settings/")

    # The import window: seed 000's advice shows next to it while typing, before anything is saved.
    advice = page.get_by_test_id("window-advice")
    page.fill("#id_import-first_day", "10")
    page.fill("#id_import-last_day", "28")
    assert not advice.is_visible()
    page.fill("#id_import-last_day", "12")
    assert advice.is_visible() and "zeven dagen" in advice.inner_text()
    # Document switches.
    page.locator("#id_import-import_payslips").set_checked(False)
    page.locator("#id_import-import_sepa_files").set_checked(True)
    page.locator("#id_import-auto_import").set_checked(True)
    page.locator("#import").get_by_role("button", name="Bewaren").click()
    assert "importinstellingen" in page.locator(".messages").inner_text().lower()
    page.reload()
    assert page.locator("#id_import-first_day").input_value() == "10"
    assert page.locator("#id_import-last_day").input_value() == "12"
    assert not page.locator("#id_import-import_payslips").is_checked()
    assert page.locator("#id_import-import_sepa_files").is_checked()
    assert page.get_by_test_id("window-advice").is_visible(), "a saved short window keeps its advice"
    saved = PortalSettings.load().import_settings
    assert (saved.first_day, saved.last_day, saved.import_payslips, saved.import_sepa_files) == (10, 12, False, True)

    # Invalid input: the error sits next to the field, a summary at the top, the focus on that field.
    page.fill("#id_import-first_day", "20")
    page.fill("#id_import-last_day", "5")
    page.locator("#import").get_by_role("button", name="Bewaren").click()
    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible() and "laatste dag" in summary.inner_text().lower()
    assert page.locator('[data-field="import-last_day"] .error').is_visible()
    assert page.evaluate("document.activeElement.id") == "id_import-last_day"
    assert PortalSettings.load().import_settings.last_day == 12, "nothing saved"

    # Loket: connect through the sandbox's OAuth pages, then disconnect.
    connect_loket(journey)
    assert "alice" in page.get_by_test_id("loket-authorised-by").inner_text()
    page.locator("#loket").get_by_role("button", name="Ontkoppelen").click()
    page.get_by_test_id("loket-not-connected").wait_for()

    # Nmbrs: the portal's credentials; a wrong tenant key is refused, the right one stored (never shown).
    nmbrs = page.locator("#nmbrs")
    page.fill("#id_nmbrs-login_email", nmbrs_data.DEMO_USERNAME)
    page.fill("#id_nmbrs-api_token", nmbrs_data.DEMO_TOKEN)
    page.fill("#id_nmbrs-tenant_key", "geenkantoor")
    nmbrs.get_by_role("button", name="Bewaren").click()
    assert page.get_by_test_id("error-summary").is_visible()
    assert "onthouden" in nmbrs.locator('[data-field="nmbrs-api_token"] .help').inner_text(), \
        "the token typed is kept after the tenant key's error"
    page.fill("#id_nmbrs-tenant_key", nmbrs_data.DEMO_DOMAIN)
    nmbrs.get_by_role("button", name="Bewaren").click()
    assert "nmbrs" in page.locator(".messages").inner_text().lower()
    page.reload()
    token = page.locator("#id_nmbrs-api_token")
    assert token.input_value() == "" and nmbrs_data.DEMO_TOKEN not in page.content()
    assert "opgeslagen" in nmbrs.locator('[data-field="nmbrs-api_token"] .help').inner_text().lower()
    # The clear box sits right after the secret it clears, and names it.
    clear = nmbrs.locator('[data-field="nmbrs-api_token"] + [data-field="nmbrs-api_token_clear"]')
    assert clear.is_visible() and "API" in clear.inner_text()
    assert PortalSettings.load().nmbrs_credentials.api_token == nmbrs_data.DEMO_TOKEN
