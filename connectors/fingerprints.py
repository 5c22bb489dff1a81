"""What a document says, as one digest: how the ledger tells an unchanged document from a corrected one.

Vendors generate files anew on each request (docs/vendors/generated-files.md): a PDF writer stamps a
new /CreationDate, /ModDate and /ID, a pain.001 file a new MsgId and CreDtTm, a wage tax message a
new message id and creation time. Comparing bytes would call every fetch a correction and book every
document again. So each kind has its own fingerprint of meaning (its `facts` in connectors/kinds.py):

- payslip, annual document: the PDF's text, page by page, and its page count (pypdf), not its metadata;
- SEPA file (pain.001): its payment instructions (execution date, debtor IBAN and, per transfer, the
  end-to-end id, creditor name, creditor IBAN and amount), not its group header;
- wage tax return: a PDF by its text; a loonaangifte XML by its declared values (every value under
  AdministratieveEenheid), not its Bericht (message id, creation time);
- journal: its lines, exactly as the ledger always hashed them.

A fingerprint keeps the facts it was computed from (`facts`), so a correction can be shown as what
changed ("Brutoloon: EUR 3100.00 -> EUR 3110.00"). When the facts cannot be read (a broken PDF, XML
that is no pain.001), the digest falls back to the bytes and `readable` is false: the ledger then never
books a changed version on its own (portal/imports/ledger.py), a person is shown the change instead.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

logger = logging.getLogger(__name__)

BYTES = "bytes"  # the scheme of a fingerprint that could not read the document
JOURNAL_LINES = "journal-lines"  # the scheme of a journal's fingerprint: its lines
MAX_DIFFERENCES = 30  # a correction shows at most this many differences


class Unreadable(ValueError):
    """The document's facts cannot be read: the reason, in English, for the log and the history."""


@dataclass(frozen=True)
class Fingerprint:
    digest: str  # sha256 hex of the facts (or of the bytes, when unreadable)
    facts: dict  # what the digest was computed from, with its "scheme"; {"scheme": "bytes", "reason": ...}


def _digest(facts: dict) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- PDF ------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def pdf_facts(content: bytes) -> dict:
    """The text of each page, one entry per non-empty line with its spaces collapsed, and the page count."""
    if not content.lstrip()[:5] == b"%PDF-":
        raise Unreadable("not a PDF file")
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        pages = [[_SPACES.sub(" ", line).strip() for line in (page.extract_text() or "").splitlines()]
                 for page in reader.pages]
    except Exception as exc:  # noqa: BLE001 - whatever a damaged or exotic PDF raises (pypdf raises
        # NotImplementedError for a filter or an encryption it lacks, RecursionError for a deep tree): the
        # document falls back to its bytes, never fails the fetch of every other document in the run.
        raise Unreadable(f"the PDF cannot be read: {type(exc).__name__}: {exc}") from exc
    pages = [[line for line in page if line] for page in pages]
    if not pages or not any(pages):
        raise Unreadable("the PDF has no text")  # a scan: nothing to compare by meaning
    return {"scheme": "pdf-text", "pages": len(pages), "text": pages}


# --- XML: pain.001 and loonaangifte ---------------------------------------------------------------

def _parse_xml(content: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"the XML cannot be read: {exc}") from exc


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element, *path: str):
    for name in path:
        element = next((c for c in element if _local(c) == name), None)
        if element is None:
            return None
    return element


def _text(element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _amount(text: str) -> str:
    try:
        return str(Decimal(text).quantize(Decimal("0.01")))
    except InvalidOperation as exc:
        raise Unreadable(f"amount {text!r} is no number") from exc


def sepa_facts(content: bytes) -> dict:
    """The payment instructions of a pain.001 credit transfer: what leaves which account for whom, when."""
    root = _parse_xml(content)
    initiation = _child(root, "CstmrCdtTrfInitn")
    if _local(root) != "Document" or initiation is None:
        raise Unreadable("not a pain.001 credit transfer (no Document/CstmrCdtTrfInitn)")
    payments = []
    for block in (c for c in initiation if _local(c) == "PmtInf"):
        execution_date, debtor_iban = _text(block, "ReqdExctnDt"), _text(block, "DbtrAcct", "Id", "IBAN")
        for transfer in (c for c in block if _local(c) == "CdtTrfTxInf"):
            amount = _child(transfer, "Amt", "InstdAmt")
            if amount is None:
                raise Unreadable("a transfer without an instructed amount")
            payments.append({
                "end_to_end_id": _text(transfer, "PmtId", "EndToEndId"),
                "creditor": _text(transfer, "Cdtr", "Nm"),
                "iban": _text(transfer, "CdtrAcct", "Id", "IBAN").replace(" ", "").upper(),
                "amount": _amount((amount.text or "").strip()),
                "currency": amount.get("Ccy", ""),
                "execution_date": execution_date,
                "debtor_iban": debtor_iban.replace(" ", "").upper(),
            })
    if not payments:
        raise Unreadable("a pain.001 file without transfers")
    payments.sort(key=lambda p: (p["end_to_end_id"], p["iban"], p["amount"], p["creditor"]))
    return {"scheme": "sepa-payments", "payments": payments}


def loonaangifte_facts(content: bytes) -> dict:
    """The declared values of a loonaangifte message: every value under AdministratieveEenheid, by its
    path (the employer, the period, the totals, per employee lines), leaving out the Bericht header."""
    root = _parse_xml(content)
    unit = _child(root, "AdministratieveEenheid")
    if _local(root) != "Loonaangifte" or unit is None:
        raise Unreadable("not a loonaangifte message (no Loonaangifte/AdministratieveEenheid)")
    values = []

    def walk(element, path: str):
        children = [c for c in element if _local(c)]
        if not children:
            values.append([path, (element.text or "").strip()])
        for child in children:
            walk(child, f"{path}/{_local(child)}" if path else _local(child))

    walk(unit, "")
    return {"scheme": "loonaangifte-values", "values": values}


def wage_tax_return_facts(content: bytes) -> dict:
    """A wage tax return comes as a PDF report or as a loonaangifte XML message (docs/vendors/generated-files.md)."""
    if content.lstrip()[:5] == b"%PDF-":
        return pdf_facts(content)
    return loonaangifte_facts(content)


# --- a file's fingerprint -------------------------------------------------------------------------

FileFacts = Callable[[bytes], dict]


def of_file(facts_of: FileFacts | None, content: bytes, *, what: str = "file") -> Fingerprint:
    """A file by what `facts_of` reads in it (a kind's `facts`: connectors.kinds.file_fingerprint), or by its
    bytes when it cannot be read or its kind has no fingerprint of meaning. `what` names it in the log."""
    try:
        if facts_of is None:
            raise Unreadable(f"no fingerprint of meaning for {what}")
        facts = facts_of(content)
    except Unreadable as exc:
        logger.info("fingerprint of a %s falls back to its bytes: %s", what, exc)
        return Fingerprint(hashlib.sha256(content).hexdigest(), {"scheme": BYTES, "reason": str(exc)})
    return Fingerprint(_digest(facts), facts)


def of_journal(lines: list[dict]) -> Fingerprint:
    """A journal by its lines (JournalLine.as_dict()), hashed as the ledger always has, so journal entries
    recorded before fingerprints keep theirs."""
    payload = json.dumps(lines, sort_keys=True)
    return Fingerprint(hashlib.sha256(payload.encode()).hexdigest(), {"scheme": JOURNAL_LINES})


# --- what changed ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """One thing a correction changed. `field` names a fact ("amount", "text", a loonaangifte path);
    `item` says which transfer or line it belongs to (the document's own words); both may be empty."""

    item: str
    field: str
    before: str
    after: str

    def as_dict(self) -> dict:
        return {"item": self.item, "field": self.field, "before": self.before, "after": self.after}


def differences(before: dict | None, after: dict | None) -> list[Difference]:
    """What changed between two fingerprints' facts of the same scheme (empty if unknown or the same)."""
    if not before or not after or before.get("scheme") != after.get("scheme"):
        return []
    compare = {"pdf-text": _pdf_differences, "sepa-payments": _sepa_differences,
               "loonaangifte-values": _value_differences}.get(before["scheme"])
    return compare(before, after)[:MAX_DIFFERENCES] if compare else []


def _common_label(old: str, new: str) -> tuple[str, str, str]:
    """'Brutoloon: EUR 3100.00' and 'Brutoloon: EUR 3110.00' -> ('Brutoloon:', 'EUR 3100.00', 'EUR 3110.00'):
    the words both lines start with are the label (up to the first word that differs)."""
    old_words, new_words = old.split(" "), new.split(" ")
    same = 0
    while same < min(len(old_words), len(new_words)) - 1 and old_words[same] == new_words[same]:
        same += 1
    if same and not any(ch.isalpha() for ch in " ".join(old_words[:same])):
        same = 0  # a label is words, not an amount both lines happen to start with
    colon = max((i + 1 for i in range(same) if old_words[i].endswith(":")), default=0)
    same = colon or same  # 'Brutoloon: EUR 3100.00': the label is 'Brutoloon:', the values keep their 'EUR'
    return " ".join(old_words[:same]), " ".join(old_words[same:]), " ".join(new_words[same:])


def _pdf_differences(before: dict, after: dict) -> list[Difference]:
    out = []
    if before.get("pages") != after.get("pages"):
        out.append(Difference("", "pages", str(before.get("pages")), str(after.get("pages"))))
    old = [line for page in before.get("text", []) for line in page]
    new = [line for page in after.get("text", []) for line in page]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        for k in range(max(len(removed), len(added))):
            was, now = (removed[k] if k < len(removed) else ""), (added[k] if k < len(added) else "")
            label, was_part, now_part = _common_label(was, now) if was and now else ("", was, now)
            out.append(Difference(label, "text", was_part, now_part))
    return out


def _sepa_differences(before: dict, after: dict) -> list[Difference]:
    def keyed(facts):
        return {(p["end_to_end_id"] or f"{p['creditor']} {p['iban']}"): p for p in facts.get("payments", [])}

    old, new = keyed(before), keyed(after)
    out = []
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        item = f"{(now or was)['creditor']} ({key})"
        if was is None or now is None:
            out.append(Difference(item, "amount", was["amount"] if was else "", now["amount"] if now else ""))
            continue
        out += [Difference(item, name, was[name], now[name]) for name in
                ("amount", "currency", "creditor", "iban", "execution_date", "debtor_iban") if was[name] != now[name]]
    return out


def _value_differences(before: dict, after: dict) -> list[Difference]:
    def counted(values):  # a path may repeat (one line per employee): number the repeats
        seen, out = {}, {}
        for path, value in values:
            seen[path] = seen.get(path, 0) + 1
            out[path if seen[path] == 1 else f"{path}[{seen[path]}]"] = value
        return out

    old, new = counted(before.get("values", [])), counted(after.get("values", []))
    return [Difference("", path, old.get(path, ""), new.get(path, ""))
            for path in list(dict.fromkeys([*old, *new])) if old.get(path) != new.get(path)]
