"""The embedded default (`make run`: one SQLite file, the filesystem broker) holds under use.

`manage.py run_sandbox` (what `make run` starts: web server, worker and beat) runs against a SQLite file
and a broker folder in a temporary directory, with the Yuki and Nmbrs sandboxes served over HTTP by this
test. Several users press "Nu importeren" for several administrations at once while others keep
reading pages. Every import must finish and book its documents, no request may fail, and neither the
web server nor the worker may meet "database is locked".
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest

from bench.bench_import import generated_companies
from sandbox.nmbrs import create_app as create_nmbrs
from sandbox.server import SandboxServer
from sandbox.yuki import create_app as create_yuki
from sandbox.yuki.data import STANDARD_GL_ACCOUNTS, SandboxAdministration, SandboxDomain
from tests.support import ROOT, free_port, nmbrs_seed, outside_env

pytestmark = pytest.mark.celery_worker

ADMINISTRATIONS = 6
PASSWORD = "embedded-run-password-1"

SEED = f"""
from django.contrib.auth import get_user_model
from portal.models import PortalMembership, PortalRole

user = get_user_model().objects.create_user("beheer", password={PASSWORD!r})
PortalMembership.objects.create(user=user, role=PortalRole.ADMINISTRATOR)
""" + nmbrs_seed("Embedded", "embedded-domain", [
    {"name": f"Embedded {index}", "yuki_administration_id": f"embedded-admin-{index}",
     "yuki_access_key": "embedded-key", "nmbrs_company_id": 60000 + index, "nmbrs_company_number": str(1000 + index)}
    for index in range(ADMINISTRATIONS)])


@pytest.fixture
def embedded_vendors():
    yuki, nmbrs = create_yuki(), create_nmbrs()
    nmbrs.state.companies.extend(generated_companies(ADMINISTRATIONS, employees=4))
    admins = [SandboxAdministration(f"embedded-admin-{index}", f"Embedded {index}", "embedded-domain",
                                    gl_accounts=dict(STANDARD_GL_ACCOUNTS)) for index in range(ADMINISTRATIONS)]
    yuki.state.register(SandboxDomain("embedded-domain", "Embedded"), admins)
    yuki.state.add_access_key("embedded-key", "embedded-domain", [a.id for a in admins])
    for app, vendor in ((yuki, "yuki"), (nmbrs, "nmbrs")):
        app.faults.add("delay", vendor=vendor, seconds=0.02, times=0)  # a little network time, as in life
    with SandboxServer(yuki) as yuki_server, SandboxServer(nmbrs) as nmbrs_server:
        yield {"YUKI_BASE_URL": yuki_server.url + "/ws/", "NMBRS_ENVIRONMENT": nmbrs_server.url + "/soap/v3/"}


@pytest.fixture
def embedded_env(tmp_path, embedded_vendors):
    """The environment `make run` sets, with the database file and broker folder in tmp_path."""
    return outside_env(**embedded_vendors, **{
            "DJANGO_SETTINGS_MODULE": "payrollsync.settings", "DEBUG": "on", "SANDBOX_ENABLED": "on", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://localhost/", "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
            "YUKI_WSDL_CACHE_DIR": str(tmp_path / "wsdl"), "YUKI_DAILY_BUDGET": "100000", "LOG_LEVEL": "WARNING"})


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=120, **kwargs)


@contextlib.contextmanager
def logged_in(base_url: str):
    with httpx2.Client(base_url=base_url, timeout=30, follow_redirects=False) as client:
        client.get("/login/")
        response = client.post("/login/", data={"username": "beheer", "password": PASSWORD,
                                                "csrfmiddlewaretoken": client.cookies["csrftoken"]})
        assert response.status_code == 302, response.text[:500]
        yield client


def test_concurrent_imports_and_page_views_hold_on_sqlite_and_the_filesystem_broker(embedded_env, tmp_path):
    manage(embedded_env, "migrate", "--noinput")
    manage(embedded_env, "shell", "-c", SEED)
    port = free_port()
    log_path = tmp_path / "run_sandbox.log"
    with open(log_path, "w") as log:
        portal = subprocess.Popen([sys.executable, "manage.py", "run_sandbox", "--address", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=embedded_env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx2.get(base_url + "/login/", timeout=2)
                break
            except httpx2.TransportError:
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.3)

        imports_done = threading.Event()

        def press_import(index: int) -> None:
            with logged_in(base_url) as client:
                page = client.get(f"/administrations/{index + 1}/")
                token = client.cookies["csrftoken"]
                response = client.post(f"/administrations/{index + 1}/import/", data={"csrfmiddlewaretoken": token})
                if page.status_code != 200 or response.status_code != 302 or "/runs/" not in response.headers["location"]:
                    failures.append(f"import {index}: {page.status_code} then {response.status_code}")
                    return
                client.get(response.headers["location"])  # the run page, as the browser follows

        def keep_reading() -> None:
            with logged_in(base_url) as client:
                while not imports_done.is_set():
                    for path in ("/", "/runs/", "/runs/?status=running", "/administrations/1/"):
                        response = client.get(path)
                        if response.status_code != 200:
                            failures.append(f"GET {path}: {response.status_code}")

        with ThreadPoolExecutor(max_workers=ADMINISTRATIONS + 3) as pool:
            readers = [pool.submit(keep_reading) for _ in range(3)]
            for future in [pool.submit(press_import, index) for index in range(ADMINISTRATIONS)]:
                future.result()
            database = sqlite3.connect(tmp_path / "db.sqlite3", timeout=30)
            deadline = time.monotonic() + 180
            try:
                while True:
                    statuses = dict(database.execute(
                        "SELECT status, COUNT(*) FROM portal_importrun GROUP BY status").fetchall())
                    if sum(statuses.values()) >= ADMINISTRATIONS and not ({"queued", "running"} & statuses.keys()):
                        break
                    if time.monotonic() > deadline:
                        failures.append(f"runs stuck: {statuses}")
                        break
                    time.sleep(1)
                entries = dict(database.execute(
                    "SELECT state, COUNT(*) FROM portal_ledgerentry GROUP BY state").fetchall())
            finally:
                imports_done.set()
                database.close()
            for reader in readers:
                reader.result()
    finally:
        portal.send_signal(signal.SIGTERM)
        try:
            portal.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(portal.pid, signal.SIGKILL)
            portal.wait()
    log = log_path.read_text()
    assert not re.search(r"database (table )?is locked", log), log[-5000:]
    assert not failures, (failures, log[-6000:])
    assert statuses == {"succeeded": ADMINISTRATIONS}, (statuses, log[-3000:])
    # Booked, or (this month's wage tax returns that are not final yet) recorded as waiting at the source.
    assert entries.get("booked") and set(entries) <= {"booked", "waiting_at_source"}, entries
    assert "Webserver, worker en planner gestopt." in log  # the launcher speaks the portal's language
