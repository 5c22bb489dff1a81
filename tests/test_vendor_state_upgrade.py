"""The upgrade that moves the vendors' state out of the portal's tables (integrations/*/migrations/0001 and
portal/migrations/0029) keeps an installed portal's data: a database filled by the schema of portal 0028
(both vendors, their secrets, the portal's shared access, Nmbrs options, booked ledger history) reads the
same through the integrations' models afterwards, secrets still decrypting."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("portal", "0028_sent_journal_lines"), ("loket", None), ("nmbrs", None), ("paperclip", None)]


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_schema(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state([BEFORE[0]]).apps
    MigrationExecutor(connection).migrate(leaves())


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_both_vendors_state_and_booked_history(old_schema):
    apps = old_schema
    get = apps.get_model
    user = get("auth", "User").objects.create(username="bea")
    loket_own = get("portal", "LoketConnection").objects.create(
        environment="sandbox", access_token="own-access", refresh_token="own-refresh", status="authorised",
        authorised_by=user)
    loket_portal = get("portal", "LoketConnection").objects.create(environment="sandbox", refresh_token="portal-rt",
                                                                   status="authorised")
    nmbrs_own = get("portal", "NmbrsCredentials").objects.create(login_email="api@kantoor.nl", api_token="tok-3e5f",
                                                                  tenant_key="kantoor", status="authorised")
    import_settings = get("portal", "ImportSettings").objects.create(wage_tax_return_status="accepted",
                                                                     nmbrs_number_must_match=True)
    get("portal", "PortalSettings").objects.create(
        pk=1, import_settings=get("portal", "ImportSettings").objects.create(), loket_connection=loket_portal)
    domain = get("portal", "Domain").objects.create(name="Jansen", yuki_domain_id="dom-1", payroll_link_active=True)
    on_loket = get("portal", "Administration").objects.create(
        domain=domain, name="Loket B.V.", yuki_administration_id="adm-1", yuki_access_key="yk-1", source="loket",
        loket_client_number="40123", wage_tax_number="812345678L01", use_portal_loket_access=False,
        own_loket_connection=loket_own)
    on_nmbrs = get("portal", "Administration").objects.create(
        domain=domain, name="Nmbrs B.V.", yuki_administration_id="adm-2", yuki_access_key="yk-2", source="nmbrs",
        loket_client_number="101", use_portal_nmbrs_credentials=False, own_nmbrs_credentials=nmbrs_own,
        nmbrs_company_id=50001, nmbrs_company_number="101", nmbrs_company_name="Bakkerij Jansen B.V.",
        use_portal_import_settings=False, own_import_settings=import_settings)
    for administration, source in ((on_loket, "loket"), (on_nmbrs, "nmbrs")):
        get("portal", "LedgerEntry").objects.create(
            administration=administration, source=source, kind="payslip", source_id=f"{source}-1", period="2026-11",
            title="Loonstrook", content_hash="h" * 64, state="booked", booked_hash="h" * 64)

    MigrationExecutor(connection).migrate(leaves())

    from integrations.loket.models import LoketLink, portal_connection
    from integrations.nmbrs.models import NmbrsLink, options_of
    from portal.effective import effective_settings
    from portal.models import Administration, LedgerEntry, PortalSettings

    loket_admin = Administration.objects.get(name="Loket B.V.")
    assert loket_admin.relation_code == "40123" and loket_admin.wage_tax_number == "812345678L01"
    link = LoketLink.objects.get(administration=loket_admin)
    assert link.use_portal_access is False and link.own_connection.access_token == "own-access"
    assert link.own_connection.refresh_token == "own-refresh" and link.own_connection.authorised_by.username == "bea"
    assert portal_connection(PortalSettings.load()).refresh_token == "portal-rt"

    nmbrs_admin = Administration.objects.get(name="Nmbrs B.V.")
    nmbrs_link = NmbrsLink.objects.get(administration=nmbrs_admin)
    assert (nmbrs_link.company_id, nmbrs_link.company_number, nmbrs_link.company_name) == (
        50001, "101", "Bakkerij Jansen B.V.")
    assert nmbrs_link.own_credentials.api_token == "tok-3e5f" and not nmbrs_link.use_portal_credentials
    options = options_of(nmbrs_admin.own_import_settings)
    assert (options.wage_tax_return_status, options.number_must_match) == ("accepted", True)

    effective = effective_settings(nmbrs_admin)
    assert effective.nmbrs_credentials.login_email == "api@kantoor.nl"
    assert str(effective.nmbrs_credentials_origin) == "administration"
    assert effective_settings(loket_admin).loket_connection.refresh_token == "own-refresh"
    assert sorted(LedgerEntry.objects.values_list("source", "source_id", "state")) == [
        ("loket", "loket-1", "booked"), ("nmbrs", "nmbrs-1", "booked")], "the booked history stays"
