"""docs/vendors/nmbrs.md, "Linking administrations to companies", "het nummer moet overeenkomen": link an Nmbrs administration to its company by number.

With the setting on, every import first links an unlinked administration to the company whose number
equals its Relatiecode (audited), and reports the administration when none does, so an import never goes
to a company chosen by anything but that number. A link that exists is never changed by an import: when
it points elsewhere than the number says, the import stops and says so (a person chose that link, a
person changes it). By hand, only the company with the Relatiecode's number can be linked
(`number_refusal`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from connectors.nmbrs.companies import match_companies, normalize_number
from connectors.nmbrs.records import Company
from integrations.nmbrs.access import nmbrs_client_for
from integrations.nmbrs.models import link_of
from portal import auditing, permissions
from portal.effective import EffectiveSettings
from portal.sources import shared_access
from portal.sources.base import EmployerId


def company_employer(company_id: int) -> EmployerId:
    """An Nmbrs company as an employer assignment names it (portal/sources/shared_access.py): its ID."""
    return EmployerId(str(int(company_id)))


def reachable(administration, companies: list[Company], user=None) -> list[Company]:
    """The companies this administration may see and link: all that its own credentials see, only the
    domain's assigned ones through the portal's shared credentials (a portal administrator, `user`,
    is not limited: they assign employers)."""
    if user is not None and permissions.is_portal_administrator(user):
        return companies
    allowed = shared_access.visible(administration, [company_employer(c.id) for c in companies])
    return [c for c in companies if company_employer(c.id) in allowed]


def link_by_number(effective: EffectiveSettings) -> str:
    """'' when the administration is linked to the company with its number; else why not, in words.
    Raises the connector's NmbrsError when Nmbrs cannot be asked."""
    administration, credentials = effective.administration, effective.nmbrs_credentials
    companies = reachable(administration, nmbrs_client_for(credentials).companies())
    return link_matching_company(administration, companies, link_of(administration),
                                 lambda company: link_company(None, administration, company, label=administration.name))


def link_matching_company(administration, companies, linked, link) -> str:
    """Link the administration to the company whose number is its Relatiecode ('' when done), through
    `link(company)`; else why not, in words. Never moves an existing link (`linked`: the source's link row,
    with company_id/company_name/company_number) by itself. Shared by both Nmbrs APIs: their companies differ
    in id only."""
    result = match_companies(companies, {administration.pk: administration.relation_code})
    if not result.matches:
        reason = result.mismatches[0].reason if result.mismatches else ""
        return _("No Nmbrs company matches the Relatiecode %(number)s of %(name)s: %(reason)s. Correct the "
                 "Relatiecode or the company number in Nmbrs, or switch off 'the company number must match' and "
                 "link the company by hand.") % {"number": administration.relation_code or "–",
                                                 "name": administration.name, "reason": reason}
    company = result.matches[0].company
    if linked.company_id and linked.company_id != company.id:
        return _("%(name)s is linked to the Nmbrs company %(linked)s (number %(linked_number)s), but its "
                 "Relatiecode %(number)s is the number of %(company)s. The portal does not change a link by "
                 "itself: link the right company on the administration's Nmbrs company page, or correct the "
                 "Relatiecode.") % {
            "name": administration.name, "linked": linked.company_name or linked.company_id,
            "linked_number": linked.company_number or "–",
            "number": administration.relation_code, "company": company.name}
    link(company)
    return ""


def number_refusal(administration, company, *, must_match: bool) -> str:
    """Why `company` (of either Nmbrs API) may not be linked to the administration by hand ('' when it may): with "the company
    number must match" on, only the company whose number is the Relatiecode."""
    relatiecode = normalize_number(administration.relation_code)
    if not must_match or (relatiecode and normalize_number(company.number) == relatiecode):
        return ""
    return _("'The company number must match' is on: %(company)s has number %(company_number)s, the Relatiecode "
             "of %(name)s is %(number)s. Link the company with number %(number)s, correct the Relatiecode, or "
             "switch 'the company number must match' off.") % {
        "company": company.name, "company_number": company.number, "name": administration.name,
        "number": administration.relation_code or "–"}


def link_company(user, administration, company: Company, *, label: str = "") -> bool:
    """Link the administration to the company (audited). False when it was linked to exactly it already."""
    link = link_of(administration)
    before = auditing.snapshot(link) if link.pk else None
    link.company_id, link.company_number, link.company_name = company.id, str(company.number), company.name
    if before is not None and auditing.snapshot(link) == before:
        return False
    auditing.save_parts_audited(user, administration, [link], label=label or administration.name)
    return True
