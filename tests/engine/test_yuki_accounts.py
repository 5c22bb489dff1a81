"""A journal's accounts checked against Yuki's chart before it is sent (portal/account_check.py), against
the Yuki sandbox over real HTTP: the sandbox's own record judges what was booked."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from portal import account_check, connection_checks, deep_check
from portal.imports import booking
from portal.models import EntryState, EventKind, LedgerEntry, RunStatus, YukiAccountMapping
from sandbox.yuki import data as yuki_data
from tests.engine.test_engine_nmbrs import THIS_MONTH, import_now

ADMINISTRATION = yuki_data.DEMO_ADMINISTRATION_ID
pytestmark = pytest.mark.usefixtures("noon_today")  # the chart is kept per day


def journal_of(administration) -> LedgerEntry:
    return LedgerEntry.objects.get(administration=administration, kind="journal")


def journal_calls(yuki) -> list[str]:
    return [j.subject for j in yuki.app.state.journals]


def test_a_journal_on_an_account_yuki_lacks_waits_naming_account_and_lines(bakkerij_nmbrs, yuki):
    yuki.app.state.remove_gl_account(ADMINISTRATION, "4100")
    run = import_now(bakkerij_nmbrs)
    journal = journal_of(bakkerij_nmbrs)
    assert journal.state == EntryState.WAITING_ACCOUNTS
    assert not yuki.app.state.journals, "not sent"
    lines = [n for n, line in enumerate(journal.journal_lines, start=1) if line["gl_account"] == "4100"]
    assert len(lines) == 2, "the Nmbrs sandbox books employer charges per cost centre"
    assert (f"4100 Werkgeverslasten {journal.journal_lines[lines[0] - 1]['description'].split(' ', 1)[1]} "
            f"(regels {lines[0]}, {lines[1]}) bestaat niet in Yuki-administratie") in journal.last_error
    assert journal.events.filter(kind=EventKind.WAITING_ACCOUNTS).exists()
    assert run.status == RunStatus.PARTLY_FAILED, "a person has to act: not a success"
    assert "wacht op grootboekrekeningen in Yuki" in run.result
    assert set(LedgerEntry.objects.exclude(kind="journal").exclude(state=EntryState.WAITING_AT_SOURCE)
               .values_list("state", flat=True)) == {EntryState.BOOKED}, "the other documents are booked"


def test_once_the_account_exists_in_yuki_the_next_import_books_the_waiting_journal(bakkerij_nmbrs, yuki):
    yuki.app.state.remove_gl_account(ADMINISTRATION, "4100")
    import_now(bakkerij_nmbrs)
    assert journal_of(bakkerij_nmbrs).state == EntryState.WAITING_ACCOUNTS
    calls = yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id)

    yuki.app.state.add_gl_account(ADMINISTRATION, "4100", "Werkgeverslasten")  # fixed in Yuki, same day
    run = import_now(bakkerij_nmbrs)
    journal = journal_of(bakkerij_nmbrs)
    assert journal.state == EntryState.BOOKED and journal.last_run_id == run.pk
    assert journal_calls(yuki) == [booking.journal_subject(journal)], "booked once"
    # The day's cached chart lacked 4100: read again once in this run, then the journal.
    assert yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id) - calls == 2


def test_the_chart_is_read_once_a_day_per_administration(bakkerij_nmbrs, yuki):
    import_now(bakkerij_nmbrs)
    assert journal_of(bakkerij_nmbrs).state == EntryState.BOOKED
    assert account_check.cached_chart(bakkerij_nmbrs)["4100"] == "Sociale lasten werkgever"
    # A second journal (another month) the same day: no second GetGLAccountScheme.
    before = yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id)
    LedgerEntry.objects.filter(kind="journal").update(state=EntryState.NEW, version=1, booked_journal_lines=None)
    yuki.app.state.journals.clear()
    from portal.imports.pushing import push
    entry = journal_of(bakkerij_nmbrs)
    assert push(entry.pk, None).outcome == "booked"
    assert yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id) - before == 1, "only ProcessJournal"


def test_a_mapping_per_cost_centre_wins_over_the_accounts_and_is_what_gets_booked(bakkerij_nmbrs, yuki):
    yuki.app.state.remove_gl_account(ADMINISTRATION, "4100")
    YukiAccountMapping.objects.create(administration=bakkerij_nmbrs, payroll_account="4100", yuki_account="40100")
    YukiAccountMapping.objects.create(administration=bakkerij_nmbrs, payroll_account="4100", cost_centre="PROD",
                                      yuki_account="40200")
    import_now(bakkerij_nmbrs)
    journal = journal_of(bakkerij_nmbrs)
    assert journal.state == EntryState.BOOKED, journal.last_error
    booked = yuki.app.state.journals[0].entries
    by_account = {}
    for entry in booked:
        by_account[entry.gl_account] = by_account.get(entry.gl_account, Decimal(0)) + entry.amount
    charges = {line["cost_centre"]: Decimal(line["amount"]) for line in journal.journal_lines
               if line["gl_account"] == "4100"}
    assert "4100" not in by_account
    assert by_account["40200"] == charges["PROD"] and by_account["40100"] == charges["VERK"]
    assert {line["gl_account"] for line in journal.booked_journal_lines} >= {"40100", "40200"}


def test_an_unknown_account_yuki_refuses_anyway_is_named_and_other_refusals_are_not(bakkerij_nmbrs, yuki):
    # Yuki's chart cannot be read (a fault): the journal goes unchecked and Yuki's refusal names the account.
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="GetGLAccountScheme", times=1,
                        message="Access denied for this service")
    yuki.app.state.remove_gl_account(ADMINISTRATION, "4100")
    import_now(bakkerij_nmbrs)
    journal = journal_of(bakkerij_nmbrs)
    assert journal.state == EntryState.FAILED
    assert "grootboekrekening" in journal.last_error and "Grootboekrekeningen" in journal.last_error
    assert "bijvoorbeeld" not in journal.last_error


def test_a_refusal_for_another_reason_does_not_mention_accounts(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="ProcessJournal", times=1,
                        message="Server is in maintenance mode")
    import_now(bakkerij_nmbrs)
    error = journal_of(bakkerij_nmbrs).last_error
    assert "Yuki meldt" in error and "grootboekrekening" not in error.lower(), error


def test_the_connection_test_and_the_deep_check_name_the_accounts_yuki_lacks(bakkerij_nmbrs, yuki):
    import_now(bakkerij_nmbrs)
    yuki.app.state.remove_gl_account(ADMINISTRATION, "1620")
    bakkerij_nmbrs.refresh_from_db()
    result = connection_checks.check_administration(bakkerij_nmbrs)
    yuki_line = next(line for line in result.lines if line[0] == "Yuki")
    assert yuki_line[1] is False
    assert "Yuki kent deze administratie: Bakkerij De Korenschoof B.V." in yuki_line[2]
    assert "1620 Loonheffing" in yuki_line[2] and "bestaat niet in Yuki-administratie" in yuki_line[2]

    out = io.StringIO()
    call_command("check_connections", "--deep", "--administration", str(bakkerij_nmbrs.pk),
                 "--period", THIS_MONTH.key, stdout=out, no_color=True)
    assert "Yuki-grootboekrekeningen" in out.getvalue() and "1620 Loonheffing" in out.getvalue()
    report = deep_check.run(bakkerij_nmbrs, THIS_MONTH)
    assert any(f.level == "error" and "1620" in f.message for f in report.findings)


@pytest.mark.parametrize("budget_used", [True, False])
def test_saving_with_todays_budget_used_up_saves_unchecked_and_says_so(bakkerij_nmbrs, yuki, settings, budget_used):
    from portal.yuki_check import Verdict, verify

    if budget_used:  # the domain's budget of one call was spent today by an import
        from portal.models import YukiCallCount
        from yuki_client import amsterdam_day

        settings.YUKI_DAILY_BUDGET = 1
        YukiCallCount.objects.create(domain_id=bakkerij_nmbrs.domain.yuki_domain_id, day=amsterdam_day(), count=1)
    check = verify(bakkerij_nmbrs.domain, yuki_data.DEMO_ACCESS_KEY, ADMINISTRATION)
    if budget_used:
        assert check.verdict == Verdict.UNCHECKED and "budget" in check.message
        assert yuki.app.state.calls_on(bakkerij_nmbrs.domain.yuki_domain_id) == 0, "nothing asked"
    else:
        assert check.verdict == Verdict.FOUND and check.name == "Bakkerij De Korenschoof B.V."


def test_the_test_button_without_a_stored_key_says_what_is_missing(users, acme_admin, login):
    from django.urls import reverse

    acme_admin.yuki_access_key = ""
    acme_admin.save()
    response = login(users["alice"]).post(reverse("portal:test-yuki", args=[acme_admin.pk]), follow=True)
    assert response.status_code == 200
    assert "Yuki heeft de toegangscode (API-sleutel) van deze administratie nodig" in response.content.decode()


def test_a_yuki_fault_that_is_not_about_the_key_saves_unchecked_with_the_reason(bakkerij_nmbrs, yuki):
    """Yuki's own trouble says nothing about the key or the ID: the save goes on (with the reason), it does
    not lock every setting of the administration until Yuki is well again."""
    from portal.yuki_check import Verdict, verify

    yuki.app.faults.add("soap_fault", vendor="yuki", operation="Administrations", times=1,
                        message="Server is in maintenance mode")
    check = verify(bakkerij_nmbrs.domain, yuki_data.DEMO_ACCESS_KEY, ADMINISTRATION)
    assert check.verdict == Verdict.UNCHECKED, check
    assert "Niet gecontroleerd bij Yuki" in check.message and "maintenance" in check.message


def test_the_same_mapping_saved_twice_at_once_is_refused_in_words_not_a_500(bakkerij_nmbrs, yuki, client, monkeypatch):
    """Two quick submits both pass the form's check before either is saved: the database's uniqueness
    refuses the second, and the person reads why."""
    from django.urls import reverse

    from portal.forms.account_mapping import AccountMappingForm
    from portal.models import PortalRole
    from tests.people import make_user

    monkeypatch.setattr(AccountMappingForm, "clean", lambda form: form.cleaned_data)  # as if checked before
    YukiAccountMapping.objects.create(administration=bakkerij_nmbrs, payroll_account="4015", yuki_account="4000")
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    response = client.post(reverse("portal:account-mapping", args=[bakkerij_nmbrs.pk]),
                           {"payroll_account": "4015", "cost_centre": "", "yuki_account": "4000"})
    assert response.status_code == 200
    assert "Rekening 4015 heeft al een koppeling" in response.content.decode()
    assert YukiAccountMapping.objects.filter(administration=bakkerij_nmbrs).count() == 1
