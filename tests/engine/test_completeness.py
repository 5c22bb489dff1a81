"""The month's completeness report, read back from the Yuki sandbox over real HTTP: what the ledger booked is
found, a difference injected in Yuki's own state is named, and the exports carry it in Dutch formats."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from portal import completeness, completeness_read_back
from portal.completeness_export import as_csv, as_pdf
from portal.imports import booking
from portal.models import CompletenessReadBack, EntryState, LedgerEntry, PortalRole
from portal.version import portal_version
from tests.engine.test_engine_nmbrs import import_now
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("noon_today")  # an import of this month, read back on one day


def yuki_reads(yuki) -> int:
    calls = yuki.app.faults.calls
    return calls.get("yuki:GLAccountTransactions", 0) + calls.get("yuki:SearchDocuments", 0)


def the_month(administration) -> str:
    return LedgerEntry.objects.filter(administration=administration, kind="journal").values_list(
        "period", flat=True).first()


@pytest.fixture
def booked(bakkerij_nmbrs, yuki):
    import_now(bakkerij_nmbrs)
    month = the_month(bakkerij_nmbrs)
    sent = LedgerEntry.objects.filter(administration=bakkerij_nmbrs, period=month, state=EntryState.BOOKED)
    assert sent.filter(kind="journal").exists() and sent.exclude(kind="journal").exists()
    return bakkerij_nmbrs, month


def test_everything_booked_is_found_in_yuki_at_the_announced_cost(booked, yuki):
    administration, month = booked
    with translation.override("nl"):
        before = completeness.report(administration, month)
        assert before.read_back is None and not before.complete
        assert before.offered == before.booked + before.waiting + before.failed
        estimate = completeness_read_back.estimate(administration, month)
        reads = yuki_reads(yuki)
        record = completeness_read_back.read_back(administration, month)
        after = completeness.report(administration, month)
    made = yuki_reads(yuki) - reads
    sent = LedgerEntry.objects.filter(administration=administration, period=month,
                                      state__in=completeness.SENT).exclude(journal_lines__isnull=False).count()
    assert made == estimate - 1 and made >= sent + 1, "one search per document, one listing per account"
    assert record.calls <= estimate and not record.error
    booked_rows = [row for row in after.rows if row.entry.state == EntryState.BOOKED]
    assert booked_rows and all(row.yuki and not row.difference for row in booked_rows), \
        [(r.entry.title, r.yuki, r.difference) for r in booked_rows]
    journal = next(row for row in booked_rows if row.entry.kind == "journal")
    assert journal.reference in journal.yuki and journal.yuki.startswith("Rekening ")


def test_a_journal_and_a_document_gone_from_yuki_are_named(booked, yuki):
    administration, month = booked
    state = yuki.app.state
    journal = LedgerEntry.objects.get(administration=administration, period=month, kind="journal")
    document = LedgerEntry.objects.filter(administration=administration, period=month, state=EntryState.BOOKED,
                                          journal_lines__isnull=True).first()
    # In Yuki: the journal's lines lose our reference (same account, date and amount), the document is deleted.
    reference = booking.reference(journal)
    for booked_journal in state.journals:
        for line in booked_journal.entries:
            object.__setattr__(line, "description", line.description.replace(reference, "").strip())
    assert state.delete_file(booking.yuki_file_name(document))

    # The read-back's moment on the exports: the next morning (the sandboxes book at the real time).
    moment = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=15, second=0, microsecond=0)
    on = moment.strftime("%d-%m-%Y")
    with time_machine.travel(moment, tick=False), translation.override("nl"):
        completeness_read_back.read_back(administration, month)
        report = completeness.report(administration, month)
        rows = {row.entry.pk: row for row in report.rows}
        assert rows[document.pk].difference == "Volgens het portaal geboekt, maar Yuki toont het niet."
        assert rows[journal.pk].difference.startswith(f"Volgens het portaal geboekt; Yuki toont geen referentie "
                                                      f"{reference}, alleen een boeking met dezelfde rekening")
        assert not report.complete
        assert {row.entry.pk for row in report.differences if row.entry.state == EntryState.BOOKED} == \
            {document.pk, journal.pk}, "nothing else that was booked differs"
        waiting = [row for row in report.rows if row.entry.state == EntryState.WAITING_AT_SOURCE]
        assert all(row.difference.startswith("Nog niet in Yuki: Wacht bij de salarisbron") for row in waiting)
        first = booking.mapped_lines(journal)[0]
        day = datetime.fromisoformat(first["entry_date"]).strftime("%d-%m-%Y")
        assert f"op {day} met " in rows[journal.pk].yuki, rows[journal.pk].yuki

        exported = as_csv([report]).decode("utf-8-sig")
        pdf = as_pdf([report], "Volledigheid")
    table = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert table[0] == ["Portaalversie", portal_version()]
    assert ["Bakkerij Jansen B.V.", f"Teruggelezen uit Yuki op {on} 09:15 (%s aanroepen)"
            % CompletenessReadBack.objects.get().calls] in table
    header = table.index(["Administratie", "Maand", "Soort", "Document", "Referentie", "Bron", "Portaal", "Yuki",
                          "Verschil", "Bedrag"])
    named = {line[3]: line[8] for line in table[header + 1:]}
    assert named[document.title] == "Volgens het portaal geboekt, maar Yuki toont het niet."
    debit = sum(Decimal(line["amount"]) for line in journal.booked_journal_lines if Decimal(line["amount"]) > 0)
    amounts = {line[3]: line[9] for line in table[header + 1:]}
    assert amounts[journal.title] == f"{debit:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}", amounts[journal.title]) and amounts[document.title] == ""
    assert debit < 1000 or "." in amounts[journal.title], "thousands grouped with a dot"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert f"Teruggelezen uit Yuki op {on} 09:15" in text
    assert f"Salariskoppelingsportaal {portal_version()}" in text
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in text


def test_the_read_back_is_refused_when_the_budget_cannot_pay_for_it(booked, yuki, client, settings):
    administration, month = booked
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    client.force_login(user)
    page = client.get(reverse("portal:completeness", args=[administration.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    cost = completeness_read_back.estimate(administration, month)
    assert f"Teruglezen kost hooguit {cost} Yuki-aanroepen" in page.content.decode()

    used = completeness_read_back.yuki_client(administration).calls_today()
    settings.YUKI_DAILY_BUDGET = used + cost - 1
    reads = yuki_reads(yuki)
    answer = client.post(reverse("portal:completeness-read-back", args=[administration.pk, month]), follow=True)
    assert "Niet teruggelezen: het kost" in answer.content.decode()
    assert yuki_reads(yuki) == reads and not CompletenessReadBack.objects.exists()

    settings.YUKI_DAILY_BUDGET = used + cost
    answer = client.post(reverse("portal:completeness-read-back", args=[administration.pk, month]), follow=True)
    assert "Teruggelezen uit Yuki:" in answer.content.decode()
    assert CompletenessReadBack.objects.get().read_by == user


def test_a_month_that_is_not_a_month_is_not_found(booked, client):
    administration, _month = booked
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    assert client.get(reverse("portal:completeness", args=[administration.pk]) + "?month=2026-13").status_code == 404
    for month in ("0000-05", "0000-12"):  # no such date: a 404, never a 500
        assert client.get(reverse("portal:completeness", args=[administration.pk]) + f"?month={month}").status_code \
            == 404
        assert client.get(reverse("portal:completeness-export",
                                  args=[administration.pk, month, "pdf"])).status_code == 404
    assert client.get(reverse("portal:completeness-export",
                              args=[administration.pk, "2026-11", "xls"])).status_code == 404


@pytest.mark.parametrize("language", ["nl", "en"])
def test_amounts_and_dates_are_written_the_dutch_way_in_either_language(language):
    from datetime import date

    with translation.override(language):
        assert completeness.amount_text(Decimal("1234.56")) == "1.234,56"
        assert completeness.amount_text(Decimal("-1234567.8")) == "-1.234.567,80"
        assert completeness.amount_text(Decimal("0")) == "0,00"
        assert completeness.day_text(date(2026, 11, 30)) == "30-11-2026"
        assert completeness.day_text("2026-02-01") == "01-02-2026"


def test_the_domains_read_back_reads_every_administration_and_names_a_deleted_journal(booked, yuki, client):
    administration, month = booked
    journal = LedgerEntry.objects.get(administration=administration, period=month, kind="journal")
    booked_journal = next(j for j in yuki.app.state.journals if j.subject == booking.journal_subject(journal))
    assert yuki.app.state.delete_journal(booked_journal.id)
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))

    page = client.get(reverse("portal:domain-completeness", args=[administration.domain_id]) + f"?month={month}")
    assert f"Teruglezen kost hooguit {completeness_read_back.estimate(administration, month)} Yuki-aanroepen" in page.content.decode()
    answer = client.post(reverse("portal:domain-completeness-read-back", args=[administration.domain_id, month]),
                         follow=True)
    assert answer.redirect_chain[-1][0].endswith(f"/domains/{administration.domain_id}/completeness/?month={month}")
    html = answer.content.decode()
    assert "Teruggelezen uit Yuki:" in html and "Bakkerij Jansen B.V." in html
    with translation.override("nl"):
        row = next(r for r in completeness.report(administration, month).rows if r.entry.pk == journal.pk)
    assert row.difference == "Volgens het portaal geboekt, maar Yuki toont het niet."
    assert row.yuki == f"Rekening {booking.mapped_lines(journal)[0]['gl_account']} toont geen {row.reference}"
    exported = client.get(reverse("portal:domain-completeness-export", args=[administration.domain_id, month, "pdf"]))
    assert exported["Content-Type"] == "application/pdf"
    assert "Volgens het portaal geboekt, maar Yuki toont het niet." in " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(exported.content)).pages).split())


def test_a_petty_cash_statement_is_not_searched_for_and_named_as_not_checkable(booked, yuki):
    """Yuki files a statement under a name of its own: searching the archive for ours would cost a call and
    report a difference that is not there."""
    from portal import petty_cash
    from portal.imports import petty_cash_sending
    from portal.imports.petty_cash_sending import Sent

    administration, month = booked
    year, number = month.split("-")
    text = (";".join(petty_cash.HEADERS) + "\r\n"
            f"10000;Kas;KOF;4000;Koffiehuis;02-{number}-{year};Koffie en thee;-12,50;;;\r\n")
    prepared, errors = petty_cash.read_text(text)
    assert not errors
    with translation.override("nl"):
        before = completeness_read_back.estimate(administration, month)
        sent = petty_cash_sending.send(administration, prepared, make_user("alice", PortalRole.ADMINISTRATOR))
        assert sent.outcome == Sent.BOOKED and sent.entry.period == month
        assert completeness_read_back.estimate(administration, month) == before, "no search for a statement"
        reads = yuki_reads(yuki)
        completeness_read_back.read_back(administration, month)
        report = completeness.report(administration, month)
    assert yuki_reads(yuki) - reads == before - 1
    [row] = [row for row in report.rows if row.entry.pk == sent.entry.pk]
    assert "Bank" in row.yuki and not row.difference, (row.yuki, row.difference)


def test_the_report_opens_for_a_domain_whose_first_administration_has_no_access_key(booked, client):
    """The budget left today is the domain's count: no Yuki client is built for it (an administration without
    a key has none to build, and the page was a 500)."""
    administration, month = booked
    administration.yuki_access_key = ""
    administration.save()
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    for url in (reverse("portal:completeness", args=[administration.pk]) + f"?month={month}",
                reverse("portal:domain-completeness", args=[administration.domain.pk]) + f"?month={month}"):
        assert client.get(url).status_code == 200, url
