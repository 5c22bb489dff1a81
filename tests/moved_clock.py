"""Run any part of the suite at another moment of the year (the suite must pass on every day):

    TEST_NOW=2027-03-01T10:00+01:00 .venv/bin/python -m pytest -p tests.moved_clock tests/engine

The clock of the test process starts at TEST_NOW and ticks on from there (time-machine, started before
any test module is imported, so module-level "today"s see it too). Worker processes a test starts itself
keep the real clock; the tests with eager Celery, the sandboxes and the live server all move.
"""

from __future__ import annotations

import os

import time_machine

_traveller = None


def pytest_configure(config):
    global _traveller
    moment = os.environ.get("TEST_NOW", "")
    if moment:
        _traveller = time_machine.travel(moment, tick=True)
        _traveller.start()


def pytest_report_header(config):
    return f"clock moved to {os.environ['TEST_NOW']} (tests/moved_clock.py)" if _traveller else None


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()
