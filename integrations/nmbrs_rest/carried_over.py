"""Documents booked through Nmbrs' SOAP API are not booked again through REST.

SOAP and REST ids differ (integers, UUIDs), so the ledger's key cannot recognise them. What both APIs give
is the document's identity (connectors/nmbrs_rest/identity.py: company number, year, period, run number,
employee number, serial number, kind). Before the engine records a REST document, its identity is looked up
among the administration's SOAP ledger rows (their stored identity, or one derived from what older rows
hold). A SOAP row that covers it decides:

- booked: the REST document is recorded as booked (its own ledger row, state booked, Yuki's reference of the
  SOAP row, an event saying so), so the engine finds it booked and unchanged and books nothing; a later
  change at Nmbrs is then a correction of that row, as any other;
- waiting at the source: SOAP can no longer deliver it: REST books it, and once REST's row is booked the
  SOAP row is settled as booked through REST (Yuki's reference of REST's row, an event saying so), so no
  list shows it waiting any longer (`settle_superseded`: after the push, and at the next import for a row
  booked otherwise, e.g. found in Yuki by the check). A SOAP run PDF covering several REST payslips is
  settled by the first of them booked; the others stay visible in their own rows;
- any other state (to book, failed, being booked or checked): the SOAP row is still the one being booked
  (it keeps its content): the REST document is held back and said in the run's result, until that settles.

The SOAP rows stay as they are: the administration's ledger history survives the move.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors.documents import SourceDocument
from connectors.nmbrs.mapping import SOURCE as SOAP_SOURCE
from connectors.nmbrs_rest.identity import DocumentIdentity, from_soap
from portal.models import EntryState, EventKind, LedgerEntry, LedgerEvent


def soap_rows(administration, documents: list[SourceDocument], company_number: str
              ) -> list[tuple[DocumentIdentity, LedgerEntry]]:
    """The administration's SOAP ledger rows of these documents' periods and kinds, with their identity."""
    periods = {d.period.key for d in documents}
    kinds = {d.kind.value for d in documents}
    rows = LedgerEntry.objects.filter(administration=administration, source=SOAP_SOURCE, period__in=periods,
                                      kind__in=kinds).defer("content", "pending_content", "journal_lines")
    found = []
    for row in rows:
        identity = from_soap(row.kind, row.period, row.metadata or {}, company_number)
        if identity is not None:
            found.append((identity, row))
    return found


def covering(identity: DocumentIdentity, rows: list[tuple[DocumentIdentity, LedgerEntry]]) -> LedgerEntry | None:
    """The SOAP row that holds this document; a booked one first (a correction run's rows are separate)."""
    matches = [row for soap, row in rows if soap.covers(identity)]
    return next((row for row in matches if row.state == EntryState.BOOKED), matches[0] if matches else None)


def separate(administration, documents: list[SourceDocument], company_number: str, run=None
             ) -> tuple[list[SourceDocument], list[str]]:
    """(the documents for the engine, the ones held back in words). Booked ones are recorded as booked here."""
    rows = soap_rows(administration, documents, company_number) if documents else []
    if not rows:
        return documents, []
    kept, held = [], []
    for document in documents:
        stored = document.metadata.get("identity")
        soap = covering(DocumentIdentity.from_dict(stored), rows) if isinstance(stored, dict) else None
        if soap is not None and soap.state == EntryState.WAITING_AT_SOURCE:
            document.metadata["supersedes"] = {"source": soap.source, "entry": soap.pk}
            if (booked := _booked_row(administration, document)) is not None:
                settle_superseded(booked, soap_pk=soap.pk)  # REST booked it before (found in Yuki by a check, ...)
            kept.append(document)
        elif soap is None:
            kept.append(document)
        elif soap.state == EntryState.BOOKED:
            record_as_booked(administration, document, soap, run)
            kept.append(document)  # the engine finds it booked and unchanged
        else:
            held.append(_("%(title)s: the same document from Nmbrs SOAP (%(soap)s) is still being booked; it is "
                          "taken up once that is settled.") % {"title": document.title, "soap": soap.title})
    return kept, held


def record_as_booked(administration, document: SourceDocument, soap: LedgerEntry, run=None) -> LedgerEntry | None:
    """The REST document's ledger row, booked as the SOAP row was (nothing sent). None when it has a row."""
    from portal.imports.ledger import payload_of  # the one way a document becomes a row's values

    key = {"administration": administration, "source": document.source, "kind": document.kind.value,
           "source_id": document.source_id, "period": document.period.key}
    if LedgerEntry.objects.filter(**key).exists():
        return None
    payload = payload_of(document)
    payload["metadata"] = {**payload["metadata"], "booked_through": {"source": soap.source, "entry": soap.pk,
                                                                     "source_id": soap.source_id}}
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                **key, **payload, state=EntryState.BOOKED, booked_hash=document.content_hash,
                booked_journal_lines=payload["journal_lines"], yuki_reference=soap.yuki_reference,
                booked_at=soap.booked_at, last_run=run)
            LedgerEvent.objects.create(entry=entry, run=run, kind=EventKind.UNCHANGED, version=entry.version, message=_(
                "Booked before through Nmbrs SOAP (%(title)s, %(period)s): recognised by its company number, period, "
                "run and employee, not booked again.") % {"title": soap.title, "period": soap.period})
    except IntegrityError:
        return None  # recorded meanwhile by a concurrent import
    return entry


def _booked_row(administration, document: SourceDocument) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(administration=administration, source=document.source,
                                      kind=document.kind.value, source_id=document.source_id,
                                      period=document.period.key, state=EntryState.BOOKED).first()


def settle_superseded(entry: LedgerEntry, yuki_reference: str | None = None, soap_pk: int | None = None) -> bool:
    """REST's row `entry` is booked: the SOAP row it took over from "waiting at the source" (its metadata's
    `supersedes`, or `soap_pk`) is settled as booked through REST. False when there is none (or it no longer
    waits)."""
    if soap_pk is None:
        supersedes = (entry.metadata or {}).get("supersedes")
        soap_pk = supersedes.get("entry") if isinstance(supersedes, dict) else None
    if not isinstance(soap_pk, int):
        return False
    reference = (yuki_reference if yuki_reference is not None else entry.yuki_reference)[:100]
    with transaction.atomic():
        soap = LedgerEntry.objects.select_for_update().filter(
            pk=soap_pk, administration_id=entry.administration_id, source=SOAP_SOURCE,
            state=EntryState.WAITING_AT_SOURCE).defer("content", "pending_content").first()
        if soap is None:
            return False
        soap.state, soap.yuki_reference, soap.booked_at = EntryState.BOOKED, reference, entry.booked_at or timezone.now()
        soap.wait_reason = soap.source_status = ""
        soap.metadata = {**(soap.metadata or {}), "booked_through": {"source": entry.source, "entry": entry.pk,
                                                                     "source_id": entry.source_id}}
        soap.save(update_fields=["state", "yuki_reference", "booked_at", "wait_reason", "source_status", "metadata",
                                 "updated_at"])
        LedgerEvent.objects.create(entry=soap, kind=EventKind.BOOKED, version=soap.version, yuki_reference=reference,
                                   message=_("Booked through Nmbrs' REST API as %(title)s (%(period)s): the same "
                                             "document, recognised by its company number, period, run and employee; "
                                             "it no longer waits at the source.") % {
                                       "title": entry.title, "period": entry.period})
    return True
