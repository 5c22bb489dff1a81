"""The upgrade that moves the vendors' state out of the portal's tables (integrations/*/migrations/0001 and
portal/migrations/0029) keeps an installed portal's data: a database filled by the schema of portal 0028
(both vendors, their secrets, the portal's shared access, Nmbrs options, booked ledger history) reads the
same through the integrations' models afterwards, secrets still decrypting."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.models import Administration, ImportSettings, RunStatus
from tests.engine import test_engine_loket, test_engine_nmbrs

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


# --- the next import after the upgrade books nothing twice ----------------------------------------------


def state_of(rows) -> list[dict]:
    """The rows (a queryset) as column values (secrets decrypted), to write again through a historical model."""
    return [{f.attname: getattr(row, f.attname) for f in rows.model._meta.concrete_fields} for row in rows]


def put(historical, row: dict, **values):
    """`row` (from state_of) as a new row of the historical model: only the columns it has, a new id."""
    columns = [f.attname for f in historical._meta.concrete_fields
               if f.attname in row and f.attname != "id" and not {f.name, f.attname} & set(values)]
    return historical.objects.create(**{name: row[name] for name in columns}, **values)


def ledger() -> list[tuple]:
    from portal.models import LedgerEntry

    return sorted(LedgerEntry.objects.values_list("administration__name", "source", "kind", "source_id", "state",
                                                  "booked_hash"))


@pytest.fixture
def bookings_at_yuki(yuki, monkeypatch):
    """The calls that book into the Yuki sandbox (a journal, an archived file, a petty cash import), counted."""
    counted = []
    state = yuki.app.state
    for name in ("book_journal", "store_file", "store_petty_cash"):
        method = getattr(state, name)
        monkeypatch.setattr(state, name, lambda *args, _method=method, _name=name: (counted.append(_name),
                                                                                      _method(*args))[1])
    return counted


@pytest.fixture
def schema_restored(transactional_db):
    yield
    MigrationExecutor(connection).migrate(leaves())


def import_both(loket_administration, nmbrs_administration):
    runs = (test_engine_loket.import_now(loket_administration), test_engine_nmbrs.import_now(nmbrs_administration))
    for run in runs:
        assert run.status == RunStatus.SUCCEEDED and run.fetched > 0, run.result
    return runs


def test_the_first_import_after_the_upgrade_books_nothing_twice(korenschoof, nmbrs, yuki, bookings_at_yuki,
                                                                schema_restored):
    """A portal on portal 0028's schema booked both vendors' documents; after the upgrade the next import
    reaches both sandboxes with the moved credentials and tokens, finds every document in the ledger and
    books none again. The booked history is the one a real import wrote (the sandboxes' documents and
    fingerprints); the vendor state is written in the old columns through 0028's models."""
    from integrations.loket.models import LoketConnection, portal_connection
    from integrations.nmbrs.models import NmbrsCredentials, link_of, options_of
    from portal.models import AssignedEmployer, Domain, LedgerEntry, PortalSettings

    holding = Administration.objects.get(source="nmbrs")
    import_both(korenschoof, holding)
    booked = len(bookings_at_yuki)
    assert booked > 0
    history = ledger()
    assert {source for _name, source, *_rest in history} == {"loket", "nmbrs"}
    # What the old schema held, read from today's rows: the tokens the Loket sandbox accepts now, the
    # ledger the imports wrote, the domains and their assigned employers.
    portal = PortalSettings.load()
    tokens = state_of(LoketConnection.objects.filter(pk=portal_connection(portal).pk))[0]
    link = link_of(holding)
    nmbrs_login = state_of(NmbrsCredentials.objects.filter(pk=link.own_credentials_id))[0]
    options = options_of(portal.import_settings)
    portal_import = state_of(ImportSettings.objects.filter(pk=portal.import_settings_id))[0]
    domains, employers = state_of(Domain.objects.all()), state_of(AssignedEmployer.objects.all())
    entries = state_of(LedgerEntry.objects.all())
    call_command("flush", interactive=False, verbosity=0)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    get = executor.loader.project_state([BEFORE[0]]).apps.get_model
    get("portal", "PortalSettings").objects.create(
        pk=1, import_settings=put(get("portal", "ImportSettings"), portal_import,
                                  wage_tax_return_status=options.wage_tax_return_status,
                                  nmbrs_number_must_match=options.number_must_match),
        loket_connection=put(get("portal", "LoketConnection"), tokens, authorised_by_id=None))
    domain_of = {row["id"]: put(get("portal", "Domain"), row) for row in domains}
    for row in employers:
        put(get("portal", "AssignedEmployer"), row, domain=domain_of[row["domain_id"]])
    old = get("portal", "Administration")
    common = {"yuki_administration_name", "use_portal_import_settings"}
    moved = {
        korenschoof.pk: old.objects.create(
            domain=domain_of[korenschoof.domain_id], name=korenschoof.name, source="loket",
            yuki_administration_id=korenschoof.yuki_administration_id, yuki_access_key=korenschoof.yuki_access_key,
            loket_client_number=korenschoof.relation_code, wage_tax_number=korenschoof.wage_tax_number,
            use_portal_loket_access=True, **{name: getattr(korenschoof, name) for name in common}),
        holding.pk: old.objects.create(
            domain=domain_of[holding.domain_id], name=holding.name, source="nmbrs",
            yuki_administration_id=holding.yuki_administration_id, yuki_access_key=holding.yuki_access_key,
            loket_client_number=holding.relation_code, use_portal_nmbrs_credentials=False,
            own_nmbrs_credentials=put(get("portal", "NmbrsCredentials"), nmbrs_login),
            nmbrs_company_id=link.company_id, nmbrs_company_number=link.company_number,
            nmbrs_company_name=link.company_name,
            **{name: getattr(holding, name) for name in common}),
    }
    for row in entries:
        if row["administration_id"] in moved:
            put(get("portal", "LedgerEntry"), row, administration=moved[row["administration_id"]], last_run_id=None)

    MigrationExecutor(connection).migrate(leaves())
    ContentType.objects.clear_cache()

    assert ledger() == history, "the booked history is as it was"
    again = import_both(Administration.objects.get(name=korenschoof.name), Administration.objects.get(name=holding.name))
    assert len(bookings_at_yuki) == booked, f"booked again in Yuki: {bookings_at_yuki[booked:]}"
    assert [run.booked for run in again] == [0, 0]
    assert ledger() == history
