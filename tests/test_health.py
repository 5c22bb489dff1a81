"""GET /health/ and `manage.py healthcheck`: up/down for anyone, the checks for administrators and the
health token, and the worker's own heartbeat from a real worker process."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.models import PortalRole, ServiceHeartbeat
from tests.people import make_user
from tests.support import celery_worker


@pytest.fixture
def healthy(transactional_db, settings, tmp_path):
    # The checks run in threads of their own: they see only committed rows (transactional_db).
    settings.YUKI_WSDL_CACHE_DIR = str(tmp_path / "wsdl")
    for name in ("worker", "beat"):
        ServiceHeartbeat.objects.create(name=name, seen_at=timezone.now())


def test_anyone_gets_only_up(client, healthy):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_a_stale_beat_is_down_and_administrators_see_why(client, healthy):
    ServiceHeartbeat.objects.filter(name="beat").update(seen_at=timezone.now() - timedelta(minutes=4))
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (503, {"status": "down"})

    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    body = client.get("/health/").json()
    assert body["status"] == "down"
    assert body["checks"]["beat"].startswith("Unavailable: beat last seen")
    assert {name for name, value in body["checks"].items() if value == "OK"} == {
        "database", "broker", "cache", "worker", "wsdl_cache"}
    assert body["version"]


def test_a_backoffice_user_sees_no_details(client, healthy):
    client.force_login(make_user("bob", PortalRole.BACKOFFICE))
    assert client.get("/health/").json() == {"status": "up"}


def test_the_health_token_shows_details_and_a_wrong_one_does_not(client, healthy, settings):
    settings.HEALTH_TOKEN = "monitoring-token-123"
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer wrong").json() == {"status": "up"}
    body = client.get("/health/", HTTP_AUTHORIZATION="Bearer monitoring-token-123").json()
    assert set(body["checks"]) == {"database", "broker", "cache", "worker", "beat", "wsdl_cache"}


def test_an_unwritable_wsdl_cache_is_down(client, healthy, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.YUKI_WSDL_CACHE_DIR = str(blocker / "wsdl")
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["wsdl_cache"] == "Unavailable: WSDL cache folder not writable (Not a directory)"


def test_the_command_exits_1_on_a_failing_check(healthy, capsys):
    call_command("healthcheck", "worker", "beat")
    assert '"worker": "OK"' in capsys.readouterr().out
    ServiceHeartbeat.objects.filter(name="worker").delete()
    with pytest.raises(SystemExit) as exit_:
        call_command("healthcheck", "worker")
    assert exit_.value.code == 1
    assert "no worker heartbeat yet" in capsys.readouterr().out


@pytest.mark.celery_worker
def test_a_real_worker_writes_its_own_heartbeat_without_any_task(transactional_db, settings):
    assert not ServiceHeartbeat.objects.filter(name="worker").exists()
    with celery_worker(settings, pool="prefork", concurrency=1):
        deadline = time.monotonic() + 60
        while not ServiceHeartbeat.objects.filter(name="worker").exists():
            assert time.monotonic() < deadline, "the worker never wrote its heartbeat"
            time.sleep(0.3)
    beat = ServiceHeartbeat.objects.get(name="worker")
    assert timezone.now() - beat.seen_at < timedelta(minutes=1)
    assert beat.hostname


def test_a_worker_not_seen_for_three_minutes_is_down(client, healthy):
    ServiceHeartbeat.objects.filter(name="worker").update(seen_at=timezone.now() - timedelta(minutes=3, seconds=5))
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("Unavailable: worker last seen")
    ServiceHeartbeat.objects.filter(name="worker").update(seen_at=timezone.now() - timedelta(minutes=2))
    assert client.get("/health/").json()["checks"]["worker"] == "OK", "a late beat or two is not a dead worker"


class _Connection:
    def __init__(self, connected):
        self._connected = connected

    @property
    def connected(self):
        if isinstance(self._connected, Exception):
            raise self._connected
        return self._connected


@pytest.mark.parametrize(("connection", "stamped"), [
    (_Connection(True), True),
    (_Connection(False), False),  # reconnecting to the broker: takes no task, so not "seen"
    (None, False),  # Celery drops the consumer's connection when it is lost
    (_Connection(OSError("gone")), False),
])
def test_the_worker_stamps_its_heartbeat_only_while_connected_to_the_broker(transactional_db, connection, stamped):
    from types import SimpleNamespace

    from payrollsync.celery import WorkerHeartbeat

    worker = SimpleNamespace(consumer=SimpleNamespace(connection=connection))
    WorkerHeartbeat.beat_if_connected(worker)
    assert ServiceHeartbeat.objects.filter(name="worker").exists() == stamped
