"""Nmbrs in Chromium (docs/vendors/nmbrs.md): credentials refused for a wrong tenant key and a wrong token, then accepted;
companies linked by number and by choice; SEPA files in a run; the annual documents bulk action. Imports run
on a real worker against the Nmbrs and Yuki sandboxes. On the portal's shared credentials, a linked company
whose assignment a portal administrator removed is named on the companies page as refused."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from integrations.nmbrs.models import NmbrsCredentials, set_portal_credentials
from portal.imports import booking
from portal.models import Administration, Domain, LedgerEntry, PortalRole, PortalSettings
from portal.models.connections import ConnectionStatus
from sandbox.demo import seed_demo_data
from sandbox.nmbrs import data as nmbrs_data
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text, yuki_knows
from tests.people import make_user
from tests.vendor_state import make_administration


def test_nmbrs_credentials_linking_sepa_and_annual_documents(journey, vendors, worker):
    seed_demo_data()
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page, yuki = journey.page, vendors["yuki"].app
    holding = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_SECOND_ADMINISTRATION_ID)
    domain = holding.domain

    # A new Nmbrs administration with its own credentials: a wrong tenant key, then a wrong token, then right.
    yuki_knows(yuki, domain.yuki_domain_id, "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d5e6f", yuki_data.DEMO_ACCESS_KEY,
               "Jansen Vastgoed B.V.")
    journey.goto(f"/domains/{domain.pk}/administrations/new/")
    page.fill("#id_name", "Jansen Vastgoed B.V.")
    page.fill("#id_yuki_administration_id", "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d5e6f")
    page.fill("#id_yuki_access_key", yuki_data.DEMO_ACCESS_KEY)
    page.select_option("#id_source", "nmbrs")
    page.fill("#id_relation_code", "102")
    page.locator("#id_use_portal_nmbrs_credentials").uncheck()
    page.fill("#id_nmbrs-login_email", nmbrs_data.DEMO_USERNAME)
    page.fill("#id_nmbrs-api_token", nmbrs_data.DEMO_TOKEN)
    page.fill("#id_nmbrs-tenant_key", "geenkantoor")
    page.get_by_role("button", name="Bewaren").click()
    tenant = page.locator('[data-field="nmbrs-tenant_key"]')
    assert tenant.locator(".error").is_visible() and "Tenant Key niet gevonden" in tenant.locator(".error").inner_text()
    assert page.get_by_test_id("error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_nmbrs-tenant_key"
    assert "onthouden" in page.locator('[data-field="nmbrs-api_token"] .help').inner_text()
    assert page.locator("#id_name").input_value() == "Jansen Vastgoed B.V."

    page.fill("#id_nmbrs-tenant_key", nmbrs_data.DEMO_DOMAIN)
    page.fill("#id_nmbrs-api_token", "0" * 32)
    page.get_by_role("button", name="Bewaren").click()
    # The answer asks Yuki (the key and ID) and Nmbrs: wait for the page that names the token.
    summary = page.get_by_test_id("error-summary").filter(has_text=re.compile("token", re.I))
    summary.wait_for()
    assert not Administration.objects.filter(name="Jansen Vastgoed B.V.").exists()

    page.fill("#id_nmbrs-api_token", nmbrs_data.DEMO_TOKEN)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/administrations/*/")
    vastgoed = Administration.objects.get(name="Jansen Vastgoed B.V.")
    assert vastgoed.nmbrs_link.own_credentials.api_token == nmbrs_data.DEMO_TOKEN

    # Linked by number: its Relatiecode 102 is the company number of Jansen Vastgoed B.V.
    journey.goto(f"/domains/{domain.pk}/")
    page.get_by_role("link", name="Nmbrs-bedrijven koppelen op nummer").click()
    row = page.locator(f'tr[data-administration="{vastgoed.pk}"]')
    assert "Jansen Vastgoed B.V. (102)" in row.inner_text()
    page.get_by_role("button", name="Bevestigen en de overeenkomsten koppelen").click()
    assert "Jansen Vastgoed B.V." in page.locator(".messages").inner_text()
    vastgoed.refresh_from_db()
    assert vastgoed.nmbrs_link.company_id == 50002

    # Linked by choice: another company, picked from the list the credentials see.
    journey.goto(f"/administrations/{vastgoed.pk}/")
    page.get_by_role("link", name="Nmbrs-bedrijf kiezen").click()
    # Each link button names its company, so a screen reader's list of buttons tells them apart; the
    # choice is made by that name, as such a user would. (The linked company has no button.)
    companies = page.get_by_test_id("companies")
    shown = [row.locator("td").nth(1).inner_text() for row in companies.locator("tr[data-company]").all()]
    assert "Jansen Vastgoed B.V." in shown and companies.get_by_role("button").count() == len(shown) - 1
    for name in set(shown) - {"Jansen Vastgoed B.V."}:
        assert companies.get_by_role("button", name=f"Koppelen {name}", exact=True).count() == 1, name
    page.get_by_role("button", name="Koppelen De Vries Fietsen V.O.F.", exact=True).click()
    page.wait_for_url(f"**/administrations/{vastgoed.pk}/")
    assert "De Vries Fietsen" in page.locator("main").inner_text()
    vastgoed.refresh_from_db()
    assert vastgoed.nmbrs_link.company_id == 50003

    # SEPA files in a run: the holding's own import settings switch them on.
    journey.goto(f"/administrations/{holding.pk}/edit/")
    page.locator("#id_use_portal_import_settings").uncheck()
    page.locator("#id_own-import_sepa_files").check()
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/administrations/{holding.pk}/")
    page.get_by_test_id("import-now").click()
    page.wait_for_url("**/runs/*/")
    wait_for_text(page, "run-status", "^Afgerond$", timeout=90_000)
    assert "SEPA-bestand" in page.locator("#run-progress table").inner_text()
    sepa = LedgerEntry.objects.filter(administration=holding, kind="sepa", state="booked")
    in_yuki = {f.file_name for f in yuki.state.archive}
    assert sepa.exists() and all(booking.yuki_file_name(entry) in in_yuki for entry in sepa)

    # The annual documents bulk action, for last year.
    journey.goto("/annual-documents/")
    page.fill("#id_year", str(date.today().year + 1))
    page.get_by_label(holding.name).check()
    page.get_by_role("button", name="Jaarwerk ophalen").click()
    assert page.locator('[data-field="year"] .error').is_visible()
    assert page.get_by_test_id("error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_year"
    page.fill("#id_year", str(date.today().year - 1))
    page.get_by_label(holding.name).check()
    page.get_by_role("button", name="Jaarwerk ophalen").click()
    page.wait_for_url("**/runs/")
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=run-log-status]')]
        .every(el => !['In de wachtrij', 'Bezig'].includes(el.innerText.trim()))""", timeout=90_000)
    annual = LedgerEntry.objects.filter(administration=holding, kind="annual_document")
    assert annual.exists() and set(annual.values_list("state", flat=True)) == {"booked"}
    page.locator("[data-testid=run-log-status]").first.click()
    assert "Jaarwerk" in page.locator("#run-progress table").inner_text()


def test_a_linked_company_no_longer_assigned_to_the_domain_is_named_on_the_companies_page(journey, vendors):
    """The portal's shared Nmbrs credentials: a portal administrator links Van Dijk's administration to a company
    (which assigns it to the domain), then removes that assignment on the domain's employers page. The domain's
    user then reads on the companies page why its linked company is refused, in Dutch."""
    seed_demo_data()
    portal = PortalSettings.load()
    set_portal_credentials(portal, NmbrsCredentials.objects.create(
        login_email=nmbrs_data.DEMO_USERNAME, api_token=nmbrs_data.DEMO_TOKEN, tenant_key=nmbrs_data.DEMO_DOMAIN,
        status=ConnectionStatus.AUTHORISED))
    van_dijk = Domain.objects.get(yuki_domain_id=yuki_data.OTHER_DOMAIN_ID)
    fietsen = make_administration(
        domain=van_dijk, name="Van Dijk Fietsen", yuki_administration_id="adm-vandijk-fietsen",
        yuki_access_key=yuki_data.OTHER_ACCESS_KEY, source="nmbrs", relation_code="201",
        use_portal_nmbrs_credentials=True)
    page = journey.page

    # The portal administrator links the company whose number is the Relatiecode: it is assigned to the domain.
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    journey.login(alice)
    journey.goto(f"/administrations/{fietsen.pk}/")
    page.get_by_role("link", name="Nmbrs-bedrijf kiezen").click()
    page.get_by_role("button", name="Koppelen De Vries Fietsen V.O.F.", exact=True).click()
    page.wait_for_url(f"**/administrations/{fietsen.pk}/")
    messages = page.locator(".messages").inner_text()
    assert "De werkgever De Vries Fietsen V.O.F. (50003) is nu toegewezen aan het domein Installatiebedrijf " \
        "Van Dijk" in messages, messages

    # The domain's user sees its linked company, no warning.
    dave = make_user("dave", domains=[van_dijk])
    journey.login(dave)
    journey.goto(reverse("nmbrs:companies", args=[fietsen.pk]))
    assert "De Vries Fietsen V.O.F." in page.get_by_test_id("linked-company").inner_text()
    assert page.get_by_test_id("linked-refused").count() == 0
    assert "De Vries Fietsen V.O.F." in page.get_by_test_id("companies").inner_text()

    # The portal administrator removes the assignment on the domain's employers page.
    journey.login(alice)
    journey.goto(f"/domains/{van_dijk.pk}/employers/")
    with page.expect_navigation():
        page.get_by_role("button", name="De Vries Fietsen V.O.F. verwijderen").click()
    assert "De Vries Fietsen V.O.F." not in page.get_by_test_id("assigned-employers").inner_text()

    # The domain's user reads why the linked company is refused, and no longer sees it in the list.
    journey.login(dave)
    journey.goto(f"/administrations/{fietsen.pk}/")
    page.get_by_role("link", name="Nmbrs-bedrijf kiezen").click()
    refused = page.get_by_test_id("linked-refused")
    assert refused.is_visible()
    assert "De werkgever 50003 is niet toegewezen aan het domein Installatiebedrijf Van Dijk" in refused.inner_text()
    assert "vraag een portaalbeheerder om hem toe te wijzen" in refused.inner_text()
    assert page.get_by_test_id("none-assigned").is_visible()
    assert "De Vries Fietsen V.O.F." not in page.get_by_test_id("companies").inner_text()
