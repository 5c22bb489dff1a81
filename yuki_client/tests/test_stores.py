"""Session IDs and call counts shared between the clients of a process: MemoryStore."""

from datetime import date

import pytest

from yuki_client import MemoryStore

DAY = date(2026, 11, 30)


@pytest.fixture
def any_store():
    return MemoryStore()  # the portal's database store passes the same tests (tests/test_yuki_store.py)


def test_calls_are_counted_up_to_the_budget_and_then_refused(any_store):
    assert [any_store.reserve_call("dom", DAY, 3) for _ in range(4)] == [1, 2, 3, None]
    assert any_store.calls_on("dom", DAY) == 3


def test_counts_are_per_domain_and_per_day(any_store):
    any_store.reserve_call("dom", DAY, 10)
    any_store.reserve_call("other", DAY, 10)
    any_store.reserve_call("dom", date(2026, 12, 1), 10)
    assert any_store.calls_on("dom", DAY) == 1
    assert any_store.calls_on("dom", date(2026, 11, 29)) == 0


def test_sessions_are_stored_and_dropped_only_if_unchanged(any_store):
    assert any_store.get_session("fp") is None
    any_store.set_session("fp", "session-1", 3600)
    assert any_store.get_session("fp") == "session-1"

    any_store.set_session("fp", "session-2", 3600)  # another worker renewed it
    any_store.drop_session("fp", "session-1")
    assert any_store.get_session("fp") == "session-2"
    any_store.drop_session("fp", "session-2")
    assert any_store.get_session("fp") is None


def test_memory_sessions_expire_after_their_ttl():
    now = [1000.0]
    store = MemoryStore(clock=lambda: now[0])
    store.set_session("fp", "s", 60)
    now[0] += 59
    assert store.get_session("fp") == "s"
    now[0] += 2
    assert store.get_session("fp") is None


def test_the_first_stored_session_wins_and_every_caller_gets_it(any_store):
    assert any_store.add_session("fp", "session-a", 3600) == "session-a"
    assert any_store.add_session("fp", "session-b", 3600) == "session-a"
    assert any_store.get_session("fp") == "session-a"

    any_store.drop_session("fp", "session-a")  # expired at Yuki: the next sign-in stores its own
    assert any_store.add_session("fp", "session-c", 3600) == "session-c"


def test_an_expired_session_is_replaced_by_the_next_sign_in():
    now = [1000.0]
    store = MemoryStore(clock=lambda: now[0])
    store.add_session("fp", "old", 10)
    now[0] += 11
    assert store.add_session("fp", "new", 10) == "new"


def test_yukis_daily_limit_refuses_every_call_of_that_domain_on_that_day(any_store):
    any_store.reserve_call("dom", DAY, 800)
    any_store.mark_limit_reached("dom", DAY)

    assert any_store.limit_reached("dom", DAY)
    assert any_store.reserve_call("dom", DAY, 800) is None
    assert any_store.calls_on("dom", DAY) == 1
    assert not any_store.limit_reached("other", DAY)
    assert any_store.reserve_call("other", DAY, 800) == 1
    assert any_store.reserve_call("dom", date(2026, 12, 1), 800) == 1
