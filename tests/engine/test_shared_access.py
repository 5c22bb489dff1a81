"""The portal's shared access (README "Roles"): through the portal's shared Loket connection and Nmbrs credentials, a domain's
users (and the engine acting for the domain) reach only the employers a portal administrator assigned
to that domain (portal/sources/shared_access.py). Against the Loket, Nmbrs and Yuki sandboxes over
HTTP, with their real employer and company names: an employer of another domain (B) or of no domain
leaves no trace in any response, run or ledger."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from connectors.documents import DocumentKind, Period
from portal import tasks
from portal.effective import effective_settings
from portal.imports import runs
from portal.imports.sources import fetch_documents
from portal.models import (
    Administration,
    AssignedEmployer,
    Domain,
    ImportRun,
    LedgerEntry,
    PortalRole,
    PortalSettings,
    RunStatus,
    RunTrigger,
)
from portal.scheduling import due_import, local_zone
from portal.sources.base import SourceUnavailable
from sandbox.loket import data as loket_data
from sandbox.nmbrs import data as nmbrs_data
from tests.engine.test_engine_loket import PLAN
from tests.people import assign, make_user
from tests.vendor_state import (
    make_administration,
    nmbrs_options,
    portal_loket_connection,
)

KORENSCHOOF, VANDIJK, _OLD, HETANKER, _DECL = loket_data.ADMINISTRATIONS  # 40123 (domain B), 40124, 40125 (none)
BAKKERIJ_JANSEN, JANSEN_VASTGOED, DE_VRIES, GROEN = nmbrs_data.COMPANIES


def loket_names(employer) -> list[str]:
    return [employer.employer_name, employer.description,
            *(f"{e.first_name} {e.last_name}" for e in employer.employees), *(e.last_name for e in employer.employees)]


def nmbrs_names(company) -> list[str]:
    return [company.name, *(e.name for e in company.employees)]


def leaked(response, names) -> list[str]:
    body = response.content.decode()
    return [name for name in names if name in body]


def dutch(message_id: str, **values) -> str:
    with translation.override("nl"):
        return translation.gettext(message_id) % values


@pytest.fixture
def domain_a(transactional_db):
    return Domain.objects.create(name="Acme Accountancy", yuki_domain_id="dom-acme-a", payroll_link_active=True)


@pytest.fixture
def carol(domain_a):
    """Backoffice of domain A only."""
    return make_user("carol", domains=[domain_a])


def as_user(user) -> Client:
    web = Client()
    web.force_login(user)
    return web


def loket_administration(domain, employer, name="Acme Salarissen") -> Administration:
    """Made however (the admin, the ORM, an old form): the shared access with another domain's numbers."""
    return make_administration(
        domain=domain, name=name, yuki_administration_id=f"adm-{employer.client_number}",
        yuki_access_key="acme-key", source="loket", relation_code=str(employer.client_number),
        wage_tax_number=employer.wage_tax_number, use_portal_loket_access=True)


@pytest.fixture
def nmbrs_domains(shared_nmbrs, domain_a):
    """Bakkerij Jansen is domain B's, Groen Hoveniers domain A's, De Vries Fietsen nobody's."""
    domain_b = Domain.objects.create(name="Jansen Groep", yuki_domain_id="dom-jansen", payroll_link_active=True)
    assign(domain_b, "nmbrs", str(BAKKERIJ_JANSEN.id), name=BAKKERIJ_JANSEN.name)
    assign(domain_a, "nmbrs", str(GROEN.id), name=GROEN.name)
    return domain_a, domain_b


def nmbrs_administration(domain, company=None, name="Acme Loonadministratie") -> Administration:
    return make_administration(
        domain=domain, name=name, yuki_administration_id=f"adm-n-{company.id if company else 0}",
        yuki_access_key="acme-key", source="nmbrs", use_portal_nmbrs_credentials=True,
        nmbrs_company_id=company.id if company else None, relation_code=str(company.number) if company else "")


# --- Loket: dry run, import, bulk import, the scheduler ----------------------------------------------------

@pytest.mark.parametrize("employer", [KORENSCHOOF, HETANKER], ids=["assigned-to-B", "assigned-to-none"])
def test_a_loket_dry_run_for_an_unassigned_employer_fetches_nothing(korenschoof, domain_a, carol, employer):
    administration = loket_administration(domain_a, employer)
    web = as_user(carol)
    response = web.post(reverse("portal:import-now", args=[administration.pk]), {"dry_run": "on"}, follow=True)
    run = ImportRun.objects.get(administration=administration)
    assert run.status == RunStatus.FAILED and run.dry_run_preview == [] and run.fetched == 0
    assert "niet toegewezen aan het domein Acme Accountancy" in run.result, run.result
    assert "niet toegewezen aan het domein Acme Accountancy" in response.content.decode()
    assert leaked(response, loket_names(employer)) == []
    assert leaked(web.get(reverse("portal:runs")), loket_names(employer)) == []


def test_the_same_dry_run_shows_the_payslips_once_the_employer_is_assigned_to_the_domain(korenschoof, domain_a,
                                                                                           carol):
    """The control: the names checked above do appear when the rule allows the fetch."""
    AssignedEmployer.objects.filter(number=str(HETANKER.client_number)).delete()
    assign(domain_a, "loket", str(HETANKER.client_number), HETANKER.wage_tax_number, HETANKER.employer_name)
    administration = loket_administration(domain_a, HETANKER)
    response = as_user(carol).post(reverse("portal:import-now", args=[administration.pk]), {"dry_run": "on"},
                                   follow=True)
    run = ImportRun.objects.get(administration=administration)
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert leaked(response, loket_names(HETANKER)), "the preview names the employees"


@pytest.mark.parametrize("employer", [KORENSCHOOF, HETANKER], ids=["assigned-to-B", "assigned-to-none"])
def test_a_loket_import_for_an_unassigned_employer_books_nothing(korenschoof, yuki, domain_a, carol, employer):
    administration = loket_administration(domain_a, employer)
    response = as_user(carol).post(reverse("portal:import-now", args=[administration.pk]), {}, follow=True)
    run = ImportRun.objects.get(administration=administration)
    assert run.status == RunStatus.FAILED and run.fetched == 0
    assert not LedgerEntry.objects.filter(administration=administration).exists()
    assert yuki.app.state.journals == [] and yuki.app.state.archive == []
    assert leaked(response, loket_names(employer)) == []


def test_a_bulk_import_runs_the_domains_own_employer_and_refuses_the_others(korenschoof, domain_a, carol):
    AssignedEmployer.objects.filter(number=str(HETANKER.client_number)).delete()
    assign(domain_a, "loket", str(HETANKER.client_number), HETANKER.wage_tax_number, HETANKER.employer_name)
    own = loket_administration(domain_a, HETANKER, name="Acme Zorg")
    others = [loket_administration(domain_a, KORENSCHOOF, name="Acme Twee"),
              loket_administration(domain_a, VANDIJK, name="Acme Drie")]
    web = as_user(carol)
    response = web.post(reverse("portal:import-bulk", args=[domain_a.pk]),
                        {"administration": [own.pk, *(a.pk for a in others)], "dry_run": "on"}, follow=True)
    assert ImportRun.objects.get(administration=own).status == RunStatus.SUCCEEDED
    for administration in others:
        run = ImportRun.objects.get(administration=administration)
        assert run.status == RunStatus.FAILED and run.fetched == 0 and "niet toegewezen" in run.result
        assert leaked(web.get(reverse("portal:run", args=[run.pk])), loket_names(KORENSCHOOF)
                      + loket_names(VANDIJK)) == []
    assert leaked(response, loket_names(KORENSCHOOF) + loket_names(VANDIJK)) == []


def test_the_scheduler_skips_an_unassigned_employer_and_a_queued_run_fetches_nothing(korenschoof, domain_a):
    administration = loket_administration(domain_a, KORENSCHOOF)
    effective = effective_settings(administration)
    refusal = dutch("The employer %(employer)s is not assigned to the domain %(domain)s. The portal's shared "
                    "%(source)s access only fetches for the employers a portal administrator assigned to the "
                    "domain: ask a portal administrator to assign it, or use your own %(source)s access.",
                    employer=f"{KORENSCHOOF.client_number} / {KORENSCHOOF.wage_tax_number}",
                    domain="Acme Accountancy", source="Loket")
    with translation.override("nl"):
        slot_time = datetime(2026, 11, 10, 3, 0, tzinfo=local_zone())  # a night inside the import window
        due = due_import(effective, slot_time)
        assert due is not None and due.skip_reason == refusal
        # A run queued by other means (before the assignment was removed, a crafted task) is stopped too.
        run = runs.create_run(administration, trigger=RunTrigger.SCHEDULED, plan=PLAN, slot="loket:x")
        tasks.enqueue(run)
    run.refresh_from_db()
    assert run.status == RunStatus.SKIPPED and run.result == refusal and run.fetched == 0
    assert not LedgerEntry.objects.filter(administration=administration).exists()


def test_the_fetch_itself_refuses_whatever_calls_it(korenschoof, domain_a):
    """The engine's access layer holds even where no screen or scheduler asked first."""
    administration = loket_administration(domain_a, KORENSCHOOF)
    with pytest.raises(SourceUnavailable, match="Acme Accountancy"):
        fetch_documents(effective_settings(administration), PLAN)


def test_the_own_loket_login_is_not_limited_and_the_domains_own_employer_still_imports(korenschoof):
    """The demo's administration (its employer assigned to its domain by the demo data) imports as before."""
    run = runs.create_run(korenschoof, trigger=RunTrigger.MANUAL, plan=PLAN, dry_run=True)
    tasks.enqueue(run)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.fetched > 0, run.result
    korenschoof.loket_link.use_portal_access = False  # its own login: the assignment rule does not apply
    korenschoof.loket_link.own_connection = portal_loket_connection()
    AssignedEmployer.objects.all().delete()
    assert fetch_documents(effective_settings(korenschoof), {DocumentKind.PAYSLIP: PLAN[DocumentKind.PAYSLIP]})


# --- Nmbrs: the company list, linking, link by number, annual documents, the scheduler -------------------

def test_the_nmbrs_company_list_shows_only_the_domains_assigned_companies(nmbrs_domains, carol):
    domain_a, _domain_b = nmbrs_domains
    administration = nmbrs_administration(domain_a)
    response = as_user(carol).get(reverse("nmbrs:companies", args=[administration.pk]))
    assert response.status_code == 200
    assert [row["company"].id for row in response.context["rows"]] == [GROEN.id]
    assert GROEN.name in response.content.decode()
    assert leaked(response, nmbrs_names(BAKKERIJ_JANSEN) + nmbrs_names(DE_VRIES)
                  + nmbrs_names(JANSEN_VASTGOED)) == []


@pytest.mark.parametrize("company", [BAKKERIJ_JANSEN, DE_VRIES], ids=["assigned-to-B", "assigned-to-none"])
def test_linking_an_unassigned_nmbrs_company_is_refused(nmbrs_domains, carol, company):
    domain_a, _domain_b = nmbrs_domains
    administration = nmbrs_administration(domain_a)
    response = as_user(carol).post(reverse("nmbrs:companies", args=[administration.pk]), {"company_id": company.id})
    assert response.status_code == 200, "the page again, with the refusal"
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_id is None and administration.nmbrs_link.company_name == ""
    assert leaked(response, nmbrs_names(company)) == []


def test_link_by_number_matches_only_assigned_companies(nmbrs_domains, carol):
    domain_a, _domain_b = nmbrs_domains
    other = nmbrs_administration(domain_a, name="Acme Twee")
    other.relation_code = str(BAKKERIJ_JANSEN.number)  # 101: domain B's company number
    other.save()
    web = as_user(carol)
    url = reverse("nmbrs:link-by-number", args=[domain_a.pk])
    response = web.get(url)
    assert leaked(response, nmbrs_names(BAKKERIJ_JANSEN)) == []
    web.post(url, {"links": [f"{other.pk}:{BAKKERIJ_JANSEN.id}"]})
    other.refresh_from_db()
    assert other.nmbrs_link.company_id is None


def test_linking_by_number_before_an_import_never_reaches_another_domains_company(nmbrs_domains, carol):
    domain_a, _domain_b = nmbrs_domains
    administration = nmbrs_administration(domain_a)
    administration.relation_code = str(BAKKERIJ_JANSEN.number)
    administration.use_portal_import_settings = False
    administration.save()
    from portal.models import ImportSettings

    administration.own_import_settings = ImportSettings.objects.create()
    administration.save()
    nmbrs_options(administration.own_import_settings, number_must_match=True)
    response = as_user(carol).post(reverse("portal:import-now", args=[administration.pk]), {"dry_run": "on"},
                                   follow=True)
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_id is None
    assert ImportRun.objects.get(administration=administration).status == RunStatus.FAILED
    assert leaked(response, nmbrs_names(BAKKERIJ_JANSEN)) == []


@pytest.mark.parametrize("company", [BAKKERIJ_JANSEN, DE_VRIES], ids=["assigned-to-B", "assigned-to-none"])
def test_annual_documents_of_an_unassigned_company_are_not_fetched(nmbrs_domains, carol, company):
    domain_a, _domain_b = nmbrs_domains
    administration = nmbrs_administration(domain_a, company)  # linked however: the ORM, an old link
    web = as_user(carol)
    year = timezone.localdate().year - 1
    response = web.post(reverse("portal:annual-documents"), {"year": year, "administration": [administration.pk]},
                        follow=True)
    run = ImportRun.objects.get(administration=administration)
    assert run.status == RunStatus.FAILED and run.fetched == 0 and "niet toegewezen" in run.result
    assert not LedgerEntry.objects.filter(administration=administration).exists()
    for page in (response, web.get(reverse("portal:run", args=[run.pk]))):
        assert leaked(page, nmbrs_names(company)) == []


def test_the_scheduler_skips_an_unassigned_nmbrs_company(nmbrs_domains):
    domain_a, _domain_b = nmbrs_domains
    administration = nmbrs_administration(domain_a, BAKKERIJ_JANSEN)
    portal = PortalSettings.load()
    portal.import_settings.auto_import = True
    portal.import_settings.save()
    with translation.override("nl"):
        due = due_import(effective_settings(administration), datetime(2026, 11, 10, 10, 0, tzinfo=local_zone()))
        assert due is not None and "niet toegewezen aan het domein Acme Accountancy" in due.skip_reason
        with pytest.raises(SourceUnavailable):
            fetch_documents(effective_settings(administration),
                            {DocumentKind.PAYSLIP: (Period.month(2026, 10),)})


def test_a_portal_administrator_is_not_limited_and_assigns_by_linking(nmbrs_domains):
    domain_a, domain_b = nmbrs_domains
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    administration = nmbrs_administration(domain_a)
    web = as_user(alice)
    response = web.get(reverse("nmbrs:companies", args=[administration.pk]))
    assert {row["company"].id for row in response.context["rows"]} == {c.id for c in nmbrs_data.COMPANIES}
    web.post(reverse("nmbrs:companies", args=[administration.pk]), {"company_id": DE_VRIES.id})
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_id == DE_VRIES.id
    assert AssignedEmployer.objects.get(source="nmbrs", number=str(DE_VRIES.id)).domain == domain_a


def test_the_administrator_assigns_from_the_companies_the_portals_nmbrs_access_sees(nmbrs_domains):
    domain_a, _domain_b = nmbrs_domains
    web = as_user(make_user("alice", PortalRole.ADMINISTRATOR))
    url = reverse("portal:domain-employers", args=[domain_a.pk])
    page = web.get(url).content.decode()
    listed = page.split('data-testid="listed-nmbrs"')[1].split("</section>")[0]
    rows = {name: row for row in listed.split("<tr>")[1:] for name in [c.name for c in nmbrs_data.COMPANIES]
            if name in row}
    assert len(rows) == 4
    assert "Toegewezen aan Jansen Groep" in rows[BAKKERIJ_JANSEN.name] and "<button" not in rows[BAKKERIJ_JANSEN.name]
    assert "Toegewezen aan dit domein" in rows[GROEN.name]
    assert "<button" in rows[DE_VRIES.name]
    web.post(url, {"source": "nmbrs", "number": str(DE_VRIES.id), "wage_tax_number": "", "name": DE_VRIES.name})
    assert AssignedEmployer.objects.get(source="nmbrs", number=str(DE_VRIES.id)).domain == domain_a
    # Then domain A's user sees it in the company list.
    administration = nmbrs_administration(domain_a)
    response = as_user(make_user("carol", domains=[domain_a])).get(reverse("nmbrs:companies",
                                                                           args=[administration.pk]))
    assert {row["company"].id for row in response.context["rows"]} == {GROEN.id, DE_VRIES.id}
