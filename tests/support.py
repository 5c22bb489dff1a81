"""Test support shared by the suites: a real Celery worker on a private queue, and headless Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
# Debian's chromium by default; CHROMIUM points elsewhere (scripts/test-machine.sh reads the same variable).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def outside_env(**env) -> dict:
    """The environment for a portal process configured only by `env`: none of the test settings'
    variables (payrollsync/settings_test.py fills os.environ) leak into it."""
    return {**{key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "CHROMIUM")
               if key in os.environ}, "PAYROLLSYNC_IGNORE_DOTENV": "on", **env}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nmbrs_seed(domain_name: str, yuki_domain_id: str, administrations: list[dict]) -> str:
    """Code for `manage.py shell -c` in a portal process of its own: a domain with Nmbrs administrations
    (dicts of Administration fields) read with the Nmbrs sandbox's demo API user."""
    from sandbox.nmbrs import data

    return f"""
from portal.models import Administration, Domain
from portal.models.connections import ConnectionStatus
from integrations.nmbrs.models import NmbrsCredentials
from tests.vendor_state import make_administration

domain = Domain.objects.create(name={domain_name!r}, yuki_domain_id={yuki_domain_id!r}, payroll_link_active=True)
for fields in {administrations!r}:
    make_administration(
        domain=domain, source="nmbrs", use_portal_nmbrs_credentials=False, **fields,
        own_nmbrs_credentials=NmbrsCredentials.objects.create(
            login_email={data.DEMO_USERNAME!r}, api_token={data.DEMO_TOKEN!r}, tenant_key={data.DEMO_DOMAIN!r},
            status=ConnectionStatus.AUTHORISED))
"""


def database_url(settings) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def celery_worker(settings, *, concurrency: int = 1, pool: str = "prefork", **env):
    """A real worker process (Redis broker, the test database) on a queue of its own, so no other worker
    takes our tasks; the test process sends to that queue while it runs. Yields the process."""
    from payrollsync.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "payrollsync", "worker", f"--pool={pool}",
         f"--concurrency={concurrency}", "-Q", queue, "--without-gossip", "--without-mingle", "--loglevel=warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "payrollsync.settings_test", "DATABASE_URL": database_url(settings),
             "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "CELERY_TASK_DEFAULT_QUEUE": queue,
             **{key: str(value) for key, value in env.items()}})
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    process.queue = queue
    try:
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def heartbeat_through(queue: str, *, timeout: float = 60):
    """Send the heartbeat task to the worker on `queue` and wait for the row it writes: a task went
    through the broker and a worker process ran it. Returns the ServiceHeartbeat."""
    import time

    from portal.models import ServiceHeartbeat
    from portal.tasks import heartbeat

    source = f"through-{uuid.uuid4().hex[:8]}"
    heartbeat.apply_async(kwargs={"source": source}, queue=queue)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if beat := ServiceHeartbeat.objects.filter(name=source).first():
            return beat
        time.sleep(0.1)
    raise AssertionError("the task did not run")


def kill_task_process(worker) -> None:
    """SIGKILL the pool process running the task, as an OOM kill or a crash would."""
    import signal

    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert children, "the worker has a pool process"
    for child in children:
        os.kill(int(child), signal.SIGKILL)


@contextlib.contextmanager
def chromium_page(monkeypatch, *, timeout_ms: int = 15_000):
    """Debian's chromium driven by Playwright (no browser download), Dutch locale."""
    import pytest

    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="nl-NL")
            page.set_default_timeout(timeout_ms)
            yield page
        finally:
            browser.close()


def second_step_code(user) -> str:
    """The code `user`'s authenticator app shows now (tests.conftest.give_authenticator). A code is
    accepted once, so after a login in this 30-second step it is the next step's code (the app's clock
    may be one step ahead: django-otp's tolerance)."""
    import time

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now = (int(time.time()) - device.t0) // device.step
    drift = max(0, (device.last_t + 1 if device.last_t is not None else now) - now)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):0{device.digits}d}"


def pass_second_step(page, username: str) -> None:
    """In a browser, after the password form of someone with an authenticator app (every portal
    administrator made by tests.conftest.make_user): the second login step with the app's code now."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    page.wait_for_url("**/login/code/")
    code = second_step_code(get_user_model().objects.get(username=username))
    connections.close_all()  # the live server's threads share the test database
    page.get_by_test_id("login-code-form").get_by_label("Code").fill(code)
    page.get_by_test_id("login-code-form").locator("button[type=submit]").click()


# --- the second login step in tests -------------------------------------------------------------------
# Django's own force_login: a session that has not passed the second login step (tests/test_two_factor.py).
FORCE_LOGIN_ONLY = Client.force_login


def give_authenticator(user):
    """A confirmed authenticator app for `user` (second_step_code computes its codes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def force_login_with_second_step(client, user, backend=None):
    """Client.force_login in every test (the root conftest.py): a session that passed the second login
    step whenever the user needs one, as if the person had typed the code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from portal import two_factor

    FORCE_LOGIN_ONLY(client, user, backend)
    if two_factor.second_step_needed(user):
        device = two_factor.authenticator(user) or give_authenticator(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def authorise_portal_loket() -> None:
    """The portal's own Loket access authorised at the Loket sandbox through the real OAuth flow (the
    sandbox's login and consent pages, then the code exchanged), as a person clicking 'Verbind met Loket'.
    The sandbox must be the one LOKET_SANDBOX_URL names, with the portal's redirect URL registered."""
    from integrations.loket.access import oauth, redirect_uri, store_authorisation
    from integrations.loket.models import set_portal_connection
    from portal.models import PortalSettings
    from sandbox.loket.login import log_in_at_loket

    client = oauth()
    url, _state = client.authorization_url()
    code = log_in_at_loket(url, redirect_uri=redirect_uri())["code"]
    portal = PortalSettings.load()
    set_portal_connection(portal, store_authorisation(None, client.exchange_code(code), None))


def share_nmbrs_access():
    """The portal's own Nmbrs access (the sandbox's demo user, who sees every company): its employers are
    listed on a domain's employers page. Returns those credentials."""
    from integrations.nmbrs.models import NmbrsCredentials, set_portal_credentials
    from portal.models import PortalSettings
    from portal.models.connections import ConnectionStatus
    from sandbox.nmbrs import data

    credentials = NmbrsCredentials.objects.create(
        login_email=data.DEMO_USERNAME, api_token=data.DEMO_TOKEN, tenant_key=data.DEMO_DOMAIN,
        status=ConnectionStatus.AUTHORISED)
    set_portal_credentials(PortalSettings.load(), credentials)
    return credentials


def point_portal_at_loket(settings, sandbox_url: str) -> None:
    """The portal talks to the Loket sandbox at `sandbox_url` with the sandbox's own OAuth client."""
    settings.LOKET_ENVIRONMENT = "sandbox"
    settings.LOKET_SANDBOX_URL = sandbox_url
    settings.LOKET_CLIENT_ID = settings.LOKET_CLIENT_SECRET = ""
