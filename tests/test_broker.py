"""The worker survives closing a Redis connection that was lost (payrollsync/broker.py): the exact frames of
kombu's crash after a Redis restart, seen in the chaos bench, reached here without a restart."""

import pytest
from kombu import Connection
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
