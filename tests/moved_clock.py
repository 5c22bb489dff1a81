"""Run any part of the suite at another moment of the year (the suite must pass on every day):

    TEST_NOW=2027-03-01T10:00+01:00 .venv/bin/python -m pytest -p tests.moved_clock tests/engine

The clock of the test process starts at TEST_NOW and ticks on from there (time-machine, started before
any test module is imported, so module-level "today"s see it too). Python processes the tests start (a
Celery worker) move with it: they inherit, through a `sitecustomize` put first on their PYTHONPATH, the
same offset from the real clock, so a lease a worker sets and the test reads agree.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import time_machine

_traveller = None
_SITECUSTOMIZE = '''import os, time
if os.environ.get("TEST_CLOCK_OFFSET"):
    import time_machine
    time_machine.travel(time.time() + float(os.environ["TEST_CLOCK_OFFSET"]), tick=True).start()
'''


def pytest_configure(config):
    global _traveller
    moment = os.environ.get("TEST_NOW", "")
    if not moment:
        return
    real = time.time()
    _traveller = time_machine.travel(moment, tick=True)
    _traveller.start()
    os.environ["TEST_CLOCK_OFFSET"] = str(time.time() - real)
    folder = Path(tempfile.mkdtemp(prefix="moved-clock-"))
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH", "")]))


def pytest_report_header(config):
    return f"clock moved to {os.environ['TEST_NOW']} (tests/moved_clock.py)" if _traveller else None


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()
