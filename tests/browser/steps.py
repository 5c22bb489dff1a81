"""Small steps the journeys share."""

from __future__ import annotations


def wait_for_text(page, testid: str, pattern: str, timeout: int = 60_000) -> None:
    """Wait, without reloading, until the element with data-testid `testid` matches `pattern` (a regex)."""
    page.wait_for_function(
        "([id, source]) => { const el = document.querySelector(`[data-testid=\"${id}\"]`);"
        " return el && new RegExp(source).test(el.innerText); }", arg=[testid, pattern], timeout=timeout)


def field_value(page, selector: str) -> str:
    return page.locator(selector).input_value()

