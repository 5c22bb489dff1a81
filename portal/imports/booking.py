"""What a ledger entry becomes in Yuki, in one place: its folder (its kind's), file names, journal subjects.

Every name carries a short reference derived from the ledger key and version ("[ps-1a2b3c4d5e v2]"), so
a person or the reconciliation can find exactly this document in Yuki: in a file name, a journal's
subject and each of its lines' descriptions (what Yuki's listing of an account shows).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from connectors import kinds
from connectors.documents import JournalLine
from portal import account_check
from portal.models import LedgerEntry
from yuki_client import ArchiveFolder, Journal

# The folders as a person sees them in Yuki ("Personeel", "Belasting"), in the reader's language.
FOLDER_NAMES = {
    ArchiveFolder.PURCHASE: _("Purchase"), ArchiveFolder.SALES: _("Sales"), ArchiveFolder.BANK: _("Bank"),
    ArchiveFolder.PERSONNEL: _("Personnel"), ArchiveFolder.TAX: _("Tax"),
    ArchiveFolder.TO_BE_SORTED: _("To be sorted"), ArchiveFolder.OTHER_FINANCIAL: _("Other financial"),
}


def reference(entry: LedgerEntry) -> str:
    key = f"{entry.administration_id}|{entry.source}|{entry.kind}|{entry.source_id}|{entry.period}"
    short = hashlib.sha256(key.encode()).hexdigest()[:10]
    version = f" v{entry.version}" if entry.version > 1 else ""
    prefix = kinds.get(entry.kind).reference_prefix if kinds.is_registered(entry.kind) else "doc"
    return f"[{prefix}-{short}{version}]"


def folder(entry: LedgerEntry) -> ArchiveFolder:
    """The kind's archive folder (connectors/kinds.py; docs/vendors/yuki.md: payslips in the personnel folder,
    wage tax returns in the tax folder); "to be sorted" for a kind no longer registered."""
    return kinds.get(entry.kind).folder if kinds.is_registered(entry.kind) else ArchiveFolder.TO_BE_SORTED


def folder_name(folder: ArchiveFolder | int) -> str:
    """A Yuki archive folder by its name, in the language active now."""
    try:
        return str(FOLDER_NAMES[ArchiveFolder(int(folder))])
    except (KeyError, ValueError):
        return str(folder)


def yuki_file_name(entry: LedgerEntry) -> str:
    stem, dot, extension = (entry.file_name or "document.pdf").rpartition(".")
    if not dot:
        stem, extension = extension, "pdf"
    stem = re.sub(r"[\\/:*?\"<>|]+", "-", stem).strip()[:150]
    return f"{stem} {reference(entry)}.{extension}"


def journal_subject(entry: LedgerEntry) -> str:
    return f"{entry.title[:180]} {reference(entry)}"


# Yuki does not publish the length of a journal line's Description (docs/vendors/yuki.md, "Reconciling
# journals"); ours stay within this many characters, as they always have.
LINE_DESCRIPTION_MAX = 250


def line_description(entry: LedgerEntry, text: str) -> str:
    """A journal line's description: the journal's reference first, then the text. First, so that the
    reference survives if Yuki were to cut a long description short: reconciliation finds the journal
    by it in Yuki's listing of an account (portal/imports/reconcile.py)."""
    return f"{reference(entry)} {text}".strip()[:LINE_DESCRIPTION_MAX]


def _lines(entry: LedgerEntry, raw: list[dict], *, negate: bool = False, note: str = "") -> list[JournalLine]:
    lines = []
    for item in raw:
        amount = Decimal(item["amount"])
        description = item["description"]
        if note:
            description = f"{note}: {description}"
        lines.append(JournalLine(
            entry_date=date.fromisoformat(item["entry_date"]), gl_account=item["gl_account"],
            amount=-amount if negate else amount, description=line_description(entry, description),
            cost_centre=item.get("cost_centre", ""), contact_name=item.get("contact_name", ""),
            contact_code=item.get("contact_code", ""), cost_unit=item.get("cost_unit", "")))
    return lines


def mapped_lines(entry: LedgerEntry, mappings: dict | None = None) -> list[dict]:
    """The entry's journal lines on the accounts they are booked on: the administration's mapping
    (portal/account_check.py) applied. Stored as `booked_journal_lines` once booked, so a later correction
    reverses exactly the accounts that were booked, whatever the mapping has become."""
    if mappings is None:
        mappings = account_check.mappings_of(entry.administration)
    return account_check.map_lines(entry.journal_lines or [], mappings)


def sent_lines(entry: LedgerEntry) -> list[dict]:
    """The lines of the journal sent last time when its outcome is unknown; else the mapping applied now."""
    return entry.sent_journal_lines if entry.sent_journal_lines is not None else mapped_lines(entry)


def journal(entry: LedgerEntry, mappings: dict | None = None, *, lines: list[dict] | None = None) -> Journal:
    """The journal to book (`lines`: the mapped lines when the caller has them). A correction reverses what
    was booked before and books the new lines, in one journal, so Yuki's balance ends up as if only the
    corrected version had ever been booked."""
    lines = _lines(entry, lines if lines is not None else mapped_lines(entry, mappings))
    if entry.version > 1 and entry.booked_journal_lines:
        lines = _lines(entry, entry.booked_journal_lines, negate=True,
                       note=f"Tegenboeking v{entry.version - 1}") + lines
    return Journal(journal_subject(entry), lines)


def is_petty_cash(entry: LedgerEntry) -> bool:
    return kinds.is_registered(entry.kind) and kinds.get(entry.kind).target == kinds.Target.PETTY_CASH


def send_petty_cash(client, entry: LedgerEntry):
    """The PettyCash call that books the entry (portal/petty_cash.py): the whole statement in Yuki's CSV
    format (ImportStatement), or one line with or without a project. Yuki's answer: the document's ID."""
    from portal.petty_cash import Method, Prepared

    prepared = Prepared.from_json(entry.metadata)
    if prepared.method == Method.STATEMENT:
        result = client.import_statement(entry.administration.yuki_administration_id, prepared.statement())
    elif prepared.method == Method.PROJECT_LINE:
        result = client.import_single_statement_project_line(prepared.single_line(), prepared.project_code,
                                                             prepared.project_name)
    else:
        result = client.import_single_statement_line(prepared.single_line())
    return result.document_id or "-"


def is_single_petty_cash_line(entry: LedgerEntry) -> bool:
    """A line sent on its own (with or without a project): those operations take no administration ID."""
    from portal.petty_cash import Method

    return is_petty_cash(entry) and (entry.metadata or {}).get("method") in (Method.LINE, Method.PROJECT_LINE)


def petty_cash_lines(entry: LedgerEntry) -> list[dict]:
    """The statement's lines as kept in the ledger, for the document page."""
    return list((entry.metadata or {}).get("lines") or []) if is_petty_cash(entry) else []


def preview(entry: LedgerEntry) -> dict:
    if entry.journal_lines is not None:
        booked = journal(entry)
        lines = [{"date": line.entry_date.isoformat(), "gl_account": line.gl_account, "amount": str(line.amount),
                  "description": line.description} for line in booked.lines]
        return {"title": entry.title, "kind": entry.kind, "period": entry.period, "target": "journal",
                "name": journal_subject(entry), "lines": lines, "version": entry.version}
    return {"title": entry.title, "kind": entry.kind, "period": entry.period, "target": folder(entry).name.lower(),
            "folder": int(folder(entry)), "name": yuki_file_name(entry), "lines": [], "version": entry.version,
            "size": len(entry.content or b"")}
