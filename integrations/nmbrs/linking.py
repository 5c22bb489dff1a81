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
from portal import auditing
from portal.effective import EffectiveSettings


def link_by_number(effective: EffectiveSettings) -> str:
    """'' when the administration is linked to the company with its number; else why not, in words.
    Raises the connector's NmbrsError when Nmbrs cannot be asked."""
    administration, credentials = effective.administration, effective.nmbrs_credentials
    result = match_companies(nmbrs_client_for(credentials).companies(), {administration.pk: administration.loket_client_number})
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
