"""The daily call budget: counted per domain per Amsterdam day, enforced before sending."""

from datetime import UTC, date, datetime

import pytest

from sandbox.yuki import data
from yuki_client import (
    CallBudgetExhausted,
    DailyLimitError,
    MemoryStore,
    YukiDailyLimitReached,
    amsterdam_day,
    calls_today,
)


def test_every_call_is_counted_including_authenticate(client, sandbox, store):
    client.domains()
    client.document_folders()

    assert client.calls_today() == 3
    assert calls_today(store, data.DEMO_DOMAIN_ID) == 3
    assert sandbox.app.state.calls_on(data.DEMO_DOMAIN_ID) == 3


def test_a_call_over_budget_is_refused_without_being_sent(make_client, sandbox):
    client = make_client(daily_budget=3)
    client.domains()
    client.domains()

    with pytest.raises(CallBudgetExhausted, match="budget of 3 Yuki API calls") as info:
        client.document_folders()
    assert isinstance(info.value, DailyLimitError)
    assert (info.value.used, info.value.budget) == (3, 3)
    assert sandbox.app.state.calls_on(data.DEMO_DOMAIN_ID) == 3
    assert "yuki:DocumentFolders" not in sandbox.app.faults.calls


def test_the_budget_is_shared_by_clients_of_the_same_domain(make_client):
    first, second = make_client(daily_budget=4), make_client(daily_budget=4)
    first.domains()  # Authenticate + Domains
    second.domains()  # the shared session: Domains only
    second.domains()
    assert first.calls_today() == 4
    with pytest.raises(CallBudgetExhausted):
        first.domains()


def test_the_day_is_the_amsterdam_calendar_day(make_client, store):
    # 23:30 UTC on 30 November is already 1 December in Amsterdam.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert amsterdam_day(late) == date(2026, 12, 1)

    client = make_client(clock=lambda: late)
    client.domains()
    assert store.calls_on(data.DEMO_DOMAIN_ID, date(2026, 12, 1)) == 2
    assert store.calls_on(data.DEMO_DOMAIN_ID, date(2026, 11, 30)) == 0


def test_yukis_own_daily_limit_fault_is_typed(client, sandbox):
    sandbox.app.state.daily_limit = 2
    client.domains()

    with pytest.raises(YukiDailyLimitReached, match="daily limit of API calls for this Yuki domain"):
        client.domains()


def test_the_budget_is_shared_by_the_clients_of_one_store(make_client, sandbox):
    store = MemoryStore()
    first = make_client(store=store, daily_budget=5)
    second = make_client(store=store, daily_budget=5)
    first.domains()
    second.domains()
    second.administrations()
    assert sandbox.app.state.authentications == 1
    assert first.calls_today() == 4
    second.domains()
    with pytest.raises(CallBudgetExhausted):
        first.domains()
