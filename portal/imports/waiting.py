"""Documents the source shows but that are not bookable yet: recorded, counted, shown, never dropped.

A source hands them over as `WaitingDocument`s (in `Fetched.waiting`), under the ledger key the
document will have once it can be booked. The ledger keeps them as `waiting_at_source` with the reason
and the vendor's own status text; the import that later fetches the document books that same row
(portal.imports.ledger.record), once. A status text the code does not know becomes one notice naming
it, the first time any administration shows it, so a real account's values are seen on day one.
"""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from connectors import kinds
from connectors.documents import WaitingDocument, WaitReason
from portal import notifications
from portal.imports.ledger import add_event
from portal.models import Administration, EntryState, EventKind, ImportRun, LedgerEntry, Notice, NoticeLevel
from portal.sources.registry import get as source_named


def reason_text(reason: str, status: str) -> str:
    """Why, in words, with the vendor's own status text."""
    if reason == WaitReason.NOT_FINAL:
        return _("status '%(status)s' is not final yet") % {"status": status}
    if reason == WaitReason.UNKNOWN_STATUS:
        return _("status '%(status)s' is unknown to the portal") % {"status": status}
    if reason == WaitReason.FILTERED:
        return _("status '%(status)s' is not selected in the import settings") % {"status": status}
    if reason == WaitReason.NOT_READY:  # an asynchronous document the source had not finished making
        return _("the payroll source is still making the file; the next import asks for it again")
    return _("the payroll source's answer could not be read")


def report_fetched(report, label: str, period, documents: list, waiting: list) -> None:
    """A deep check's findings for one kind (integrations/<source>/deep_check.py): how many documents
    are readable, how many wait and why; a period without any is a warning."""
    # The kind is the finding's label; the counts follow no noun, so no "1 journaalposten".
    report.add("ok", label, _("For %(period)s: %(n)s readable, %(w)s waiting at the source.") % {
        "n": len(documents), "period": period.key, "w": len(waiting)})
    if not documents and not waiting:
        report.add("warning", label, _("The source shows no %(what)s for %(period)s: expected some if this "
                                       "period's payroll has run.") % {"what": label, "period": period.key})
    for item in waiting:
        level = "warning" if item.reason in (WaitReason.UNKNOWN_STATUS, WaitReason.UNREADABLE) else "ok"
        report.add(level, label, f"{item.title}: {reason_text(item.reason, item.status)}")


def line(group: dict) -> str:
    """One line of the run page: "2 loonaangiften wachten: status 'Verzonden' is nog niet definitief"."""
    # "2 loonaangiften wachten": the count and the kind together (its `waits`), so each language inflects both.
    return _("%(what)s: %(why)s") % {"what": kinds.get(group["kind"]).waits % {"n": group["n"]},
                                     "why": reason_text(group["reason"], group["status"])}


def groups(waiting: list[WaitingDocument]) -> list[dict]:
    counted = Counter((str(w.kind), w.reason.value, w.status) for w in waiting)
    return [{"kind": kind, "reason": reason, "status": status, "n": n}
            for (kind, reason, status), n in sorted(counted.items())]


def record(administration: Administration, waiting: WaitingDocument, run: ImportRun | None) -> bool:
    """Record one waiting document. False when the ledger already has it in another state (booked, or
    on its way): then the document the source delivered earlier stands, and nothing waits."""
    key = {"administration": administration, "source": waiting.source, "kind": str(waiting.kind),
           "source_id": waiting.source_id, "period": waiting.period.key}
    fields = {"wait_reason": waiting.reason.value, "source_status": waiting.status[:100]}
    why = reason_text(waiting.reason, waiting.status) + (f" ({waiting.detail})" if waiting.detail else "")
    for _attempt in range(2):
        try:
            with transaction.atomic():
                entry = LedgerEntry.objects.select_for_update().filter(**key).first()
                if entry is None:
                    entry = LedgerEntry.objects.create(**key, **fields, title=waiting.title[:300], content_hash="",
                                                       state=EntryState.WAITING_AT_SOURCE, last_run=run)
                    add_event(entry, EventKind.WAITING_AT_SOURCE, run, _("Waits at the payroll source: %(why)s.") % {
                        "why": why})
                    return True
                if entry.state != EntryState.WAITING_AT_SOURCE:
                    return False
                changed = any(getattr(entry, name) != value for name, value in fields.items())
                for name, value in fields.items():
                    setattr(entry, name, value)
                entry.last_run = run
                entry.save(update_fields=[*fields, "last_run", "updated_at"])
                if changed:
                    add_event(entry, EventKind.WAITING_AT_SOURCE, run, _("Waits at the payroll source: %(why)s.") % {
                        "why": why})
                return True
        except IntegrityError:
            continue  # recorded by a concurrent run between our read and insert: read it again
    raise RuntimeError(f"could not record waiting {waiting.source_id}")


def still_waiting(administration: Administration, waiting: list[WaitingDocument]) -> list[WaitingDocument]:
    """For a dry run (which records nothing): the ones the ledger does not already hold otherwise."""
    settled = set(LedgerEntry.objects.filter(administration=administration).exclude(
        state=EntryState.WAITING_AT_SOURCE).filter(source_id__in=[w.source_id for w in waiting])
        .values_list("source", "kind", "source_id", "period"))
    return [w for w in waiting if (w.source, str(w.kind), w.source_id, w.period.key) not in settled]


def take_in(run: ImportRun, waiting: list[WaitingDocument], *, dry_run: bool = False) -> None:
    """Record the run's waiting documents (a dry run only counts them), put them in the run's totals,
    and report a status the code does not know, once."""
    administration = run.administration
    if dry_run:
        shown = still_waiting(administration, waiting)
    else:
        shown = [w for w in waiting if record(administration, w, run)]
    ImportRun.objects.filter(pk=run.pk).update(waiting_at_source=len(shown), source_waiting=groups(shown))
    for item in shown:
        if item.reason == WaitReason.UNKNOWN_STATUS:
            _notice_once(run, item)


def _notice_once(run: ImportRun, item: WaitingDocument) -> None:
    """One notice per status text never seen before (per source and kind), for the whole portal: it
    names the text, so the code's table of statuses can learn it (docs/vendors/)."""
    key = f"source-status:{item.source}:{item.kind}:{' '.join(item.status.split()).casefold()}"[:200]
    if Notice.objects.filter(key=key).exists():
        return
    notifications.notify(
        title=_("%(source)s shows an unknown status: '%(status)s'") % {"source": source_named(item.source).name,
                                                                       "status": item.status},
        message=_("%(administration)s: %(line)s. The portal does not know this status, so the document is "
                  "not booked; it waits until a developer adds the status to the source's table of statuses.")
        % {"administration": run.administration.name, "line": line(
            {"kind": str(item.kind), "reason": item.reason.value, "status": item.status, "n": 1})},
        key=key, level=NoticeLevel.WARNING, administration=run.administration, run=run,
        link=reverse("portal:run", args=[run.pk]))
