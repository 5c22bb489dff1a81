"""Loket.nl as a payroll source of the engine (portal.sources.base.PayrollSource).

The schedule (docs/vendors/loket.md, "Schedule"): on days inside the import window, once a night at
IMPORT_NIGHTLY_TIME; a night missed while the scheduler was down is caught up within
IMPORT_CATCH_UP_HOURS. Documents: payslips, journal entries and wage tax returns; Loket has no annual
documents or SEPA files for us.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors.documents import DocumentKind, Period
from connectors.loket.checks import check_connection
from connectors.loket.errors import LoketError
from connectors.loket.fetchers import LoketSource
from connectors.loket.mapping import SOURCE
from integrations.loket.access import loket_client_for, redirect_uri
from integrations.loket.deep_check import deep_check
from integrations.loket.forms import LoketAdministrationForm
from integrations.loket.models import link_of, portal_connection
from portal.models.connections import ConnectionStatus
from portal.models.domains import normalize_wage_tax_number, validate_wage_tax_number
from portal.scheduling import at_local, local_zone, nightly_time
from portal.sources.base import (
    CheckLine,
    DeepReport,
    EmployerId,
    Fetched,
    PortalDefault,
    Slot,
    SourceBase,
    SourceUnavailable,
)
from portal.sources.messages import user_message
from portal.sources.shared_access import EmployerRefused, guard


def normalize_client_number(value) -> str:
    """Loket's client number as an assignment and a fetch compare it: digits without leading zeros."""
    value = str(value or "").strip()
    return str(int(value)) if value.isascii() and value.isdigit() else value


def in_window(day: date, import_settings) -> bool:
    """The first/last day of the month imports run on; a last day past the month's end means its end."""
    return import_settings.first_day <= day.day <= import_settings.last_day


def slot_date(import_settings, now: datetime) -> date | None:
    """The latest night inside the window whose import time has passed, if recent enough."""
    local_now = now.astimezone(local_zone())
    earliest = now - timedelta(hours=settings.IMPORT_CATCH_UP_HOURS)
    day = local_now.date()
    for _offset in range(settings.IMPORT_CATCH_UP_HOURS // 24 + 2):
        due = at_local(day, nightly_time())
        if due <= now and in_window(day, import_settings):
            return day if due >= earliest else None
        if due < earliest:
            return None
        day -= timedelta(days=1)
    return None


class LoketSession:
    """One Loket client for a plan; the employer is looked up once (it is a call to Loket each time)."""

    def __init__(self, client, employer):
        self.client = client
        self.source = LoketSource(client, one_import=True)  # a session is one import
        self.employer = employer

    def fetch(self, period: Period, kinds) -> Fetched:
        waiting: list = []  # what Loket shows but is not final yet: recorded by the engine, not dropped
        documents = self.source.documents_of(self.employer, period, kinds, waiting=waiting)
        return Fetched(documents, waiting=waiting)

    def close(self) -> None:
        self.client.close()


class LoketPayrollSource(SourceBase):
    key = SOURCE
    label = "Loket.nl"
    name = "Loket"
    document_kinds = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.WAGE_TAX_RETURN)
    administration_fields_template = "loket/_administration_fields.html"
    administration_template = "loket/_administration.html"
    portal_settings_template = "loket/_portal_settings.html"
    administration_form = LoketAdministrationForm()
    portal_defaults = (PortalDefault("loket_connection", uses_portal=lambda a: link_of(a).use_portal_access,
                                     own=lambda a: link_of(a).own_connection, portal=portal_connection),)
    sandbox = "loket"
    administration_relations = ("loket_link", "loket_link__own_connection")
    portal_relations = ("loket_access__connection",)
    urls = "integrations.loket.urls"
    shared_access_switch = "use_portal_loket_access"

    def uses_shared_access(self, administration) -> bool:
        return link_of(administration).use_portal_access

    def slot(self, import_settings, now: datetime) -> Slot | None:
        day = slot_date(import_settings, now)
        return None if day is None else Slot(f"{SOURCE}:{day.isoformat()}", day)

    def blocking_reason(self, effective) -> str:
        connection = effective.loket_connection
        if connection is None or connection.status == ConnectionStatus.NOT_CONNECTED:
            return _("Loket is not connected: click 'Connect to Loket' in the settings.")
        if connection.status == ConnectionStatus.BROKEN:
            return _("Loket needs to be authorised again (%(reason)s): click 'Connect to Loket'.") % {
                "reason": connection.status_reason or _("the authorisation was revoked or expired")}
        return ""

    def connection_state(self, effective) -> dict:
        connection, origin = effective.loket_connection, effective.loket_connection_origin
        if connection is None or connection.status == ConnectionStatus.NOT_CONNECTED:
            return {"ok": False, "label": gettext_lazy("Loket not connected"), "origin": origin}
        if connection.status == ConnectionStatus.BROKEN:
            return {"ok": False, "label": gettext_lazy("Loket: re-authorisation needed"), "origin": origin}
        return {"ok": True, "label": gettext_lazy("Loket authorised"), "origin": origin}

    def check_connection(self, effective) -> list[CheckLine]:
        if effective.loket_connection is None or not effective.loket_connection.is_authorised:
            return [CheckLine("Loket", False, _("not authorised: click 'Connect to Loket' in the settings."))]
        try:
            employer = guard(effective.administration)  # nothing is read for an employer it may not reach
            with loket_client_for(effective.loket_connection) as client:
                checks = check_connection(client, employer.number, employer.wage_tax_number)
        except (LoketError, EmployerRefused) as exc:
            return [CheckLine("Loket", False, user_message(exc))]
        # Each check wrote its message in the language active here (connectors/loket/checks.py).
        return [CheckLine(f"Loket: {_(c.name)}", c.ok, c.message) for c in checks]

    def deep_check(self, effective, period: Period) -> DeepReport:
        if effective.loket_connection is None or not effective.loket_connection.is_authorised:
            report = DeepReport()
            report.add("error", "Loket", _("Loket is not connected for this administration."))
            return report
        employer = guard(effective.administration)  # EmployerRefused: reported, nothing read
        with loket_client_for(effective.loket_connection) as client:
            return deep_check(client, employer.number, employer.wage_tax_number, period)

    def validate_administration(self, administration) -> dict[str, str]:
        missing = {}
        if not administration.relation_code:
            missing["relation_code"] = _("Loket needs the client number to find this employer.")
        if not administration.wage_tax_number:
            missing["wage_tax_number"] = _("Loket needs the wage tax number to find this employer.")
        return missing

    # --- the employer: client number + loonheffingennummer (docs/vendors/loket.md, "Per administration") --

    def employer_of(self, administration) -> EmployerId | None:
        number = normalize_client_number(administration.relation_code)
        wage_tax_number = normalize_wage_tax_number(administration.wage_tax_number)
        return EmployerId(number, wage_tax_number) if number and wage_tax_number else None

    def employer_id(self, number: str, wage_tax_number: str) -> EmployerId:
        errors = {}
        number = normalize_client_number(number)
        if not (number.isascii() and number.isdigit() and int(number) > 0):
            errors["number"] = _("Loket's client number is a whole number, for example 40123.")
        wage_tax_number = normalize_wage_tax_number(wage_tax_number)
        try:
            validate_wage_tax_number(wage_tax_number)
        except ValidationError as exc:
            errors["wage_tax_number"] = exc.messages[0]
        if not wage_tax_number:
            errors["wage_tax_number"] = _("Loket needs the wage tax number to find this employer.")
        if errors:
            raise ValidationError(errors)
        return EmployerId(number, wage_tax_number)

    def employer_fields(self, employer: EmployerId) -> dict:
        return {"relation_code": employer.number, "wage_tax_number": employer.wage_tax_number}

    def open(self, effective, plan) -> LoketSession:
        administration = effective.administration
        if DocumentKind.ANNUAL_DOCUMENT in plan:
            raise SourceUnavailable(_("Annual documents are fetched from Nmbrs only; Loket is not supported."))
        if effective.loket_connection is None:
            raise SourceUnavailable(_("Loket is not connected for this administration."))
        allowed = guard(administration)
        client = loket_client_for(effective.loket_connection)
        try:
            employer = LoketSource(client).find_administration(allowed.number, allowed.wage_tax_number)
        except LoketError as exc:
            client.close()
            raise SourceUnavailable(_("Loket: %(message)s") % {"message": user_message(exc)},
                                    transient=exc.transient) from exc
        return LoketSession(client, employer)

    # --- the portal settings page: the portal's connection --------------------------------------------

    def portal_settings_context(self, portal) -> dict:
        return {"loket": portal_connection(portal), "loket_redirect_url": redirect_uri(),
                "loket_environment": settings.LOKET_ENVIRONMENT}
