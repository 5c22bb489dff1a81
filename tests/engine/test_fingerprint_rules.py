"""The ledger's rules around fingerprints of meaning (portal/imports/ledger.py, connectors/fingerprints.py):

- a document whose fingerprint cannot be made is booked once; a later change is shown, never re-booked;
- an entry booked before fingerprints (migration 0024) takes its next fetch as the baseline, books nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from connectors import fingerprints, kinds
from connectors.documents import DocumentKind, Period, SourceDocument
from portal.imports import ledger
from portal.imports.ledger import Change
from portal.models import Domain, EntryState, LedgerEntry
from sandbox.nmbrs import data, payroll
from sandbox.nmbrs.files import sepa_xml
from sandbox.nmbrs.pdf import render_pdf
from tests.vendor_state import make_administration

PERIOD = Period.month(2026, 11)


@pytest.fixture
def administration(db):
    domain = Domain.objects.create(name="Jansen Groep", yuki_domain_id="domain-1", payroll_link_active=True)
    return make_administration(domain=domain, name="Bakkerij Jansen B.V.", source="nmbrs",
                                         yuki_administration_id="administration-1", yuki_access_key="key",
                                         nmbrs_company_id=50001, nmbrs_company_number="101")


def payslip(content: bytes) -> SourceDocument:
    return SourceDocument(source="nmbrs", kind=DocumentKind.PAYSLIP, source_id="nmbrs:payslips:1", period=PERIOD,
                          title="Loonstroken november 2026", file_name="loonstroken.pdf", content=content)


def pdf(gross: str) -> bytes:  # generated anew each call: new /CreationDate and /ID
    return render_pdf([["Loonstrook Bakkerij Jansen", f"Brutoloon: EUR {gross}"]], title="Loonstroken")


def book(entry: LedgerEntry) -> None:
    """As a push settles it (pushing.py): booked, the file no longer kept."""
    LedgerEntry.objects.filter(pk=entry.pk).update(state=EntryState.BOOKED, booked_hash=entry.content_hash,
                                                   content=None)


def test_regenerated_bytes_of_the_same_pdf_are_unchanged(administration):
    first = ledger.record(administration, payslip(pdf("3100.00")), None)
    book(first.entry)
    again = payslip(pdf("3100.00"))
    assert again.content != first.entry.content, "the PDF was generated anew"
    assert ledger.record(administration, again, None).change == Change.UNCHANGED


def test_an_unreadable_file_is_booked_once_and_a_later_change_is_shown_not_booked(administration):
    first = ledger.record(administration, payslip(b"%PDF-1.4 broken beyond repair"), None)
    assert first.change == Change.NEW and first.entry.fingerprint["scheme"] == fingerprints.BYTES
    book(first.entry)
    changes = [ledger.record(administration, payslip(garbage), None).change
               for garbage in (b"%PDF-1.4 broken, generated again", b"%PDF-1.4 broken, and once more")]
    assert changes == [Change.UNREADABLE_CHANGE, Change.UNCHANGED], "shown once, booked never"
    entry = LedgerEntry.objects.get(pk=first.entry.pk)
    assert (entry.version, entry.state) == (1, EntryState.BOOKED), "not booked again"
    assert entry.unreadable_change_at is not None
    notes = [e.message for e in entry.events.all() if "niet opnieuw geboekt" in e.message]
    assert len(notes) == 1, "said once, not at every fetch"
    assert "vergelijk het in de salarisbron en in Yuki" in notes[0]


def test_a_readable_version_after_an_unreadable_one_becomes_the_baseline(administration):
    first = ledger.record(administration, payslip(b"%PDF-1.4 broken"), None)
    book(first.entry)
    assert ledger.record(administration, payslip(pdf("3100.00")), None).change == Change.UNREADABLE_CHANGE
    entry = LedgerEntry.objects.get(pk=first.entry.pk)
    assert entry.fingerprint["scheme"] == "pdf-text" and entry.unreadable_change_at is not None
    assert ledger.record(administration, payslip(pdf("3100.00")), None).change == Change.UNCHANGED
    corrected = ledger.record(administration, payslip(pdf("3150.00")), None)
    assert corrected.change == Change.CORRECTION and corrected.entry.version == 2
    assert corrected.entry.changes == [{"item": "Brutoloon:", "field": "text", "before": "EUR 3100.00",
                                        "after": "EUR 3150.00"}]
    assert corrected.entry.unreadable_change_at is None, "a booked correction settles the question"


def test_a_readable_document_that_becomes_unreadable_keeps_its_baseline(administration):
    first = ledger.record(administration, payslip(pdf("3100.00")), None)
    book(first.entry)
    assert ledger.record(administration, payslip(b"not a pdf"), None).change == Change.UNREADABLE_CHANGE
    entry = LedgerEntry.objects.get(pk=first.entry.pk)
    assert entry.content_hash == first.entry.content_hash and entry.unreadable_change_at is not None
    assert ledger.record(administration, payslip(pdf("3100.00")), None).change == Change.UNCHANGED


def test_a_booked_entry_from_before_fingerprints_adopts_the_next_fetch_without_booking(administration):
    entry = LedgerEntry.objects.create(
        administration=administration, source="nmbrs", kind="payslip", source_id="nmbrs:payslips:1",
        period=PERIOD.key, title="Loonstroken", file_name="loonstroken.pdf", content_hash="b" * 64,
        booked_hash="b" * 64, state=EntryState.BOOKED, fingerprint_outdated=True)
    assert ledger.record_all(administration, [payslip(pdf("3100.00"))], None)[0].change == Change.UNCHANGED
    entry.refresh_from_db()
    assert (entry.version, entry.fingerprint_outdated, entry.fingerprint["scheme"]) == (1, False, "pdf-text")
    assert entry.booked_hash == entry.content_hash
    assert ledger.record(administration, payslip(pdf("3100.00")), None).change == Change.UNCHANGED
    assert ledger.record(administration, payslip(pdf("3110.00")), None).change == Change.CORRECTION


def test_a_sepa_file_is_compared_by_its_payments_not_its_header():
    company = data.COMPANIES[0]
    run = payroll.runs(company, 2026, date(2026, 11, 18), company.id)[-1]
    lines = payroll.pay_lines(company, run, {})
    one = sepa_xml(company, run, date(2026, 11, 25), lines, datetime(2026, 11, 18, 10))
    two = sepa_xml(company, run, date(2026, 11, 25), lines, datetime(2026, 11, 19, 11))
    assert one != two
    assert kinds.file_fingerprint("sepa", one).digest == kinds.file_fingerprint("sepa", two).digest
    later = sepa_xml(company, run, date(2026, 11, 26), lines, datetime(2026, 11, 19, 11))
    more = sepa_xml(company, run, date(2026, 11, 25), payroll.pay_lines(company, run, {1: Decimal("10.00")}),
                    datetime(2026, 11, 19, 11))
    assert {d.field for d in fingerprints.differences(kinds.file_fingerprint("sepa", one).facts,
                                                      kinds.file_fingerprint("sepa", later).facts)} == {"execution_date"}
    [paid] = fingerprints.differences(kinds.file_fingerprint("sepa", one).facts, kinds.file_fingerprint("sepa", more).facts)
    assert paid.field == "amount" and Decimal(paid.after) - Decimal(paid.before) == Decimal("7.00")
    assert kinds.file_fingerprint("sepa", b"<Document/>").facts["scheme"] == fingerprints.BYTES


BEFORE = [("portal", "0023_login_failures")]
AFTER = [("portal", "0024_fingerprints_of_meaning")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_fingerprints_kept_files_and_marks_booked_ones_without_booking_anything():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Domain_, Administration_ = apps.get_model("portal", "Domain"), apps.get_model("portal", "Administration")
    Entry = apps.get_model("portal", "LedgerEntry")
    domain = Domain_.objects.create(name="Jansen Groep", yuki_domain_id="domain-1")
    administration = Administration_.objects.create(domain=domain, name="Bakkerij", yuki_administration_id="adm-1",
                                                    yuki_access_key="", source="nmbrs")
    kept = pdf("3100.00")
    common = {"administration": administration, "source": "nmbrs", "period": PERIOD.key, "title": "t"}
    booked = Entry.objects.create(**common, kind="payslip", source_id="booked", file_name="a.pdf",
                                  content_hash="c" * 64, booked_hash="c" * 64, state="booked")
    waiting = Entry.objects.create(**common, kind="payslip", source_id="new", file_name="b.pdf", content=kept,
                                   content_hash=hashlib.sha256(kept).hexdigest(), state="new", version=2,
                                   booked_hash="d" * 64)
    journal_lines = [{"entry_date": "2026-11-30", "gl_account": "4000", "amount": "10.00", "description": "x",
                      "cost_centre": "", "contact_name": "", "contact_code": ""}]
    journal = Entry.objects.create(**common, kind="journal", source_id="journal", journal_lines=journal_lines,
                                   content_hash=fingerprints.of_journal(journal_lines).digest, state="booked")
    at_source = Entry.objects.create(**common, kind="wage_tax_return", source_id="waits", content_hash="",
                                     state="waiting_at_source")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Entry = executor.loader.project_state(AFTER).apps.get_model("portal", "LedgerEntry")
    by_id = {e.source_id: e for e in Entry.objects.all()}
    assert by_id["booked"].fingerprint_outdated and by_id["booked"].content_hash == "c" * 64
    assert by_id["new"].content_hash == kinds.file_fingerprint("payslip", kept).digest != waiting.content_hash
    assert by_id["new"].fingerprint["scheme"] == "pdf-text" and not by_id["new"].fingerprint_outdated
    assert by_id["new"].booked_hash == "d" * 64, "the booked version's hash is not this file's"
    assert by_id["journal"].content_hash == journal.content_hash and not by_id["journal"].fingerprint_outdated
    assert by_id["waits"].content_hash == "" and not by_id["waits"].fingerprint_outdated
    assert {(e.version, e.state) for e in Entry.objects.all()} == {
        (1, "booked"), (2, "new"), (1, "waiting_at_source")}, "nothing booked, nothing new to book"
    assert booked.pk and at_source.pk
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def nmbrs_journal(amount: str) -> SourceDocument:
    from connectors.documents import JournalLine

    day = date(2026, 11, 25)
    return SourceDocument(source="nmbrs", kind=DocumentKind.JOURNAL, source_id="nmbrs:company:50001:run:1:journal",
                          period=PERIOD, title="Salarisjournaal november 2026", journal_lines=(
                              JournalLine(day, "4000", Decimal(amount), "Brutoloon"),
                              JournalLine(day, "1600", -Decimal(amount), "Te betalen nettoloon")))


def test_a_journal_booked_before_fingerprints_is_still_corrected_when_its_lines_change(administration):
    """The upgrade stores no fingerprint for a journal (its hash always was its lines): a changed journal
    after the upgrade is a correction to book, not an 'unreadable change' that silently keeps v1 in Yuki."""
    first = ledger.record(administration, nmbrs_journal("3100.00"), None)
    book(first.entry)
    LedgerEntry.objects.filter(pk=first.entry.pk).update(fingerprint=None)  # as migration 0024 leaves it
    assert ledger.record(administration, nmbrs_journal("3100.00"), None).change == Change.UNCHANGED
    corrected = ledger.record(administration, nmbrs_journal("3150.00"), None)
    assert corrected.change == Change.CORRECTION
    assert corrected.entry.version == 2 and corrected.entry.state == EntryState.NEW


@pytest.mark.parametrize("error", [NotImplementedError("unsupported filter /JBIG2Decode"), RecursionError("deep")])
def test_a_pdf_the_reader_cannot_handle_falls_back_to_its_bytes_and_fails_no_fetch(monkeypatch, error):
    """pypdf raises NotImplementedError for a filter or an encryption it lacks: the one document is compared
    by its bytes (booked once, a change shown to a person); the other documents of the run are fetched."""
    import pypdf

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(pypdf, "PdfReader", broken)
    document = payslip(pdf("3100.00"))
    assert document.fingerprint.facts["scheme"] == fingerprints.BYTES
    assert type(error).__name__ in document.fingerprint.facts["reason"]
