"""A restart of the local run (`make run`): the simulated vendors start empty, and the portal forgets with
them what it knew of them, so a person never sees "Afgerond" runs or a green Loket tick that the
sandboxes know nothing of (README: "What a restart does"). Seen in Chromium, as a person would."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from contextlib import contextmanager

from tests.support import chromium_page
from tests.test_run_sandbox import ROOT, free_port, wait_for

# What a first run left behind: the Loket sandbox authorised, and an import that booked into the Yuki sandbox.
EARLIER_RUN = """
from django.utils import timezone
from portal.models import Administration, ImportRun, PortalSettings
from portal.models.connections import ConnectionStatus
from integrations.loket.models import LoketConnection, set_portal_connection
portal = PortalSettings.load()
set_portal_connection(portal, LoketConnection.objects.create(
    environment="sandbox", refresh_token="rt-from-the-last-run", access_token="at",
    status=ConnectionStatus.AUTHORISED, authorised_at=timezone.now()))
administration = Administration.objects.get(name="Bakkerij De Korenschoof B.V.")
ImportRun.objects.create(administration=administration, source="loket", trigger="manual", status="succeeded",
                         result="3 documenten opgehaald, 3 geboekt.", started_at=timezone.now(),
                         finished_at=timezone.now(), booked=3)
"""


@contextmanager
def local_run(tmp_path, port: int):
    env = {**os.environ, "DEBUG": "on", "SANDBOX_ENABLED": "on", "CELERY_BROKER_URL": "filesystem://localhost/",
           "CELERY_BROKER_FOLDER": str(tmp_path / "broker"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "payrollsync.settings", "PAYROLLSYNC_IGNORE_DOTENV": "1",
           "PORTAL_BASE_URL": f"http://127.0.0.1:{port}"}
    for command in (["migrate", "--noinput"], ["seed_demo"], ["shell", "-c", EARLIER_RUN]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    log = tmp_path / "run_sandbox.log"
    with log.open("w") as out:
        launcher = subprocess.Popen([sys.executable, "manage.py", "run_sandbox", "--address", f"127.0.0.1:{port}"],
                                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: "sandbox-demo" in log.read_text(), 120, "the launcher never announced the portal")
        yield log
    finally:
        launcher.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            launcher.wait(timeout=30)
        if launcher.poll() is None:
            launcher.kill()


def test_a_restart_shows_no_bookings_or_loket_tick_the_sandboxes_do_not_know(tmp_path, monkeypatch):
    port = free_port()
    with local_run(tmp_path, port) as log, chromium_page(monkeypatch, timeout_ms=30_000) as page:
        base = f"http://127.0.0.1:{port}"
        page.goto(base + "/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "sandbox-demo")
        page.locator("form button[type=submit]").click()
        page.wait_for_url(base + "/")
        page.goto(base + "/settings/")
        assert page.get_by_test_id("loket-not-connected").is_visible()
        assert not page.get_by_test_id("loket-authorised").count()
        page.goto(base + "/runs/")
        assert not page.get_by_test_id("run-log-status").count(), "no run the Yuki sandbox has no trace of"
        assert "het portaal is vergeten wat het van ze wist" in log.read_text(), "and the launcher said so"
