"""Yuki sandbox: Accounting, Archive and Pettycash served over real HTTP (see sandbox/README.md).

`create_app()` returns the WSGI app, seeded with the domains and keys of `sandbox.yuki.data`;
`app.state` holds what it received, `app.faults` makes it misbehave.
"""

from __future__ import annotations

from sandbox.faults import FaultInjector
from sandbox.yuki.app import YukiSandbox
from sandbox.yuki.data import seed
from sandbox.yuki.state import SandboxState


def create_app(faults: FaultInjector | None = None, state: SandboxState | None = None) -> YukiSandbox:
    if state is None:
        state = SandboxState()
        seed(state)
    return YukiSandbox(faults=faults, state=state)


__all__ = ["create_app", "YukiSandbox", "SandboxState"]
