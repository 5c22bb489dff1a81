"""The month's completeness report in Chromium, against the Yuki sandbox over real HTTP: the report of the
imported month, the read-back with its cost shown first, a difference injected in Yuki's own state named,
the CSV and PDF downloads read back (the PDF's text through pypdf), and the domain's report read back on its
own, naming a second difference and the new moment."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from portal.imports import booking
from portal.models import CompletenessReadBack, EntryState, LedgerEntry
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
    differences = differences_read_back(page)
    assert differences >= 1
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
    domain_report = page.get_by_test_id("completeness-report").filter(has_text=demo.name)
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in domain_report.inner_text()

    # The domain's own read-back: another payslip disappears from Yuki's archive; the report still shows the
    # earlier read-back (its moment set to a known one) until "Nu teruglezen" on the domain's report asks Yuki.
    other = (LedgerEntry.objects.filter(last_run=run, kind="payslip", state=EntryState.BOOKED)
             .exclude(pk=payslip.pk).first())
    assert other is not None, "the demo month holds more than one payslip"
    assert yuki.state.delete_file(booking.yuki_file_name(other))
    CompletenessReadBack.objects.filter(administration=demo).update(
        read_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    page.reload()
    assert "Teruggelezen uit Yuki op 05-01-2026 09:00" in domain_report.get_by_test_id("read-back-moment").inner_text()
    assert "Yuki toont het niet" not in domain_report.locator("tr", has_text=other.title).first.inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Nu teruglezen").click()
    assert page.url.endswith(f"/domains/{demo.domain_id}/completeness/?month={payslip.period}"), page.url
    assert differences_read_back(page) == differences + 1, "the newly deleted payslip is counted"
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in \
        domain_report.locator("tr", has_text=other.title).first.inner_text()
    moment = domain_report.get_by_test_id("read-back-moment").inner_text()
    assert re.search(r"Teruggelezen uit Yuki op \d\d-\d\d-\d{4} \d\d:\d\d", moment) and "05-01-2026" not in moment, moment


def differences_read_back(page) -> int:
    """The number of differences the read-back's message names ("Teruggelezen uit Yuki: 4 aanroepen, 1
    verschillen.")."""
    message = page.locator(".messages").inner_text()
    found = re.search(r"Teruggelezen uit Yuki: \d+ aanroepen, (\d+) verschillen\.", message)
    assert found, message
    return int(found.group(1))


def journey_domain(administration) -> str:
    return administration.domain.yuki_domain_id
