"""Nmbrs as a payroll source of the engine (portal.sources.base.PayrollSource).

The schedule (docs/vendors/nmbrs.md, "Schedule"): every hour from 07:00 to 20:00 local time; a missed
hour is not caught up (the next one covers it). Documents: payslips, journal entries, wage tax
returns and SEPA files; annual documents only on request (the bulk action), once the year's final
run is locked.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors.documents import DocumentKind, Period
from connectors.nmbrs.credentials import validate_credentials
from connectors.nmbrs.errors import NmbrsError
from connectors.nmbrs.mapping import SOURCE
from connectors.nmbrs.source import NmbrsSource
from connectors.nmbrs_rest.identity import from_soap
from integrations.nmbrs.access import nmbrs_base_url, nmbrs_client_for
from integrations.nmbrs.deep_check import deep_check
from integrations.nmbrs.forms import NmbrsAdministrationForm, NmbrsCredentialsForm
from integrations.nmbrs.linking import company_employer, link_by_number
from integrations.nmbrs.models import (
    NmbrsCredentials,
    NmbrsImportOptions,
    link_of,
    options_of,
    portal_credentials,
    set_portal_credentials,
)
from portal import auditing
from portal.models.connections import ConnectionStatus
from portal.scheduling import local_zone
from portal.sources.base import (
    CheckLine,
    DeepReport,
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

FIRST_HOUR, LAST_HOUR = 7, 20


def with_identity(documents, company_number: str):
    """Each document's identity across Nmbrs' APIs in its metadata (connectors/nmbrs_rest/identity.py), so a
    move to the REST API recognises it as booked (integrations/nmbrs_rest/carried_over.py)."""
    for document in documents:
        identity = from_soap(document.kind.value, document.period.key, document.metadata, company_number)
        if identity is not None:
            document.metadata.update(identity=identity.as_dict(), identity_key=identity.key)
    return documents


class NmbrsSession:
    def __init__(self, source: NmbrsSource, company_id: int, wage_tax_status: str | None, company_number: str = ""):
        self.source = source
        self.company_id = company_id
        self.wage_tax_status = wage_tax_status
        self.company_number = company_number  # SOAP's documents do not carry it: the link's

    def fetch(self, period: Period, kinds):
        if DocumentKind.ANNUAL_DOCUMENT in kinds:
            fetched = self._annual(period.year)
            with_identity(fetched.documents, self.company_number)
            return fetched
        waiting = []
        documents = self.source.documents(self.company_id, period, kinds, wage_tax_status=self.wage_tax_status,
                                          waiting=waiting)
        return Fetched(with_identity(documents, self.company_number), waiting=waiting)

    def _annual(self, year: int) -> Fetched:
        """Annual documents once the year's final run is locked (docs/vendors/nmbrs.md, "Annual documents")."""
        company_id = self.company_id
        result = self.source.annual_documents([company_id], year)
        if company_id in result.failed:
            raise result.failed[company_id]
        if company_id in result.skipped:
            raise NotYetAvailable(_("No annual documents for %(year)s yet: %(reason)s.") % {
                "year": year, "reason": result.skipped[company_id]})
        missing = [slug for company, slug in result.missing if company == company_id]
        problems = [_("Nmbrs has no %(documents)s for %(year)s.") % {"documents": ", ".join(missing),
                                                                      "year": year}] if missing else []
        return Fetched(result.documents_of(company_id), problems)

    def close(self) -> None:
        pass  # each SOAP call is its own request


class NmbrsPayrollSource(SourceBase):
    key = SOURCE
    label = "Nmbrs"
    name = "Nmbrs"
    document_kinds = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.WAGE_TAX_RETURN, DocumentKind.SEPA)
    on_request_kinds = (DocumentKind.ANNUAL_DOCUMENT,)
    administration_fields_template = "nmbrs/_administration_fields.html"
    administration_template = "nmbrs/_administration.html"
    portal_settings_template = "nmbrs/_portal_settings.html"
    domain_actions_template = "nmbrs/_domain_actions.html"
    annual_documents_template = "nmbrs/_annual_documents.html"
    administration_form = NmbrsAdministrationForm()
    portal_defaults = (PortalDefault("nmbrs_credentials", uses_portal=lambda a: link_of(a).use_portal_credentials,
                                     own=lambda a: link_of(a).own_credentials, portal=portal_credentials),)
    sandbox = "nmbrs"
    administration_relations = ("nmbrs_link", "nmbrs_link__own_credentials")
    portal_relations = ("nmbrs_access__credentials", "import_settings__nmbrs_options")
    import_options = NmbrsImportOptions
    urls = "integrations.nmbrs.urls"
    shared_access_switch = "use_portal_nmbrs_credentials"

    def uses_shared_access(self, administration) -> bool:
        return link_of(administration).use_portal_credentials

    def slot(self, import_settings, now: datetime) -> Slot | None:
        local_now = now.astimezone(local_zone())
        if not FIRST_HOUR <= local_now.hour <= LAST_HOUR:
            return None
        hour = local_now.replace(minute=0, second=0, microsecond=0)
        return Slot(f"{SOURCE}:{hour:%Y-%m-%dT%H}", hour.date())

    def blocking_reason(self, effective) -> str:
        credentials = effective.nmbrs_credentials
        if credentials is None:
            return _("The Nmbrs credentials are missing: enter them on the administration page.")
        if credentials.status == ConnectionStatus.BROKEN:
            return _("Nmbrs refused the credentials (%(reason)s): check them on the administration page.") % {
                "reason": credentials.status_reason or _("unknown reason")}
        if not link_of(effective.administration).company_id and not options_of(effective.import_settings).number_must_match:
            return _("No Nmbrs company is linked to this administration yet.")
        return ""

    def connection_state(self, effective) -> dict:
        credentials, origin = effective.nmbrs_credentials, effective.nmbrs_credentials_origin
        if credentials is None:
            return {"ok": False, "label": gettext_lazy("Nmbrs credentials missing"), "origin": origin}
        if credentials.status == ConnectionStatus.BROKEN:
            return {"ok": False, "label": gettext_lazy("Nmbrs credentials rejected"), "origin": origin}
        if credentials.status == ConnectionStatus.NOT_CONNECTED:
            return {"ok": False, "label": gettext_lazy("Nmbrs credentials not yet checked"), "origin": origin}
        return {"ok": True, "label": gettext_lazy("Nmbrs connected"), "origin": origin}

    def check_connection(self, effective) -> list[CheckLine]:
        credentials = effective.nmbrs_credentials
        if credentials is None:
            return [CheckLine("Nmbrs", False, _("no API credentials: enter them in the settings."))]
        try:
            employer = guard(effective.administration)  # nothing is read for a company it may not reach
            validate_credentials(credentials.login_email, credentials.api_token, credentials.tenant_key,
                                 base_url=nmbrs_base_url(), company_id=int(employer.number))
        except (NmbrsError, EmployerRefused) as exc:
            return [CheckLine("Nmbrs", False, user_message(exc))]
        return [CheckLine("Nmbrs", True, _("credentials accepted, company visible"))]

    def deep_check(self, effective, period: Period) -> DeepReport:
        credentials = effective.nmbrs_credentials
        if credentials is None:
            report = DeepReport()
            report.add("error", "Nmbrs", _("The Nmbrs credentials are missing."))
            return report
        employer = guard(effective.administration)  # EmployerRefused: reported, nothing read
        status = options_of(effective.import_settings).wage_tax_return_status
        return deep_check(nmbrs_client_for(credentials), int(employer.number), None if status == "any" else status,
                          period)

    def validate_administration(self, administration) -> dict[str, str]:
        return {}  # the company is linked later, by hand or by number

    # --- the employer: the Nmbrs company, by its ID (docs/vendors/nmbrs.md, "Linking administrations") --

    def employer_of(self, administration) -> EmployerId | None:
        company_id = link_of(administration).company_id
        return company_employer(company_id) if company_id else None

    def employer_id(self, number: str, wage_tax_number: str) -> EmployerId:
        number = str(number or "").strip()
        if not (number.isascii() and number.isdigit() and 0 < int(number) < 2**63):
            raise ValidationError({"number": _("An Nmbrs company ID is a whole number, for example 50001.")})
        return company_employer(int(number))

    def employer_fields(self, employer: EmployerId) -> dict:
        return {}  # the company is linked on the company page (integrations/nmbrs/views.py), from the list

    def shared_employers(self, portal) -> tuple[list[tuple[EmployerId, str]], str]:
        """The companies the portal's Nmbrs credentials see (one CompanyService.List_GetAll call)."""
        credentials = portal_credentials(portal)
        if credentials is None:
            return [], ""
        try:
            companies = nmbrs_client_for(credentials, timeout=30.0).companies()
        except NmbrsError as exc:
            return [], _("Nmbrs: %(message)s") % {"message": user_message(exc)}
        return [(company_employer(c.id), c.name) for c in sorted(companies, key=lambda c: c.name)], ""

    def prepare(self, effective) -> str:
        """With 'the company number must match' on, link the company by number before every import."""
        if not options_of(effective.import_settings).number_must_match:
            return ""
        try:
            return link_by_number(effective)
        except NmbrsError as exc:
            return _("Nmbrs: %(message)s") % {"message": user_message(exc)}

    def open(self, effective, plan) -> NmbrsSession:
        credentials = effective.nmbrs_credentials
        if credentials is None:
            raise SourceUnavailable(_("The Nmbrs credentials are missing."))
        employer = guard(effective.administration)
        status = options_of(effective.import_settings).wage_tax_return_status
        source = NmbrsSource(nmbrs_client_for(credentials), one_import=True)  # a session is one import
        return NmbrsSession(source, int(employer.number), None if status == "any" else status,
                            link_of(effective.administration).company_number)

    # --- the portal settings page: the default credentials -------------------------------------------

    def portal_settings_form(self, portal, data) -> NmbrsCredentialsForm:
        credentials = portal_credentials(portal) or NmbrsCredentials()
        form = NmbrsCredentialsForm(data, instance=credentials, prefix="nmbrs")
        # Before validation: a ModelForm's is_valid() already writes the input onto the instance.
        form.before = auditing.snapshot(credentials) if credentials.pk else None
        return form

    def save_portal_settings(self, user, portal, form) -> str:
        with transaction.atomic():
            auditing.save_audited(user, form.instance, form.before, label=_("Portal Nmbrs credentials"))
            if portal_credentials(portal) != form.instance:
                set_portal_credentials(portal, form.instance)
        return _("The portal's Nmbrs credentials are saved.")
