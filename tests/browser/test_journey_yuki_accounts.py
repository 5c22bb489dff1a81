"""The Yuki side checked before booking, in Chromium against the Yuki sandbox over real HTTP:

- a journal entry whose account the Yuki administration lacks is not sent: it waits, naming the account and
  its lines; the ledger accounts page maps it, shows the journal as it will be booked, and the next import
  books it (the sandbox's own record judges); the mapping deleted again is gone from the page and the
  preview, and named in the audit log;
- an administration ID Yuki does not know for the access key is refused on save with Yuki's reason; the
  right one is saved with the administration's name in Yuki, and "Yuki testen" checks it again.
"""

from __future__ import annotations

import re

import pytest

from portal.models import Administration, Domain, EntryState, LedgerEntry, PortalRole, UserProfile
from sandbox.yuki import data as yuki_data
from tests.browser.steps import wait_for_text
from tests.browser.test_journey_accountant import demo, import_now  # noqa: F401 - the fixture, and a step
from tests.people import make_user

FINISHED = "^(Afgerond|Deels mislukt)$"


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_a_journal_on_an_account_yuki_lacks_waits_until_the_mapping_books_it(journey, vendors, demo):  # noqa: F811
    page, yuki = journey.page, vendors["yuki"].app

    # In Yuki (the sandbox's own page) the account 4100 is deleted from the administration's chart.
    page.goto(f"{vendors['yuki'].url}/administrations/{yuki_data.DEMO_ADMINISTRATION_ID}/")
    page.get_by_role("button", name="Verwijder 4100").click()
    assert "4100" not in yuki.state.administrations[yuki_data.DEMO_ADMINISTRATION_ID].gl_accounts

    run = import_now(journey, demo)
    wait_for_text(page, "run-status", FINISHED, timeout=90_000)
    journal = LedgerEntry.objects.get(last_run=run, kind="journal")
    assert journal.state == EntryState.WAITING_ACCOUNTS, journal.last_error
    assert not yuki.state.journals, "not sent: Yuki would have refused it"
    assert "wacht op grootboekrekeningen in Yuki" in main_text(page)
    journey.goto(f"/documents/{journal.pk}/")
    lines = [n for n, line in enumerate(journal.journal_lines, start=1) if line["gl_account"] == "4100"]
    expected = (f"4100 Salarisjournaal {journal.period} Sociale lasten werkgever (regel"
                f"{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}) bestaat niet in Yuki-administratie")
    assert expected in main_text(page), main_text(page)
    assert "bijvoorbeeld een ontbrekende grootboekrekening" not in main_text(page)

    # The ledger accounts page: the waiting journal, the preview naming the line Yuki lacks, then the mapping.
    journey.goto(f"/administrations/{demo.pk}/")
    page.get_by_role("link", name="Grootboekrekeningen").click()
    assert journal.title in page.get_by_test_id("waiting-journals").inner_text()
    preview = page.get_by_test_id("mapping-preview")
    assert preview.get_by_text("niet in Yuki").count() == len(lines)
    page.fill("#id_payroll_account", "4100")
    page.fill("#id_yuki_account", "40100")
    page.get_by_role("button", name="Koppeling bewaren").click()
    assert re.search(r"4100\s+elke kostenplaats\s+40100", page.get_by_test_id("mappings").inner_text())
    assert "Regels op 4100 → 40100 worden voortaan op de Yuki-rekening geboekt" in page.locator(".messages").inner_text()
    assert preview.get_by_text("niet in Yuki").count() == 0
    assert "Elke rekening bestaat in Yuki" in preview.inner_text()
    assert re.search(r"4100\s+KC10\s+40100 Sociale lasten", preview.inner_text()), preview.inner_text()

    # The next import books the waiting journal, once, on Yuki's account.
    again = import_now(journey, demo)
    wait_for_text(page, "run-status", FINISHED, timeout=90_000)
    journal.refresh_from_db()
    assert journal.state == EntryState.BOOKED and journal.last_run_id == again.pk
    assert len(yuki.state.journals) == 1
    accounts = {entry.gl_account for entry in yuki.state.journals[0].entries}
    assert "40100" in accounts and "4100" not in accounts
    assert any(line.get("payroll_gl_account") == "4100" for line in journal.booked_journal_lines), \
        "what was booked is kept as booked: a correction reverses Yuki's account"

    # The mapping is deleted again: the page says so, the table no longer lists it, the preview shows the lines
    # on 4100 without a Yuki account again, and the audit log names the deletion.
    journey.goto(f"/administrations/{demo.pk}/ledger-accounts/")
    mappings = page.get_by_test_id("mappings")
    with page.expect_navigation():
        mappings.get_by_role("button", name="Verwijder 4100 → 40100").click()
    assert "De koppeling 4100 → 40100 is verwijderd." in page.locator(".messages").inner_text()
    assert "40100" not in mappings.inner_text() and mappings.get_by_role("button").count() == 0
    assert "Geen koppeling: elke regel wordt geboekt op de rekening die de" in mappings.inner_text()
    assert preview.get_by_text("niet in Yuki").count() == len(lines)
    assert not demo.account_mappings.exists()
    journey.goto("/audit/")
    deleted = page.locator("tbody tr", has_text="4100 → 40100").filter(has_text="verwijderd")
    assert deleted.count() == 1, page.locator("main").inner_text()

    # English on request.
    page.get_by_test_id("profile-link").click()
    page.get_by_label("Taal van het portaal").select_option("en")
    page.get_by_role("button", name="Bewaren").click()
    assert UserProfile.objects.get(user__username="alice").language == "en"
    journey.goto(f"/administrations/{demo.pk}/ledger-accounts/")
    assert "Latest journal entry after the mapping" in main_text(page)
    assert "No mapping: every line is booked on the account the payroll source gives." in main_text(page)
    assert re.search(r"\d+ lines? uses? an account Yuki does not have", main_text(page)), main_text(page)


@pytest.fixture
def korenschoof(db):
    return Domain.objects.create(name="Bakkerij De Korenschoof", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                 payroll_link_active=True)


def test_an_unknown_administration_id_is_refused_on_save_with_yukis_reason(journey, vendors, korenschoof, settings):
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page, yuki = journey.page, vendors["yuki"].app
    journey.goto(f"/domains/{korenschoof.pk}/administrations/new/")
    page.fill("#id_name", "Korenschoof")
    page.fill("#id_yuki_administration_id", "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d9999")  # well-formed, unknown
    page.fill("#id_yuki_access_key", yuki_data.DEMO_ACCESS_KEY)
    page.select_option("#id_source", "loket")
    page.fill("#id_relation_code", "40123")
    page.fill("#id_wage_tax_number", "812345678L01")
    page.get_by_role("button", name="Bewaren").click()
    error = page.locator('[data-field="yuki_administration_id"] .error')
    assert error.is_visible()
    assert "Yuki heeft geen administratie met ID 5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d9999" in error.inner_text()
    assert "Bakkerij De Korenschoof B.V." in error.inner_text(), "the administrations the key does reach"
    assert not Administration.objects.exists()
    calls = yuki.state.calls_on(yuki_data.DEMO_DOMAIN_ID)
    assert calls == 2, "Authenticate and Administrations, nothing booked"

    page.fill("#id_yuki_administration_id", yuki_data.DEMO_ADMINISTRATION_ID)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/administrations/*/")
    messages = page.locator(".messages").inner_text()
    assert "Yuki kent deze administratie: Bakkerij De Korenschoof B.V." in messages
    assert page.get_by_test_id("yuki-name").inner_text() == "Bakkerij De Korenschoof B.V."
    saved = Administration.objects.get()
    assert saved.yuki_administration_name == "Bakkerij De Korenschoof B.V."

    # Editing something else asks Yuki nothing; "Yuki testen" asks again and says so.
    before = yuki.state.calls_on(yuki_data.DEMO_DOMAIN_ID)
    journey.goto(f"/administrations/{saved.pk}/edit/")
    assert "In Yuki: Bakkerij De Korenschoof B.V." in page.locator('[data-field="yuki_administration_id"]').inner_text()
    page.fill("#id_relation_code", "40124")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/administrations/*/")
    assert yuki.state.calls_on(yuki_data.DEMO_DOMAIN_ID) == before
    page.get_by_test_id("test-yuki").click()
    page.wait_for_url("**/administrations/*/")
    assert "Yuki kent deze administratie: Bakkerij De Korenschoof B.V." in page.locator(".messages").inner_text()

    # The key and ID changed in Yuki's sandbox: the button now refuses, in words.
    yuki.state.access_keys.pop(yuki_data.DEMO_ACCESS_KEY)
    yuki.state.expire_sessions()
    page.get_by_test_id("test-yuki").click()
    page.wait_for_url("**/administrations/*/")
    assert "Yuki accepteert deze toegangssleutel niet" in page.locator(".messages").inner_text()

    # Today's Yuki budget used up: a changed ID is saved unchecked, and the page says so.
    settings.YUKI_DAILY_BUDGET = yuki.state.calls_on(yuki_data.DEMO_DOMAIN_ID)
    journey.goto(f"/administrations/{saved.pk}/edit/")
    page.fill("#id_yuki_administration_id", yuki_data.DEMO_SECOND_ADMINISTRATION_ID)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/administrations/*/")
    assert "Niet bij Yuki gecontroleerd: het Yuki-budget van dit domein voor vandaag is op" in \
        page.locator(".messages").inner_text()
    assert page.get_by_test_id("yuki-name").inner_text() == "nog niet gecontroleerd"
    saved.refresh_from_db()
    assert saved.yuki_administration_id == yuki_data.DEMO_SECOND_ADMINISTRATION_ID
