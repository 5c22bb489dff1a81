"""An Nmbrs administration's page in Chromium: its card shows the SEPA and wage-tax-status settings that
apply (the effective values) and has a "Verbinding testen" button like Loket's, which asks the Nmbrs
sandbox; on the edit form the Yuki key's "remove" box sits right under the key."""

from __future__ import annotations

from portal.effective import effective_settings
from portal.models import Administration, PortalRole
from sandbox.demo import seed_demo_data
from sandbox.yuki import data as yuki_data
from tests.people import make_user
from tests.vendor_state import nmbrs_options


def test_the_nmbrs_card_shows_its_settings_and_tests_the_connection(journey, vendors):
    seed_demo_data()
    holding = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_SECOND_ADMINISTRATION_ID)
    applying = effective_settings(holding).import_settings
    applying.import_sepa_files = True
    applying.save()
    nmbrs_options(applying, wage_tax_return_status="accepted")
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page

    journey.goto(f"/administrations/{holding.pk}/")
    card = page.get_by_test_id("nmbrs-card")
    assert "Nmbrs-koppeling" in card.locator("h2").inner_text()
    assert card.get_by_test_id("nmbrs-sepa").inner_text() == "ja"
    assert card.get_by_test_id("nmbrs-wage-tax-status").inner_text() == "Geaccepteerd"
    assert card.get_by_test_id("nmbrs-credentials").inner_text() == "eigen"

    card.get_by_role("button", name="Verbinding testen").click()
    page.wait_for_url(f"**/administrations/{holding.pk}/#nmbrs")
    assert "Nmbrs: inloggegevens geaccepteerd, bedrijf zichtbaar" in page.locator(".messages").inner_text()

    # The Yuki key's "remove" box follows the key itself (it sat at the form's end, far below it).
    journey.goto(f"/administrations/{holding.pk}/edit/")
    following = page.evaluate(
        "document.querySelector('[data-field=\"yuki_access_key\"]').nextElementSibling.dataset.field")
    assert following == "yuki_access_key_clear"
    key_box = page.locator('[data-field="yuki_access_key"]').bounding_box()
    remove_box = page.locator('[data-field="yuki_access_key_clear"]').bounding_box()
    assert 0 <= remove_box["y"] - (key_box["y"] + key_box["height"]) < 40
    page.locator("#id_yuki_access_key_clear").check()
    page.get_by_role("button", name="Bewaren").click()
    error = page.locator('[data-field="yuki_access_key"] .error')
    error.wait_for()
    assert "Yuki heeft de toegangscode (API-sleutel) van deze administratie nodig." in error.inner_text()
    holding.refresh_from_db()
    assert holding.yuki_access_key == yuki_data.DEMO_ACCESS_KEY
