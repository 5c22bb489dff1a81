"""`YukiStore` on Redis, shared by every worker process.

Counting is one Lua script (check-and-increment is atomic on the server), so two workers can never
both take the last call of the budget. Session IDs are plain keys with a TTL; dropping one is a
compare-and-delete script, so a worker never drops the fresh session another worker just stored.
"""

from __future__ import annotations

from datetime import date

_RESERVE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then
  return -1
end
used = redis.call('INCR', KEYS[1])
if used == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return used
"""

_DROP_IF_EQUAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

COUNT_RETENTION_SECONDS = 8 * 24 * 3600  # keep a week of daily counts for the portal's overview


class RedisStore:
    def __init__(self, redis, prefix: str = "yuki:"):
        """`redis` is a redis.Redis client (decode_responses may be on or off)."""
        self.redis = redis
        self.prefix = prefix
        self._reserve = redis.register_script(_RESERVE)
        self._drop = redis.register_script(_DROP_IF_EQUAL)

    @classmethod
    def from_url(cls, url: str, prefix: str = "yuki:") -> RedisStore:
        import redis

        return cls(redis.Redis.from_url(url), prefix)

    def _count_key(self, domain_id: str, day: date) -> str:
        return f"{self.prefix}calls:{domain_id}:{day.isoformat()}"

    def _session_key(self, fingerprint: str) -> str:
        return f"{self.prefix}session:{fingerprint}"

    def reserve_call(self, domain_id: str, day: date, budget: int) -> int | None:
        used = int(self._reserve(keys=[self._count_key(domain_id, day)],
                                 args=[budget, COUNT_RETENTION_SECONDS]))
        return None if used < 0 else used

    def calls_on(self, domain_id: str, day: date) -> int:
        return int(self.redis.get(self._count_key(domain_id, day)) or 0)

    def get_session(self, fingerprint: str) -> str | None:
        value = self.redis.get(self._session_key(fingerprint))
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else value

    def set_session(self, fingerprint: str, session_id: str, ttl: int) -> None:
        self.redis.set(self._session_key(fingerprint), session_id, ex=max(1, int(ttl)))

    def drop_session(self, fingerprint: str, session_id: str) -> None:
        self._drop(keys=[self._session_key(fingerprint)], args=[session_id])
