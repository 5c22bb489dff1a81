"""The paged lists in Chromium: a person pages forward through every long list with the pager (by its
accessible name), sees the next rows and where they are (aria-current), and keeps the filter they chose."""

from __future__ import annotations

import re

from portal.models import Administration, AuditLogEntry, Domain, ImportRun, LedgerEntry, PortalRole
from tests.conftest import make_user
from tests.test_list_pages import grow


def next_page(journey, pager: str, expected_page: int = 2) -> None:
    """Click 'Volgende' in the pager named `pager`; the page it leads to marks its own number as current."""
    page = journey.page
    nav = page.get_by_role("navigation", name=pager)
    assert "van" in nav.inner_text()  # "1–50 van 120"
    nav.get_by_role("link", name="Volgende").click()
    page.wait_for_load_state()
    current = page.get_by_role("navigation", name=pager).locator('[aria-current="page"]')
    assert current.inner_text().split()[-1] == str(expected_page)


def rows(page, selector: str = "main table tbody tr") -> list[str]:
    return [row.inner_text() for row in page.locator(selector).all()]


def test_a_portal_administrator_pages_through_every_long_list(journey):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    grow(acme, domains=14, administrations=150, runs=130, entries=0, users=60)
    grow(acme, domains=0, administrations=60, runs=0, entries=0, users=0)  # Acme: more than a page
    admin = make_user("alice", PortalRole.ADMINISTRATOR)
    journey.login(admin)
    page = journey.page

    # Dashboard: 10 domains per page, each with its first 10 administrations and a link to all.
    journey.goto("/")
    domains = list(Domain.objects.order_by("name").values_list("name", flat=True))
    headings = page.locator("main section.domain h2").all_inner_texts()
    assert headings == domains[:10]
    acme_count = Administration.objects.filter(domain=acme).count()
    page.get_by_role("link", name=f"Alle {acme_count} administraties van Acme").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Acme"
    # The domain page: 50 administrations a page, by name.
    names = list(Administration.objects.filter(domain=acme).order_by("name").values_list("name", flat=True))
    assert len(rows(page)) == 50 and names[0] in rows(page)[0]
    next_page(journey, "Pagina's van de administraties")
    assert names[50] in rows(page)[0] and "page=2" in page.url
    journey.goto("/")
    next_page(journey, "Pagina's van de domeinen")
    assert page.locator("main section.domain h2").all_inner_texts() == domains[10:20]

    # The run log, filtered on failed runs: the next page keeps the filter.
    journey.goto("/runs/")
    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state()
    next_page(journey, "Pagina's van het importlog")
    assert "status=failed" in page.url and page.get_by_label("Status").input_value() == "failed"
    statuses = page.get_by_test_id("run-log-status").all_inner_texts()
    failed = ImportRun.objects.filter(status="failed").count()
    assert statuses and set(statuses) == {"Mislukt"} and len(statuses) == min(50, failed - 50)

    # Users and the audit log.
    journey.goto("/users/")
    first_users = rows(page)
    next_page(journey, "Pagina's van de gebruikers")
    assert rows(page) and not set(rows(page)) & set(first_users)
    journey.goto("/audit/")
    newest = AuditLogEntry.objects.order_by("-at", "-id")[50]
    next_page(journey, "Pagina's van het auditlog")
    assert newest.object_repr in rows(page)[0]

    # Annual documents: the Nmbrs administrations a page at a time; a choice on page 2 is fetched.
    journey.goto("/annual-documents/")
    next_page(journey, "Pagina's van de administraties")
    box = page.locator('main input[name="administration"]').first
    chosen = Administration.objects.get(pk=box.get_attribute("value"))
    box.check()
    page.get_by_role("button", name="Jaarwerk ophalen").click()
    page.wait_for_load_state()
    assert re.search(r"/runs/$", page.url)
    assert ImportRun.objects.filter(administration=chosen, category="annual").count() == 1


def test_a_domain_backoffice_user_pages_through_their_lists(journey):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    other = Domain.objects.create(name="Bakkerij", yuki_domain_id="dom-bakkerij", payroll_link_active=True)
    grow(acme, domains=0, administrations=70, runs=120, entries=220, users=0)
    carol = make_user("carol", domains=[acme])
    Administration.objects.create(domain=other, name="Niet van Carol", yuki_administration_id="x",
                                  yuki_access_key="k", loket_client_number="1", wage_tax_number="812345678L01")
    journey.login(carol)
    page = journey.page

    journey.goto("/")
    assert page.locator("main section.domain h2").all_inner_texts() == ["Acme"]
    assert len(page.locator("main section.domain tbody tr").all()) == 10
    assert page.get_by_role("navigation", name="Pagina's van de domeinen").count() == 0  # one domain: no pager

    # "Te controleren": both lists page on their own, each keeping the other's page.
    journey.goto("/checks/")
    by_person = LedgerEntry.objects.filter(state="needs_check", check_by_person=True).order_by(
        "administration__name", "period", "title", "pk")
    assert len(rows(page, "main section.card:not([data-testid]) tbody tr")) == 50
    next_page(journey, "Pagina's van de te controleren documenten")
    assert by_person[50].title in rows(page, "main section.card:not([data-testid]) tbody tr")[0]
    next_page(journey, "Pagina's van de documenten die automatisch worden gecontroleerd")
    assert "page=2" in page.url and "automatic_page=2" in page.url
    assert "Niet van Carol" not in page.locator("main").inner_text()

    journey.goto("/runs/")
    next_page(journey, "Pagina's van het importlog")
    next_page(journey, "Pagina's van het importlog", expected_page=3)
    assert len(rows(page, "main table.runs tbody tr")) == 120 - 100


def test_an_administrations_documents_page_forward(journey):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    grow(acme, domains=0, administrations=1, runs=1, entries=0, users=0)
    administration = Administration.objects.get(domain=acme)
    LedgerEntry.objects.bulk_create([
        LedgerEntry(administration=administration, source="loket", kind="payslip", source_id=f"doc-{i}",
                    period="2026-10", title=f"Loonstrook {i:03d}", content_hash="h", content=b"%PDF",
                    state="booked") for i in range(75)])
    journey.login(make_user("carol", domains=[acme]))
    page = journey.page
    journey.goto(f"/administrations/{administration.pk}/")
    documents = page.locator("#documents tbody tr")
    assert documents.count() == 50 and "Loonstrook 000" in documents.first.inner_text()
    next_page(journey, "Pagina's van de documenten")
    assert page.url.endswith("documents_page=2#documents")
    assert documents.count() == 25 and "Loonstrook 050" in documents.first.inner_text()
    page.get_by_role("link", name="Loonstrook 074").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Loonstrook 074")
