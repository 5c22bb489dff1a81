"""The import engine: fetch from the payroll source, record in the ledger, book in Yuki, report.

sources.py    fetch a plan's documents from the administration's payroll source (SourceDocuments)
ledger.py     record each document once, compared by meaning with what was booked
leases.py     claim a ledger entry for its push, settle it after, expire a lease whose worker vanished
waiting.py    documents the source shows but that are not bookable yet
booking.py    what a ledger entry becomes in Yuki (journal, archive upload, petty cash), in one place
pushing.py    one push: claim, call Yuki, settle; the error policy
runs.py       a run's life: create, start, fetch and record, dispatch pushes
finishing.py  a run's end: finished once nothing is left to settle, totals, status, notices
summaries.py  a run in counts and words
dry_run.py    a dry run's preview
in_process.py a whole run in this process (import_now), without workers
reconcile.py  resolve interrupted or ambiguous pushes, never by a blind retry
"""
