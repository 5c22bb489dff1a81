"""`YukiStore` on Redis, shared by every worker process.

Counting is one Lua script (check-and-increment is atomic on the server), so two workers can never
both take the last call of the budget; it also refuses every call on a day Yuki itself reported its
daily limit reached. Session IDs are plain keys with a TTL; dropping one is a
compare-and-delete script, so a worker never drops the fresh session another worker just stored.
"""

from __future__ import annotations

from datetime import date

_RESERVE = """
if redis.call('EXISTS', KEYS[2]) == 1 then
  return -1
end
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

# SET NX then GET in one script: the first stored session wins, every caller gets the winner.
_ADD_SESSION = """
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
return redis.call('GET', KEYS[1])
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
        self._add = redis.register_script(_ADD_SESSION)

    @classmethod
    def from_url(cls, url: str, prefix: str = "yuki:") -> RedisStore:
        import redis

        return cls(redis.Redis.from_url(url), prefix)

    def _count_key(self, domain_id: str, day: date) -> str:
        return f"{self.prefix}calls:{domain_id}:{day.isoformat()}"

    def _limit_key(self, domain_id: str, day: date) -> str:
        return f"{self.prefix}limit:{domain_id}:{day.isoformat()}"

    def _session_key(self, fingerprint: str) -> str:
        return f"{self.prefix}session:{fingerprint}"

    def reserve_call(self, domain_id: str, day: date, budget: int) -> int | None:
        used = int(self._reserve(keys=[self._count_key(domain_id, day), self._limit_key(domain_id, day)],
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

    def add_session(self, fingerprint: str, session_id: str, ttl: int) -> str:
        value = self._add(keys=[self._session_key(fingerprint)], args=[session_id, max(1, int(ttl))])
        return value.decode() if isinstance(value, bytes) else value

    def drop_session(self, fingerprint: str, session_id: str) -> None:
        self._drop(keys=[self._session_key(fingerprint)], args=[session_id])

    def mark_limit_reached(self, domain_id: str, day: date) -> None:
        # Kept two days: long enough to outlive the Amsterdam day whatever the server's clock says.
        self.redis.set(self._limit_key(domain_id, day), 1, ex=2 * 24 * 3600)

    def limit_reached(self, domain_id: str, day: date) -> bool:
        return bool(self.redis.exists(self._limit_key(domain_id, day)))
