"""The portal's database store for yuki_client, with the real client against the Yuki sandbox."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from portal.models import YukiCallCount, YukiSession
from portal.yuki_store import DatabaseYukiStore, forget_sessions
from sandbox.server import SandboxServer
from sandbox.yuki import create_app, data
from yuki_client import CallBudgetExhausted, MemoryStore, YukiClient
from yuki_client.connection import SESSION_TTL_SECONDS


@pytest.fixture
def yuki_with_store(tmp_path):
    """The Yuki sandbox, with `client(**options)`: a new Yuki client on the database store, as each worker has."""
    app = create_app()
    with SandboxServer(app) as server:
        server.app = app
        server.client = lambda **kw: YukiClient(
            server.url + "/ws/", data.DEMO_ACCESS_KEY, domain_id=data.DEMO_DOMAIN_ID,
            store=DatabaseYukiStore(), wsdl_cache_dir=tmp_path, timeout=5, **kw)
        yield server


@pytest.mark.django_db
def test_calls_are_counted_per_domain_and_sessions_reused_across_clients(yuki_with_store):
    for _ in range(3):
        yuki_with_store.client().document_folders()  # a new client each time, like separate workers
    assert yuki_with_store.app.state.authentications == 1, "one Authenticate, then the stored session"
    assert YukiCallCount.objects.get(domain_id=data.DEMO_DOMAIN_ID).count == 4  # 1 Authenticate + 3 calls
    assert data.DEMO_ACCESS_KEY not in str(list(YukiSession.objects.values_list("fingerprint", flat=True)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_id FROM portal_yukisession")
        assert cursor.fetchone()[0].startswith("fernet:"), "the session ID is stored encrypted"


@pytest.mark.django_db
def test_the_budget_is_enforced_before_sending(yuki_with_store):
    client = yuki_with_store.client(daily_budget=3)
    client.document_folders()  # Authenticate + DocumentFolders
    client.document_folders()
    assert yuki_with_store.app.state.calls_on(data.DEMO_DOMAIN_ID) == 3
    with pytest.raises(CallBudgetExhausted):
        client.document_folders()
    assert YukiCallCount.objects.get(domain_id=data.DEMO_DOMAIN_ID).count == 3
    assert yuki_with_store.app.state.calls_on(data.DEMO_DOMAIN_ID) == 3, "nothing was sent"


@pytest.mark.django_db(transaction=True)
def test_reservations_are_atomic_across_threads():
    store = DatabaseYukiStore()
    results = []

    def reserve():
        for _ in range(20):
            results.append(store.reserve_call("dom", date(2026, 11, 22), 50))
        connection.close()

    threads = [threading.Thread(target=reserve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    granted = [r for r in results if r is not None]
    assert len(granted) == 50 and sorted(granted) == list(range(1, 51)), "each number handed out once"
    assert store.calls_on("dom", date(2026, 11, 22)) == 50


@pytest.mark.django_db
def test_yukis_daily_limit_is_remembered_in_the_database_across_workers(yuki_with_store):
    from yuki_client import YukiDailyLimitReached

    yuki_with_store.app.state.daily_limit = 2
    yuki_with_store.client().document_folders()
    with pytest.raises(YukiDailyLimitReached):
        yuki_with_store.client().document_folders()
    sent = yuki_with_store.app.faults.calls["yuki:DocumentFolders"]

    with pytest.raises(YukiDailyLimitReached, match="reported earlier today"):
        yuki_with_store.client().document_folders()  # a new client: another worker
    assert yuki_with_store.app.faults.calls["yuki:DocumentFolders"] == sent, "nothing more is sent today"
    row = YukiCallCount.objects.get(domain_id=data.DEMO_DOMAIN_ID)
    assert (row.count, row.limit_reached) == (3, True)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ins_share_the_first_stored_session():
    store = DatabaseYukiStore()
    barrier = threading.Barrier(4)
    winners = []

    def sign_in(number):
        barrier.wait()
        winners.append(store.add_session("fp-race", f"session-{number}", 3600))
        connection.close()

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(winners)) == 1
    assert store.get_session("fp-race") == winners[0]
    YukiSession.objects.all().delete()


@pytest.mark.django_db
def test_a_process_reads_the_shared_session_once_and_keeps_it_until_it_expires(yuki_with_store):
    from django.test.utils import CaptureQueriesContext

    yuki_with_store.client().document_folders()  # signs in and stores the session
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            yuki_with_store.client().document_folders()  # new clients in the same process
    assert not [q for q in queries.captured_queries if "portal_yukisession" in q["sql"]], \
        "the stored session is remembered in the process: no query per call"
    assert yuki_with_store.app.state.authentications == 1

    YukiSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    forget_sessions()  # as another process that never saw it
    yuki_with_store.client().document_folders()
    assert yuki_with_store.app.state.authentications == 2, "an expired stored session is not used"
    with time_machine.travel(timezone.now() + timedelta(seconds=SESSION_TTL_SECONDS + 1)):
        yuki_with_store.app.state.expire_sessions()
        yuki_with_store.client().document_folders()  # the remembered one expired with the row: read, sign in again
    assert yuki_with_store.app.state.authentications == 3


@pytest.mark.django_db
def test_a_session_renewed_by_another_process_replaces_the_remembered_one_after_one_rejection(yuki_with_store):
    yuki_with_store.client().document_folders()
    assert yuki_with_store.app.state.authentications == 1
    remembered = YukiSession.objects.get().session_id
    # Another worker found the session rejected and signed in again: the table holds its new session,
    # this process still remembers the old one, which Yuki no longer accepts.
    yuki_with_store.app.state.expire_sessions()
    other = YukiClient(yuki_with_store.url + "/ws/", data.DEMO_ACCESS_KEY, domain_id=data.DEMO_DOMAIN_ID,
                       store=MemoryStore(), timeout=5)
    renewed = other.authenticate()
    YukiSession.objects.update(session_id=renewed)
    assert renewed != remembered and yuki_with_store.app.state.authentications == 2

    sent = yuki_with_store.app.faults.calls["yuki:DocumentFolders"]
    yuki_with_store.client().document_folders()  # rejected once, drops its own, uses the other's: no sign-in
    assert yuki_with_store.app.state.authentications == 2
    assert yuki_with_store.app.faults.calls["yuki:DocumentFolders"] == sent + 2
    assert YukiSession.objects.get().session_id == renewed, "the other worker's session is not dropped"
    yuki_with_store.client().document_folders()
    assert yuki_with_store.app.faults.calls["yuki:DocumentFolders"] == sent + 3, "and remembered from then on"
