"""The daily call budget: every SOAP call counted per Yuki domain per Amsterdam calendar day.

Yuki allows 1000 calls per day per domain, summed over every application linked to it (docs/vendors/yuki.md). We stop ourselves at a lower budget (default 800) so the firm's other apps keep room,
and check it before sending: a refused call is never sent. Once Yuki itself answers that the domain's
daily limit is reached (other applications count too), that is remembered in the shared store for the
rest of the Amsterdam day: no worker sends another call for the domain until tomorrow.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from yuki_client.errors import CallBudgetExhausted, YukiDailyLimitReached

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YUKI_DAILY_LIMIT = 1000
DEFAULT_DAILY_BUDGET = 800


def amsterdam_day(now: datetime | None = None) -> date:
    """The calendar day in Europe/Amsterdam (Yuki's day); `now` must be timezone-aware if given."""
    return (now or datetime.now(AMSTERDAM)).astimezone(AMSTERDAM).date()


class CallBudget:
    def __init__(self, store, domain_id: str, daily_budget: int = DEFAULT_DAILY_BUDGET, clock=None):
        if daily_budget < 1:
            raise ValueError("the daily Yuki call budget must be at least 1")
        self.store = store
        self.domain_id = domain_id
        self.daily_budget = daily_budget
        self.clock = clock or (lambda: datetime.now(AMSTERDAM))

    def today(self) -> date:
        return amsterdam_day(self.clock())

    def reserve(self, operation: str) -> int:
        """Count one call before it is sent; CallBudgetExhausted (nothing sent) when used up."""
        day = self.today()
        used = self.store.reserve_call(self.domain_id, day, self.daily_budget)
        if used is None and self.store.limit_reached(self.domain_id, day):
            raise _not_sent(YukiDailyLimitReached(
                f"{operation} was not sent: Yuki reported earlier today ({day.isoformat()}, Europe/Amsterdam) "
                "that the daily limit of API calls for this Yuki domain is reached. The limit is shared by "
                "every application linked to the domain; calls work again tomorrow.", operation=operation))
        if used is None:
            raise CallBudgetExhausted(
                f"{operation} was not sent: the portal's daily budget of {self.daily_budget} Yuki API calls "
                f"for this Yuki domain is used up ({day.isoformat()}, Europe/Amsterdam). The budget leaves "
                f"room for the domain's other applications within Yuki's {YUKI_DAILY_LIMIT} calls a day; "
                "the import continues tomorrow, or raise the budget (YUKI_DAILY_BUDGET).",
                operation=operation, used=self.store.calls_on(self.domain_id, day), budget=self.daily_budget)
        return used

    def limit_reached(self, operation: str) -> None:
        """Yuki refused `operation` for its daily limit: remember it for the rest of the day."""
        self.store.mark_limit_reached(self.domain_id, self.today())

    def used_today(self) -> int:
        return self.store.calls_on(self.domain_id, self.today())


def calls_today(store, domain_id: str, now: datetime | None = None) -> int:
    """Calls counted today for a domain, for the portal's overview (no client needed)."""
    return store.calls_on(domain_id, amsterdam_day(now))


def _not_sent(error: YukiDailyLimitReached) -> YukiDailyLimitReached:
    error.request_sent = False  # remembered from earlier today: this call was never sent
    return error
