"""The month's completeness report in Chromium, against the Yuki sandbox over real HTTP: the report of the
imported month, the read-back with its cost shown first, a difference injected in Yuki's own state named,
and the CSV and PDF downloads read back (the PDF's text through pypdf)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pypdf import PdfReader

from portal.imports import booking
from portal.models import EntryState, LedgerEntry
from portal.version import portal_version
from tests.browser.steps import wait_for_text
from tests.browser.test_journey_accountant import demo, import_now  # noqa: F401 - the fixture, and a step

FINISHED = "^(Afgerond|Deels mislukt)$"


def test_the_months_report_names_a_document_deleted_in_yuki_and_exports_it(journey, vendors, demo):  # noqa: F811
    page, yuki = journey.page, vendors["yuki"].app
    run = import_now(journey, demo)
    wait_for_text(page, "run-status", FINISHED, timeout=90_000)
    payslip = LedgerEntry.objects.filter(last_run=run, kind="payslip", state=EntryState.BOOKED).first()
    journal = LedgerEntry.objects.get(last_run=run, kind="journal", state=EntryState.BOOKED)

    # The administration page leads to the report of the latest month; before the read-back nothing of Yuki.
    journey.goto(f"/administrations/{demo.pk}/")
    page.get_by_test_id("completeness-link").click()
    page.wait_for_url(f"**/administrations/{demo.pk}/completeness/")
    assert "Niet teruggelezen uit Yuki" in page.get_by_test_id("read-back-moment").inner_text()
    cost = page.get_by_test_id("read-back-cost").inner_text()
    calls = int(re.search(r"Teruglezen kost hooguit (\d+) Yuki-aanroep", cost).group(1))
    assert calls >= 3, cost

    # In Yuki (its sandbox) a payslip disappears from the archive.
    name = booking.yuki_file_name(payslip)
    assert yuki.state.delete_file(name)

    before = yuki.state.calls_on(journey_domain(demo))
    page.get_by_test_id("read-back-button").click()
    page.wait_for_url(f"**/completeness/?month={payslip.period}")
    assert "Teruggelezen uit Yuki:" in page.locator(".messages").inner_text()
    assert yuki.state.calls_on(journey_domain(demo)) - before <= calls, "no more than announced"
    report = page.get_by_test_id("completeness-report")
    row = report.locator("tr", has_text=payslip.title).first
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in row.inner_text()
    journal_row = report.locator("tr", has_text=journal.title).first
    assert booking.reference(journal) in journal_row.inner_text() and "Rekening " in journal_row.inner_text()
    assert "Teruggelezen uit Yuki op" in page.get_by_test_id("read-back-moment").inner_text()

    # CSV: the difference named in its row.
    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == ["Portaalversie", portal_version()]
    assert any(line[3:4] == [payslip.title] and line[8] == "Volgens het portaal geboekt, maar Yuki toont het niet."
               for line in table), text

    # PDF: read back with pypdf.
    with page.expect_download() as download:
        page.get_by_test_id("export-pdf").click()
    assert download.value.suggested_filename.endswith(f"{payslip.period}.pdf")
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    words = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in words
    assert f"Salariskoppelingsportaal {portal_version()}" in words
    assert re.search(r"Teruggelezen uit Yuki op \d\d-\d\d-\d{4} \d\d:\d\d", words), words[:500]

    # The domain's report lists the administration with the same difference.
    journey.goto(f"/domains/{demo.domain_id}/")
    page.get_by_test_id("completeness-link").click()
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in \
        page.get_by_test_id("completeness-report").first.inner_text()


def journey_domain(administration) -> str:
    return administration.domain.yuki_domain_id
