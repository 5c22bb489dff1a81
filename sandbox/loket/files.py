"""Small but real files: one-page PDFs written by hand (valid xref, openable) and a loonaangifte XML.

Each is generated anew on every request, stamped with its creation time and ids (sandbox/stamps.py).
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from sandbox import stamps


def _pdf_text(text: str) -> str:
    raw = text.encode("latin-1", "replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a bold title and lines of Helvetica text."""
    stream_lines = ["BT", "/F2 14 Tf", "50 790 Td", f"({_pdf_text(title)}) Tj", "/F1 10 Tf", "0 -28 Td"]
    for line in lines[:60]:
        stream_lines += [f"({_pdf_text(line)}) Tj", "0 -14 Td"]
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _pdf_text(title).encode("latin-1") + b") /Producer (payrollsync Loket sandbox)"
        + stamps.pdf_info_dates() + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), stamps.pdf_trailer_id(), xref_at)
    return bytes(out)


def euro(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"EUR {sign}{whole:,}.{rest:02d}".replace(",", "X").replace(".", ",").replace("X", ".")


def tax_return_message(*, wage_tax_number: str, employer_name: str, start: date, end: date,
                       wage_tax_cents: int, message_reference: str, created: str, revision: int) -> bytes:
    """A loonaangiftebericht shaped like the Belastingdienst's (header, period, collective totals)."""
    total = f"{wage_tax_cents // 100}"  # whole euros, as the Belastingdienst's totals are
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Loonaangifte xmlns="http://xml.belastingdienst.nl/schemas/Loonaangifte/{start.year}/01" version="1.0">
  <AdministratieveEenheid>
    <LhNr>{escape(wage_tax_number)}</LhNr>
    <NmIP>{escape(employer_name)}</NmIP>
    <TijdvakAangifte>
      <DatAanvTv>{start.isoformat()}</DatAanvTv>
      <DatEindTv>{end.isoformat()}</DatEindTv>
    </TijdvakAangifte>
    <CollectieveAangifte>
      <TotTeBet>{total}</TotTeBet>
    </CollectieveAangifte>
  </AdministratieveEenheid>
  <Bericht>
    <IdBer>{escape(message_reference)}</IdBer>
    <DatTdAanmk>{escape(created)}</DatTdAanmk>
    <Versie>{revision}</Versie>
  </Bericht>
</Loonaangifte>
"""
    return xml.encode("utf-8")
