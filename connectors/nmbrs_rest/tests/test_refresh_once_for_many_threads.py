"""Several threads get a 401 for the same expired token: one refresh at Nmbrs, the others take its token."""

from __future__ import annotations

import threading

from connectors.nmbrs_rest.tokens import TokenProvider
from sandbox.nmbrs_rest import data

THREADS = 6


def test_threads_with_an_expired_token_refresh_it_once(rest_app, oauth, store, make_client, monkeypatch):
    rotations: list[str] = []
    rotate = rest_app.state.rotate
    monkeypatch.setattr(rest_app.state, "rotate", lambda token: (rotations.append(token), rotate(token))[1])
    saved = threading.Event()

    def save(tokens) -> None:
        store.save(tokens)
        saved.set()

    client = make_client()
    client.token_provider = TokenProvider(oauth, store.load, save)
    everyone_refused = threading.Barrier(THREADS, timeout=20)
    first = threading.Lock()

    def after_the_401(response) -> None:
        """All threads hold their 401 before anyone refreshes; then all but one wait until the refresh is
        stored, so they ask for theirs after it (the case a lock alone does not cover)."""
        if response.status_code != 401:
            return
        everyone_refused.wait()
        if not first.acquire(blocking=False):
            assert saved.wait(timeout=20), "the first thread's refresh was never stored"

    client.http.event_hooks["response"] = [*client.http.event_hooks.get("response", []), after_the_401]
    rest_app.state.expire_access_tokens()  # the stored token still looks valid here: Nmbrs refuses it
    company = data.company_uid(rest_app.state.payroll.companies[0].id)
    answers: list[int] = []

    def call() -> None:
        answers.append(len(client.runs(company, 2026)))

    threads = [threading.Thread(target=call) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(answers) == THREADS and all(answers), answers
    assert len(rotations) == 1, f"{len(rotations)} refreshes at the sandbox for one expired token"
    assert client.token_provider.refreshes == 1
