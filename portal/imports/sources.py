"""Fetch the documents of a plan from the administration's payroll source, as SourceDocuments.

The source is whatever the registry holds for `administration.source` (portal.sources); this module
only knows the protocol: open a session for the plan, fetch period by period, close.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from connectors.documents import DocumentKind, Period
from connectors.errors import SourceError
from connectors.kinds import label_of
from portal.effective import EffectiveSettings
from portal.sources.base import Fetched, NotYetAvailable, Plan, SourceUnavailable
from portal.sources.messages import user_message
from portal.sources.registry import source_of
from portal.sources.shared_access import refusal


def by_period(plan: Plan) -> dict[Period, list[DocumentKind]]:
    grouped: dict[Period, list[DocumentKind]] = defaultdict(list)
    for kind, periods in plan.items():
        for period in periods:
            grouped[period].append(kind)
    return dict(sorted(grouped.items()))


def fetch_documents(effective: EffectiveSettings, plan: Plan) -> Fetched:
    """The plan's documents. A permanent problem with one kind (an unbalanced journal, a missing optional
    right) does not stop the others: that kind is reported and the rest is booked. A source that cannot
    be reached at all (or refuses everything) raises SourceUnavailable."""
    source = source_of(effective.administration)
    if refused := refusal(effective.administration):  # the portal's shared access: assigned employers only
        raise SourceUnavailable(refused, transient=False)
    session = source.open(effective, plan)
    not_yet: list[str] = []
    try:
        fetched = _fetch_all(session, plan, source.name, not_yet)
    finally:
        session.close()
    if not_yet and not fetched.documents and not fetched.waiting and not fetched.problems:
        raise NotYetAvailable(" ".join(not_yet))
    fetched.problems += not_yet  # beside documents that did come, what did not is said in the result
    if fetched.problems and not fetched.documents and not fetched.waiting:
        raise SourceUnavailable(" ".join(fetched.problems), transient=False)
    return fetched


def _fetch_all(session, plan: Plan, source_name: str, not_yet: list[str]) -> Fetched:
    fetched = Fetched()
    for period, kinds in by_period(plan).items():
        try:
            _add(fetched, session.fetch(period, kinds))
        except NotYetAvailable as exc:
            not_yet.append(exc.message)
        except SourceError as exc:
            if exc.transient or len(kinds) == 1:
                _fail(fetched, exc, period, kinds, source_name)
                continue
            for kind in kinds:  # salvage what can be fetched, kind by kind
                try:
                    _add(fetched, session.fetch(period, [kind]))
                except SourceError as kind_exc:
                    _fail(fetched, kind_exc, period, [kind], source_name)
    return fetched


def _add(fetched: Fetched, result) -> None:
    if isinstance(result, Fetched):
        fetched.documents += result.documents
        fetched.problems += result.problems
        fetched.waiting += result.waiting
    else:
        fetched.documents += result


def _fail(fetched: Fetched, exc: SourceError, period: Period, kinds, source_name: str) -> None:
    if isinstance(exc, SourceUnavailable):
        fetched.problems.append(exc.message)
        return
    what = ", ".join(label_of(kind).lower() for kind in kinds)
    fetched.problems.append(_("%(vendor)s, %(what)s %(period)s: %(message)s") % {
        "vendor": source_name, "what": what, "period": period.key, "message": user_message(exc)})
