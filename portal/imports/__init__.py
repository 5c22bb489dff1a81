"""The import engine: fetch from the payroll source, record in the ledger, book in Yuki, report.

sources.py  fetch a plan's documents from the administration's payroll source (SourceDocuments)
ledger.py   record each document once; claim, lease and settle its booking
booking.py  what a ledger entry becomes in Yuki (journal or archive upload), in one place
pushing.py  one push: claim, call Yuki, settle; the error policy
runs.py     a run's life: start, fetch and record, dispatch pushes, finish with totals in words
reconcile.py  resolve interrupted or ambiguous pushes, never by a blind retry
"""
