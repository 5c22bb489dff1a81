"""kombu's Redis and filesystem transports, each with one way to crash the worker removed.

Redis: one crash after a lost connection turned into the connection error it is, and one Redis client per
channel instead of one per command (Channel.conn_or_acquire).

Seen in the chaos bench (bench/chaos_import.py, 3 of 10 nights) and in production after a Redis restart:
when the worker loses Redis, Celery collects the connection (kombu sets the transport's `client` to None)
and then closes it. Closing the channel restores its unacknowledged messages, which needs a new Redis
connection pool, built from `transport.client.hostname`: AttributeError("'NoneType' object has no
attribute 'hostname'"), which Celery does not expect there, so the worker's main process exits
("Unrecoverable error"). Raised as a Redis ConnectionError instead, Celery's own `ignore_errors` around
that close swallows it and the worker reconnects. Nothing is lost by not restoring then: Redis is gone
(or restarted), and kombu restores unacknowledged messages from Redis after the visibility timeout.

payrollsync/settings/celery.py selects this transport for redis:// broker URLs (CELERY_BROKER_TRANSPORT). When kombu no
longer builds a pool from a collected connection, tests/test_broker.py says so and this can go.
"""

from __future__ import annotations

import os
import uuid
from contextlib import nullcontext
from time import monotonic

import redis
from kombu.exceptions import ChannelError
from kombu.transport import filesystem as kombu_filesystem
from kombu.transport import redis as kombu_redis
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(kombu_redis.Channel):
    """kombu's channel with the lost-connection guard above, reusing one synchronous Redis client.

    kombu builds a new `redis.Redis` on the channel's pool for every command it sends outside BRPOP:
    each publish, each delivery (QoS.append), each ack. Building one costs more CPU than sending the
    command (redis-py fills a case-insensitive dict of 169 response callbacks: ~75 µs here, a third of
    a publish), while a client holds nothing but its pool: one per pool does the same work. It is made
    on first use and dropped with its pool (`_disconnect_pools`: on close, in a Celery pool process
    after the fork, when the channel's first ping fails), so it never outlives the pool, and the next
    use makes one on the new pool. A connection Redis dropped is the pool's business, as before:
    redis-py reconnects (or raises the ConnectionError Celery reconnects on). Nor does a process forked
    without kombu's after-fork hook share a socket through it: the pool drops the parent's connections
    when its pid changes (redis-py's `ConnectionPool._checkpid`). tests/test_broker.py shows all three.
    """

    _shared_client = None

    def conn_or_acquire(self, client=None):
        return nullcontext(client or self._client_on_pool())  # kombu: `if client`, a generator per call

    def _client_on_pool(self):
        pool = self.pool  # rebuilt here after _disconnect_pools (or raises, see _connparams)
        client = self._shared_client
        if client is None or client.connection_pool is not pool:
            client = self._shared_client = self._create_client()  # kombu's credential handling
        return client

    def _disconnect_pools(self):
        self._shared_client = None
        super()._disconnect_pools()

    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise redis.exceptions.ConnectionError("the broker connection was already closed after it was lost")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = Channel


class FilesystemChannel(kombu_filesystem.Channel):
    """The embedded broker of `make run`, publishing a message atomically.

    kombu creates the message file under its final name and then writes it; a worker polling the folder
    can move and read it in between, gets an empty file, and its main process exits on the
    JSONDecodeError ("Unrecoverable error"), the message lost. Seen in the launcher's test: beat sends
    its first heartbeat as the worker starts polling. Written under another name (which the reader's
    `<queue>.msg` filter skips) and renamed into place, a message is either absent or whole.
    """

    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"  # kombu's own name and order
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".part"
        try:
            with open(partial, "wb") as out:
                out.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class FilesystemTransport(kombu_filesystem.Transport):
    """The embedded broker, with a stop that does not wait on its polling.

    Celery's blocking loop (synloop, used for this transport) looks at a stop request only between two
    calls of drain_events(timeout=2.0), and after the request still runs one more: with kombu's 1 s
    polling that held a stop of `make run` (SIGTERM or Ctrl+C) for 3-5 s before the worker even began
    closing. Each call waits at most DRAIN_SECONDS here, polling the folder at that interval (a listing of
    a small folder five times a second); a message arriving in between is taken as before.
    """

    Channel = FilesystemChannel
    DRAIN_SECONDS = 0.2

    def drain_events(self, connection, timeout=None):
        if timeout is not None:
            timeout = min(timeout, self.DRAIN_SECONDS)
        return super().drain_events(connection, timeout=timeout)
