"""The worker survives closing a Redis connection that was lost (payrollsync/broker.py): the exact frames of
kombu's crash after a Redis restart, seen in the chaos bench, reached here without a restart. And a Redis
channel sends its commands through one client, in a forked process and after Redis dropped it too."""

import json
import os
import uuid

import billiard
import pytest
import redis
from kombu import Connection, Consumer, Producer, Queue
from kombu.common import ignore_errors

from payrollsync.broker import RedisTransport


def lost_connection(settings, transport):
    """A channel with an unacknowledged message whose connection Celery has collected after a broker loss
    (its pools disconnected, the transport's client gone), about to be closed."""
    connection = Connection(settings.CELERY_BROKER_URL, transport=transport)
    channel = connection.default_channel
    channel.client.ping()
    channel.qos._delivered["tag-1"] = "an unacknowledged message"
    channel._disconnect_pools()
    connection.transport.client = None
    return connection, channel


def test_the_project_uses_the_guarded_transport(settings):
    from payrollsync.celery import app

    assert settings.CELERY_BROKER_TRANSPORT == "payrollsync.broker:RedisTransport"
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, RedisTransport)


def test_closing_a_lost_connection_is_a_connection_error_that_celery_ignores(settings):
    connection, channel = lost_connection(settings, "payrollsync.broker:RedisTransport")
    ignore_errors(connection, channel.qos.restore_unacked_once)  # what Celery's connection.close() reaches


def test_plain_kombu_still_crashes_there(settings):
    """Kombu's own transport raises AttributeError there, which stops the worker. When this test fails,
    kombu fixed it: payrollsync/broker.py can go."""
    connection, channel = lost_connection(settings, "redis")
    with pytest.raises(AttributeError, match="hostname"):
        ignore_errors(connection, channel.qos.restore_unacked_once)


def redis_connection(settings, **options):
    return Connection(
        settings.CELERY_BROKER_URL,
        transport="payrollsync.broker:RedisTransport",
        transport_options={**settings.CELERY_BROKER_TRANSPORT_OPTIONS, **options},
    )


def publish(connection, queue_name, bodies):
    producer = Producer(connection.default_channel, serializer="json")
    for body in bodies:
        producer.publish(body, routing_key=queue_name, declare=[Queue(queue_name, routing_key=queue_name)])


def consume(connection, queue_name, count, *, ack=True):
    """The next `count` messages of the queue, acked (as the worker does) unless told otherwise."""
    received = []

    def on_message(body, message):
        received.append(message)
        if ack:
            message.ack()

    queue = Queue(queue_name, routing_key=queue_name)
    with Consumer(connection.default_channel, queues=[queue], callbacks=[on_message]):
        while len(received) < count:
            connection.drain_events(timeout=5)
    return received


def bodies_of(messages):
    return [message.payload for message in messages]


def test_a_channel_publishes_delivers_and_acks_through_one_client(settings):
    """kombu made a redis.Redis for every publish, delivery and ack (its CPU showed in the worker's
    profile); one per channel does the same work."""
    with redis_connection(settings) as connection:
        channel = connection.default_channel
        made = []
        make_client = channel.Client

        def counted_client(**kwargs):
            made.append(make_client(**kwargs))
            return made[-1]

        channel.Client = counted_client

        publish(connection, "one-client", [{"n": n} for n in range(3)])
        assert bodies_of(consume(connection, "one-client", 3)) == [{"n": n} for n in range(3)]
        assert len(made) == 1
        assert made[0].connection_pool is channel.pool
        with channel.conn_or_acquire() as client:
            assert client is made[0]
        with channel.conn_or_acquire(channel.client) as given:
            assert given is channel.client  # a client passed in is used, as kombu does
        assert not channel.client.hlen(channel.unacked_key)  # the acks reached Redis


def test_the_client_goes_with_the_channels_pool(settings):
    """Closing the channel, or a fork into a pool process (kombu's after-fork hook), disconnects its pool:
    the client on it goes too, and the next command gets a client on the new pool."""
    with redis_connection(settings) as connection:
        channel = connection.channel()
        with channel.conn_or_acquire() as before:
            before.ping()
        channel._disconnect_pools()  # what kombu's after-fork hook does in a Celery pool process
        with channel.conn_or_acquire() as after:
            after.ping()
        assert after is not before
        assert after.connection_pool is channel.pool is not before.connection_pool
        channel.close()
        assert channel._shared_client is None
        assert channel._pool is None


def test_a_channel_keeps_working_after_redis_dropped_its_connections(settings):
    """As after a Redis restart or a `CLIENT KILL`: a publish and an ack reconnect through the client's
    pool. Consuming raises the ConnectionError Celery reconnects on, as kombu's own channel does, and
    then goes on."""
    name = f"test-broker-{uuid.uuid4().hex}"
    with (
        redis_connection(settings, client_name=name) as connection,
        redis.Redis.from_url(settings.CELERY_BROKER_URL) as admin,
    ):
        publish(connection, "dropped", [{"n": 1}])
        delivered = consume(connection, "dropped", 1, ack=False)

        ours = [client["id"] for client in admin.client_list() if client["name"] == name]
        assert len(ours) == 2  # the shared client's connection and the one kombu consumes with
        for client_id in ours:
            admin.client_kill_filter(_id=client_id)

        delivered[0].ack()
        publish(connection, "dropped", [{"n": 2}])
        with pytest.raises(redis.exceptions.ConnectionError):
            consume(connection, "dropped", 1)
        publish(connection, "dropped", [{"n": 3}])
        assert bodies_of(consume(connection, "dropped", 2)) == [{"n": 2}, {"n": 3}]
        channel = connection.default_channel
        assert not admin.hlen(channel.unacked_key)


def in_forked_process(report, *, through_billiard):
    """What `report()` returns (JSON) in a process forked from this one: by billiard, as Celery's prefork
    pool does (kombu's after-fork hook runs), or by a bare os.fork (nothing runs)."""
    read_end, write_end = os.pipe()

    def child():
        os.write(write_end, json.dumps(report()).encode())

    if through_billiard:
        process = billiard.Process(target=child)
        process.start()
        os.close(write_end)
        process.join(30)
    else:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            try:
                child()
            finally:
                os._exit(0)
        os.close(write_end)
        os.waitpid(pid, 0)
    with os.fdopen(read_end) as pipe:
        return json.loads(pipe.read())


@pytest.mark.parametrize("through_billiard", [True, False], ids=["billiard", "os.fork"])
def test_a_forked_process_uses_a_redis_connection_of_its_own(settings, through_billiard):
    """Celery's prefork pool forks its processes from the worker. Through billiard, kombu's after-fork hook
    disconnects the channel's pools and the client goes with them; after a bare fork the client is shared,
    but redis-py's pool notices the new pid and connects anew. Either way, no socket is shared."""
    with redis_connection(settings) as connection:
        channel = connection.default_channel
        with channel.conn_or_acquire() as parent_client:
            parent_id = parent_client.client_id()

        def report():
            with channel.conn_or_acquire() as client:
                return {"same_client": client is parent_client, "id": client.client_id()}

        child = in_forked_process(report, through_billiard=through_billiard)
        assert child["same_client"] is not through_billiard
        assert child["id"] != parent_id
        with channel.conn_or_acquire() as client:
            assert client is parent_client
            assert client.client_id() == parent_id  # the parent's connection, untouched by the child


@pytest.mark.celery_worker
def test_a_real_worker_takes_tasks_again_after_redis_dropped_its_connections(transactional_db, settings):
    """End to end, as after a Redis restart: the prefork worker's consumer, its channel's client and the
    sender's producer lose their connections to the broker DB; the worker reconnects and runs the next task."""
    from tests.support import celery_worker, heartbeat_through

    broker_db = int(settings.CELERY_BROKER_URL.rsplit("/", 1)[1])
    with (
        celery_worker(settings, pool="prefork", concurrency=1) as worker,
        redis.Redis.from_url(settings.CELERY_BROKER_URL) as admin,
    ):
        heartbeat_through(worker.queue)
        own = admin.client_id()
        connected = [
            client["id"]
            for client in admin.client_list()
            if int(client["db"]) == broker_db and int(client["id"]) != own
        ]
        assert len(connected) >= 3  # the worker's consumer and client, the test's producer
        for client_id in connected:
            admin.client_kill_filter(_id=client_id)
        heartbeat_through(worker.queue)
        assert not set(connected) & {client["id"] for client in admin.client_list()}

def filesystem_connection(tmp_path, transport):
    folder = str(tmp_path / "queue")
    (tmp_path / "queue").mkdir()
    (tmp_path / "processed").mkdir()
    return Connection("filesystem://localhost/", transport=transport, transport_options={
        "data_folder_in": folder, "data_folder_out": folder, "processed_folder": str(tmp_path / "processed")})


def test_kombus_filesystem_broker_hands_a_reader_a_message_still_being_written(tmp_path, monkeypatch):
    """Why FilesystemTransport exists: kombu's own channel creates the file before writing it, and a
    worker polling at that moment reads it empty. When this test fails, kombu publishes atomically and
    FilesystemTransport can go."""
    from kombu.transport import filesystem

    channel = filesystem_connection(tmp_path, filesystem.Transport).default_channel
    read_between = []
    real_lock = filesystem.lock

    def lock(file, flags):
        try:
            read_between.append(channel._get("q"))
        except Exception as exc:  # noqa: BLE001 - what the worker's main process would die of
            read_between.append(exc)
        real_lock(file, flags)

    monkeypatch.setattr(filesystem, "lock", lock)
    channel._put("q", {"body": "heartbeat"})
    assert isinstance(read_between[0], ValueError), read_between  # JSONDecodeError: the worker exits


def test_the_embedded_broker_publishes_a_message_whole_or_not_at_all(tmp_path, monkeypatch):
    from queue import Empty

    from payrollsync import broker

    channel = filesystem_connection(tmp_path, broker.FilesystemTransport).default_channel
    real_replace = broker.os.replace

    def replace(source, target):
        with pytest.raises(Empty):  # a worker polling mid-publish sees nothing yet
            channel._get("q")
        real_replace(source, target)

    monkeypatch.setattr(broker.os, "replace", replace)
    channel._put("q", {"body": "heartbeat"})
    assert channel._get("q") == {"body": "heartbeat"}


def test_make_run_uses_the_atomic_embedded_broker(tmp_path):
    import os
    import subprocess
    import sys

    from tests.support import ROOT

    code = "from django.conf import settings; print(settings.CELERY_BROKER_TRANSPORT)"
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "payrollsync.settings",
                              "DEBUG": "on", "SANDBOX_ENABLED": "on", "CELERY_BROKER_URL": "filesystem://localhost/",
                              "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
                              "PAYROLLSYNC_IGNORE_DOTENV": "1"})
    assert out.stdout.strip() == "payrollsync.broker:FilesystemTransport"


def test_the_embedded_broker_hands_back_to_celery_within_a_fraction_of_a_second(tmp_path):
    """Celery's loop for this broker asks drain_events(timeout=2.0) and sees a stop request only between two
    calls (and runs one more after it): kombu's filesystem transport waited the whole 2 s on an empty queue
    (polling each second), which held every stop of `make run` 3-5 s. Ours hands back after DRAIN_SECONDS;
    a message waiting is delivered as before."""
    import socket
    import time

    from kombu import Queue

    from payrollsync import broker

    connection = filesystem_connection(tmp_path, broker.FilesystemTransport)
    received = []
    queue = Queue("q", routing_key="q")
    with connection.Consumer(queue, callbacks=[lambda body, message: (received.append(body), message.ack())]):
        started = time.monotonic()
        with pytest.raises(socket.timeout):
            connection.drain_events(timeout=2.0)
        assert time.monotonic() - started < 1.0, "kombu's own transport waits the whole 2 s"
        connection.Producer().publish({"task": "heartbeat"}, routing_key="q", declare=[queue])
        connection.drain_events(timeout=2.0)
    assert received == [{"task": "heartbeat"}]
