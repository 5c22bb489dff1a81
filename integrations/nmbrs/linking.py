"""docs/vendors/nmbrs.md, "Linking administrations to companies", "het nummer moet overeenkomen": link an Nmbrs administration to its company by number.

With the setting on, every import first links the administration to the company whose number equals
its Relatiecode (audited when it changes), and reports the administration when none does, so an
import never goes to a company chosen by anything but that number.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from connectors.nmbrs.companies import match_companies
from connectors.nmbrs.records import Company
from integrations.nmbrs.access import nmbrs_client_for
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
    result = match_companies(companies, {administration.pk: administration.loket_client_number})
    if not result.matches:
        reason = result.mismatches[0].reason if result.mismatches else ""
        return _("No Nmbrs company matches the Relatiecode %(number)s of %(name)s: %(reason)s. Correct the "
                 "Relatiecode or the company number in Nmbrs, or switch off 'the company number must match' and "
                 "link the company by hand.") % {"number": administration.loket_client_number or "–",
                                                 "name": administration.name, "reason": reason}
    link_company(None, administration, result.matches[0].company, label=administration.name)
    return ""


def link_company(user, administration, company: Company, *, label: str = "") -> bool:
    """Link the administration to the company (audited). False when it was linked to exactly it already."""
    before = auditing.snapshot(administration)
    administration.nmbrs_company_id = company.id
    administration.nmbrs_company_number = str(company.number)
    administration.nmbrs_company_name = company.name
    if auditing.snapshot(administration) == before:
        return False
    auditing.save_audited(user, administration, before, label=label)
    return True
