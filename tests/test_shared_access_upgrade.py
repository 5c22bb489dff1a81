"""The upgrade to assigned employers (portal/migrations/0017_assigned_employers_for_shared_access.py)
keeps today's imports going: an employer fetched through the portal's shared access by exactly one
domain is assigned to it (and written in the audit log); one used from two domains is assigned to
neither, for a portal administrator to decide; own access is left alone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("portal", "0016_name_the_nmbrs_credentials_fields_for_the_audit_log")]
AFTER = [("portal", "0017_assigned_employers_for_shared_access")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_assigns_employers_in_use_by_one_domain():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Domain, Administration = apps.get_model("portal", "Domain"), apps.get_model("portal", "Administration")
    a = Domain.objects.create(name="A", yuki_domain_id="dom-a")
    b = Domain.objects.create(name="B", yuki_domain_id="dom-b")

    def administration(domain, name, **fields):
        Administration.objects.create(domain=domain, name=name, yuki_administration_id=f"adm-{name}",
                                      yuki_access_key="", **fields)

    administration(a, "a-loket", source="loket", loket_client_number="40123", wage_tax_number="812345678L01")
    administration(a, "a-loket-2", source="loket", loket_client_number="40123", wage_tax_number="812345678L01")
    administration(a, "a-shared", source="loket", loket_client_number="40124", wage_tax_number="823456789L01")
    administration(b, "b-shared", source="loket", loket_client_number="40124", wage_tax_number="823456789L01")
    administration(b, "b-own", source="loket", loket_client_number="40125", wage_tax_number="834567890L02",
                   use_portal_loket_access=False)
    administration(b, "b-nmbrs", source="nmbrs", use_portal_nmbrs_credentials=True, nmbrs_company_id=50001,
                   nmbrs_company_name="Bakkerij Jansen B.V.")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    assigned = {(e.source, e.number, e.wage_tax_number): (e.domain.name, e.name)
                for e in apps.get_model("portal", "AssignedEmployer").objects.select_related("domain")}
    assert assigned == {("loket", "40123", "812345678L01"): ("A", "a-loket"),
                        ("nmbrs", "50001", ""): ("B", "Bakkerij Jansen B.V.")}
    assert apps.get_model("portal", "AuditLogEntry").objects.filter(object_type="assigned employer").count() == 2
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
