"""A domain's backoffice user in Chromium, after a portal administrator removed the domain's Loket employer:
"Verbinding testen" says why it is refused, in Dutch, and shows nothing of the employer Loket's first
administration belongs to (another domain's). Loket itself is connected through the sandbox's login pages."""

from __future__ import annotations

from portal.models import Administration, Domain, PortalRole
from sandbox.loket import data as loket_data
from sandbox.yuki import data as yuki_data
from tests.browser.test_journey_accountant import connect_loket
from tests.people import make_user

KORENSCHOOF = loket_data.ADMINISTRATIONS[0]  # domain 1's employer: the first one the Loket user sees


def test_verbinding_testen_for_a_removed_employer_shows_the_refusal_and_nothing_of_another_domain(journey,
                                                                                                  vendors):
    from sandbox.demo import seed_demo_data

    seed_demo_data()
    page = journey.page
    van_dijk = Domain.objects.get(yuki_domain_id=yuki_data.OTHER_DOMAIN_ID)
    administration = Administration.objects.get(yuki_administration_id=yuki_data.OTHER_ADMINISTRATION_ID)

    # The portal administrator connects the portal's Loket access and removes Van Dijk's employer.
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    connect_loket(journey)
    journey.goto(f"/domains/{van_dijk.pk}/employers/")
    with page.expect_navigation():
        page.get_by_role("button", name="Schildersbedrijf Van Dijk").click()
    assert not van_dijk.assigned_employers.exists()

    # Van Dijk's backoffice user tests the connection of its administration.
    journey.login(make_user("dave", domains=[van_dijk]))
    loket = vendors["loket"].app.state
    loket.requests.clear()
    journey.goto(f"/administrations/{administration.pk}/")
    page.locator("#loket").get_by_role("button", name="Verbinding testen").click()
    page.wait_for_url("**/loket/test/")
    refused = page.get_by_test_id("loket-test-refused").inner_text()
    assert "werkgever 40124 / 823456705L01 is niet toegewezen aan het domein Installatiebedrijf Van Dijk" in refused
    main = page.locator("main").inner_text()
    for secret in ("Korenschoof", str(KORENSCHOOF.client_number), KORENSCHOOF.wage_tax_number, "administraties",
                   "Sanne de Vries"):
        assert secret not in main, secret
    assert page.get_by_test_id("loket-checks").count() == 0 and page.get_by_test_id("loket-test-run").count() == 0
    # The page itself (GET, as a bookmark) says the same, and nothing was asked of Loket either time.
    journey.goto(f"/loket/test/?administration={administration.pk}")
    assert "niet toegewezen" in page.get_by_test_id("loket-test-refused").inner_text()
    assert loket.requests == []
