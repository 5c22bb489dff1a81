"""Fetch the documents of a plan from the administration's payroll source, as SourceDocuments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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


@dataclass
class Fetched:
    """What a fetch delivered, and what it could not (in words, for the run's result)."""

    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def fetch_documents(effective: EffectiveSettings, plan: dict[DocumentKind, tuple[Period, ...]]) -> Fetched:
    """The plan's documents. A permanent problem with one kind (an unbalanced journal, a missing optional
    right) does not stop the others: that kind is reported and the rest is booked. A source that cannot
    be reached at all (or refuses everything) raises SourceUnavailable."""
    administration = effective.administration
    if administration.source == PayrollSource.LOKET:
        fetch_one, errors, close = _loket(effective, plan)
    else:
        fetch_one, errors, close = _nmbrs(effective)
    try:
        fetched = _fetch_all(fetch_one, errors, plan, administration.source)
    finally:
        close()
    if fetched.problems and not fetched.documents:
        raise SourceUnavailable(" ".join(fetched.problems), transient=False)
    return fetched


def _fetch_all(fetch_one, errors, plan, source: str) -> Fetched:
    fetched = Fetched()
    for period, kinds in by_period(plan).items():
        try:
            _add(fetched, fetch_one(period, kinds))
        except errors as exc:
            if getattr(exc, "transient", False) or len(kinds) == 1:
                _fail(fetched, exc, period, kinds, source)
                continue
            for kind in kinds:  # salvage what can be fetched, kind by kind
                try:
                    _add(fetched, fetch_one(period, [kind]))
                except errors as kind_exc:
                    _fail(fetched, kind_exc, period, [kind], source)
    return fetched


def _add(fetched: Fetched, result) -> None:
    if isinstance(result, Fetched):
        fetched.documents += result.documents
        fetched.problems += result.problems
    else:
        fetched.documents += result


def _fail(fetched: Fetched, exc, period: Period, kinds, source: str) -> None:
    from portal.models.ledger import DocumentKindLabel

    if isinstance(exc, SourceUnavailable):
        fetched.problems.append(exc.message)
        return
    what = ", ".join(str(DocumentKindLabel(kind.value).label).lower() for kind in kinds)
    vendor = "Loket" if source == PayrollSource.LOKET else "Nmbrs"
    fetched.problems.append(_("%(vendor)s, %(what)s %(period)s: %(message)s") % {
        "vendor": vendor, "what": what, "period": period.key, "message": user_message(exc)})


def _loket(effective, plan):
    from connectors.loket.errors import LoketError
    from connectors.loket.fetchers import LoketSource
    from portal.loket_access import loket_client_for

    administration = effective.administration
    if DocumentKind.ANNUAL_DOCUMENT in plan:
        raise SourceUnavailable(_("Annual documents are fetched from Nmbrs only; Loket is not supported."))
    if effective.loket_connection is None:
        raise SourceUnavailable(_("Loket is not connected for this administration."))
    client = loket_client_for(effective.loket_connection)
    try:
        # The employer is looked up once for all periods and kinds (it is a call to Loket each time).
        employer = LoketSource(client).find_administration(administration.loket_client_number,
                                                           administration.wage_tax_number)
    except LoketError as exc:
        client.close()
        raise SourceUnavailable(_("Loket: %(message)s") % {"message": user_message(exc)},
                                transient=getattr(exc, "transient", False)) from exc
    source = LoketSource(client)
    fetchers = {DocumentKind.PAYSLIP: source.payslips, DocumentKind.JOURNAL: source.journals,
                DocumentKind.WAGE_TAX_RETURN: source.wage_tax_returns}

    def fetch_one(period, kinds):
        return [document for kind in kinds for document in fetchers[kind](employer, period)]

    return fetch_one, (LoketError,), client.close


def _nmbrs(effective):
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

    def fetch_one(period, kinds):
        if DocumentKind.ANNUAL_DOCUMENT in kinds:
            return _annual(source, administration.nmbrs_company_id, period.year)
        return source.documents(administration.nmbrs_company_id, period, kinds,
                                wage_tax_status=None if status == "any" else status)

    return fetch_one, (NmbrsError, SourceUnavailable), lambda: None


def _annual(source, company_id: int, year: int) -> Fetched:
    """Seed 002: annual documents once the year's final run is locked; the bulk action asks for them."""
    result = source.annual_documents([company_id], year)
    if company_id in result.failed:
        raise result.failed[company_id]
    if company_id in result.skipped:
        raise SourceUnavailable(_("No annual documents for %(year)s yet: %(reason)s.") % {
            "year": year, "reason": result.skipped[company_id]})
    missing = [slug for company, slug in result.missing if company == company_id]
    problems = [_("Nmbrs has no %(documents)s for %(year)s.") % {"documents": ", ".join(missing), "year": year}] \
        if missing else []
    return Fetched(result.documents_of(company_id), problems)


def user_message(exc) -> str:
    """A vendor error in the bookkeeper's words: its `user_message`, translated (gettext) into the
    language active now; the English `message` only for errors that have none."""
    return str(getattr(exc, "user_message", "") or getattr(exc, "message", "") or exc)
