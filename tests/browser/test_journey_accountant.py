"""The accountant (portal administrator) in Chromium: portal settings, Loket and Nmbrs, administrations,
imports of every kind, the run log, a document's history, notices, users and the audit log.

Imports run on a real Celery worker against the sandboxes over real HTTP; nothing is faked in the database
except where a test says so.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.models import (
    Administration,
    AuditLogEntry,
    Domain,
    EntryState,
    ImportRun,
    LedgerEntry,
    Notice,
    PortalRole,
    PortalSettings,
)
from sandbox.demo import seed_demo_data
from sandbox.loket import data as loket_data
from sandbox.nmbrs import data as nmbrs_data
from sandbox.yuki import data as yuki_data
from tests.browser.steps import post_form, wait_for_text
from tests.people import PASSWORD, make_user
from tests.support import pass_second_step
from tests.vendor_state import portal_loket_connection, portal_nmbrs_credentials


def login_with_the_form(journey, username: str) -> None:
    journey.goto("/")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.locator("form button[type=submit]").click()
    pass_second_step(journey.page, username)  # alice is a portal administrator
    journey.page.wait_for_url(journey.url("/"))


def connect_loket(journey) -> None:
    """The Loket link set up through the Loket sandbox's own OAuth pages (docs/vendors/loket.md,
    "Authorisation (OAuth)")."""
    page = journey.page
    journey.goto("/settings/")
    page.get_by_role("button", name="Verbind met Loket").click()
    page.get_by_label("Gebruikersnaam").fill(loket_data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(loket_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()
    page.get_by_test_id("loket-authorised").wait_for()


def test_portal_settings(journey, vendors):
    make_user("alice", PortalRole.ADMINISTRATOR)
    login_with_the_form(journey, "alice")
    page = journey.page
    journey.goto("/settings/")

    # The import window: Yuki's advice (docs/vendors/loket.md, "Schedule") shows next to it while typing, before anything is saved.
    advice = page.get_by_test_id("window-advice")
    page.fill("#id_import-first_day", "10")
    page.fill("#id_import-last_day", "28")
    assert not advice.is_visible()
    page.fill("#id_import-last_day", "12")
    assert advice.is_visible() and "zeven dagen" in advice.inner_text()
    # Document switches.
    page.locator("#id_import-import_payslips").set_checked(False)
    page.locator("#id_import-import_sepa_files").set_checked(True)
    page.locator("#id_import-auto_import").set_checked(True)
    page.locator("#import").get_by_role("button", name="Bewaren").click()
    assert "importinstellingen" in page.locator(".messages").inner_text().lower()
    page.reload()
    assert page.locator("#id_import-first_day").input_value() == "10"
    assert page.locator("#id_import-last_day").input_value() == "12"
    assert not page.locator("#id_import-import_payslips").is_checked()
    assert page.locator("#id_import-import_sepa_files").is_checked()
    assert page.get_by_test_id("window-advice").is_visible(), "a saved short window keeps its advice"
    saved = PortalSettings.load().import_settings
    assert (saved.first_day, saved.last_day, saved.import_payslips, saved.import_sepa_files) == (10, 12, False, True)

    # Invalid input: the error sits next to the field, a summary at the top, the focus on that field.
    page.fill("#id_import-first_day", "20")
    page.fill("#id_import-last_day", "5")
    page.locator("#import").get_by_role("button", name="Bewaren").click()
    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible() and "laatste dag" in summary.inner_text().lower()
    assert page.locator('[data-field="import-last_day"] .error').is_visible()
    assert page.evaluate("document.activeElement.id") == "id_import-last_day"
    assert PortalSettings.load().import_settings.last_day == 12, "nothing saved"

    # Loket: connect through the sandbox's OAuth pages, then disconnect.
    connect_loket(journey)
    assert "alice" in page.get_by_test_id("loket-authorised-by").inner_text()
    page.locator("#loket").get_by_role("button", name="Verbinding testen").click()
    page.wait_for_url("**/loket/test/")
    page.get_by_test_id("loket-test-summary").wait_for()
    assert page.locator('[data-testid=loket-checks] tr[data-ok="true"]').count() == 1, "the authorisation only"
    assert "ziet 5 administraties" in page.get_by_test_id("loket-checks").inner_text()
    assert "Korenschoof" not in page.locator("main").inner_text(), "no employer picked by the test itself"
    # Every call of the imports, for an employer assigned to a domain that the portal's manager picks.
    from tests.people import assign

    korenschoof = loket_data.ADMINISTRATIONS[0]
    assign(Domain.objects.create(name="Bakkerij De Korenschoof", yuki_domain_id="dom-korenschoof"), "loket",
           str(korenschoof.client_number), korenschoof.wage_tax_number, korenschoof.employer_name)
    journey.goto("/loket/test/")
    page.get_by_label("Werkgever").select_option(label=f"Bakkerij De Korenschoof: {korenschoof.employer_name} "
                                                       f"({korenschoof.client_number} / {korenschoof.wage_tax_number})")
    page.get_by_test_id("loket-test-run").get_by_role("button", name="Verbinding testen").click()
    page.get_by_test_id("loket-test-summary").wait_for()
    assert page.locator('[data-testid=loket-checks] tr[data-ok="true"]').count() == 8
    assert korenschoof.description in page.get_by_test_id("loket-checks").inner_text()
    journey.goto("/settings/")
    page.locator("#loket").get_by_role("button", name="Ontkoppelen").click()
    page.get_by_test_id("loket-not-connected").wait_for()

    # Nmbrs: the portal's credentials; a wrong tenant key is refused, the right one stored (never shown).
    nmbrs = page.locator("#nmbrs")
    page.fill("#id_nmbrs-login_email", nmbrs_data.DEMO_USERNAME)
    page.fill("#id_nmbrs-api_token", nmbrs_data.DEMO_TOKEN)
    page.fill("#id_nmbrs-tenant_key", "geenkantoor")
    nmbrs.get_by_role("button", name="Bewaren").click()
    assert page.get_by_test_id("error-summary").is_visible()
    assert "onthouden" in nmbrs.locator('[data-field="nmbrs-api_token"] .help').inner_text(), \
        "the token typed is kept after the tenant key's error"
    page.fill("#id_nmbrs-tenant_key", nmbrs_data.DEMO_DOMAIN)
    nmbrs.get_by_role("button", name="Bewaren").click()
    assert "nmbrs" in page.locator(".messages").inner_text().lower()
    page.reload()
    token = page.locator("#id_nmbrs-api_token")
    assert token.input_value() == "" and nmbrs_data.DEMO_TOKEN not in page.content()
    assert "opgeslagen" in nmbrs.locator('[data-field="nmbrs-api_token"] .help').inner_text().lower()
    # The clear box sits right after the secret it clears, and names it.
    clear = nmbrs.locator('[data-field="nmbrs-api_token"] + [data-field="nmbrs-api_token_clear"]')
    assert clear.is_visible() and "API" in clear.inner_text()
    assert portal_nmbrs_credentials().api_token == nmbrs_data.DEMO_TOKEN
    # Another field's error leaves the stored token stored (and says so); nothing changes.
    page.fill("#id_nmbrs-tenant_key", "ander-kantoor")
    nmbrs.get_by_role("button", name="Bewaren").click()
    assert page.get_by_test_id("error-summary").is_visible()
    assert "opgeslagen" in nmbrs.locator('[data-field="nmbrs-api_token"] .help').inner_text().lower()
    assert nmbrs.locator('[data-field="nmbrs-api_token_clear"]').is_visible()
    stored = portal_nmbrs_credentials()
    assert (stored.api_token, stored.tenant_key) == (nmbrs_data.DEMO_TOKEN, nmbrs_data.DEMO_DOMAIN)


FINISHED = "^(Afgerond|Deels mislukt|Mislukt)$"


def totals_on_run_page(page) -> str:
    return " / ".join(page.get_by_test_id(f"run-{name}").inner_text().strip()
                      for name in ("fetched", "booked", "unchanged", "failed"))


def import_now(journey, administration, *, dry_run=False, month=""):
    page = journey.page
    journey.goto(f"/administrations/{administration.pk}/")
    if month:
        page.fill("#id_month", month)
    page.locator("#id_dry_run").set_checked(dry_run)
    page.get_by_test_id("import-now").click()
    page.wait_for_url("**/runs/*/")
    return ImportRun.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


@pytest.fixture
def demo(journey, worker):
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    seed_demo_data()
    journey.login(alice)
    connect_loket(journey)
    return Administration.objects.get(yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID)


def test_imports_run_log_and_history(journey, vendors, demo):
    page, yuki = journey.page, vendors["yuki"].app

    # Proefimport: "Wat zou worden geboekt" appears on the live run page when the dry run ends, no reload.
    run = import_now(journey, demo, dry_run=True)
    page.evaluate("window.stillTheSamePage = true")
    preview = page.get_by_test_id("dry-run-preview")
    preview.wait_for(timeout=60_000)
    assert "Wat zou worden geboekt" in preview.inner_text() and "Grootboekrekening" in preview.inner_text()
    assert page.evaluate("window.stillTheSamePage") is True, "no reload"
    assert not yuki.state.journals and not yuki.state.archive, "a dry run books nothing"

    # Import now: the run page follows the import by itself; the run log shows the same totals.
    run = import_now(journey, demo)
    wait_for_text(page, "run-status", "^Afgerond$")
    totals = totals_on_run_page(page)
    assert int(page.get_by_test_id("run-booked").inner_text()) > 0
    journey.goto("/runs/")
    assert page.get_by_test_id("run-totals").first.inner_text().strip() == totals
    explained = page.get_by_test_id("totals-explained").inner_text()
    assert "opgehaald" in explained and "geboekt" in explained and "ongewijzigd" in explained

    # A document's history, from the run page.
    journey.goto(f"/runs/{run.pk}/")
    page.locator("#run-progress table a").first.click()
    page.wait_for_url("**/documents/*/")
    assert "Geboekt" in page.locator("table").last.inner_text()

    # A future month is refused with a message; nothing starts.
    runs_before = ImportRun.objects.count()
    journey.goto(f"/administrations/{demo.pk}/")
    page.fill("#id_month", f"{date.today().year + 1}-01")
    page.get_by_test_id("import-now").click()
    page.wait_for_url(f"**/administrations/{demo.pk}/")
    assert "toekomstige maand" in page.locator(".messages").inner_text().lower()
    assert ImportRun.objects.count() == runs_before

    # Backfill a month of last year.
    month = f"{date.today().year - 1}-06"
    backfill = import_now(journey, demo, month=month)
    wait_for_text(page, "run-status", "^Afgerond$")
    backfill.refresh_from_db()
    assert backfill.trigger == "backfill" and backfill.periods == [month]

    # Bulk import of a domain: both administrations; the run log refreshes itself until they are done.
    journey.goto(f"/domains/{demo.domain_id}/")
    for box in page.locator('input[name="administration"]').all():
        box.check()
    page.get_by_role("button", name="Geselecteerde administraties nu importeren").click()
    page.wait_for_url("**/runs/")
    assert "gestart" in page.locator(".messages").inner_text()
    page.evaluate("window.stillTheSamePage = true")
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=run-log-status]')]
        .every(el => !['In de wachtrij', 'Bezig'].includes(el.innerText.trim()))""", timeout=90_000)
    assert page.evaluate("window.stillTheSamePage") is True, "the run log refreshed itself, no reload"
    assert ImportRun.objects.filter(administration__domain=demo.domain).count() == 5

    # Every filter, by its label.
    def rows():
        return [row.inner_text() for row in page.locator("table.runs tbody tr").all()]

    journey.goto("/runs/")
    page.get_by_label("Status").select_option(label="Afgerond")
    page.get_by_role("button", name="Filteren").click()
    assert rows() and all("Afgerond" in row for row in rows())
    journey.goto("/runs/")
    page.get_by_label("Aanleiding").select_option("backfill")
    page.get_by_role("button", name="Filteren").click()
    assert len(rows()) == 1
    journey.goto("/runs/")
    page.get_by_label("Bron").select_option("nmbrs")
    page.get_by_role("button", name="Filteren").click()
    assert rows() and all("Nmbrs" in row for row in rows())
    journey.goto("/runs/")
    page.get_by_label("Administratie").fill("Holding")
    page.get_by_role("button", name="Filteren").click()
    assert len(rows()) == 1 and "Holding" in rows()[0]


def test_failures_retry_checks_notices_and_resend(journey, vendors, demo):
    page, yuki = journey.page, vendors["yuki"].app
    # Yuki refuses every upload, and the connection breaks right after the journal entry was sent. Yuki
    # also refuses to list the journal's account, so it cannot tell: a person answers.
    yuki.faults.add("soap_fault", vendor="yuki", operation="UploadDocument", times=0, message="Archief niet bereikbaar")
    yuki.faults.add("drop_after", vendor="yuki", operation="ProcessJournal", times=1)
    yuki.faults.add("soap_fault", vendor="yuki", operation="GLAccountTransactions", times=0, message="Geen toegang")
    run = import_now(journey, demo)
    wait_for_text(page, "run-status", "^(Deels mislukt|Mislukt)$", timeout=90_000)
    journal = LedgerEntry.objects.get(last_run=run, state=EntryState.NEEDS_CHECK)
    failed = LedgerEntry.objects.filter(last_run=run, state=EntryState.FAILED).count()
    assert failed > 0 and page.get_by_test_id("run-failed").inner_text() == str(failed + 1)

    # The notice on the dashboard, dismissed.
    journey.goto("/")
    notice = page.get_by_test_id("notice").filter(has_text=demo.name)
    assert notice.count() == 1
    notice.get_by_role("button", name="Wegklikken").click()
    assert "weggeklikt" in page.locator(".messages").inner_text()
    page.reload()
    assert page.get_by_test_id("notice").filter(has_text=demo.name).count() == 0
    assert not Notice.objects.filter(administration=demo, resolved_at__isnull=True).exists()
    assert AuditLogEntry.objects.filter(object_type="notice", username="alice").exists()

    # Retry the failed documents once Yuki accepts uploads again.
    yuki.faults.clear()
    journey.goto(f"/administrations/{demo.pk}/")
    page.get_by_role("button", name=re.compile("mislukte? documente?n? opnieuw proberen")).click()
    page.wait_for_url("**/runs/*/")
    wait_for_text(page, "run-status", "^Afgerond$")
    assert page.get_by_test_id("run-booked").inner_text() == str(failed)

    # The journal entry needs a check: run page, document page and 'Te controleren' say the same.
    journey.goto(f"/runs/{run.pk}/")
    note = page.locator("#run-progress").get_by_test_id("check-note").inner_text()
    assert "Wacht op je antwoord" in note
    journey.goto("/checks/")
    assert journal.title in page.locator("main").inner_text()
    page.get_by_role("link", name=journal.title).click()
    assert page.get_by_test_id("check-note").inner_text() == note
    # Answer: it is in Yuki (it is: the connection broke after Yuki booked it). The run follows.
    page.get_by_role("button", name="Het staat in Yuki").click()
    assert "geboekt" in page.locator(".messages").inner_text()
    journey.goto(f"/runs/{run.pk}/")
    assert page.get_by_test_id("run-status").inner_text() == "Afgerond"
    assert page.get_by_test_id("run-failed").inner_text() == "0"
    journey.goto("/checks/")
    assert journal.title not in page.locator("main").inner_text()
    assert len(yuki.state.journals) == 1, "confirmed, not booked again"

    # The other answer: the connection broke before Yuki got it, so 'not in Yuki: book it'.
    yuki.faults.add("drop_before", vendor="yuki", operation="ProcessJournal", times=1)
    yuki.faults.add("soap_fault", vendor="yuki", operation="GLAccountTransactions", times=0, message="Geen toegang")
    earlier = import_now(journey, demo, month=f"{date.today().year - 1}-03")
    wait_for_text(page, "run-status", FINISHED, timeout=90_000)
    second = LedgerEntry.objects.get(last_run=earlier, state=EntryState.NEEDS_CHECK)
    journey.goto(f"/documents/{second.pk}/")
    page.get_by_role("button", name="Het staat niet in Yuki: boek het").click()
    page.wait_for_function("() => true")
    for _ in range(60):
        second.refresh_from_db()
        if second.state == EntryState.BOOKED:
            break
        page.wait_for_timeout(500)
    assert second.state == EntryState.BOOKED and len(yuki.state.journals) == 2
    journey.goto(f"/runs/{earlier.pk}/")
    assert page.get_by_test_id("run-status").inner_text() == "Afgerond"

    # One document sent again from its own page, by the ledger's rules.
    yuki.faults.add("soap_fault", vendor="yuki", operation="UploadDocument", times=0, message="Archief vol")
    third = import_now(journey, demo, month=f"{date.today().year - 1}-04")
    wait_for_text(page, "run-status", FINISHED, timeout=90_000)
    yuki.faults.clear()
    payslip = LedgerEntry.objects.filter(last_run=third, state=EntryState.FAILED).first()
    journey.goto(f"/documents/{payslip.pk}/")
    page.get_by_test_id("resend").click()
    page.wait_for_url("**/runs/*/")
    wait_for_text(page, "run-status", "^Afgerond$")
    assert page.get_by_test_id("run-booked").inner_text() == "1"
    payslip.refresh_from_db()
    assert payslip.state == EntryState.BOOKED
    journey.goto(f"/documents/{payslip.pk}/")
    assert page.get_by_test_id("resend").count() == 0, "a booked document is never sent twice"
    runs_before = ImportRun.objects.count()
    assert post_form(journey, f"/documents/{payslip.pk}/resend/").status == 302, "refused with a message"
    assert ImportRun.objects.count() == runs_before
    names = [item.file_name for item in yuki.state.archive]
    assert len(names) == len(set(names))


VERHOEVEN_YUKI_ID = "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d5e6f"  # Yuki's domain IDs are GUIDs


def test_domains_users_and_audit_log(journey):
    from django.contrib.auth import get_user_model

    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    User = get_user_model()

    # A domain: added, then edited (the payroll link feature switched on).
    journey.goto("/")
    page.get_by_role("link", name="Domein toevoegen").click()
    page.fill("#id_name", "Slagerij Verhoeven")
    page.fill("#id_yuki_domain_id", VERHOEVEN_YUKI_ID)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/domains/*/")
    domain = Domain.objects.get(yuki_domain_id=VERHOEVEN_YUKI_ID)
    journey.goto("/domains/new/")
    page.fill("#id_name", "Nog eens Verhoeven")
    page.fill("#id_yuki_domain_id", VERHOEVEN_YUKI_ID)
    page.get_by_role("button", name="Bewaren").click()
    assert page.locator('[data-field="yuki_domain_id"] .error').is_visible(), "one Yuki domain, one portal domain"
    assert page.evaluate("document.activeElement.id") == "id_yuki_domain_id"
    journey.goto(f"/domains/{domain.pk}/")
    assert not domain.payroll_link_active
    page.get_by_role("link", name="Domein bewerken").click()
    page.locator("#id_payroll_link_active").check()
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/domains/{domain.pk}/")
    page.reload()
    domain.refresh_from_db()
    assert domain.payroll_link_active and page.locator("main .badge.ok").is_visible()

    # Users of each role; a weak password is refused next to the field, with the summary and focus.
    roles = [("bea", "administrator", None), ("bram", "backoffice", None), ("dirk", "", "Slagerij Verhoeven")]
    for username, role, domain_name in roles:
        journey.goto("/users/new/")
        page.fill("#id_username", username)
        page.fill("#id_email", f"{username}@kantoor.nl")
        page.select_option("#id_portal_role", role)
        if domain_name:
            page.get_by_label(domain_name).check()
        page.fill("#id_password", "kort")
        page.get_by_role("button", name="Bewaren").click()
        assert page.get_by_test_id("error-summary").is_visible()
        assert page.evaluate("document.activeElement.id") == "id_password"
        page.fill("#id_password", "lang-en-sterk-wachtwoord-2026")
        page.get_by_role("button", name="Bewaren").click()
        page.wait_for_url("**/users/")
        row = page.locator("tr", has_text=username)
        assert row.count() == 1
    assert User.objects.get(username="bea").portal_membership.role == "administrator"
    assert User.objects.get(username="bram").portal_membership.role == "backoffice"
    assert list(User.objects.get(username="dirk").domain_memberships.values_list("domain__name", flat=True)) == [
        "Slagerij Verhoeven"]

    # Deactivate one.
    page.get_by_role("link", name="bram").click()
    page.locator("#id_is_active").uncheck()
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/users/")
    page.reload()
    assert page.locator("tr", has_text="bram").inner_text().endswith("nee")
    assert not User.objects.get(username="bram").is_active

    # The audit log shows all of it, and its search finds one user.
    journey.goto("/audit/")
    log = page.locator("main").inner_text()
    for text in ("Slagerij Verhoeven", "bea", "bram", "dirk"):
        assert text in log
    page.get_by_placeholder("Zoeken").fill("dirk")
    page.get_by_placeholder("Zoeken").press("Enter")
    page.wait_for_url("**/audit/?q=dirk")
    rows = page.locator("tbody tr").all()
    assert rows and all("dirk" in row.inner_text() for row in rows)


def test_own_loket_login_of_an_administration_and_logging_out(journey, vendors):
    """'Gebruik toegangscodes van portaal' off: the administration connects its own Loket user."""
    seed_demo_data()
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    administration = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID)
    journey.goto(f"/administrations/{administration.pk}/edit/")
    page.locator("#id_use_portal_loket_access").uncheck()
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/administrations/{administration.pk}/")
    page.get_by_test_id("loket-not-connected").wait_for()
    page.locator("#loket").get_by_role("button", name="Verbind met Loket").click()
    page.get_by_label("Gebruikersnaam").fill(loket_data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(loket_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()
    page.wait_for_url(f"**/administrations/{administration.pk}/#loket")
    page.get_by_test_id("loket-authorised").wait_for()
    administration.refresh_from_db()
    assert administration.loket_link.own_connection.is_authorised
    assert portal_loket_connection() is None, "the portal's own link is untouched"
    page.locator("#loket").get_by_role("button", name="Verbinding testen").click()
    page.wait_for_url("**/loket/test/")
    page.get_by_test_id("loket-test-summary").wait_for()
    journey.goto(f"/administrations/{administration.pk}/")
    page.locator("#loket").get_by_role("button", name="Ontkoppelen").click()
    page.get_by_test_id("loket-not-connected").wait_for()

    page.get_by_role("button", name="Uitloggen").click()
    journey.goto("/settings/")
    page.wait_for_url("**/login/?next=/settings/")


def test_changing_the_own_password(journey):
    make_user("alice", PortalRole.ADMINISTRATOR)
    login_with_the_form(journey, "alice")
    page = journey.page
    # The README's tour also sends people to the Yuki sandbox's own view (sandbox mode only).
    assert journey.goto("/sandbox/yuki/").status == 200
    assert "Bakkerij De Korenschoof" in page.locator("body").inner_text()
    journey.goto("/")
    # The username in the header opens the own profile; changing the password is reached from there.
    page.locator("header").get_by_role("link", name="alice").click()
    page.wait_for_url("**/profile/")
    page.get_by_role("link", name="Wijzig je wachtwoord").click()
    page.wait_for_url("**/password_change/")
    page.fill("#id_old_password", "niet-mijn-wachtwoord")
    page.fill("#id_new_password1", "een-nieuw-lang-wachtwoord-2026")
    page.fill("#id_new_password2", "een-nieuw-lang-wachtwoord-2026")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    assert page.get_by_test_id("error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_old_password"
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "een-nieuw-lang-wachtwoord-2026")
    page.fill("#id_new_password2", "een-nieuw-lang-wachtwoord-2026")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.get_by_test_id("password-changed").wait_for()
    page.get_by_role("button", name="Uitloggen").click()
    journey.goto("/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "een-nieuw-lang-wachtwoord-2026")
    page.locator("form button[type=submit]").click()
    pass_second_step(page, "alice")
    page.wait_for_url(journey.url("/"))
    assert page.locator("header").get_by_role("link", name="alice").is_visible()
