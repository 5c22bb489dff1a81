"""Fetch the documents of a plan from the administration's payroll source, as SourceDocuments."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from connectors.documents import DocumentKind, Period, SourceDocument
from portal.effective import EffectiveSettings
from portal.models import PayrollSource


class SourceUnavailable(Exception):
    """The source could not deliver (connection, rights, outage). The message is for the bookkeeper."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.message = message
        self.transient = transient


def by_period(plan: dict[DocumentKind, tuple[Period, ...]]) -> dict[Period, list[DocumentKind]]:
    grouped: dict[Period, list[DocumentKind]] = defaultdict(list)
    for kind, periods in plan.items():
        for period in periods:
            grouped[period].append(kind)
    return dict(sorted(grouped.items()))


def fetch_documents(effective: EffectiveSettings, plan: dict[DocumentKind, tuple[Period, ...]]) -> list[SourceDocument]:
    administration = effective.administration
    if administration.source == PayrollSource.LOKET:
        return _fetch_loket(effective, plan)
    return _fetch_nmbrs(effective, plan)


def _fetch_loket(effective, plan):
    from connectors.loket.errors import LoketError
    from portal.loket_access import loket_client_for

    administration = effective.administration
    if DocumentKind.ANNUAL_DOCUMENT in plan:
        raise SourceUnavailable(_("Annual documents are fetched from Nmbrs only; Loket is not supported."))
    if effective.loket_connection is None:
        raise SourceUnavailable(_("Loket is not connected for this administration."))
    try:
        from connectors.loket.fetchers import LoketSource

        with loket_client_for(effective.loket_connection) as client:
            source = LoketSource(client)
            documents = []
            for period, kinds in by_period(plan).items():
                documents += source.documents(administration.loket_client_number, administration.wage_tax_number,
                                              period, kinds)
            return documents
    except LoketError as exc:
        raise SourceUnavailable(_("Loket: %(message)s") % {"message": _user_message(exc)},
                                transient=getattr(exc, "transient", False)) from exc


def _fetch_nmbrs(effective, plan):
    from connectors.nmbrs.client import NmbrsClient, NmbrsCredentials
    from connectors.nmbrs.errors import NmbrsError
    from connectors.nmbrs.source import NmbrsSource
    from portal.vendors import nmbrs_base_url

    administration, credentials = effective.administration, effective.nmbrs_credentials
    if credentials is None:
        raise SourceUnavailable(_("The Nmbrs credentials are missing."))
    status = effective.import_settings.wage_tax_return_status
    client = NmbrsClient(NmbrsCredentials(credentials.login_email, credentials.api_token, credentials.tenant_key),
                         nmbrs_base_url())
    source = NmbrsSource(client)
    try:
        documents = []
        for period, kinds in by_period(plan).items():
            if DocumentKind.ANNUAL_DOCUMENT in kinds:
                documents += _annual(source, administration.nmbrs_company_id, period.year)
                kinds = [k for k in kinds if k != DocumentKind.ANNUAL_DOCUMENT]
            if kinds:
                documents += source.documents(administration.nmbrs_company_id, period, kinds,
                                              wage_tax_status=None if status == "any" else status)
        return documents
    except NmbrsError as exc:
        raise SourceUnavailable(_("Nmbrs: %(message)s") % {"message": _user_message(exc)},
                                transient=getattr(exc, "transient", False)) from exc


def _annual(source, company_id: int, year: int) -> list[SourceDocument]:
    """Seed 002: annual documents once the year's final run is locked; the bulk action asks for them."""
    result = source.annual_documents([company_id], year)
    if company_id in result.failed:
        raise result.failed[company_id]
    if company_id in result.skipped:
        raise SourceUnavailable(_("No annual documents for %(year)s yet: %(reason)s.") % {
            "year": year, "reason": result.skipped[company_id]})
    return result.documents_of(company_id)


def _user_message(exc) -> str:
    from django.utils import translation

    dutch = getattr(exc, "user_message_nl", "")
    if dutch and (translation.get_language() or "nl").startswith("nl"):
        return dutch
    return getattr(exc, "message", "") or str(exc)
