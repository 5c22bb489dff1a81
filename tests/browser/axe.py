"""Running axe-core on a Playwright page. The engine is the axe.min.js that the axe-playwright-python
package ships (Mozilla Public License 2.0, Deque Systems); nothing is downloaded at run time."""

from __future__ import annotations

from dataclasses import dataclass

BLOCKING = ("serious", "critical")


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self):
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets[:4])}"


def violations(page) -> list[Violation]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [Violation(v["id"], v.get("impact") or "", v["help"], [", ".join(n["target"]) for n in v["nodes"]])
            for v in results.response["violations"]]


def blocking(found: list[Violation]) -> list[Violation]:
    return [v for v in found if v.impact in BLOCKING]
