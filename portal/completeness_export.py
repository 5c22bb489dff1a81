"""The month's completeness report (portal/completeness.py) as CSV and as a PDF the accountant files.

Both carry Dutch formats whatever the reader's language (amounts 1.234,56, dates 30-11-2026: they are filed
with a Dutch month), the portal's version and the moment of each administration's read-back. The CSV uses
";" between fields and a byte order mark, so a Dutch spreadsheet opens it in columns with its accents.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.completeness import Report, month_label
from portal.version import portal_version


def moment_text(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def read_back_text(report: Report) -> str:
    if report.read_back is None:
        return _("Not read back from Yuki")
    text = _("Read back from Yuki on %(moment)s (%(calls)s calls)") % {
        "moment": moment_text(report.read_back.read_at), "calls": report.read_back.calls}
    if report.read_back.error:
        text += f" - {report.read_back.error}"
    return text


def summary_text(report: Report) -> str:
    return _("Offered by the source: %(offered)s; booked: %(booked)s; waiting: %(waiting)s; failed: %(failed)s; "
             "differences: %(differences)s") % {
        "offered": report.offered, "booked": report.booked, "waiting": report.waiting, "failed": report.failed,
        "differences": len(report.differences)}


def header() -> list[str]:
    return [_("Administration"), _("Month"), _("Kind"), _("Document"), _("Reference"), _("Source"),
            _("Portal"), _("Yuki"), _("Difference"), _("Amount")]


def as_csv(reports: list[Report]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Portal version"), portal_version()])
    writer.writerow([_("Created"), moment_text(timezone.now())])
    for report in reports:
        writer.writerow([report.administration.name, read_back_text(report)])
    writer.writerow([])
    writer.writerow(header())
    for report in reports:
        for row in report.rows:
            writer.writerow([report.administration.name, report.period, row.kind, row.entry.title, row.reference,
                             row.source, row.ledger, row.yuki, row.difference, row.amount_text])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _latin(text: str) -> str:
    """The PDF's built-in font knows Latin-1 (every Dutch letter); anything else becomes '?'."""
    return str(text).replace("\u2192", "->").replace("\u2013", "-").encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, _latin(f"{self.footer_text} - {_('page')} {self.page_no()}"), align="C")


def as_pdf(reports: list[Report], title: str) -> bytes:
    pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
    pdf.footer_text = _("Payroll sync portal %(version)s") % {"version": portal_version()}
    pdf.set_title(_latin(title))
    pdf.set_creator(_latin(pdf.footer_text))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: float = 9, style: str = "", height: float = 4.5) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, height, _latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(title, size=14, style="B", height=7)
    line(_("Portal version: %(version)s") % {"version": portal_version()})
    line(_("Created: %(moment)s") % {"moment": moment_text(timezone.now())})
    for report in reports:
        pdf.ln(3)
        line(f"{report.administration.name} - {month_label(report.period)}", size=12, style="B", height=6)
        line(read_back_text(report))
        line(summary_text(report))
        if report.complete:
            line(_("Complete: everything the source offered for this month is in Yuki."), style="B")
        for row in report.rows:
            pdf.ln(1.5)
            amount = f" - {_('Amount')} {row.amount_text}" if row.amount_text else ""
            line(f"{row.kind}: {row.entry.title} {row.reference}{amount}", style="B")
            line(f"{_('Portal')}: {row.ledger}")
            if row.yuki:
                line(f"{_('Yuki')}: {row.yuki}")
            if row.difference:
                line(f"{_('Difference')}: {row.difference}", style="I")
        if not report.rows:
            line(_("The source offered nothing for this month."))
    return bytes(pdf.output())
