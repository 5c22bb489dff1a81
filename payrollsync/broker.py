"""kombu's Redis transport, with one crash after a lost connection turned into the connection error it is.

Seen in the chaos bench (bench/chaos_import.py, 3 of 10 nights) and in production after a Redis restart:
when the worker loses Redis, Celery collects the connection (kombu sets the transport's `client` to None)
and then closes it. Closing the channel restores its unacknowledged messages, which needs a new Redis
connection pool, built from `transport.client.hostname`: AttributeError("'NoneType' object has no
attribute 'hostname'"), which Celery does not expect there, so the worker's main process exits
("Unrecoverable error"). Raised as a Redis ConnectionError instead, Celery's own `ignore_errors` around
that close swallows it and the worker reconnects. Nothing is lost by not restoring then: Redis is gone
(or restarted), and kombu restores unacknowledged messages from Redis after the visibility timeout.

settings.py selects this transport for redis:// broker URLs (CELERY_BROKER_TRANSPORT). When kombu no
longer builds a pool from a collected connection, tests/test_broker.py says so and this can go.
"""

from __future__ import annotations

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise redis.exceptions.ConnectionError("the broker connection was already closed after it was lost")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = Channel
