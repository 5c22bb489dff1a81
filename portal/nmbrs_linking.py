"""Seed 002 step 5, "het nummer moet overeenkomen": link an Nmbrs administration to its company by number.

With the setting on, every import first links the administration to the company whose number equals
its Relatiecode (audited when it changes), and reports the administration when none does, so an
import never goes to a company chosen by anything but that number.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from connectors.nmbrs.client import NmbrsClient, NmbrsCredentials
from connectors.nmbrs.companies import match_companies
from portal import auditing
from portal.effective import EffectiveSettings
from portal.vendors import nmbrs_base_url


def link_by_number(effective: EffectiveSettings) -> str:
    """'' when the administration is linked to the company with its number; else why not, in words.
    Raises the connector's NmbrsError when Nmbrs cannot be asked."""
    administration, credentials = effective.administration, effective.nmbrs_credentials
    client = NmbrsClient(NmbrsCredentials(credentials.login_email, credentials.api_token, credentials.tenant_key),
                         nmbrs_base_url())
    result = match_companies(client.companies(), {administration.pk: administration.loket_client_number})
    if not result.matches:
        reason = result.mismatches[0].reason if result.mismatches else ""
        return _("No Nmbrs company matches the Relatiecode %(number)s of %(name)s: %(reason)s. Correct the "
                 "Relatiecode or the company number in Nmbrs, or switch off 'the company number must match' and "
                 "link the company by hand.") % {"number": administration.loket_client_number or "–",
                                                 "name": administration.name, "reason": reason}
    company = result.matches[0].company
    if administration.nmbrs_company_id != company.id:
        before = auditing.snapshot(administration)
        administration.nmbrs_company_id = company.id
        administration.nmbrs_company_number = str(company.number)
        administration.nmbrs_company_name = company.name
        auditing.save_audited(None, administration, before, label=administration.name)
    return ""
