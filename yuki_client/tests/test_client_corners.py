"""yuki_client's corners: undeclared operations, Yuki's own daily limit, simultaneous sign-ins."""

import logging
import threading
from datetime import datetime, timedelta

import pytest

from sandbox.yuki import data
from yuki_client import (
    CallBudgetExhausted,
    Service,
    UnknownOperationError,
    YukiConfigurationError,
    YukiDailyLimitReached,
)
from yuki_client.budget import AMSTERDAM


def _outcomes(caplog, operation):
    return [r.yuki_outcome for r in caplog.records if r.name == "yuki_client" and r.yuki_operation == operation]


def test_an_undeclared_operation_is_a_typed_error_not_counted_and_not_logged_as_ok(client, sandbox, caplog):
    caplog.set_level(logging.INFO, logger="yuki_client")

    with pytest.raises(UnknownOperationError, match="does not declare NoSuchOperation") as info:
        client.call(Service.ARCHIVE, "NoSuchOperation", {"x": 1})
    assert isinstance(info.value, YukiConfigurationError)
    assert client.calls_today() == 0, "nothing was sent, so nothing is counted (not even a sign-in)"
    assert sandbox.app.state.calls_on(data.DEMO_DOMAIN_ID) == 0
    assert _outcomes(caplog, "NoSuchOperation") == ["UnknownOperationError"]


def test_parameters_the_operation_does_not_declare_are_refused_before_counting(client, sandbox, caplog):
    caplog.set_level(logging.INFO, logger="yuki_client")
    client.document_folders()  # signed in: 2 calls

    with pytest.raises(UnknownOperationError, match="DocumentFolders"):
        client.call(Service.ARCHIVE, "DocumentFolders", {"noSuchParameter": "1"})
    assert client.calls_today() == 2
    assert sandbox.app.faults.calls["yuki:DocumentFolders"] == 1
    assert _outcomes(caplog, "DocumentFolders") == ["ok", "UnknownOperationError"]


def test_yukis_daily_limit_is_remembered_for_the_rest_of_the_day_by_every_worker(make_client, sandbox):
    sandbox.app.state.daily_limit = 2
    first = make_client()
    first.domains()  # Authenticate + Domains: Yuki's limit (here 2) is used up by us and other apps
    with pytest.raises(YukiDailyLimitReached):
        first.domains()  # Yuki refuses it
    refused = sandbox.app.faults.calls["yuki:Domains"]

    second = make_client()  # another worker, same store
    with pytest.raises(YukiDailyLimitReached, match="reported earlier today"):
        second.document_folders()
    with pytest.raises(YukiDailyLimitReached):
        first.domains()
    assert sandbox.app.faults.calls["yuki:Domains"] == refused, "no more calls are sent today"
    assert "yuki:DocumentFolders" not in sandbox.app.faults.calls
    assert first.calls_today() == 3  # the refused call was sent, so it counts

    sandbox.app.state.daily_limit = 1000
    tomorrow = datetime.now(AMSTERDAM) + timedelta(days=1)
    assert make_client(clock=lambda: tomorrow).domains()[0].id == data.DEMO_DOMAIN_ID


def test_our_own_budget_is_not_mistaken_for_yukis_limit(make_client):
    client = make_client(daily_budget=2)
    client.domains()
    with pytest.raises(CallBudgetExhausted):
        client.domains()


def test_workers_signing_in_at_the_same_moment_share_one_session(make_client, sandbox, store):
    first, second = make_client(), make_client()
    winner = first.authenticate()
    assert second.authenticate() == winner, "the second sign-in finds the first one stored and uses it"
    assert sandbox.app.state.authentications == 2

    first.domains()
    second.document_folders()
    assert sandbox.app.state.authentications == 2, "both workers use the winning session"
    assert first.session_id() == second.session_id() == winner


def test_many_threads_signing_in_at_once_end_up_with_one_session(make_client, sandbox):
    clients = [make_client() for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    sessions = []

    def sign_in(client):
        barrier.wait()
        sessions.append(client.session_id())

    threads = [threading.Thread(target=sign_in, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(sessions)) == 1
    for client in clients:
        client.domains()
    assert len({c.session_id() for c in clients}) == 1
