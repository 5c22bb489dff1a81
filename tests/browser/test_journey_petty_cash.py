"""Petty cash ("Kas") in Chromium against the Yuki sandbox over real HTTP, as a domain's backoffice user:
a file in Yuki's CSV format with one bad row is refused row by row with the column named; corrected, it is
previewed and sent; the sandbox's own page shows the statement; sending it again books nothing and says so;
a next file that repeats a booked line names it and sends only when the person confirms;
a line with a project is refused while the access key reaches more administrations than this one (a single
line names none). The sandbox's record judges what was booked."""

from __future__ import annotations

import re

import pytest

from portal.models import Administration, Domain, EntryState, LedgerEntry
from sandbox.yuki import data as yuki_data
from tests.browser.steps import refused_page
from tests.people import make_user

HEADER = ("Ledger account Petty Cash;Petty cash description;Transaction code;Suspense account;"
          "Name suspense account;Date transaction;Description;Amount;Balance petty cash;Project code;Project name")
GOOD_ROWS = ["10000;Kas;KOF;4000;Koffiehuis De Molen;02-11-2026;Koffie en thee voor de vergadering;-12,50;;;",
             "10000;Kas;VERK;;;03-11-2026;Contante verkoop broodjes;40,00;;;",
             "10000;Kas;;4500;;04-11-2026;Parkeren;-7,20;;;"]


@pytest.fixture
def korenschoof(db):
    domain = Domain.objects.create(name="Bakkerij De Korenschoof", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                   payroll_link_active=True)
    other = Domain.objects.create(name="Jansen Groep", yuki_domain_id="00000000-0000-4000-8000-000000000099")
    Administration.objects.create(domain=other, name="Jansen B.V.", source="loket", relation_code="40999",
                                  yuki_administration_id="00000000-0000-4000-8000-0000000000a9",
                                  yuki_access_key="other-key")
    return Administration.objects.create(
        domain=domain, name="Bakkerij De Korenschoof B.V.", source="loket", relation_code="40123",
        yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID, yuki_access_key=yuki_data.DEMO_ACCESS_KEY)


def upload(page, path) -> None:
    form = page.get_by_test_id("petty-cash-upload")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_role("button", name="Controleren en voorbeeld tonen").click()
    page.wait_for_load_state("networkidle")


def test_a_petty_cash_statement_refused_row_by_row_corrected_sent_once(journey, vendors, korenschoof, tmp_path):
    page, yuki = journey.page, vendors["yuki"].app
    carol = make_user("carol", domains=[korenschoof.domain])
    journey.login(carol)
    journey.goto(f"/administrations/{korenschoof.pk}/")
    page.get_by_role("link", name="Kas", exact=True).click()
    assert page.locator("h1").inner_text() == "Kas van Bakkerij De Korenschoof B.V."

    # One bad row: a thousands separator in the amount of row 3 (the header is row 1).
    bad = tmp_path / "kas-november.csv"
    bad.write_text("\r\n".join([HEADER, GOOD_ROWS[0], GOOD_ROWS[1].replace("40,00", "1.040,00"), GOOD_ROWS[2]]),
                   encoding="utf-8")
    upload(page, bad)
    errors = page.get_by_test_id("petty-cash-error")
    assert errors.count() == 1
    cells = errors.first.locator("td").all_inner_texts()
    assert cells[:2] == ["3", "Amount"], cells
    assert "'1.040,00' is geen bedrag dat Yuki accepteert" in cells[2]
    assert "geen scheidingstekens voor duizendtallen" in cells[2]
    assert "1 probleem: er is niets verstuurd" in page.get_by_test_id("petty-cash-errors").inner_text()
    assert page.get_by_test_id("petty-cash-preview").count() == 0, "no preview, nothing to send"
    assert not yuki.state.petty_cash and not LedgerEntry.objects.exists()

    # Corrected: the preview shows the three lines and the total.
    good = tmp_path / "kas-november-verbeterd.csv"
    good.write_text("\r\n".join([HEADER, *GOOD_ROWS]) + "\r\n", encoding="utf-8")
    upload(page, good)
    preview = page.get_by_test_id("petty-cash-preview")
    assert page.get_by_test_id("petty-cash-errors").count() == 0
    assert preview.get_by_test_id("petty-cash-preview-line").count() == 3
    assert "Koffie en thee voor de vergadering" in preview.inner_text()
    assert re.search(r"Totaal\s+20,30", preview.inner_text()), preview.inner_text()
    assert not yuki.state.petty_cash, "a preview sends nothing"
    page.get_by_test_id("petty-cash-send").click()
    page.wait_for_load_state("networkidle")
    assert "Het kasafschrift is geboekt in Yuki (3 regels)." in page.locator(".messages").inner_text()
    assert len(yuki.state.petty_cash) == 1 and yuki.state.petty_cash[0].operation == "ImportStatement"
    statements = page.get_by_test_id("petty-cash-statements").inner_text()
    assert "Kas 10000: 3 regels, 02-11-2026 – 04-11-2026" in statements and "Geboekt" in statements

    # Read back in Yuki (the sandbox's own page).
    page.goto(f"{vendors['yuki'].url}/administrations/{yuki_data.DEMO_ADMINISTRATION_ID}/")
    received = page.locator(".petty-cash").inner_text()
    for words in ("Koffie en thee voor de vergadering", "Contante verkoop broodjes", "Parkeren", "-12,50", "40,00",
                  "Koffiehuis De Molen", "02-11-2026"):
        assert words in received, words

    # Sent again (the same file): nothing is booked, and the page says so in Dutch.
    journey.goto(f"/administrations/{korenschoof.pk}/petty-cash/")
    upload(page, good)
    page.get_by_test_id("petty-cash-send").click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages").inner_text()
    assert "Dit kasafschrift is al geboekt in Yuki op" in message and "er is niets opnieuw verstuurd" in message
    assert len(yuki.state.petty_cash) == 1, "booked once"
    entry = LedgerEntry.objects.get(kind="petty_cash")
    assert entry.state == EntryState.BOOKED and entry.attempts == 1

    # The run log and the document's history, like payroll documents.
    journey.goto("/runs/")
    assert page.get_by_role("cell", name="Kas", exact=True).count() == 1, "one run of the category Kas"
    journey.goto(f"/documents/{entry.pk}/")
    history = page.get_by_test_id("history").inner_text()
    assert "Ingevoerd op de kaspagina door carol" in history and "Geboekt in Yuki (kasafschrift" in history
    lines = page.get_by_test_id("petty-cash-lines").inner_text()
    assert "Contante verkoop broodjes" in lines and "40,00" in lines and "-12,50" in lines

    # December's export repeats November's last row: that line is named, nothing is sent until carol
    # says the line really happened twice.
    journey.goto(f"/administrations/{korenschoof.pk}/petty-cash/")
    december = tmp_path / "kas-december.csv"
    december.write_text("\r\n".join([HEADER, GOOD_ROWS[2], "10000;Kas;;4500;;01-12-2026;Parkeren;-3,60;;;"])
                        + "\r\n", encoding="utf-8")
    upload(page, december)
    page.get_by_test_id("petty-cash-send").click()
    page.wait_for_load_state("networkidle")
    overlap = page.get_by_test_id("petty-cash-overlap").inner_text()
    assert "Al geboekt in een eerder kasafschrift" in overlap and "04-11-2026 Parkeren -7,20" in overlap, overlap
    assert "1 regel van dit kasafschrift staat al" in page.locator(".messages").first.inner_text()
    assert len(yuki.state.petty_cash) == 1, "nothing sent"
    page.get_by_role("button", name="Toch versturen, met deze regels").click()
    page.wait_for_load_state("networkidle")
    assert "Het kasafschrift is geboekt in Yuki (2 regels)." in page.locator(".messages").inner_text()
    assert len(yuki.state.petty_cash) == 2

    # A single line with a project, double-clicked: the demo key reaches two administrations and a single
    # line names none, so it is refused (once) with the way out, and nothing reaches Yuki.
    journey.goto(f"/administrations/{korenschoof.pk}/petty-cash/")
    line = page.get_by_test_id("petty-cash-line")
    line.get_by_label("Datum").fill("2026-11-05")
    line.get_by_label("Omschrijving").fill("Taxi naar de groothandel")
    line.get_by_label("Bedrag").fill("-25,00")
    line.get_by_label("Projectcode").fill("P-17")
    line.get_by_role("button", name="Controleren en voorbeeld tonen").click()
    assert "één regel met een project" in page.get_by_test_id("petty-cash-preview").inner_text()
    page.get_by_test_id("petty-cash-send").dblclick()
    page.wait_for_load_state("networkidle")
    page.locator(".messages").wait_for()
    message = page.locator(".messages").inner_text()
    assert "meer dan deze" in message and "kasafschrift (het CSV-bestand)" in message, message
    assert [p.operation for p in yuki.state.petty_cash] == ["ImportStatement", "ImportStatement"]

    # Another domain's petty cash is not carol's to see.
    refused_page(journey, f"/administrations/{Administration.objects.get(name='Jansen B.V.').pk}/petty-cash/", 404)
