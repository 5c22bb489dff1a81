"""'The company number must match' in Chromium: with the setting on, a person who links a company whose
number is not the Relatiecode is refused, with the reason, and the link stays as it was."""

from __future__ import annotations

from portal.models import Administration, PortalRole, PortalSettings
from sandbox.demo import seed_demo_data
from sandbox.yuki import data as yuki_data
from tests.people import make_user
from tests.vendor_state import nmbrs_options


def test_a_company_with_another_number_is_not_linked_by_hand(journey, vendors):
    seed_demo_data()
    holding = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_SECOND_ADMINISTRATION_ID)
    assert (holding.relation_code, holding.nmbrs_link.company_id) == ("101", 50001)  # Bakkerij Jansen B.V.
    portal = PortalSettings.load()
    nmbrs_options(portal.import_settings, number_must_match=True)
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page

    journey.goto(f"/administrations/{holding.pk}/")
    page.get_by_role("link", name="Nmbrs-bedrijf kiezen").click()
    assert "Relatiecode" in page.get_by_test_id("number-must-match").inner_text()
    page.get_by_role("button", name="Koppelen Jansen Vastgoed B.V.", exact=True).click()

    refusal = page.get_by_test_id("link-error").inner_text()
    assert "Jansen Vastgoed B.V." in refusal and "102" in refusal and "101" in refusal, refusal
    assert "Bakkerij Jansen B.V." in page.get_by_test_id("linked-company").inner_text()
    holding.refresh_from_db()
    assert holding.nmbrs_link.company_id == 50001
