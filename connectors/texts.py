"""Texts for people in connectors/: English msgids that the portal shows in the reader's language.

connectors/ are Django-free libraries, so they cannot call Django's gettext themselves: the portal
hands its translation functions over at start-up (`install`, from portal/apps.py) and every text
marked here goes through the portal's catalog (locale/), one mechanism for every text. Used on its
own, a connector speaks English. The names match gettext's, so `makemessages` extracts these texts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

_gettext: Callable[[str], str] = lambda text: text  # noqa: E731
_ngettext: Callable[[str, str, int], str] = lambda singular, plural, n: singular if n == 1 else plural  # noqa: E731
_format_date: Callable[[date], str] = date.isoformat
_format_period: Callable[[str], str] = str


def install(gettext_function: Callable[[str], str], ngettext_function: Callable[[str, str, int], str],
            format_date: Callable[[date], str] | None = None,
            format_period: Callable[[str], str] | None = None) -> None:
    global _gettext, _ngettext, _format_date, _format_period
    _gettext, _ngettext = gettext_function, ngettext_function
    if format_date is not None:
        _format_date = format_date
    if format_period is not None:
        _format_period = format_period


def format_date(value: date) -> str:
    """A date the way the reader writes it (30-11-2026 in Dutch), once the portal has installed its formats."""
    return _format_date(value)


def format_period(key: str) -> str:
    """A period key ('2026-12') the way the reader writes it ('december 2026' in Dutch), once the portal has
    installed its formats; on its own, the key itself."""
    return _format_period(key)


def gettext(text: str) -> str:
    return _gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _ngettext(singular, plural, n)


class LazyText(str):
    """An English text that turns into the reader's language whenever it is shown (str(), %, format)."""

    def __str__(self) -> str:
        return gettext(str.__str__(self))

    def __mod__(self, params) -> str:
        return str(self) % params

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def gettext_lazy(text: str) -> LazyText:
    return LazyText(text)


def gettext_noop(text: str) -> str:
    """Marks a text for the catalog without translating it now (a table's texts, translated when shown)."""
    return text


class LazyPlural:
    """A text with a singular and a plural, chosen by the number under `key` when it is filled in:
    `ngettext_lazy("%(n)s payslip waits", "%(n)s payslips wait", "n") % {"n": 2}` (as Django's)."""

    def __init__(self, singular: str, plural: str, key: str):
        self.singular, self.plural, self.key = singular, plural, key

    def __mod__(self, params: dict) -> str:
        return ngettext(self.singular, self.plural, params[self.key]) % params


def ngettext_lazy(singular: str, plural: str, key: str) -> LazyPlural:
    return LazyPlural(singular, plural, key)
