"""A tiny, valid PDF writer: text pages in Helvetica, correct cross-reference table.

The sandbox serves payslips and annual documents as real, openable PDFs (small, generated in
code) so that the portal's upload to Yuki and any viewer handle them like the vendor's. Like a real
PDF writer, each rendering stamps its own creation time and file /ID (sandbox/stamps.py).
"""

from __future__ import annotations

from sandbox import stamps

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN, LEADING, FONT_SIZE = 56, 16, 11


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")  # WinAnsiEncoding, so "é" and "€" render
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _page_stream(lines: list[str]) -> bytes:
    out = [b"BT", f"/F1 {FONT_SIZE} Tf".encode(), f"{LEADING} TL".encode(),
           f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode()]
    for i, line in enumerate(lines):
        if i == 0:
            out.append(b"/F1 14 Tf (" + _escape(line) + b") Tj " + f"/F1 {FONT_SIZE} Tf".encode())
        else:
            out.append(b"T* (" + _escape(line) + b") Tj")
    out.append(b"ET")
    return b"\n".join(out)


def render_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """One page per list of lines; the first line of each page is its heading."""
    if not pages:
        pages = [[title or " "]]
    font_id, pages_id, info_id = 3, 2, 4
    first_page_id = 5
    kids = []
    page_objects = []
    for n, lines in enumerate(pages):
        page_id = first_page_id + 2 * n
        content_id = page_id + 1
        kids.append(f"{page_id} 0 R")
        stream = _page_stream(lines)
        page_objects.append((page_id, (
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>").encode()))
        page_objects.append((content_id, b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n"
                             + stream + b"\nendstream"))
    objects = [
        (1, f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()),
        (pages_id, f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()),
        (font_id, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        (info_id, b"<< /Title (" + _escape(title) + b") /Producer (Nmbrs sandbox)" + stamps.pdf_info_dates() + b" >>"),
        *page_objects,
    ]
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for obj_id, content in sorted(objects):
        offsets[obj_id] = len(body)
        body += f"{obj_id} 0 obj\n".encode() + content + b"\nendobj\n"
    xref_at = len(body)
    count = len(objects) + 1
    body += f"xref\n0 {count}\n".encode() + b"0000000000 65535 f \n"
    for obj_id in range(1, count):
        body += f"{offsets[obj_id]:010d} 00000 n \n".encode()
    body += (f"trailer\n<< /Size {count} /Root 1 0 R /Info {info_id} 0 R".encode() + stamps.pdf_trailer_id()
             + f" >>\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return bytes(body)
