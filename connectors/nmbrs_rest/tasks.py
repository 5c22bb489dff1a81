"""Many document tasks at once: start them all, then poll every unfinished one per round.

docs/vendors/nmbrs-rest.md, "Documents are tasks": each document call answers a task id, and
`GET /api/documents/{taskId}` answers 202 until the file is ready. Tasks run side by side on a small
thread pool (one httpx2 client, thread-safe); polling goes in rounds with a growing pause (bounded),
so N documents cost N starts plus N polls per round rather than N waits one after another. A task
not ready by `max_wait` is returned without content: the caller makes it a waiting document.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from connectors.nmbrs_rest.client import NmbrsRestClient

BEING_PROCESSED = "Document is being processed"  # the spec's text for a 202 (the status a waiting item shows)


@dataclass(frozen=True)
class Polling:
    first_delay: float = 0.5  # pause after the first round of polls
    max_delay: float = 5.0  # the pause doubles up to this
    max_wait: float = 120.0  # from the first poll: a task not ready by then waits for a later import
    concurrency: int = 8  # calls in flight at once


DEFAULT_POLLING = Polling()


@dataclass(frozen=True)
class TaskRequest:
    key: Hashable  # the caller's name for the document
    path: str
    params: dict


@dataclass(frozen=True)
class TaskOutcome:
    task_id: str
    content: bytes | None  # None: not ready within max_wait
    polls: int
    waited: float  # seconds from the first poll to the last

    @property
    def ready(self) -> bool:
        return self.content is not None


def run_tasks(client: NmbrsRestClient, requests: Iterable[TaskRequest], polling: Polling = DEFAULT_POLLING, *,
              sleep: Callable[[float], None] = time.sleep,
              clock: Callable[[], float] = time.monotonic) -> dict[Hashable, TaskOutcome]:
    """Every request's outcome by its key. An error of any call (after the client's retries) propagates."""
    requests = list(requests)
    if not requests:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(polling.concurrency, len(requests))),
                            thread_name_prefix="nmbrs-rest-task") as pool:
        task_ids = dict(zip([r.key for r in requests],
                            pool.map(lambda r: client.start_task(r.path, r.params), requests), strict=True))
        pending = dict(task_ids)
        polls = dict.fromkeys(task_ids, 0)
        done: dict[Hashable, TaskOutcome] = {}
        began = clock()
        delay = polling.first_delay
        while True:
            keys = list(pending)
            for key, content in zip(keys, pool.map(lambda k: client.document(pending[k]), keys), strict=True):
                polls[key] += 1
                if content is not None:
                    done[key] = TaskOutcome(pending.pop(key), content, polls[key], clock() - began)
            if not pending or clock() - began + delay > polling.max_wait:
                break
            sleep(delay)
            delay = min(delay * 2, polling.max_delay)
    for key, task_id in pending.items():
        done[key] = TaskOutcome(task_id, None, polls[key], clock() - began)
    return done
