"""The Yuki sandbox's own page in Chromium shows what it received as a Dutch bookkeeper reads it in Yuki,
and as the portal writes it: amounts 1.234,56 (before: 1234.56), dates 07-12-2026 (before: 2026-12-07),
a file's size 12.345 bytes (before: 12,345). Its texts are Dutch, like the page (lang="nl")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sandbox.yuki import data as yuki_data
from sandbox.yuki.state import AMSTERDAM, ArchivedFile, BookedJournal, JournalEntry


def test_the_yuki_sandbox_page_shows_amounts_dates_and_sizes_in_dutch(journey, vendors):
    page, yuki = journey.page, vendors["yuki"].app
    administration = yuki_data.DEMO_ADMINISTRATION_ID
    yuki.state.book_journal(BookedJournal(
        id="journal-1", administration_id=administration, subject="Journaalpost loonrun december 2026",
        journal_type="GeneralJournal", xml=b"", entries=[
            JournalEntry(entry_date=date(2026, 12, 7), gl_account="4000", amount=Decimal("1234.56"),
                         description="Brutoloon"),
            JournalEntry(entry_date=date(2026, 12, 7), gl_account="1600", amount=Decimal("-1234.56"),
                         description="Netto te betalen")]))
    yuki.state.store_file(ArchivedFile(id="file-1", administration_id=administration, file_name="loonstrook.pdf",
                                       data=b"%" * 12345, folder=4,
                                       created=datetime(2026, 12, 7, 14, 5, tzinfo=AMSTERDAM)))

    page.goto(f"{vendors['yuki'].url}/administrations/{administration}/")
    journal = page.locator(".journal").inner_text()
    assert "07-12-2026" in journal and "2026-12-07" not in journal, journal
    assert "1.234,56" in journal and "-1.234,56" in journal and "1234.56" not in journal, journal
    archive = page.locator(".archive").inner_text()
    assert "12.345 bytes" in archive and "07-12-2026 14:05" in archive, archive
    assert "nagebootst, niet de echte Yuki" in page.locator("body").inner_text()
