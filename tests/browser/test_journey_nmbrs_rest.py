"""Chromium journeys through Nmbrs' REST API: (a) connect it in the sandbox (OAuth in the browser), link a
company, import a month, read it booked on the run page; (b) switch a SOAP administration with booked history
to REST with its button, import again and read back on the run page that nothing was booked; (c) move all from
the settings page; (d) annual statements through REST. The REST sandbox
checks each of its answers, and the portal's client each request, against Nmbrs' OpenAPI description."""

from __future__ import annotations

import pytest
from django.db import connections

from connectors.nmbrs_rest.tests.fixtures import clock, rest_app, rest_sandbox_server  # noqa: F401 - fixtures
from integrations.nmbrs_rest.models import NmbrsRestLink
from integrations.nmbrs_rest.tests.fixtures import (  # noqa: F401 - fixtures
    import_now,
    jansen_administration,
    link_rest,
    one_world,
    portal_rest_connection,
    rest_server,
)
from portal.models import AssignedEmployer, ImportRun, LedgerEntry, PortalRole, PortalSettings
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import data as soap_data
from sandbox.nmbrs_rest import data
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step
from tests.vendor_state import NmbrsCredentials, set_portal_credentials

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_url(live_server, settings, rest_server, rest_app, one_world, yuki, eager_celery):  # noqa: F811 - imported fixtures
    from django.core.cache import cache

    cache.clear()  # the login throttle counts per user and address
    settings.PORTAL_BASE_URL = live_server.url
    rest_app.state.register_redirect_uri(f"{live_server.url}/nmbrs_rest/callback/")  # as a firm registers it
    make_user("alice", PortalRole.ADMINISTRATOR)
    return live_server.url


def log_in(page, url: str) -> None:
    page.goto(url)
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    pass_second_step(page, "alice")
    page.wait_for_url(url)


def import_october(page) -> ImportRun:
    page.fill("#id_month", "2026-10")
    page.get_by_test_id("import-now").click()
    page.wait_for_url("**/runs/*/")
    page.get_by_test_id("run-result").wait_for()
    return ImportRun.objects.latest("pk")


def test_connect_link_and_import_a_month_through_rest(portal_url, page):
    administration = jansen_administration("nmbrs_rest")
    connections.close_all()
    try:
        log_in(page, f"{portal_url}/settings/")
        card = page.locator("#nmbrs_rest")
        page.locator("#id_nmbrs_rest-client_id").fill(data.CLIENT_ID)
        page.locator("#id_nmbrs_rest-client_secret").fill(data.CLIENT_SECRET)
        page.locator("#id_nmbrs_rest-subscription_key").fill(data.SUBSCRIPTION_KEY)
        card.get_by_role("button", name="Bewaren").click()
        page.get_by_text("De Nmbrs-app en abonnementssleutel van het portaal zijn opgeslagen.").wait_for()

        page.locator("#nmbrs_rest").get_by_role("button", name="Verbind met Nmbrs").click()
        page.wait_for_url("**/connect/authorize?*")
        page.get_by_label("E-mailadres").fill(data.DEMO_USERNAME)
        page.get_by_label("Wachtwoord").fill(data.DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("button", name="Toestaan").click()
        page.wait_for_url(f"{portal_url}/settings/**")
        assert page.get_by_test_id("nmbrs-rest-authorised").inner_text().strip() == "Nmbrs geautoriseerd ✔"

        page.goto(f"{portal_url}/nmbrs_rest/administrations/{administration.pk}/companies/")
        page.locator(f"tr[data-company='{data.company_uid(50001)}']").get_by_role("button").click()
        page.wait_for_url(f"{portal_url}/administrations/{administration.pk}/")
        assert page.get_by_test_id("nmbrs-rest-company").inner_text().startswith("Bakkerij Jansen B.V. (101)")

        run = import_october(page)
        result = page.get_by_test_id("run-result").inner_text()
        assert run.booked == 6 and "6 geboekt" in result, result  # 3 payslips, journal, SEPA, wage tax return
        assert set(LedgerEntry.objects.values_list("source", "state").distinct()) == {("nmbrs_rest", "booked")}
        assert PortalSettings.load().nmbrs_rest_access.connection.status == ConnectionStatus.AUTHORISED
    finally:
        connections.close_all()


def test_switch_a_soap_administration_with_history_and_book_nothing_again(portal_url, page, portal_rest_connection):  # noqa: F811 - imported fixtures
    administration = jansen_administration("nmbrs", nmbrs_company_id=50001, nmbrs_company_number="101",
                                           nmbrs_company_name="Bakkerij Jansen B.V.", use_portal_nmbrs_credentials=True)
    set_portal_credentials(PortalSettings.load(), NmbrsCredentials.objects.create(
        login_email=soap_data.DEMO_USERNAME, api_token=soap_data.DEMO_TOKEN, tenant_key=soap_data.DEMO_DOMAIN,
        status=ConnectionStatus.AUTHORISED))
    AssignedEmployer.objects.create(domain=administration.domain, source="nmbrs", number="50001",
                                    name="Bakkerij Jansen B.V.")
    from connectors.documents import DocumentKind, Period

    october = Period.month(2026, 10)
    history = import_now(administration, {kind: (october,) for kind in (
        DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.WAGE_TAX_RETURN, DocumentKind.SEPA)})
    assert history.booked == 4, history.result  # the run's payslip PDF, journal, SEPA, wage tax return
    connections.close_all()
    try:
        log_in(page, f"{portal_url}/administrations/{administration.pk}/")
        page.get_by_test_id("nmbrs-move-to-rest").click()
        page.get_by_text("Bakkerij Jansen B.V. importeert nu via de REST API van Nmbrs.", exact=False).wait_for()
        assert "REST API · overgezet van SOAP op" in page.get_by_test_id("nmbrs-api").inner_text()
        assert NmbrsRestLink.objects.get(administration=administration).company_number == "101"

        run = import_october(page)
        result = page.get_by_test_id("run-result").inner_text()
        assert run.booked == 0 and run.fetched == run.unchanged == 6, result
        assert "geboekt" not in result.replace("0 geboekt", ""), result
        assert LedgerEntry.objects.filter(source="nmbrs").count() == 4, "the SOAP history stays"
    finally:
        connections.close_all()


def test_move_all_from_the_settings_page(portal_url, page, portal_rest_connection):  # noqa: F811 - imported fixtures
    administration = jansen_administration("nmbrs", nmbrs_company_id=50001, nmbrs_company_number="101",
                                           nmbrs_company_name="Bakkerij Jansen B.V.", use_portal_nmbrs_credentials=True)
    connections.close_all()
    try:
        log_in(page, f"{portal_url}/settings/")
        assert page.get_by_test_id("nmbrs-soap-count").inner_text().startswith(
            "1 administratie importeert nog via Nmbrs SOAP.")
        page.get_by_test_id("nmbrs-move-all").click()
        page.get_by_text("Overgezet naar de REST API van Nmbrs: Bakkerij Jansen B.V.").wait_for()
        assert page.get_by_test_id("nmbrs-soap-count").count() == 0, "none left on SOAP"
        administration.refresh_from_db()
        assert administration.source == "nmbrs_rest"
    finally:
        connections.close_all()


def test_annual_statements_through_rest_on_the_annual_documents_page(portal_url, page, portal_rest_connection):  # noqa: F811 - imported fixtures
    """Annual statements: a REST administration is offered on the annual documents page beside the
    SOAP ones; the bulk action fetches 2025's statements (the sandbox's final run of 2025 is locked) and the
    run page reads them booked, one per employee."""
    administration = jansen_administration("nmbrs_rest")
    link_rest(administration, portal_rest_connection, company_id=data.company_uid(50001), company_number="101",
              company_name="Bakkerij Jansen B.V.")
    connections.close_all()
    try:
        log_in(page, f"{portal_url}/annual-documents/")
        assert "employee.document.read" in page.get_by_test_id("nmbrs-rest-annual-intro").inner_text()
        row = page.get_by_test_id("nmbrs-rest-annual").locator("tr", has_text="Bakkerij Jansen B.V.")
        assert "Bakkerij Jansen B.V. (101)" in row.inner_text() and "REST API" in row.inner_text()
        page.fill("#id_year", "2025")
        page.get_by_label("Bakkerij Jansen B.V.").check()
        page.get_by_role("button", name="Jaarwerk ophalen").click()
        page.wait_for_url("**/runs/")
        page.locator("[data-testid=run-log-status]").first.click()
        page.wait_for_url("**/runs/*/")
        result = page.get_by_test_id("run-result").inner_text()
        assert "3 geboekt" in result, result  # Bakkerij Jansen's three employees
        assert "Jaarwerk" in page.locator("#run-progress table").inner_text()
        annual = LedgerEntry.objects.filter(administration=administration, kind="annual_document")
        assert annual.count() == 3 and set(annual.values_list("source", "state")) == {("nmbrs_rest", "booked")}
    finally:
        connections.close_all()
