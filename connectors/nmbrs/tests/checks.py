"""Independent checks of what the sandbox serves: a PDF's structure, a SEPA file's sums and IBANs."""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

PAIN = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def assert_valid_pdf(content: bytes) -> int:
    """Header, trailer, and every xref offset pointing at its object: what a viewer needs to open it.
    Returns the page count."""
    assert content.startswith(b"%PDF-1."), content[:10]
    assert content.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", content).group(1))
    assert content[startxref:startxref + 4] == b"xref"
    header = re.match(rb"xref\s+0 (\d+)\s+", content[startxref:])
    count = int(header.group(1))
    entries = content[startxref + header.end():].split(b"\n")[:count]
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry[:10])
        assert content[offset:].startswith(f"{number} 0 obj".encode()), (number, offset)
    pages = re.search(rb"/Type /Pages /Kids \[[^\]]*\] /Count (\d+)", content)
    return int(pages.group(1))


def iban_is_valid(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def sepa_summary(content: bytes) -> dict:
    root = etree.fromstring(content)
    amounts = [Decimal(a) for a in root.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=PAIN)]
    return {
        "control_sum": Decimal(root.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=PAIN)),
        "count": int(root.xpath("string(//p:GrpHdr/p:NbOfTxs)", namespaces=PAIN)),
        "amounts": amounts,
        "execution_date": root.xpath("string(//p:PmtInf/p:ReqdExctnDt)", namespaces=PAIN),
        "purpose": root.xpath("string(//p:PmtTpInf/p:CtgyPurp/p:Cd)", namespaces=PAIN),
        "ibans": root.xpath("//p:IBAN/text()", namespaces=PAIN),
    }
