"""The list pages at size: paged, a fixed number of queries whatever the data, no document content loaded,
no secret decrypted that the page does not show."""

from __future__ import annotations

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from integrations.nmbrs.models import NmbrsCredentials
from portal import crypto
from portal.models import (
    Administration,
    AssignedEmployer,
    AuditLogEntry,
    Domain,
    DomainMembership,
    EntryState,
    ImportRun,
    ImportSettings,
    LedgerEntry,
    LedgerEvent,
)
from tests.people import assign, make_user
from tests.vendor_state import make_administration

_serial = itertools.count()


def grow(acme, *, domains: int, administrations: int, runs: int, entries: int, users: int, busy: int = 0) -> None:
    """More of everything, in Acme (which carol sees) and in new domains (which only alice sees):
    administrations with their own settings and Nmbrs credentials, runs, documents to check with their
    PDF, audit entries and users. With `busy`: that many more documents in Acme's busy run, events of
    Acme's busy document, employers assigned to Acme and documents in Acme's dry run (see grow_busy)."""
    n = next(_serial)
    new_domains = Domain.objects.bulk_create([Domain(name=f"Domein {n}-{d}", yuki_domain_id=f"dom-{n}-{d}",
                                                     payroll_link_active=True) for d in range(domains)])
    made = []
    for index, domain in enumerate(itertools.islice(itertools.cycle([acme, *new_domains]), administrations)):
        own = ImportSettings.objects.create(auto_import=True) if index % 2 else None
        nmbrs = index % 3 == 0
        credentials = NmbrsCredentials.objects.create(login_email=f"x{n}-{index}@example.nl", api_token="secret",
                                                      tenant_key="t") if nmbrs else None
        made.append(make_administration(
            domain=domain, name=f"Administratie {n}-{index:03d}", yuki_administration_id=f"adm-{n}-{index}",
            yuki_access_key=f"key-{n}-{index}", source="nmbrs" if nmbrs else "loket", relation_code="1",
            wage_tax_number="812345678L01", nmbrs_company_id=1 if nmbrs else None,
            use_portal_import_settings=own is None, own_import_settings=own,
            use_portal_nmbrs_credentials=not nmbrs, own_nmbrs_credentials=credentials))
    run_rows = ImportRun.objects.bulk_create([
        ImportRun(administration=made[i % len(made)], source="loket", trigger="scheduled",
                  status=("succeeded", "failed")[i % 2], result="ok") for i in range(runs)])
    LedgerEntry.objects.bulk_create([
        LedgerEntry(administration=made[i % len(made)], source="loket", kind="payslip", source_id=f"{n}-{i}",
                    period="2026-10", title=f"Loonstrook {n}-{i}", content_hash="h", content=b"%PDF" + b"x" * 5000,
                    pending_content=b"%PDF", journal_lines=[{"a": 1}] if i % 4 == 1 else None,
                    state=EntryState.NEEDS_CHECK, check_by_person=i % 2 == 0, last_run=run_rows[i % len(run_rows)])
        for i in range(entries)])
    AuditLogEntry.objects.bulk_create([AuditLogEntry(username="alice", action="changed", object_type="domain",
                                                     object_repr=f"Domein {n}-{i}") for i in range(users)])
    for i in range(users):
        DomainMembership.objects.create(user=make_user(f"user-{n}-{i}"), domain=new_domains[i % len(new_domains)]
                                        if new_domains else acme)
    if busy:
        grow_busy(acme, busy, n)


def busy_run(acme) -> ImportRun:
    """Acme's busy run (the first manual one): every grow(busy=...) adds documents to it."""
    return ImportRun.objects.filter(administration__domain=acme, trigger="manual", dry_run=False).order_by(
        "pk").first()


def busy_dry_run(acme) -> ImportRun:
    """Acme's busy dry run: every grow(busy=...) adds documents to what it would book."""
    return ImportRun.objects.filter(administration__domain=acme, dry_run=True).order_by("pk").first()


def preview_items(first: int, count: int, n: int = 0) -> list[dict]:
    """What a dry run would book (ImportRun.dry_run_preview, as booking.preview writes it): journal entries
    with their lines and payslips for a Yuki folder, in turns, titled in order."""
    items = []
    for i in range(first, first + count):
        title = f"Voorbeeld {n}-{i:03d}"
        if i % 2:
            items.append({"title": title, "kind": "payslip", "period": "2026-10", "target": "personnel",
                          "folder": 4, "name": f"loonstrook-{n}-{i}.pdf", "lines": [], "version": 1, "size": 5000})
        else:
            items.append({"title": title, "kind": "journal", "period": "2026-10", "target": "journal",
                          "name": f"Journaal {n}-{i}", "version": 1 + i % 3, "lines": [
                              {"date": "2026-10-31", "gl_account": "4000", "amount": "1234.56",
                               "description": "Bruto loon"},
                              {"date": "2026-10-31", "gl_account": "1600", "amount": "-1234.56",
                               "description": "Te betalen netto loon"}]})
    return items


def busy_document(acme) -> LedgerEntry:
    """Acme's busy document, sent again and again: every grow(busy=...) adds events to it."""
    return LedgerEntry.objects.only("pk").get(administration__domain=acme, source_id="busy")  # not its PDF


def grow_busy(acme, count: int, n: int) -> None:
    """`count` more documents with an event in Acme's busy run (their PDF stored, some still being checked),
    `count` more events of Acme's busy document (one of them), `count` more employers assigned to Acme,
    `count` more documents Acme's busy dry run would book."""
    run = busy_run(acme)
    if run is None:
        administration = Administration.objects.filter(domain=acme).order_by("pk").first()
        # Finished: a running run would count its documents on the run log's first page, until newer
        # runs push it off (the run log's own test).
        run = ImportRun.objects.create(administration=administration, source="loket", trigger="manual",
                                       status="succeeded")
        LedgerEntry.objects.create(administration=administration, source="loket", kind="payslip",
                                   source_id="busy", period="2026-10", title="Loonstrook steeds opnieuw",
                                   content_hash="h", content=b"%PDF" + b"x" * 5000, state=EntryState.FAILED,
                                   last_run=run)
    documents = LedgerEntry.objects.bulk_create([
        LedgerEntry(administration=run.administration, source="loket", kind="payslip", source_id=f"busy-{n}-{i}",
                    period="2026-10", title=f"Loonstrook {n}-{i:03d}", content_hash="h",
                    content=b"%PDF" + b"x" * 5000, pending_content=b"%PDF", last_run=run,
                    state=(EntryState.BOOKED, EntryState.NEEDS_CHECK, EntryState.FAILED)[i % 3])
        for i in range(count)])
    document = busy_document(acme)
    LedgerEvent.objects.bulk_create(
        [LedgerEvent(entry=entry, run=run, kind="fetched", message="Opgehaald") for entry in documents]
        + [LedgerEvent(entry=document, run=run if i % 2 else None, kind=("failed", "requeued")[i % 2],
                       version=1 + i // 10, message=f"Poging {n}-{i:03d}") for i in range(count)])
    AssignedEmployer.objects.bulk_create([
        AssignedEmployer(domain=acme, source="loket", number=f"9{n:03d}{i:04d}", wage_tax_number="812345678L01",
                         name=f"Werkgever {n}-{i:03d}") for i in range(count)])
    dry_run = busy_dry_run(acme) or ImportRun.objects.create(
        administration=run.administration, source="loket", trigger="manual", status="succeeded", dry_run=True)
    ImportRun.objects.filter(pk=dry_run.pk).update(
        dry_run_preview=dry_run.dry_run_preview + preview_items(len(dry_run.dry_run_preview), count, n))


def sandbox_companies(first: int, count: int) -> list:
    """Companies for the Nmbrs sandbox to list (its app.state.companies), named in the order it lists them."""
    from sandbox.nmbrs import data

    return [data.Company(70000 + k, 2000 + k, f"Werkgever {k:03d} B.V.", 7001, f"{50000000 + k}", f"loon{k}@example.nl",
                         data._nl_iban("RABO", f"{800000 + k:010d}"), "RABONL2U", f"{810000000 + k:09d}L01")
            for k in range(first, first + count)]


def nmbrs_administration(acme) -> Administration:
    """An administration of Acme that gets its documents from Nmbrs through the portal's shared access."""
    return make_administration(domain=acme, name="Loonbedrijf Nmbrs", yuki_administration_id="adm-nmbrs",
                                         yuki_access_key="key-nmbrs", source="nmbrs",
                                         use_portal_nmbrs_credentials=True)


def assign_companies(acme, companies) -> None:
    """A portal administrator assigned these Nmbrs companies to Acme: its users reach them through the
    portal's shared access (a company is assigned by its ID)."""
    AssignedEmployer.objects.bulk_create([AssignedEmployer(domain=acme, source="nmbrs", number=str(company.id),
                                                           name=company.name) for company in companies])


LIST_PAGES = {
    "dashboard": lambda acme: reverse("portal:dashboard"),
    "dashboard, page 2": lambda acme: reverse("portal:dashboard") + "?page=2",
    "to check": lambda acme: reverse("portal:needs-check"),
    "to check, page 2": lambda acme: reverse("portal:needs-check") + "?page=2&automatic_page=2",
    "domain": lambda acme: reverse("portal:domain", args=[acme.pk]),
    "domain, page 2": lambda acme: reverse("portal:domain", args=[acme.pk]) + "?page=2",
    "run log": lambda acme: reverse("portal:runs"),
    "run log, filtered": lambda acme: reverse("portal:runs") + "?status=failed&page=2",
    "annual documents": lambda acme: reverse("portal:annual-documents"),
    "audit log": lambda acme: reverse("portal:audit"),
    "users": lambda acme: reverse("portal:users") + "?page=2",
    "run": lambda acme: reverse("portal:run", args=[busy_run(acme).pk]),
    "run, page 2": lambda acme: reverse("portal:run", args=[busy_run(acme).pk]) + "?page=2",
    "document": lambda acme: reverse("portal:document", args=[busy_document(acme).pk]),
    "document, page 2": lambda acme: reverse("portal:document", args=[busy_document(acme).pk]) + "?page=2",
    "domain employers": lambda acme: reverse("portal:domain-employers", args=[acme.pk]),
    "domain employers, page 2": lambda acme: reverse("portal:domain-employers", args=[acme.pk]) + "?page=2",
    "dry run": lambda acme: reverse("portal:run", args=[busy_dry_run(acme).pk]),
    "dry run, page 2": lambda acme: reverse("portal:run", args=[busy_dry_run(acme).pk]) + "?preview_page=2",
}
ADMIN_ONLY = {"audit log", "users", "domain employers", "domain employers, page 2"}


@pytest.mark.parametrize("who", ["alice", "carol"])
@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_a_list_page_needs_the_same_queries_at_any_size(page, who, users, acme, login, django_assert_num_queries):
    if page in ADMIN_ONLY and who != "alice":
        pytest.skip("only a portal administrator sees this page")
    grow(acme, domains=2, administrations=6, runs=6, entries=6, users=3, busy=60)  # a run of more than a page
    client = login(users[who])
    url = LIST_PAGES[page](acme)
    assert client.get(url).status_code == 200  # warm up the session and the portal settings row
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    # Several pages of everything: 30 domains, 150 administrations (more than a page in Acme), ...
    grow(acme, domains=30, administrations=150, runs=160, entries=240, users=120, busy=120)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Paged: at most a page of rows, whatever the data.
    assert html.count("<tr") <= 2 * 55 + 11 * 10, html.count("<tr")


def test_the_dashboard_groups_administrations_by_domain_and_pages_the_domains(users, acme, login):
    grow(acme, domains=12, administrations=13 * 12, runs=1, entries=0, users=0)
    client = login(users["alice"])
    first = client.get(reverse("portal:dashboard")).content.decode()
    # The first 10 domains by name, each with at most 10 of its administrations.
    shown = [min(10, domain.administrations.count()) for domain in Domain.objects.order_by("name")[:10]]
    assert max(shown) == 10 and first.count('href="/administrations/') == sum(shown)
    # Acme (first by name) has more: a link to all of them, on its own page.
    acme_count = Administration.objects.filter(domain=acme).count()
    assert f"Alle {acme_count} administraties van Acme" in first or f"All {acme_count} administrations of Acme" in first
    assert 'aria-current="page"' in first and "?page=2" in first
    second = client.get(reverse("portal:dashboard") + "?page=2").content.decode()
    last = Domain.objects.order_by("name").last()
    assert last.name in second and last.name not in first


def test_the_employers_the_shared_access_sees_page_on_their_own_with_the_same_queries(
        users, acme, bakkerij, login, nmbrs_companies, django_assert_num_queries):
    nmbrs_companies.extend(sandbox_companies(0, 60))
    grow(acme, domains=0, administrations=1, runs=0, entries=0, users=0, busy=60)
    client = login(users["alice"])
    url = reverse("portal:domain-employers", args=[acme.pk]) + "?page=2&nmbrs_page=2"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # Four times the companies, and assigned employers; some of page 2's companies are assigned.
    nmbrs_companies.extend(sandbox_companies(60, 180))
    grow(acme, domains=0, administrations=0, runs=0, entries=0, users=0, busy=120)
    names = sorted(company.name for company in nmbrs_companies)  # the order Nmbrs lists them in
    ours, theirs = (next(c for c in nmbrs_companies if c.name == names[i]) for i in (50, 51))
    assign(acme, "nmbrs", str(ours.id), name=ours.name)
    assign(bakkerij, "nmbrs", str(theirs.id), name=theirs.name)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    listed = html.split('data-testid="listed-nmbrs"')[1].split("</section>")[0]
    assert listed.count("<tr>") == 50 and names[50] in listed and names[99] in listed
    assert names[49] not in listed and names[100] not in listed
    rows = listed.split("<tr>")[1:]
    assert "Toegewezen aan dit domein" in rows[0] and "Toegewezen aan Bakkerij" in rows[1] and "<button" in rows[2]
    # Two pagers, each by its own name, each keeping the other list's page.
    assert "aria-label=\"Pagina's van de werkgevers die de Nmbrs-toegang van het portaal ziet\"" in html
    assert "aria-label=\"Pagina's van de toegewezen werkgevers\"" in html
    assert "?page=2&amp;nmbrs_page=3#listed-nmbrs" in html and "?nmbrs_page=2&amp;page=3#assigned-employers" in html


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_the_companies_nmbrs_shows_page_with_the_same_queries(who, users, acme, login, nmbrs_companies,
                                                            django_assert_num_queries):
    administration = nmbrs_administration(acme)
    nmbrs_companies.extend(sandbox_companies(0, 60))
    assign_companies(acme, nmbrs_companies)  # carol reaches the assigned ones, alice (who assigns) every one
    client = login(users[who])
    url = reverse("nmbrs:companies", args=[administration.pk]) + "?page=2"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # Four times the companies, all of them assigned.
    more = sandbox_companies(60, 180)
    nmbrs_companies.extend(more)
    assign_companies(acme, more)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    names = [company.name for company in sorted(nmbrs_companies, key=lambda c: (c.number, c.name))]
    listed = html.split('data-testid="companies"')[1].split("</table>")[0]
    assert listed.count("<tr data-company") == 50 and names[50] in listed and names[99] in listed
    assert names[49] not in listed and names[100] not in listed
    assert "aria-label=\"Pagina's van de bedrijven die deze inloggegevens zien\"" in html
    assert "?page=3#companies" in html and 'aria-current="page"' in html
    # The link forms post to this page (its page number kept), not to the pager's anchor.
    assert listed.count(f'action="{url}"') == 50


def test_a_dry_runs_preview_pages_on_its_own_and_keeps_the_documents_page(users, acme, login):
    grow(acme, domains=0, administrations=1, runs=0, entries=0, users=0, busy=60)
    dry_run, run = busy_dry_run(acme), busy_run(acme)
    titles = [item["title"] for item in dry_run.dry_run_preview]
    client = login(users["carol"])
    url = reverse("portal:run", args=[dry_run.pk])
    html = client.get(url + "?page=2&preview_page=2").content.decode()
    preview = html.split('data-testid="dry-run-preview"')[1]
    assert preview.count("<h3>") == 20 and titles[20] in preview and titles[39] in preview
    assert titles[19] not in preview and titles[40] not in preview
    assert "Bruto loon" in preview and "Personeel" in preview  # journal lines, and a file's Yuki folder
    assert "aria-label=\"Pagina's van wat zou worden geboekt\"" in html
    # Each pager keeps the other's page: the preview's keeps `page`, the documents' keeps `preview_page`.
    assert "?page=2&amp;preview_page=3#dry-run-preview" in html
    html = client.get(reverse("portal:run", args=[run.pk]) + "?preview_page=2").content.decode()
    assert "?preview_page=2&amp;page=2#run-documents" in html and 'data-testid="dry-run-preview"' not in html


def test_the_poll_of_a_running_dry_run_keeps_the_previews_page(users, acme, login):
    """The preview is stored just before the run finishes: a poll in between shows it, on the page shown."""
    grow(acme, domains=0, administrations=1, runs=0, entries=0, users=0, busy=45)
    dry_run = busy_dry_run(acme)
    ImportRun.objects.filter(pk=dry_run.pk).update(status="running")
    client = login(users["carol"])
    url = reverse("portal:run", args=[dry_run.pk]) + "?preview_page=3"
    assert f'hx-get="{url}"' in client.get(url).content.decode()
    polled = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert polled.count("<h3>") == 5 and dry_run.dry_run_preview[40]["title"] in polled
    assert f'hx-get="{url}"' in polled


def test_page_links_keep_the_filters(users, acme, login):
    grow(acme, domains=1, administrations=2, runs=120, entries=0, users=0)
    html = login(users["alice"]).get(reverse("portal:runs") + "?status=failed").content.decode()
    assert "status=failed&amp;page=2" in html
    assert 'aria-label="' in html and 'data-testid="pager"' in html


def test_no_list_loads_stored_documents(users, acme, login):
    grow(acme, domains=1, administrations=3, runs=3, entries=12, users=0, busy=12)
    client = login(users["alice"])
    for name in ("to check", "dashboard", "domain", "run log", "run", "document"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_PAGES[name](acme)).status_code == 200
        # What is read (the select list); a WHERE or an IS NOT NULL may name a column without loading it.
        sql = " ".join(q["sql"].split(" FROM ")[0] for q in queries.captured_queries)
        for column in ("content", "pending_content", "journal_lines", "booked_journal_lines"):
            assert not re.search(rf'"portal_ledgerentry"\."{column}"(,|$)', sql), (name, column)


def test_the_check_note_of_a_journal_still_says_so_without_its_lines(users, acme, login):
    grow(acme, domains=0, administrations=1, runs=1, entries=4, users=0)
    html = login(users["alice"]).get(LIST_PAGES["to check"](acme)).content.decode()
    journal = LedgerEntry.objects.get(check_by_person=False, journal_lines__isnull=False)
    payslip = LedgerEntry.objects.filter(check_by_person=False, journal_lines__isnull=True).first()
    with translation.override("nl"):
        journal_note, payslip_note = escape(journal.check_note()), escape(payslip.check_note())
    assert journal_note != payslip_note
    assert journal_note in html and payslip_note in html


def test_lists_decrypt_no_secret(users, acme, login, monkeypatch):
    grow(acme, domains=2, administrations=12, runs=4, entries=4, users=2)
    client = login(users["alice"])
    client.get(reverse("portal:dashboard"))
    opened = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda stored: opened.append(stored) or real(stored))
    for name in ("dashboard", "domain", "to check", "run log"):
        assert client.get(LIST_PAGES[name](acme)).status_code == 200
    assert opened == []
    # Where a secret is used it is there: read from the model, decrypted once.
    administration = Administration.objects.filter(domain=acme, name__startswith="Administratie").first()
    assert administration.yuki_access_key.startswith("key-") and len(opened) == 1
    assert administration.yuki_access_key.startswith("key-") and len(opened) == 1


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_an_administrations_documents_page_with_the_same_queries(who, users, acme, login, django_assert_num_queries):
    grow(acme, domains=1, administrations=2, runs=2, entries=2, users=0)
    administration = Administration.objects.filter(domain=acme).first()
    url = reverse("portal:administration", args=[administration.pk]) + "?documents_page=2"
    client = login(users[who])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    ImportRun.objects.bulk_create([ImportRun(administration=administration, source="loket", trigger="manual",
                                             status="failed") for _ in range(30)])
    LedgerEntry.objects.bulk_create([
        LedgerEntry(administration=administration, source="loket", kind="payslip", source_id=f"many-{i}",
                    period=f"2025-{1 + i % 12:02d}", title=f"Document {i:03d}", content_hash="h",
                    content=b"%PDF" + b"x" * 5000, state=EntryState.BOOKED) for i in range(120)])
    with django_assert_num_queries(len(small.captured_queries)) as large:
        html = client.get(url).content.decode()
    assert html.count('href="/documents/') == 50 and 'aria-current="page"' in html and "#documents" in html
    selected = " ".join(q["sql"].split(" FROM ")[0] for q in large.captured_queries)
    assert not re.search(r'"portal_ledgerentry"\."(content|pending_content|journal_lines)"(,|$)', selected)


def test_the_run_log_counts_running_runs_in_one_query(users, acme, login, django_assert_num_queries):
    grow(acme, domains=0, administrations=30, runs=0, entries=0, users=0)
    administrations = list(Administration.objects.filter(domain=acme))

    def running(some):
        for administration in some:
            run = ImportRun.objects.create(administration=administration, source="loket", trigger="manual",
                                           status="running")
            LedgerEntry.objects.bulk_create([
                LedgerEntry(administration=administration, source="loket", kind="payslip", source_id=f"r{run.pk}-{i}",
                            period="2026-10", title=f"Loonstrook {i}", content_hash="h", last_run=run,
                            state=(EntryState.BOOKED, EntryState.FAILED, EntryState.NEW)[i % 3]) for i in range(6)])

    running(administrations[:2])
    client = login(users["carol"])
    client.get(reverse("portal:runs"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:runs"))
    running(administrations[2:])
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(reverse("portal:runs")).content.decode()
    # Each running run shows its live totals: fetched as stored (0), 2 booked (live), 0 unchanged, 2 failed (live).
    assert html.count("0 / 2 / 0 / 2") == len(administrations)


def test_the_logs_count_no_further_than_the_cap(users, acme, login, monkeypatch):
    import portal.views.audit
    import portal.views.runs

    monkeypatch.setattr(portal.views.runs, "COUNT_CAP", 60)
    monkeypatch.setattr(portal.views.audit, "COUNT_CAP", 60)
    grow(acme, domains=1, administrations=4, runs=130, entries=0, users=130)
    client = login(users["alice"])
    for url in (reverse("portal:runs"), reverse("portal:audit")):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert "1–50 van meer dan 60 (filter om oudere te vinden)" in html, url
        assert any("COUNT(*)" in q["sql"] and "LIMIT 61" in q["sql"] for q in queries.captured_queries), url
        # The last page reachable is the cap's: page 2 of 2.
        assert 'page=2"' in html and 'page=3"' not in html
    html = client.get(reverse("portal:runs") + "?administration=" + str(
        Administration.objects.filter(domain=acme).first().pk)).content.decode()
    assert "van meer dan" not in html  # a filter that finds fewer counts them all
