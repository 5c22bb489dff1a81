"""A token refresh inside a document-polling thread: the database connection that thread opened is closed
when its work is done (integrations/nmbrs_rest/access.py, ConnectionTokens), the import's own stays."""

from __future__ import annotations

import threading

from django.db import connection, connections

from connectors.nmbrs_rest.tasks import Polling, TaskRequest, run_tasks
from integrations.nmbrs_rest import access
from sandbox.nmbrs_rest import data

BAKKERIJ_ID = 50001  # three employees, numbers 1 to 3


def _backends() -> int:
    """Sessions PostgreSQL has open on the test database, this one included."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_refresh_in_a_polling_thread_closes_the_threads_database_connection(
        transactional_db, rest_app, portal_rest_connection, monkeypatch):
    rotations: list[str] = []
    rotate = rest_app.state.rotate
    monkeypatch.setattr(rest_app.state, "rotate", lambda token: (rotations.append(token), rotate(token))[1])
    client = access.client_for(portal_rest_connection)
    provider = client.token_provider
    in_threads: list[tuple[bool, bool]] = []  # (a forced refresh, that thread's connection closed afterwards)

    def recording(force_refresh: bool = False, rejected: str | None = None) -> str:
        try:
            return provider(force_refresh, rejected)
        finally:
            if threading.current_thread() is not threading.main_thread():
                in_threads.append((force_refresh, connections["default"].connection is None))

    client.token_provider = recording
    try:
        client.token_provider()  # the import's thread reads the stored token first (as its list calls do)
        before = _backends()
        rest_app.state.expire_access_tokens()  # the token in memory is now refused: 401 in the pool's threads
        requests = [TaskRequest(number, f"/api/employees/{data.employee_uid(BAKKERIJ_ID, number)}/payslipperperiod",
                                {"period": 10, "year": 2026}) for number in (1, 2, 3)]
        outcomes = run_tasks(client, requests, Polling(first_delay=0.0, max_wait=5.0), sleep=lambda _s: None)
    finally:
        client.close()

    assert all(outcome.ready for outcome in outcomes.values())
    refreshes = [closed for forced, closed in in_threads if forced]
    assert refreshes, "the 401s came back in the polling threads, which asked for a refresh there"
    assert len(rotations) == 1, "one refresh at Nmbrs: the threads after the first take its new token"
    assert all(closed for _forced, closed in in_threads), in_threads
    assert connection.connection is not None, "the import's own connection is not the threads' to close"
    assert _backends() <= before, "no session of a polling thread is left open"
