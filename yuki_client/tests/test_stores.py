"""Session IDs and call counts shared between workers: MemoryStore and RedisStore (atomic)."""

import multiprocessing
import uuid
from datetime import date

import pytest

from yuki_client import MemoryStore, RedisStore
from yuki_client.store import fingerprint

DAY = date(2026, 11, 30)


def redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis(host="127.0.0.1", port=6379)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture
def redis_store():
    client = redis_or_skip()
    prefix = f"test-yuki-{uuid.uuid4().hex}:"
    yield RedisStore(client, prefix=prefix)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture(params=["memory", "redis"])
def any_store(request):
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_store")


def test_calls_are_counted_up_to_the_budget_and_then_refused(any_store):
    assert [any_store.reserve_call("dom", DAY, 3) for _ in range(4)] == [1, 2, 3, None]
    assert any_store.calls_on("dom", DAY) == 3


def test_counts_are_per_domain_and_per_day(any_store):
    any_store.reserve_call("dom", DAY, 10)
    any_store.reserve_call("other", DAY, 10)
    any_store.reserve_call("dom", date(2026, 12, 1), 10)
    assert any_store.calls_on("dom", DAY) == 1
    assert any_store.calls_on("dom", date(2026, 11, 29)) == 0


def test_sessions_are_stored_and_dropped_only_if_unchanged(any_store):
    assert any_store.get_session("fp") is None
    any_store.set_session("fp", "session-1", 3600)
    assert any_store.get_session("fp") == "session-1"

    any_store.set_session("fp", "session-2", 3600)  # another worker renewed it
    any_store.drop_session("fp", "session-1")
    assert any_store.get_session("fp") == "session-2"
    any_store.drop_session("fp", "session-2")
    assert any_store.get_session("fp") is None


def test_memory_sessions_expire_after_their_ttl():
    now = [1000.0]
    store = MemoryStore(clock=lambda: now[0])
    store.set_session("fp", "s", 60)
    now[0] += 59
    assert store.get_session("fp") == "s"
    now[0] += 2
    assert store.get_session("fp") is None


def test_redis_sessions_carry_a_ttl_and_keys_hold_no_secret(redis_store):
    key_fingerprint = fingerprint("https://api.yukiworks.nl/ws/", "accessKey", "secret-access-key")
    redis_store.set_session(key_fingerprint, "s", 120)

    keys = [k.decode() for k in redis_store.redis.scan_iter(f"{redis_store.prefix}*")]
    assert keys == [f"{redis_store.prefix}session:{key_fingerprint}"]
    assert "secret-access-key" not in keys[0]
    assert 0 < redis_store.redis.ttl(keys[0]) <= 120


def _reserve_many(prefix: str, attempts: int, results) -> None:
    import redis

    store = RedisStore(redis.Redis(host="127.0.0.1", port=6379), prefix=prefix)
    results.put(sum(store.reserve_call("dom", DAY, 250) is not None for _ in range(attempts)))


def test_redis_counting_is_atomic_across_processes(redis_store):
    results = multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=_reserve_many,
                                                             args=(redis_store.prefix, 100, results))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    granted = sum(results.get(timeout=5) for _ in workers)

    assert granted == 250  # 400 attempts, budget 250: never one more
    assert redis_store.calls_on("dom", DAY) == 250
