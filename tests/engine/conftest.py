"""The import engine against the Nmbrs/Loket/Yuki sandboxes over real HTTP (their fixtures: tests/conftest.py).

The Yuki sandbox's own record (`yuki.app.state.journals` / `.archive`) is the judge of what was booked
(tests/engine/outcome.py reads it). Celery runs eagerly in the test process here; tests that need a real
worker ask for the `worker` fixture.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from portal.models import Administration
from sandbox.yuki import data as yuki_data


@pytest.fixture
def korenschoof(transactional_db, yuki, loket, eager_celery):
    """The demo's Loket administration, with the portal's Loket connection authorised at the sandbox."""
    from sandbox.demo import seed_demo_data
    from tests.support import authorise_portal_loket

    seed_demo_data()
    authorise_portal_loket()
    return Administration.objects.get(yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID)


@pytest.fixture
def shared_nmbrs(transactional_db, nmbrs, yuki, eager_celery):
    """The portal's own Nmbrs access (the sandbox's demo user, who sees every company)."""
    from tests.support import share_nmbrs_access

    return share_nmbrs_access()


@pytest.fixture
def noon_today():
    """Today at 12:00 in Amsterdam, the clock ticking from there: a test that imports 'this month' (as the
    sandboxes serve it) and counts Yuki's calls per day cannot cross midnight halfway, whatever hour the
    suite runs (CI starts near midnight)."""
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(noon, tick=True) as traveller:
        yield traveller
