"""Nmbrs' REST API as a payroll source of the engine (portal.sources.base.PayrollSource), beside Nmbrs SOAP.

The same schedule, documents, import options (integrations/nmbrs/models.py NmbrsImportOptions: one vendor,
one set of options whichever API) and company linking as Nmbrs SOAP; the company is a UUID here, its number
the one both APIs share. An administration that moved from SOAP books nothing twice (carried_over.py).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors.documents import DocumentKind, Period
from connectors.nmbrs_rest.errors import NmbrsRestError
from connectors.nmbrs_rest.identity import company_number
from connectors.nmbrs_rest.mapping import SOURCE
from connectors.nmbrs_rest.records import Company
from connectors.nmbrs_rest.source import NmbrsRestSource
from integrations.nmbrs.models import options_of
from integrations.nmbrs.source import FIRST_HOUR, LAST_HOUR
from integrations.nmbrs_rest import access, carried_over, linking
from integrations.nmbrs_rest.forms import AppCredentialsForm, NmbrsRestAdministrationForm
from integrations.nmbrs_rest.models import link_of, portal_access, portal_connection
from portal import auditing
from portal.models.connections import ConnectionStatus
from portal.scheduling import local_zone
from portal.sources.base import (
    CheckLine,
    EmployerId,
    Fetched,
    NotYetAvailable,
    PortalDefault,
    Slot,
    SourceBase,
    SourceUnavailable,
)
from portal.sources.messages import user_message
from portal.sources.shared_access import EmployerRefused, guard


class NmbrsRestSession:
    def __init__(self, source: NmbrsRestSource, company: Company, administration, wage_tax_status: str | None):
        self.source, self.company, self.administration = source, company, administration
        self.wage_tax_status = wage_tax_status

    def fetch(self, period: Period, kinds) -> Fetched:
        if DocumentKind.ANNUAL_DOCUMENT in kinds:
            result = self.source.annual_statements(self.company, period.year)
            if result.skipped:
                raise NotYetAvailable(_("No annual statements for %(year)s yet: %(reason)s.") % {
                    "year": period.year, "reason": result.skipped})
            documents, waiting = result.documents, result.waiting
        else:
            waiting = []
            documents = self.source.documents(self.company, period, kinds, wage_tax_status=self.wage_tax_status,
                                              waiting=waiting)
        kept, held = carried_over.separate(self.administration, documents, self.company.number)
        return Fetched(kept, problems=held, waiting=waiting)

    def close(self) -> None:
        self.source.client.close()


class NmbrsRestPayrollSource(SourceBase):
    key = SOURCE
    label = "Nmbrs (REST API)"
    name = "Nmbrs (REST)"
    document_kinds = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.WAGE_TAX_RETURN, DocumentKind.SEPA)
    # Annual statements per employee, on request on the annual documents page (NmbrsRestSession.fetch).
    on_request_kinds = (DocumentKind.ANNUAL_DOCUMENT,)
    annual_documents_template = "nmbrs_rest/_annual_documents.html"
    administration_fields_template = "nmbrs_rest/_administration_fields.html"
    administration_template = "nmbrs_rest/_administration.html"
    portal_settings_template = "nmbrs_rest/_portal_settings.html"
    administration_form = NmbrsRestAdministrationForm()
    portal_defaults = (PortalDefault("nmbrs_rest_connection", uses_portal=lambda a: link_of(a).use_portal_access,
                                     own=lambda a: link_of(a).own_connection, portal=portal_connection),)
    sandbox = "nmbrs_rest"
    administration_relations = ("nmbrs_rest_link", "nmbrs_rest_link__own_connection")
    portal_relations = ("nmbrs_rest_access__connection",)
    urls = "integrations.nmbrs_rest.urls"
    shared_access_switch = "use_portal_nmbrs_rest_access"

    def uses_shared_access(self, administration) -> bool:
        return link_of(administration).use_portal_access

    def booked(self, entry, yuki_reference: str) -> None:
        """A document that took over from a SOAP row waiting at the source: that row is settled now."""
        carried_over.settle_superseded(entry, yuki_reference)

    def slot(self, import_settings, now: datetime) -> Slot | None:
        """As Nmbrs SOAP (docs/vendors/nmbrs.md, "Schedule"): every hour from 07:00 to 20:00 local time."""
        local_now = now.astimezone(local_zone())
        if not FIRST_HOUR <= local_now.hour <= LAST_HOUR:
            return None
        hour = local_now.replace(minute=0, second=0, microsecond=0)
        return Slot(f"{SOURCE}:{hour:%Y-%m-%dT%H}", hour.date())

    def blocking_reason(self, effective) -> str:
        if refused := access.refusal(effective.nmbrs_rest_connection):
            return refused
        if not access.app_credentials()[2]:
            return _("The portal has no Nmbrs subscription key yet: a portal administrator enters it in the "
                     "portal settings.")
        if not link_of(effective.administration).company_id and not options_of(effective.import_settings).number_must_match:
            return _("No Nmbrs company is linked to this administration yet.")
        return ""

    def connection_state(self, effective) -> dict:
        connection, origin = effective.nmbrs_rest_connection, effective.nmbrs_rest_connection_origin
        if connection is not None and connection.status == ConnectionStatus.BROKEN:
            return {"ok": False, "label": gettext_lazy("Nmbrs: re-authorisation needed"), "origin": origin}
        if connection is None or not connection.is_authorised:
            return {"ok": False, "label": gettext_lazy("Nmbrs not connected"), "origin": origin}
        return {"ok": True, "label": gettext_lazy("Nmbrs connected"), "origin": origin}

    def check_connection(self, effective) -> list[CheckLine]:
        if refused := access.refusal(effective.nmbrs_rest_connection):
            return [CheckLine(self.name, False, refused)]
        try:
            employer = guard(effective.administration)
            with_client = access.client_for(effective.nmbrs_rest_connection, timeout=20.0, max_attempts=2)
            try:
                visible = [c for c in NmbrsRestSource(with_client).companies() if c.id == link_of(
                    effective.administration).company_id]
            finally:
                with_client.close()
        except (NmbrsRestError, EmployerRefused) as exc:
            return [CheckLine(self.name, False, user_message(exc))]
        if not visible:
            return [CheckLine(self.name, False, _("the linked company %(company)s is not visible to the Nmbrs user "
                                                  "who connected") % {"company": employer.number})]
        return [CheckLine(self.name, True, _("authorisation accepted, company visible"))]

    # --- the employer: the company, by its number (SOAP and REST share it; a UUID does not fit an assignment)

    def employer_of(self, administration) -> EmployerId | None:
        link = link_of(administration)
        return EmployerId(company_number(link.company_number)) if link.company_id else None

    def employer_id(self, number: str, wage_tax_number: str) -> EmployerId:
        return EmployerId(company_number(str(number or "").strip()))

    def prepare(self, effective) -> str:
        """With 'the company number must match' on, link the company by number before every import."""
        if not options_of(effective.import_settings).number_must_match:
            return ""
        try:
            return linking.link_by_number(effective)
        except NmbrsRestError as exc:
            return _("Nmbrs: %(message)s") % {"message": user_message(exc)}

    def open(self, effective, plan) -> NmbrsRestSession:
        connection = effective.nmbrs_rest_connection
        if refused := access.refusal(connection):
            raise SourceUnavailable(refused)
        guard(effective.administration)
        link = link_of(effective.administration)
        status = options_of(effective.import_settings).wage_tax_return_status
        company = Company(link.company_id, link.company_number, link.company_name, link.debtor_id)
        return NmbrsRestSession(NmbrsRestSource(access.client_for(connection)), company, effective.administration,
                                None if status == "any" else status)

    # --- the portal settings page: the registered app, the subscription key, the portal's connection ----

    def portal_settings_context(self, portal) -> dict:
        from integrations.nmbrs_rest.moving import soap_administrations

        return {"nmbrs_rest": portal_connection(portal), "nmbrs_rest_redirect_url": access.redirect_uri(),
                "nmbrs_rest_environment": access.rest_environment().name,
                "nmbrs_rest_soap_count": soap_administrations().count()}

    def portal_settings_form(self, portal, data) -> AppCredentialsForm:
        row = portal_access(portal)
        form = AppCredentialsForm(data, instance=row, prefix="nmbrs_rest")
        form.before = auditing.snapshot(row) if row.pk else None
        return form

    def save_portal_settings(self, user, portal, form) -> str:
        with transaction.atomic():
            form.instance.portal = portal
            auditing.save_audited(user, form.instance, form.before, label=_("Portal Nmbrs REST app"))
            portal._state.fields_cache.pop("nmbrs_rest_access", None)
        return _("The portal's Nmbrs app and subscription key are saved.")
