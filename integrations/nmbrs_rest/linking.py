"""Linking administrations to Nmbrs companies through the REST API, by the rules Nmbrs SOAP follows
(integrations/nmbrs/linking.py; docs/vendors/nmbrs.md, "Linking administrations to companies"): by hand from
the list, only the company whose number is the Relatiecode while "the company number must match" is on; with
it on, every import first links an unlinked administration by number and never changes a link itself."""

from __future__ import annotations

from connectors.nmbrs.companies import match_companies, normalize_number
from connectors.nmbrs_rest.identity import company_number
from connectors.nmbrs_rest.records import Company
from connectors.nmbrs_rest.source import NmbrsRestSource
from integrations.nmbrs.linking import link_matching_company
from integrations.nmbrs_rest import access
from integrations.nmbrs_rest.models import link_of
from portal import auditing, permissions
from portal.sources import shared_access
from portal.sources.base import EmployerId

LIST_TIMEOUT = 30.0  # a person waits for the page


def employer(company: Company) -> EmployerId:
    return EmployerId(company_number(company.number))


def list_companies(connection) -> list[Company]:
    """Every company the connection's user reaches (each debtor's), by number and name."""
    client = access.client_for(connection, timeout=LIST_TIMEOUT, max_attempts=2)
    try:
        companies = NmbrsRestSource(client).companies()
    finally:
        client.close()
    return sorted(companies, key=lambda c: (normalize_number(c.number), c.name))


def reachable(administration, companies: list[Company], user=None) -> list[Company]:
    """All companies on its own connection; only the domain's assigned ones through the portal's (a portal
    administrator, `user`, is not limited)."""
    if user is not None and permissions.is_portal_administrator(user):
        return companies
    allowed = shared_access.visible(administration, [employer(c) for c in companies])
    return [c for c in companies if employer(c) in allowed]


def link_company(user, administration, company: Company, *, label: str = "") -> bool:
    """Link the administration to the company (audited). False when it was linked to exactly it already."""
    link = link_of(administration)
    link.administration = administration
    before = auditing.snapshot(link) if link.pk and type(link).objects.filter(pk=link.pk).exists() else None
    link.company_id, link.company_number, link.company_name = company.id, str(company.number), company.name
    link.debtor_id = company.debtor_id
    if before is not None and auditing.snapshot(link) == before:
        return False
    auditing.save_audited(user, link, before, label=label or administration.name)
    return True


def find_by_number(companies: list[Company], number) -> Company | None:
    """The one company with this number (None when none or several have it)."""
    result = match_companies(companies, {"wanted": number})
    return result.matches[0].company if result.matches else None


def link_by_number(effective) -> str:
    """'' when the administration is linked to the company with its number; else why not, in words."""
    administration = effective.administration
    companies = reachable(administration, list_companies(effective.nmbrs_rest_connection))
    return link_matching_company(administration, companies, link_of(administration),
                                 lambda company: link_company(None, administration, company, label=administration.name))
