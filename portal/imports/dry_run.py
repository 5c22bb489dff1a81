"""A dry run: what an import would book, shown without touching the ledger or Yuki."""

from __future__ import annotations

from portal.imports import booking, ledger
from portal.imports.finishing import finish
from portal.imports.summaries import dry_run_summary
from portal.models import EntryState, ImportRun, LedgerEntry, RunStatus


def preview(run: ImportRun, documents) -> None:
    """Show what would be booked, without touching the ledger or Yuki."""
    preview, unchanged = [], 0
    for document in documents:
        existing = LedgerEntry.objects.filter(
            administration=run.administration, source=document.source, kind=str(document.kind),
            source_id=document.source_id, period=document.period.key).first()
        if existing and existing.state == EntryState.BOOKED and (
                existing.content_hash == document.content_hash or existing.fingerprint_outdated
                or not ledger.comparable(existing.fingerprint, document.fingerprint.facts)):
            # The same, the baseline of an outdated fingerprint, or a change a person is shown: none is booked.
            unchanged += 1
            continue
        if existing and existing.state in (EntryState.PUSHING, EntryState.NEEDS_CHECK):
            continue  # being booked or checked right now: not something this import would send
        candidate = LedgerEntry(administration=run.administration, source=document.source,
                                kind=str(document.kind), source_id=document.source_id, period=document.period.key,
                                **ledger.payload_of(document))
        if existing and existing.state == EntryState.BOOKED:
            candidate.version = existing.version + 1
            candidate.booked_journal_lines = existing.booked_journal_lines
        preview.append(booking.preview(candidate))
    ImportRun.objects.filter(pk=run.pk).update(fetched=len(documents), unchanged=unchanged, dry_run_preview=preview)
    run.refresh_from_db()
    finish(run, RunStatus.PARTLY_FAILED if run.problems else RunStatus.SUCCEEDED, dry_run_summary(run))
