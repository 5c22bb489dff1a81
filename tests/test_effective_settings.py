"""The override rules: the administration's own settings only when it opted out of the portal's."""

import pytest

from integrations.loket.models import LoketConnection, set_portal_connection
from integrations.nmbrs.models import NmbrsCredentials, set_portal_credentials
from portal.effective import Origin, effective_settings
from portal.models import ImportSettings, PortalSettings
from portal.models.connections import ConnectionStatus


@pytest.fixture
def portal(db):
    portal = PortalSettings.load()
    portal.import_settings.auto_import = True
    portal.import_settings.first_day, portal.import_settings.last_day = 5, 25
    portal.import_settings.save()
    set_portal_connection(portal, LoketConnection.objects.create(environment="sandbox", refresh_token="portal-rt",
                                                                 status=ConnectionStatus.AUTHORISED))
    set_portal_credentials(portal, NmbrsCredentials.objects.create(login_email="p@x.nl", api_token="t",
                                                                   tenant_key="p"))
    return portal


def test_portal_settings_apply_by_default(portal, acme_admin):
    effective = effective_settings(acme_admin)
    assert effective.import_settings.pk == portal.import_settings.pk
    assert effective.import_settings_origin == Origin.PORTAL
    assert effective.loket_connection.refresh_token == "portal-rt"
    assert effective.loket_connection_origin == Origin.PORTAL


def test_own_import_settings_override_the_portals(portal, acme_admin):
    acme_admin.use_portal_import_settings = False
    acme_admin.own_import_settings = ImportSettings.objects.create(auto_import=False, first_day=10, last_day=20)
    acme_admin.save()
    effective = effective_settings(acme_admin)
    assert effective.import_settings_origin == Origin.ADMINISTRATION
    assert (effective.import_settings.first_day, effective.import_settings.auto_import) == (10, False)


def test_own_settings_are_ignored_while_the_portals_are_used(portal, acme_admin):
    acme_admin.own_import_settings = ImportSettings.objects.create(first_day=10, last_day=20)
    acme_admin.save()
    assert effective_settings(acme_admin).import_settings.first_day == 5


def test_opting_out_without_own_settings_imports_nothing_automatically(portal, acme_admin):
    acme_admin.use_portal_import_settings = False
    acme_admin.save()
    effective = effective_settings(acme_admin)
    assert effective.import_settings_origin == Origin.ADMINISTRATION
    assert effective.import_settings.auto_import is False


def test_own_loket_connection(portal, acme_admin):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.loket_link.save()
    assert effective_settings(acme_admin).loket_connection is None, "own access not authorised yet"
    acme_admin.loket_link.own_connection = LoketConnection.objects.create(environment="sandbox", refresh_token="own-rt")
    acme_admin.loket_link.save()
    effective = effective_settings(acme_admin)
    assert effective.loket_connection.refresh_token == "own-rt"
    assert effective.loket_connection_origin == Origin.ADMINISTRATION


def test_nmbrs_credentials_default_to_own_and_can_use_the_portals(portal, acme_admin):
    assert effective_settings(acme_admin).nmbrs_credentials is None
    acme_admin.nmbrs_link.use_portal_credentials = True
    acme_admin.nmbrs_link.save()
    assert effective_settings(acme_admin).nmbrs_credentials.login_email == "p@x.nl"


def test_domain_contract_is_part_of_the_effective_settings(portal, acme_admin):
    assert effective_settings(acme_admin).payroll_link_active is True
    acme_admin.domain.payroll_link_active = False
    acme_admin.domain.save()
    assert effective_settings(acme_admin).payroll_link_active is False


def test_two_first_loads_of_the_portal_settings_at_once_share_one_row(db, monkeypatch):
    """Found by tests/test_embedded_run.py: two first requests both found no row and one got a 500."""
    from django.db.models import QuerySet

    from portal.models import ImportSettings, PortalSettings

    winner = PortalSettings.load()
    import_settings_before = ImportSettings.objects.count()
    monkeypatch.setattr(QuerySet, "first", lambda self: None)  # this request looked before the winner saved
    assert PortalSettings.load().pk == winner.pk
    monkeypatch.undo()
    assert PortalSettings.objects.count() == 1 and ImportSettings.objects.count() == import_settings_before


def test_the_portal_settings_load_with_every_sources_portal_rows_in_one_query(portal, django_assert_num_queries):
    """PortalSettings.load() is read on most pages and per administration in the scheduler: the sources'
    shared access and import options come with it (PayrollSource.portal_relations), not one query each."""
    from portal.sources import registry

    with django_assert_num_queries(1):
        loaded = PortalSettings.load()
        shared = {default.name: default.portal(loaded)
                  for source in registry.all_sources() for default in source.portal_defaults}
        options = [getattr(loaded.import_settings, model.import_settings.field.related_query_name())
                   for model in (source.import_options for source in registry.all_sources()) if model]
    assert shared["loket_connection"].refresh_token == "portal-rt"
    assert shared["nmbrs_credentials"].login_email == "p@x.nl"
    assert [row.pk for row in options] == [loaded.import_settings.pk]
