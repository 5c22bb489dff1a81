"""GLAccountTransactions: finding a booked journal by the reference in its lines, and knowing when the
answer cannot tell. Also: every failure before a request leaves us says it was not sent."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from sandbox.yuki import data, handlers
from yuki_client import (
    AmbiguousWriteError,
    CallBudgetExhausted,
    EntryLine,
    GLAccountTransaction,
    Journal,
    MemoryStore,
    NotSentError,
    UnreadableAnswerError,
    YukiConfigurationError,
    YukiFault,
)
from yuki_client.transactions import read, with_reference

ADMINISTRATION = data.DEMO_ADMINISTRATION_ID
NOV30 = date(2026, 11, 30)


def journal(reference: str, day: date = NOV30) -> Journal:
    return Journal(f"Loonjournaal {reference}", [
        EntryLine(day, "40000", Decimal("2500.00"), f"{reference} Bruto lonen"),
        EntryLine(day, "17100", Decimal("-612.40"), f"{reference} Loonheffing"),
        EntryLine(day, "18000", Decimal("-1887.60"), f"{reference} Netto lonen"),
    ])


def test_a_booked_journal_is_listed_on_its_account_with_its_reference(client, sandbox):
    client.process_journal(ADMINISTRATION, journal("[jr-aaaaaaaaaa]"))
    client.process_journal(ADMINISTRATION, journal("[jr-bbbbbbbbbb]", date(2026, 12, 1)))

    listed = client.gl_account_transactions(ADMINISTRATION, "17100", NOV30, NOV30)

    assert listed == [GLAccountTransaction("[jr-aaaaaaaaaa] Loonheffing", NOV30, Decimal("-612.40"))]
    assert with_reference(listed, "[jr-aaaaaaaaaa]") == listed
    assert with_reference(listed, "[jr-bbbbbbbbbb]") == [], "booked on another day: not in this listing"
    assert with_reference(listed, "[jr-aaaaaaaaaa v2]") == [], "another version is another reference"
    both_days = client.gl_account_transactions(ADMINISTRATION, "17100", NOV30, date(2026, 12, 1))
    assert [t.description for t in both_days] == ["[jr-aaaaaaaaaa] Loonheffing", "[jr-bbbbbbbbbb] Loonheffing"]


def test_an_empty_account_is_an_empty_listing_in_one_counted_call(client, sandbox):
    assert client.gl_account_transactions(ADMINISTRATION, "40000", NOV30, NOV30) == []
    assert client.calls_today() == 2  # Authenticate + the listing
    assert sandbox.app.faults.calls["yuki:GLAccountTransactions"] == 1


def test_the_request_has_the_catalogue_s_names_and_whole_days(client, sandbox, monkeypatch):
    received = []
    original = handlers.HANDLERS["GLAccountTransactions"]
    monkeypatch.setitem(handlers.HANDLERS, "GLAccountTransactions",
                        lambda state, session, params: received.append(params) or original(state, session, params))

    client.gl_account_transactions(ADMINISTRATION, " 17100 ", NOV30, date(2026, 12, 2))

    [params] = received
    assert list(params) == ["sessionID", "administrationID", "GLAccountCode", "StartDate", "EndDate"]
    assert (params["GLAccountCode"], params["StartDate"], params["EndDate"]) == (
        "17100", datetime(2026, 11, 30), datetime(2026, 12, 2, 23, 59, 59))


def test_a_listing_in_an_unknown_layout_is_unreadable_never_empty(client, sandbox, monkeypatch):
    def other_layout(state, session, params):
        root = etree.Element("Transactions")
        etree.SubElement(etree.SubElement(root, "Transaction"), "Omschrijving").text = "[jr-aaaaaaaaaa]"
        return root

    monkeypatch.setitem(handlers.HANDLERS, "GLAccountTransactions", other_layout)
    with pytest.raises(UnreadableAnswerError):
        client.gl_account_transactions(ADMINISTRATION, "17100", NOV30, NOV30)


@pytest.mark.parametrize("xml", ["<GLAccountTransactions><GLAccountTransaction><Date>2026-11-30</Date>"
                                 "</GLAccountTransaction></GLAccountTransactions>", None])
def test_the_reader_refuses_a_booking_without_description_and_a_missing_listing(xml):
    with pytest.raises(UnreadableAnswerError):
        read(etree.fromstring(xml) if xml else None)


def test_a_refused_listing_is_a_fault(client, sandbox):
    sandbox.app.faults.add("soap_fault", vendor="yuki", operation="GLAccountTransactions",
                           message="Access denied to this web service")
    with pytest.raises(YukiFault, match="Access denied"):
        client.gl_account_transactions(ADMINISTRATION, "17100", NOV30, NOV30)


def test_bad_arguments_are_refused_before_any_call(client, sandbox):
    for gl_account, start, end in (("", NOV30, NOV30), ("17100", date(2026, 12, 1), NOV30)):
        with pytest.raises(YukiConfigurationError) as refused:
            client.gl_account_transactions(ADMINISTRATION, gl_account, start, end)
        assert refused.value.request_sent is False
    assert sandbox.app.faults.calls == {}


class BrokenStore(MemoryStore):
    """A store whose database goes away for one method (as during a PostgreSQL restart)."""

    def __init__(self, broken: str):
        super().__init__()
        self.broken = broken

    def __getattribute__(self, name):
        if name == object.__getattribute__(self, "broken"):
            def fail(*args, **kwargs):
                raise ConnectionError("terminating connection due to administrator command")
            return fail
        return object.__getattribute__(self, name)


@pytest.mark.parametrize("broken", ["get_session", "reserve_call", "add_session"])
def test_a_store_failure_before_the_call_is_not_sent_and_says_so(make_client, sandbox, broken):
    client = make_client(store=BrokenStore(broken))
    with pytest.raises(NotSentError) as failed:
        client.process_journal(ADMINISTRATION, journal("[jr-cccccccccc]"))
    assert failed.value.request_sent is False and failed.value.retryable
    assert isinstance(failed.value.cause, ConnectionError)
    assert sandbox.app.faults.calls.get("yuki:ProcessJournal", 0) == 0
    assert sandbox.app.state.journals == []


def test_failures_say_whether_the_request_left_us(make_client, sandbox):
    client = make_client(daily_budget=1)
    client.session_id()  # the only call of the budget
    with pytest.raises(CallBudgetExhausted) as refused:
        client.process_journal(ADMINISTRATION, journal("[jr-dddddddddd]"))
    assert refused.value.request_sent is False

    sandbox.app.faults.add("drop_after", vendor="yuki", operation="ProcessJournal")
    with pytest.raises(AmbiguousWriteError) as dropped:
        make_client().process_journal(ADMINISTRATION, journal("[jr-eeeeeeeeee]"))
    assert dropped.value.request_sent is True
    assert len(sandbox.app.state.journals) == 1
