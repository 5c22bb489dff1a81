"""An uncertain journal is settled by the machine, judged from the Yuki sandbox's own records; only
when Yuki cannot tell does a person decide. And what surely did not reach Yuki is a plain retry."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone, translation

from payrollsync.celery import app as celery_app
from portal.imports import booking
from portal.models import EntryState, EventKind, LedgerEntry
from portal.tasks import sweep
from tests.engine.outcome import booked_in_yuki, fetched_entries
from tests.engine.test_engine_nmbrs import import_now


def the_journal(administration) -> LedgerEntry:
    return LedgerEntry.objects.get(administration=administration, kind="journal")


def listing_calls(yuki) -> int:
    return yuki.app.faults.calls.get("yuki:GLAccountTransactions", 0)


def assert_booked_once(yuki, entry):
    journals = [j for j in yuki.app.state.journals if j.subject == booking.journal_subject(entry)]
    assert len(journals) == 1, f"booked {len(journals)} times"
    reference = booking.reference(entry)
    assert all(line.description.startswith(reference + " ") for line in journals[0].entries), \
        "every line carries the journal's reference, where Yuki's listing shows it"
    names = booked_in_yuki(yuki)
    assert len(names) == len(set(names)), "nothing booked twice"


def test_dropped_after_yuki_booked_the_journal_is_found_and_not_booked_again(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("drop_after", vendor="yuki", operation="ProcessJournal", times=1)
    run = import_now(bakkerij_nmbrs)

    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.BOOKED, journal.last_error
    assert not journal.check_by_person
    history = list(journal.events.values_list("kind", flat=True))
    assert EventKind.NEEDS_CHECK in history and history[-1] == EventKind.RECONCILED
    assert booking.reference(journal) in journal.events.last().message
    assert listing_calls(yuki) == 1, "one call per check"
    assert_booked_once(yuki, journal)
    entries = fetched_entries(administration=bakkerij_nmbrs)
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}, run.result


def test_dropped_before_yuki_got_it_is_booked_exactly_once_after_the_delay(bakkerij_nmbrs, yuki, settings):
    yuki.app.faults.add("drop_before", vendor="yuki", operation="ProcessJournal", times=1)
    import_now(bakkerij_nmbrs)
    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.NEEDS_CHECK and not journal.check_by_person, \
        "not in Yuki's listing, but too early to call it absent"
    assert "automatisch gecontroleerd" in journal.check_note()
    assert yuki.app.state.journals == []
    checks = listing_calls(yuki)

    sweep()  # before the delay nothing changes
    journal.refresh_from_db()
    assert journal.state == EntryState.NEEDS_CHECK

    later = timezone.now() + timedelta(seconds=max(settings.IMPORT_RECONCILE_DELAY_SECONDS,
                                                   settings.IMPORT_REDISPATCH_AFTER_SECONDS) + 1)
    with time_machine.travel(later):
        sweep()
    journal.refresh_from_db()
    assert journal.state == EntryState.BOOKED, journal.last_error
    assert listing_calls(yuki) == checks + 1, "one more call: the check after the delay"
    assert_booked_once(yuki, journal)
    absent = journal.events.filter(kind=EventKind.RECONCILED).last()
    assert "Niet in Yuki" in absent.message and "opnieuw geboekt" in absent.message


@pytest.mark.parametrize("refusal", ["soap_fault", "unknown_layout"])
def test_when_yuki_cannot_tell_a_person_decides_in_dutch(bakkerij_nmbrs, yuki, monkeypatch, refusal):
    if refusal == "soap_fault":
        yuki.app.faults.add("soap_fault", vendor="yuki", operation="GLAccountTransactions", times=0,
                            message="Access to this web service is not allowed")
    else:
        from lxml import etree

        from sandbox.yuki import handlers

        def other_layout(state, session, params):
            root = etree.Element("Transactions")
            etree.SubElement(root, "Transaction").text = "?"
            return root

        monkeypatch.setitem(handlers.HANDLERS, "GLAccountTransactions", other_layout)
    yuki.app.faults.add("drop_after", vendor="yuki", operation="ProcessJournal", times=1)
    import_now(bakkerij_nmbrs)

    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.NEEDS_CHECK and journal.check_by_person
    assert listing_calls(yuki) == 1, "a refusal is not asked again and again"
    assert journal.last_error.startswith("Yuki kon niet vertellen of de journaalpost")
    assert booking.reference(journal) in journal.last_error and "Het staat in Yuki" in journal.last_error
    if refusal == "soap_fault":
        assert "Access to this web service is not allowed" in journal.last_error
    with translation.override("en"):
        assert journal.check_note().startswith("Waiting for your answer")
    with translation.override("nl"):
        assert journal.check_note().startswith("Wacht op je antwoord")
    assert len(yuki.app.state.journals) == 1, "it was booked: Yuki could not say so, a person will"


# --- what surely did not reach Yuki is retried, not held ----------------------------------------------

def fail_once(monkeypatch, owner, name: str, error: Exception, only=lambda *a, **k: True):
    original = getattr(owner, name)
    failed = []

    def flaky(*args, **kwargs):
        if not failed and only(*args, **kwargs):
            failed.append(name)
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, flaky)
    return failed


def journal_claims(entry_id, *args, **kwargs):
    return LedgerEntry.objects.filter(pk=entry_id, kind="journal").exists()


@pytest.fixture
def eager_retries(eager_celery):
    """Eager Celery runs a task's retry on the spot only when it does not propagate the Retry
    (eager_celery puts the setting back afterwards)."""
    celery_app.conf.task_eager_propagates = False


@pytest.mark.parametrize("where", ["get_session", "reserve_call", "claim"])
def test_a_database_error_before_the_call_is_a_plain_retry(bakkerij_nmbrs, yuki, monkeypatch, eager_retries,
                                                           where):
    from portal import yuki_store
    from portal.imports import leases

    admin_shutdown = OperationalError("terminating connection due to administrator command")
    if where == "claim":
        failed = fail_once(monkeypatch, leases, "claim_for_push", admin_shutdown, only=journal_claims)
    else:
        # The session is read, and the call counted, for the journal's ProcessJournal only once it is
        # the one push in flight: fail the first read/count after the payslips are booked.
        seen = []

        def journal_push(*args, **kwargs):
            seen.append(1)
            return LedgerEntry.objects.filter(kind="journal", state=EntryState.PUSHING).exists()

        failed = fail_once(monkeypatch, yuki_store.DatabaseYukiStore, where, admin_shutdown, only=journal_push)
    import_now(bakkerij_nmbrs)

    assert failed, "the database error was injected"
    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.BOOKED, journal.last_error
    kinds = list(journal.events.values_list("kind", flat=True))
    assert EventKind.NEEDS_CHECK not in kinds and EventKind.RECONCILED not in kinds, "never held for a check"
    assert listing_calls(yuki) == 0
    if where != "claim":
        assert kinds.count(EventKind.FAILED) == 1 and "niet naar Yuki verstuurd" in \
            journal.events.get(kind=EventKind.FAILED).message
    assert_booked_once(yuki, journal)
    entries = fetched_entries(administration=bakkerij_nmbrs)
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}


def test_a_database_still_restarting_when_the_entry_is_released_is_tried_again(bakkerij_nmbrs, yuki, monkeypatch,
                                                                                  eager_retries):
    from portal import yuki_store
    from portal.imports import leases, pushing

    monkeypatch.setattr(pushing, "RELEASE_PAUSES", (0, 0, 0))
    in_flight = lambda *a, **k: LedgerEntry.objects.filter(kind="journal", state=EntryState.PUSHING).exists()  # noqa: E731
    fail_once(monkeypatch, yuki_store.DatabaseYukiStore, "get_session", OperationalError("admin shutdown"),
              only=in_flight)
    released = fail_once(monkeypatch, leases, "settle", OperationalError("the database system is starting up"),
                         only=lambda entry_id, token, state, *a, **k: state == EntryState.NEW)
    import_now(bakkerij_nmbrs)

    assert released, "the first release failed too"
    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.BOOKED, journal.last_error
    assert EventKind.NEEDS_CHECK not in journal.events.values_list("kind", flat=True)
    assert_booked_once(yuki, journal)


def test_an_error_after_the_send_is_uncertain_and_reconciled(bakkerij_nmbrs, yuki, monkeypatch):
    """The answer arrived and reading it failed: it may well be booked, so it is checked, not resent."""
    from yuki_client import client as yuki_client_module

    fail_once(monkeypatch, yuki_client_module, "_require_id",
              OperationalError("server closed the connection unexpectedly"),
              only=lambda value, operation: operation == "ProcessJournal")
    import_now(bakkerij_nmbrs)

    journal = the_journal(bakkerij_nmbrs)
    kinds = list(journal.events.values_list("kind", flat=True))
    assert EventKind.NEEDS_CHECK in kinds, "after the send: uncertain"
    assert journal.state == EntryState.BOOKED and kinds[-1] == EventKind.RECONCILED, "found in Yuki's listing"
    assert_booked_once(yuki, journal)


def test_a_booking_like_ours_without_our_reference_is_never_sent_again_a_person_decides(
        bakkerij_nmbrs, yuki, settings):
    """Our reference in a description is evidence from one public client, not a promise: a booking with the
    journal's account, date and amount but without the reference may be this journal, so no resend."""
    from sandbox.yuki.state import BookedJournal, JournalEntry

    yuki.app.faults.add("drop_before", vendor="yuki", operation="ProcessJournal", times=1)
    import_now(bakkerij_nmbrs)
    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.NEEDS_CHECK and yuki.app.state.journals == []
    first = booking.journal(journal).lines[0]
    # In Yuki, a booking on that account, date and amount whose description lost our reference.
    yuki.app.state.book_journal(BookedJournal(
        "manual-1", bakkerij_nmbrs.yuki_administration_id, "Loonjournaal (handmatig)", "GeneralJournal",
        [JournalEntry(first.entry_date, first.gl_account, first.amount, "Loonjournaal handmatig")], b""))

    later = timezone.now() + timedelta(seconds=max(settings.IMPORT_RECONCILE_DELAY_SECONDS,
                                                   settings.IMPORT_REDISPATCH_AFTER_SECONDS) + 1)
    with time_machine.travel(later):
        sweep()
        sweep()
    journal.refresh_from_db()
    assert journal.state == EntryState.NEEDS_CHECK and journal.check_by_person, journal.last_error
    assert len(yuki.app.state.journals) == 1, "not sent again on a guess"
    assert "zelfde rekening, datum en bedrag" in journal.last_error, journal.last_error
    assert "Loonjournaal handmatig" in journal.last_error and first.gl_account in journal.last_error
    with translation.override("en"):
        assert journal.check_note().startswith("Waiting for your answer")


def test_a_mapping_changed_while_a_send_is_unsure_is_checked_against_what_was_sent(bakkerij_nmbrs, yuki, monkeypatch):
    """The check looks for the journal on the accounts it was sent with. Looked for after a new mapping
    (on another account), it would not be found and the journal would be sent a second time."""
    from portal import tasks
    from portal.imports import reconcile
    from portal.models import YukiAccountMapping

    monkeypatch.setattr(tasks.reconcile_document, "apply_async", lambda *args, **kwargs: None)  # checked below
    yuki.app.faults.add("drop_after", vendor="yuki", operation="ProcessJournal", times=1)
    import_now(bakkerij_nmbrs)
    journal = the_journal(bakkerij_nmbrs)
    assert journal.state == EntryState.NEEDS_CHECK and journal.sent_journal_lines
    sent_first = journal.sent_journal_lines[0]["gl_account"]
    chart = yuki.app.state.administrations[journal.administration.yuki_administration_id].gl_accounts
    other = next(code for code in chart if code != sent_first)
    YukiAccountMapping.objects.create(administration=bakkerij_nmbrs, payroll_account=sent_first, yuki_account=other)

    assert reconcile.reconcile(journal.pk) == reconcile.Resolution.FOUND
    journal.refresh_from_db()
    assert journal.state == EntryState.BOOKED and journal.booked_journal_lines[0]["gl_account"] == sent_first
    assert journal.sent_journal_lines is None
    assert_booked_once(yuki, journal)
