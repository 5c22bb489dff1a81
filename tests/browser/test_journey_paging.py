"""The paged lists in Chromium: a person pages forward through every long list with the pager (by its
accessible name), sees the next rows and where they are (aria-current), and keeps the filter they chose."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from portal.models import (
    Administration,
    AssignedEmployer,
    AuditLogEntry,
    Domain,
    ImportRun,
    LedgerEntry,
    LedgerEvent,
    PortalRole,
)
from tests.people import make_user
from tests.support import share_nmbrs_access
from tests.test_list_pages import (
    assign_companies,
    busy_document,
    busy_dry_run,
    busy_run,
    grow,
    nmbrs_administration,
    sandbox_companies,
)


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
                                  yuki_access_key="k", relation_code="1", wage_tax_number="812345678L01")
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


def test_a_running_imports_documents_a_documents_history_and_a_domains_employers_page_forward(journey, vendors):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    grow(acme, domains=1, administrations=2, runs=2, entries=0, users=0, busy=60)
    run = busy_run(acme)
    ImportRun.objects.filter(pk=run.pk).update(status="running")  # its page polls every 2 s
    journey.login(make_user("carol", domains=[acme]))
    page = journey.page

    # The run's documents, 50 a page; page 2 stays page 2 while the page polls for progress.
    documents = list(LedgerEntry.objects.filter(events__run=run).distinct().order_by("kind", "title", "pk"))
    journey.goto(f"/runs/{run.pk}/")
    listed = page.locator("#run-documents tbody tr")
    assert listed.count() == 50 and documents[0].title in listed.first.inner_text()
    next_page(journey, "Pagina's van de documenten van deze import")
    assert listed.count() == len(documents) - 50 and documents[50].title in listed.first.inner_text()
    # A document of page 2 is booked meanwhile: the next poll (of page 2) shows it, still on page 2.
    moving = next(d for d in documents[50:] if d.state != "booked")
    LedgerEntry.objects.filter(pk=moving.pk).update(state="booked")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as polled:
        pass
    assert polled.value.url.endswith(f"/runs/{run.pk}/?page=2")
    listed.filter(has_text=moving.title).filter(has_text="Geboekt").wait_for()
    assert documents[50].title in listed.first.inner_text() and listed.count() == len(documents) - 50
    current = page.get_by_role("navigation", name="Pagina's van de documenten van deze import").locator(
        '[aria-current="page"]')
    assert current.inner_text().split()[-1] == "2"

    # A document sent again and again: its history, oldest first, 50 a page.
    document = busy_document(acme)
    events = list(LedgerEvent.objects.filter(entry=document).order_by("at", "pk").values_list("message", flat=True))
    journey.goto(f"/documents/{document.pk}/")
    history = page.locator("#history tbody tr")
    assert history.count() == 50 and events[0] in history.first.inner_text()
    next_page(journey, "Pagina's van de geschiedenis")
    assert page.url.endswith("?page=2#history")
    assert history.count() == len(events) - 50 and events[50] in history.first.inner_text()

    # A domain's employers: the assigned ones and the ones the portal's Nmbrs access sees, each paged on
    # its own; assigning and removing return to the pages the administrator was on.
    vendors["nmbrs"].app.state.companies.extend(sandbox_companies(0, 60))
    share_nmbrs_access()
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    assigned = list(AssignedEmployer.objects.filter(domain=acme).order_by("source", "name", "number", "pk"))
    seen = sorted(company.name for company in vendors["nmbrs"].app.state.companies)
    journey.goto(f"/domains/{acme.pk}/employers/")
    assigned_rows = page.get_by_test_id("assigned-employers").locator("tbody tr")
    listed_rows = page.get_by_test_id("listed-nmbrs").locator("tbody tr")
    assert assigned_rows.count() == 50 and listed_rows.count() == 50
    next_page(journey, "Pagina's van de toegewezen werkgevers")
    assert assigned_rows.count() == 10 and assigned[50].name in assigned_rows.first.inner_text()
    next_page(journey, "Pagina's van de werkgevers die de Nmbrs-toegang van het portaal ziet")
    assert "page=2" in page.url and "nmbrs_page=2" in page.url
    assert assigned[50].name in assigned_rows.first.inner_text()  # the other list kept its page
    assert listed_rows.count() == len(seen) - 50 and seen[50] in listed_rows.first.inner_text()
    newest = seen[-1]
    page.get_by_test_id("listed-nmbrs").get_by_role("button", name=f"{newest} toewijzen").click()
    page.wait_for_load_state()
    assert "page=2" in page.url and "nmbrs_page=2" in page.url
    assert "Toegewezen aan dit domein" in listed_rows.filter(has_text=newest).inner_text()
    assert newest in assigned_rows.last.inner_text()  # Nmbrs after Loket: the last of page 2
    page.get_by_role("button", name=f"{newest} verwijderen").click()
    page.wait_for_load_state()
    assert "page=2" in page.url and "nmbrs_page=2" in page.url
    assert assigned_rows.count() == 10 and newest not in page.get_by_test_id("assigned-employers").inner_text()
    assert not AssignedEmployer.objects.filter(name=newest).exists()


def test_the_nmbrs_companies_page_forward_and_a_company_linked_from_page_2(journey, vendors):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    nmbrs = vendors["nmbrs"].app.state
    nmbrs.companies.extend(sandbox_companies(0, 120))
    share_nmbrs_access()
    assign_companies(acme, nmbrs.companies)  # carol reaches them through the portal's shared access
    administration = nmbrs_administration(acme)
    listed = sorted(nmbrs.companies, key=lambda c: (c.number, c.name))  # as the page lists them
    journey.login(make_user("carol", domains=[acme]))
    page = journey.page
    pager = "Pagina's van de bedrijven die deze inloggegevens zien"

    journey.goto(reverse("nmbrs:companies", args=[administration.pk]))
    companies = page.get_by_test_id("companies").locator("tbody tr")
    assert companies.count() == 50 and listed[0].name in companies.first.inner_text()
    next_page(journey, pager)
    assert page.url.endswith("?page=2#companies")
    assert companies.count() == 50 and listed[50].name in companies.first.inner_text()

    # A company of page 2 leaves Nmbrs before it is chosen: refused, shown on page 2.
    gone = listed[60]
    nmbrs.companies.remove(gone)
    companies.filter(has_text=gone.name).get_by_role("button", name="Koppelen").click()
    page.wait_for_load_state()
    assert "De Nmbrs-gebruiker heeft geen toegang tot dit bedrijf" in page.get_by_test_id("link-error").inner_text()
    current = page.get_by_role("navigation", name=pager).locator('[aria-current="page"]')
    assert current.inner_text().split()[-1] == "2" and listed[50].name in companies.first.inner_text()
    assert gone.name not in page.get_by_test_id("companies").inner_text()

    # Another one of page 2 is linked: on to the administration's page, which says so.
    chosen = listed[75]
    companies.filter(has_text=chosen.name).get_by_role("button", name="Koppelen").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("portal:administration", args=[administration.pk]))
    assert f"is gekoppeld aan het Nmbrs-bedrijf {chosen.name}" in page.locator(".messages").inner_text()
    journey.goto(reverse("nmbrs:companies", args=[administration.pk]) + "?page=2")
    assert chosen.name in page.get_by_test_id("linked-company").inner_text()
    assert "Gekoppeld" in companies.filter(has_text=chosen.name).inner_text()
    assert page.get_by_test_id("linked-not-visible").count() == 0


def test_the_company_with_the_relatiecode_is_first_on_page_one_and_linked_from_there(journey, vendors):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    nmbrs = vendors["nmbrs"].app.state
    nmbrs.companies.extend(sandbox_companies(0, 120))
    share_nmbrs_access()
    assign_companies(acme, nmbrs.companies)
    wanted = max(nmbrs.companies, key=lambda c: (c.number, c.name))  # the last of Nmbrs' order: page 3
    administration = nmbrs_administration(acme)
    administration.relation_code = str(wanted.number)
    administration.save()
    journey.login(make_user("carol", domains=[acme]))
    page = journey.page

    journey.goto(reverse("nmbrs:companies", args=[administration.pk]))
    first = page.get_by_test_id("companies").locator("tbody tr").first
    assert wanted.name in first.inner_text() and "komt overeen met de Relatiecode" in first.inner_text()
    first.get_by_role("button", name="Koppelen").click()
    page.wait_for_load_state()
    assert f"is gekoppeld aan het Nmbrs-bedrijf {wanted.name}" in page.locator(".messages").inner_text()
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_id == wanted.id


def test_a_dry_runs_preview_pages_forward_while_the_poll_brings_the_end(journey):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    grow(acme, domains=0, administrations=1, runs=0, entries=0, users=0, busy=45)
    dry_run = busy_dry_run(acme)
    titles = [item["title"] for item in dry_run.dry_run_preview]
    ImportRun.objects.filter(pk=dry_run.pk).update(status="running", dry_run_preview=[])
    journey.login(make_user("carol", domains=[acme]))
    page = journey.page
    pager = "Pagina's van wat zou worden geboekt"

    journey.goto(f"/runs/{dry_run.pk}/")
    previews = page.locator("#dry-run-preview h3")
    assert previews.count() == 0
    # The dry run stores what it would book: the next poll shows its first page.
    ImportRun.objects.filter(pk=dry_run.pk).update(dry_run_preview=dry_run.dry_run_preview)
    previews.first.wait_for()
    assert previews.count() == 20 and titles[0] in previews.first.inner_text()
    next_page(journey, pager)
    assert page.url.endswith("?preview_page=2#dry-run-preview")
    assert previews.count() == 20 and titles[20] in previews.first.inner_text()
    # Still running: the poll asks for the preview's page 2, and brings the end of the run there.
    ImportRun.objects.filter(pk=dry_run.pk).update(status="succeeded", finished_at=timezone.now())
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as polled:
        pass
    assert polled.value.url.endswith(f"/runs/{dry_run.pk}/?preview_page=2")
    page.get_by_test_id("run-status").filter(has_text="Afgerond").wait_for()
    assert previews.count() == 20 and titles[20] in previews.first.inner_text()
    next_page(journey, pager, expected_page=3)
    assert previews.count() == 5 and titles[40] in previews.first.inner_text()
    assert "Bruto loon" in page.get_by_test_id("dry-run-preview").inner_text()
