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
