"""Start-up checks (Django's system check framework): settings that would break a promise at run time.

The push lease (IMPORT_PUSH_LEASE_SECONDS) must outlast the push task's hard time limit: the sweeper
takes an expired lease for a dead worker and turns the document into "needs a check". If a push could
still be running when its lease expires, a live push would be taken for a dead one (and a newer push of
the same document could claim it while the first is still talking to Yuki). Celery kills a task at its
hard time limit, so a lease longer than that limit can only expire after its push has ended.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# The tasks that hold a document's lease while they talk to Yuki.
LEASE_HOLDING_TASKS = ("portal.tasks.push_document", "portal.tasks.push_documents", "portal.tasks.reconcile_document")


def hard_time_limit(task) -> float | None:
    """The task's own hard limit, else the app's (CELERY_TASK_TIME_LIMIT); None when unlimited."""
    limit = getattr(task, "time_limit", None)
    if limit is None:
        limit = task.app.conf.task_time_limit
    return limit


@register(Tags.compatibility, deploy=False)
def lease_outlasts_push(app_configs=None, **kwargs) -> list[Error]:
    from portal import tasks

    lease = settings.IMPORT_PUSH_LEASE_SECONDS
    errors = []
    if settings.IMPORT_PUSH_TIME_LIMIT_SECONDS < 60:
        # portal/tasks.py warns a push 30 s before the hard limit (soft_time_limit), so it can stop cleanly.
        errors.append(Error(f"IMPORT_PUSH_TIME_LIMIT_SECONDS={settings.IMPORT_PUSH_TIME_LIMIT_SECONDS} is below "
                            "60: a push gets its soft time limit 30 s before the hard one.",
                            hint="Set IMPORT_PUSH_TIME_LIMIT_SECONDS to 60 or more.", id="portal.E002"))
    for name in LEASE_HOLDING_TASKS:
        task = getattr(tasks, name.rsplit(".", 1)[1])
        limit = hard_time_limit(task)
        if limit is None:
            errors.append(Error(
                f"The task {name} has no hard time limit, so a live push can outlast its lease "
                f"(IMPORT_PUSH_LEASE_SECONDS={lease}) and be taken for a dead one.",
                hint="Set CELERY_TASK_TIME_LIMIT (or the task's time_limit) below IMPORT_PUSH_LEASE_SECONDS.",
                id="portal.E001"))
        elif lease <= limit:
            errors.append(Error(
                f"IMPORT_PUSH_LEASE_SECONDS={lease} is not longer than the hard time limit of {name} "
                f"({limit:g} s): a push still running when its lease expires would be taken for a dead one "
                "and its document sent to a check (or claimed twice).",
                hint=f"Raise IMPORT_PUSH_LEASE_SECONDS above {limit:g}, or lower IMPORT_PUSH_TIME_LIMIT_SECONDS.",
                id="portal.E001"))
    return errors


@register(Tags.security, deploy=False)
def proxies_are_named_by_address(app_configs=None, **kwargs) -> list[Error]:
    """TRUSTED_PROXIES (a count) used to make the login lock read X-Forwarded-For from whoever connected:
    a client that reached gunicorn directly chose its own address per attempt. Only the proxies' own
    addresses (TRUSTED_PROXY_ADDRESSES) make the header trusted now; a count alone is refused, loudly,
    rather than quietly meaning something else after an upgrade."""
    if settings.TRUSTED_PROXIES and not settings.TRUSTED_PROXY_ADDRESSES:
        return [Error(
            f"TRUSTED_PROXIES={settings.TRUSTED_PROXIES} is set without TRUSTED_PROXY_ADDRESSES: a number of "
            "proxies cannot tell the proxy from a client that connects directly and sends X-Forwarded-For.",
            hint="Set TRUSTED_PROXY_ADDRESSES to the address or network (CIDR) your reverse proxy connects "
                 "from (docker-compose.yml: 172.30.250.0/24), and remove TRUSTED_PROXIES.",
            id="portal.E003")]
    if settings.TRUSTED_PROXIES:
        return [Warning(
            "TRUSTED_PROXIES is no longer used: the client address is read from X-Forwarded-For past the "
            "addresses in TRUSTED_PROXY_ADDRESSES.", hint="Remove TRUSTED_PROXIES.", id="portal.W003")]
    return []
