"""Moving administrations from Nmbrs SOAP to the REST API: one administration with one
click (its Nmbrs SOAP page), or all of them at once (the portal settings, for the day SOAP ends).

The link carries over by company number (the SOAP company's number, which REST gives too); the portal's
access or an own one as before (an own REST connection is made after the move: "Connect to Nmbrs"); the
domain's SOAP employer assignment gets its REST twin. The administration's ledger keeps every SOAP row;
what SOAP booked is recognised at import time and not booked again (carried_over.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors.nmbrs.mapping import SOURCE as SOAP_SOURCE
from connectors.nmbrs_rest.errors import NmbrsRestError
from connectors.nmbrs_rest.mapping import SOURCE
from integrations.nmbrs.models import link_of as soap_link_of
from integrations.nmbrs_rest import access
from integrations.nmbrs_rest.linking import employer, find_by_number, link_company, list_companies
from integrations.nmbrs_rest.models import link_of
from portal import auditing
from portal.effective import effective_settings
from portal.models import Administration, AssignedEmployer, PortalSettings
from portal.models.audit import AuditAction
from portal.sources.messages import user_message


def soap_administrations():
    return Administration.objects.filter(source=SOAP_SOURCE)


@dataclass
class Moves:
    moved: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "<name>: why", in words


def move(user, administration: Administration, *, listed: dict | None = None, portal=None) -> str:
    """Switch one SOAP administration to REST. '' when it moved, else why not (nothing changed then).
    `listed`: companies by connection pk, shared by a move of many."""
    soap = soap_link_of(administration)
    number = soap.company_number
    if administration.source != SOAP_SOURCE:
        return _("%(name)s does not get its documents through Nmbrs SOAP.") % {"name": administration.name}
    if not number:
        return _("%(name)s is not linked to an Nmbrs company with a number: link it on its Nmbrs company page "
                 "first.") % {"name": administration.name}
    link = link_of(administration)
    link.use_portal_access = soap.use_portal_credentials or link.own_connection is None
    portal = portal or PortalSettings.load()
    connection = effective_settings(administration, portal).nmbrs_rest_connection if link.use_portal_access \
        else link.own_connection
    if refused := access.refusal(connection):
        return refused
    listed = listed if listed is not None else {}
    try:
        if connection.pk not in listed:
            listed[connection.pk] = list_companies(connection)
    except NmbrsRestError as exc:
        return _("Nmbrs: %(message)s") % {"message": user_message(exc)}
    company = find_by_number(listed[connection.pk], number)
    if company is None:
        return _("The Nmbrs user who connected the REST API sees no company with number %(number)s (%(company)s).") \
            % {"number": number, "company": soap.company_name or soap.company_id}
    with transaction.atomic():
        before = auditing.snapshot(administration)
        administration.source = SOURCE
        auditing.save_audited(user, administration, before, label=administration.name)
        link.administration = administration
        link.moved_from_soap_at = timezone.now()
        link_company(user, administration, company)
        _carry_assignment(user, administration, soap.company_id, company)
    return ""


def _carry_assignment(user, administration, soap_company_id, company) -> None:
    """The domain's assignment of the SOAP company (its ID) gets its REST twin (the company number)."""
    if soap_company_id is None:
        return
    wanted = employer(company)
    had = AssignedEmployer.objects.filter(domain=administration.domain, source=SOAP_SOURCE,
                                          number=str(soap_company_id)).first()
    if had is None or AssignedEmployer.objects.filter(source=SOURCE, number=wanted.number,
                                                      wage_tax_number="").exists():
        return
    twin = AssignedEmployer.objects.create(domain=administration.domain, source=SOURCE, number=wanted.number,
                                           name=had.name)
    auditing.record(user, AuditAction.CREATED, twin, auditing.diff(twin, None), label=_(
        "%(employer)s for domain %(domain)s") % {"employer": twin, "domain": administration.domain.name})


def move_all(user) -> Moves:
    """Every SOAP administration that can move; the others named with why (they stay on SOAP)."""
    moves, listed, portal = Moves(), {}, PortalSettings.load()
    for administration in soap_administrations().select_related("domain").order_by("domain__name", "name"):
        if refused := move(user, administration, listed=listed, portal=portal):
            moves.refused.append(f"{administration.name}: {refused}")
        else:
            moves.moved.append(administration.name)
    return moves
