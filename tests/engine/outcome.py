"""What an import left behind, as the engine's tests judge it: the Yuki sandbox's own record and the ledger."""

from __future__ import annotations


def booked_in_yuki(yuki) -> list[str]:
    """What the Yuki sandbox holds: journal subjects and archive file names."""
    state = yuki.app.state
    return sorted([j.subject for j in state.journals] + [f.file_name for f in state.archive])


def fetched_entries(**filters):
    """The ledger's fetched documents, without those waiting at the source (the sandboxes' current
    wage tax returns are not final yet; tests/engine/test_waiting_at_source.py covers those)."""
    from portal.models import EntryState, LedgerEntry

    return LedgerEntry.objects.filter(**filters).exclude(state=EntryState.WAITING_AT_SOURCE)
