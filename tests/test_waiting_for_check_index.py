"""Migration portal 0030 (the "To check" page at scale: a partial index on the documents waiting
for a check, the domains by name, statistics on state and check_by_person) applies and reverses on a
filled database, and the page lists the same documents in the same order, page by page, as before it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from portal.models import Domain, EntryState, LedgerEntry, PortalRole
from tests.people import make_user
from tests.vendor_state import make_administration

BEFORE = [("portal", "0029_vendor_state_in_the_integrations")]
INDEXES = {("portal_ledgerentry", "ledger_waiting_for_check"), ("portal_domain", "domain_by_name")}


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def indexes_and_statistics() -> tuple[set, set]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                       [[name for _, name in INDEXES]])
        indexes = set(cursor.fetchall())
        cursor.execute("SELECT stxname FROM pg_statistic_ext WHERE stxname = 'ledger_state_check_by_person'")
        statistics = {row[0] for row in cursor.fetchall()}
    return indexes, statistics


@pytest.fixture
def before_0030(transactional_db):
    MigrationExecutor(connection).migrate(BEFORE)
    yield
    MigrationExecutor(connection).migrate(leaves())


def fill() -> Domain:
    """Three domains created out of name order, two administrations each (also out of name order), and
    per administration 11 documents waiting for a person (periods and titles mixed, two alike so the
    id decides), 2 still checked automatically and 3 that wait for nobody. Returns the domain Maas."""
    domains = [Domain.objects.create(name=name, yuki_domain_id=f"dom-{name}", payroll_link_active=True)
               for name in ("Zeeland", "Amstel", "Maas")]
    for domain in domains:
        for name in ("Noord B.V.", "Dijk B.V."):
            administration = make_administration(
                domain=domain, name=name, yuki_administration_id=f"{domain.name}-{name}",
                yuki_access_key=f"key-{domain.name}-{name}", source="loket", relation_code="1",
                wage_tax_number="812345678L01")
            rows = [(EntryState.NEEDS_CHECK, True, f"2026-{1 + n * 5 % 12:02d}", f"Loonstrook {n * 7 % 11}")
                    for n in range(10)]
            rows += [(EntryState.NEEDS_CHECK, True, "2026-01", "Loonstrook 0"),  # as one above: the id decides
                     (EntryState.NEEDS_CHECK, False, "2026-03", "Journaalpost"),
                     (EntryState.NEEDS_CHECK, False, "2026-02", "Loonaangifte"),
                     (EntryState.BOOKED, False, "2026-01", "Geboekt"),
                     (EntryState.FAILED, False, "2026-01", "Mislukt"),
                     (EntryState.NEW, False, "2026-01", "Nieuw")]
            LedgerEntry.objects.bulk_create([LedgerEntry(
                administration=administration, source="loket", kind="payslip", source_id=f"doc-{n}",
                period=period, title=title, content_hash="h" * 64, state=state, check_by_person=by_person)
                for n, (state, by_person, period, title) in enumerate(rows)])
    return domains[2]


def listed(client) -> dict[str, list[int]]:
    """Both lists of the page, every page of them, as the ids in the order shown."""
    shown = {}
    for context_name, param in (("entries", "page"), ("automatic", "automatic_page")):
        ids, number = [], 1
        while True:
            response = client.get(reverse("portal:needs-check"), {param: number})
            assert response.status_code == 200
            page = response.context[context_name]
            ids += [entry.pk for entry in page.object_list]
            if not page.has_next():
                break
            number += 1
        shown[context_name] = ids
    return shown


def in_the_pages_order(queryset) -> list[int]:
    entries = queryset.select_related("administration__domain")
    key = [(e.administration.domain.name, e.administration.name, e.period, e.title, e.pk) for e in entries]
    return [row[-1] for row in sorted(key)]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_to_check_page_and_adds_its_index(before_0030, client):
    maas = fill()
    alice = make_user("alice", portal_role=PortalRole.ADMINISTRATOR)
    carol = make_user("carol", domains=[maas])
    assert indexes_and_statistics() == (set(), set())
    client.force_login(alice)
    alice_before = listed(client)
    client.force_login(carol)
    carol_before = listed(client)

    MigrationExecutor(connection).migrate(leaves())

    assert indexes_and_statistics() == (INDEXES, {"ledger_state_check_by_person"})
    client.force_login(alice)
    assert listed(client) == alice_before
    client.force_login(carol)
    assert listed(client) == carol_before

    waiting = LedgerEntry.objects.filter(state=EntryState.NEEDS_CHECK)
    assert alice_before == {"entries": in_the_pages_order(waiting.filter(check_by_person=True)),
                            "automatic": in_the_pages_order(waiting.filter(check_by_person=False))}
    assert len(alice_before["entries"]) == 66 and len(alice_before["automatic"]) == 12  # two pages of the first
    mine = waiting.filter(administration__domain=maas)
    assert carol_before == {"entries": in_the_pages_order(mine.filter(check_by_person=True)),
                            "automatic": in_the_pages_order(mine.filter(check_by_person=False))}

    MigrationExecutor(connection).migrate(BEFORE)  # and back: nothing of it left
    assert indexes_and_statistics() == (set(), set())
