"""The production profile, run as docker-compose.yml runs it, but as processes on this machine.

gunicorn serves the WSGI app with DEBUG off, a real SECRET_KEY and Fernet keys, and whitenoise's
collected static files; a Celery worker and beat run as processes of their own; PostgreSQL (a database
of this test's own) and Redis (the suite's DBs) hold the state; the vendor sandboxes answer from a
separate process on their own port (`python -m sandbox.serve`) while the portal keeps SANDBOX_ENABLED
off. The browser's way in is a real Caddy process in front of gunicorn, with the shipped Caddyfile made
http-only on loopback (Caddy sets X-Forwarded-Proto: https, as its TLS would): the portal trusts
X-Forwarded-For only on connections from Caddy's address (TRUSTED_PROXY_ADDRESSES=127.0.0.1), and a
client that reaches gunicorn directly comes from another loopback address (127.0.0.2). Then: the health
endpoint turns green, an import goes end to end, the metrics show the worker's vendor calls, the login
lock holds against forged headers and a spray from many addresses, and every process stops cleanly on
SIGTERM.
"""

from __future__ import annotations

import email
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import psycopg
import pytest
import yaml
from cryptography.fernet import Fernet

from sandbox.yuki import data as yuki_data
from tests.support import ROOT, free_port, nmbrs_seed, outside_env

pytestmark = [pytest.mark.production_profile, pytest.mark.celery_worker]

HOST = "payroll.example.test"
HEALTH_TOKEN = secrets.token_urlsafe(24)
METRICS_TOKEN = secrets.token_urlsafe(24)

SEED = nmbrs_seed("Jansen Groep", yuki_data.DEMO_DOMAIN_ID, [
    {"name": "Bakkerij Jansen B.V.", "yuki_administration_id": yuki_data.DEMO_ADMINISTRATION_ID,
     "yuki_access_key": yuki_data.DEMO_ACCESS_KEY, "nmbrs_company_id": 50001, "nmbrs_company_number": "101"}])


# Users for the login checks (portal backoffice: no second factor needed), and an administrator who is
# told about a locked account.
USERS = """
from django.contrib.auth import get_user_model
from portal.models import PortalMembership, PortalRole
User = get_user_model()
for name, role in (("petra", PortalRole.BACKOFFICE), ("quinten", PortalRole.BACKOFFICE), ("rosa", PortalRole.BACKOFFICE),
                   ("beheer", PortalRole.ADMINISTRATOR)):
    user = User.objects.create_user(name, f"{name}@example.nl", "Een-lang-wachtwoord-2026")
    PortalMembership.objects.create(user=user, role=role)
"""
PASSWORD = "Een-lang-wachtwoord-2026"
DIRECT_CLIENT = "127.0.0.2"  # a client that reaches gunicorn without the proxy
PROXY_ADDRESS = "127.0.0.1"  # where Caddy connects to gunicorn from


def caddyfile_for_test(proxy_port: int, web_port: int) -> str:
    """The shipped Caddyfile, http-only on loopback: the site listens on every host name at proxy_port
    and forwards to this test's gunicorn; TLS is what it would add (X-Forwarded-Proto: https)."""
    shipped = (ROOT / "Caddyfile").read_text()
    assert "{$PORTAL_DOMAIN} {" in shipped and "reverse_proxy web:8000" in shipped
    site = shipped.replace("{$PORTAL_DOMAIN} {", f"http://:{proxy_port} {{\n\tbind 127.0.0.1")
    site = site.replace("reverse_proxy web:8000", f"reverse_proxy 127.0.0.1:{web_port} {{\n"
                        "\t\theader_up X-Forwarded-Proto https\n\t}")
    return "{\n\tadmin off\n}\n" + site


def log_in(base_url: str, username: str, password: str, source: str, **headers) -> int:
    """One login through the form from the loopback address `source`: the status of the POST (302: in,
    200: refused, 429: locked). Cookies are sent by hand: they are Secure, and this is plain HTTP."""
    transport = httpx2.HTTPTransport(local_address=source)
    with httpx2.Client(base_url=base_url, transport=transport, timeout=15,
                       headers={"Host": HOST, "X-Forwarded-Proto": "https", **headers}) as client:
        form = client.get("/login/")
        assert form.status_code == 200, form.status_code
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        cookie = form.cookies["csrftoken"]
        answer = client.post("/login/", data={"username": username, "password": password,
                                              "csrfmiddlewaretoken": token},
                             headers={"Cookie": f"csrftoken={cookie}", "Origin": f"https://{HOST}"})
        return answer.status_code


@pytest.fixture
def production_database(settings):
    """A PostgreSQL database of this test's own, next to the suite's test database."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_production"[:63]
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    """Started processes with their logs; `stop()` sends SIGTERM to each and returns the exit codes."""

    def __init__(self, folder: Path, env: dict):
        self.folder, self.env, self.running = folder, env, {}

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running[name] = (process, log)
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def stop(self) -> dict[str, int]:
        codes = {}
        for process, _log in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, (process, log) in self.running.items():
            try:
                codes[name] = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = f"killed after 30 s: {process.wait()}"
            log.close()
        self.running.clear()
        return codes


def wait_until(what: str, condition, timeout: float = 90, logs=lambda: ""):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except (httpx2.TransportError, psycopg.OperationalError):
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} within {timeout} s\n{logs()}"
        time.sleep(0.5)


def test_the_production_profile_serves_imports_reports_health_and_stops_cleanly(production_database, settings,
                                                                                  tmp_path):
    caddy = shutil.which("caddy")
    assert caddy, "caddy is missing: `make test` installs it (scripts/test-machine.sh)"
    vendor_port, web_port, proxy_port = free_port(), free_port(), free_port()
    vendors_url = f"http://127.0.0.1:{vendor_port}"
    queue = f"production-{secrets.token_hex(4)}"
    env = outside_env(**{
           "DJANGO_SETTINGS_MODULE": "payrollsync.settings", "DEBUG": "off", "SANDBOX_ENABLED": "off", "SECRET_KEY": secrets.token_urlsafe(50),
           "SECRET_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "ALLOWED_HOSTS": HOST,
           "DATABASE_URL": production_database, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "CACHE_URL": os.environ.get("CACHE_URL", "rediscache://127.0.0.1:6379/15"),
           "CELERY_TASK_DEFAULT_QUEUE": queue, "STATIC_ROOT": str(tmp_path / "static"),
           "YUKI_BASE_URL": f"{vendors_url}/yuki/ws/", "NMBRS_ENVIRONMENT": f"{vendors_url}/nmbrs/soap/v3/",
           "YUKI_WSDL_CACHE_DIR": str(tmp_path / "wsdl"), "HEALTH_TOKEN": HEALTH_TOKEN,
           "METRICS_ENABLED": "on", "METRICS_TOKEN": METRICS_TOKEN,
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "LOG_LEVEL": "WARNING",
           "TRUSTED_PROXY_ADDRESSES": PROXY_ADDRESS, "LOGIN_ACCOUNT_MAX_FAILURES": "8",
           "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",  # django-environ drops one slash
           # Caddy keeps its state (certificates, autosaved config) here, not in the home directory.
           "XDG_DATA_HOME": str(tmp_path / "caddy-data"), "XDG_CONFIG_HOME": str(tmp_path / "caddy-config")})
    (tmp_path / "metrics").mkdir()

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=180)
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    manage("check", "--deploy", "--fail-level", "WARNING")
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("shell", "-c", SEED)
    manage("shell", "-c", USERS)
    (tmp_path / "Caddyfile").write_text(caddyfile_for_test(proxy_port, web_port))

    processes = Processes(tmp_path, env)
    try:
        processes.start("vendors", sys.executable, "-m", "sandbox.serve", "--port", str(vendor_port))
        processes.start("web", sys.executable, "-m", "gunicorn", "payrollsync.wsgi", "--bind",
                        f"127.0.0.1:{web_port}", "--workers", "2", "--graceful-timeout", "20")
        processes.start("proxy", caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile")
        processes.start("worker", sys.executable, "-m", "celery", "-A", "payrollsync", "worker", "-Q", queue,
                        "--concurrency", "2", "--loglevel", "WARNING", "--without-gossip", "--without-mingle")
        processes.start("beat", sys.executable, "-m", "celery", "-A", "payrollsync", "beat", "--loglevel",
                        "WARNING", "--schedule", str(tmp_path / "celerybeat-schedule"))
        all_logs = lambda: "\n".join(f"--- {n}\n{processes.log(n)[-2000:]}" for n in processes.running)  # noqa: E731
        # The browser's way in: through Caddy.
        web = httpx2.Client(base_url=f"http://127.0.0.1:{proxy_port}", timeout=15, headers={"Host": HOST})

        # Health: green once the worker and beat have reported; details only with the token.
        detailed = {"Authorization": f"Bearer {HEALTH_TOKEN}"}
        body = wait_until("all health checks OK", lambda: (r := web.get("/health/", headers=detailed)).status_code
                          == 200 and r.json(), logs=all_logs)
        assert body["checks"] == dict.fromkeys(["database", "broker", "cache", "worker", "beat", "wsdl_cache"], "OK")
        assert web.get("/health/").json() == {"status": "up"}
        # docker-compose.yml's own healthchecks of web, worker and beat pass against these processes.
        compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
        for name in ("web", "worker", "beat"):
            test = compose[name]["healthcheck"]["test"]
            assert test[:2] == ["CMD", "python"]
            command = [sys.executable, *(arg.replace("127.0.0.1:8000", f"127.0.0.1:{web_port}") for arg in test[2:])]
            result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, (name, result.stdout, result.stderr)

        # The login lock behind the proxy. A client that reaches gunicorn directly picks no address with
        # X-Forwarded-For: 12 wrong passwords, each with another header, lock it; '::1' unlocks nothing.
        direct = f"http://127.0.0.1:{web_port}"
        codes = [log_in(direct, "petra", "wrong", DIRECT_CLIENT, **{"X-Forwarded-For": f"203.0.113.{n}"})
                 for n in range(1, 13)]
        assert codes == [200] * 4 + [429] * 8, codes  # the 5th failure locks (LOGIN_MAX_FAILURES)
        assert log_in(direct, "petra", PASSWORD, DIRECT_CLIENT, **{"X-Forwarded-For": "::1"}) == 429
        # Through Caddy, a header the client sends is replaced by the address Caddy saw: still one client.
        proxied = f"http://127.0.0.1:{proxy_port}"
        assert [log_in(proxied, "quinten", "wrong", "127.0.0.3", **{"X-Forwarded-For": f"198.51.100.{n}"})
                for n in range(1, 7)] == [200] * 4 + [429] * 2
        assert log_in(proxied, "quinten", PASSWORD, "127.0.0.3", **{"X-Forwarded-For": "::1"}) == 429
        # A different client is not locked out by that one ...
        assert log_in(proxied, "quinten", PASSWORD, "127.0.0.4") == 302
        # ... but a spray from many addresses locks the account (8 failures in all, LOGIN_ACCOUNT_MAX_FAILURES),
        # for every address, and its owner and the administrator are e-mailed.
        assert [log_in(proxied, "rosa", "wrong", f"127.0.0.{n}") for n in range(10, 18)] == [200] * 8
        assert log_in(proxied, "rosa", PASSWORD, "127.0.0.30") == 429
        mails = [email.message_from_bytes(path.read_bytes()) for path in sorted((tmp_path / "mail").iterdir())]
        assert sorted(mail["To"] for mail in mails) == ["beheer@example.nl", "rosa@example.nl"]
        assert {mail["Subject"] for mail in mails} == {"Inloggen geblokkeerd voor het account rosa"}
        with psycopg.connect(production_database, autocommit=True) as conn:
            addresses = {tuple(row) for row in conn.execute(
                "SELECT DISTINCT host(address), username FROM portal_loginfailure")}
        assert addresses == {(DIRECT_CLIENT, "petra"), ("127.0.0.3", "quinten")} | {
            (f"127.0.0.{n}", "rosa") for n in range(10, 18)}, addresses

        # DEBUG off: HTTPS enforced, no debug pages, no sandbox mounted in the portal.
        assert httpx2.get(f"http://127.0.0.1:{web_port}/login/", headers={"Host": HOST}).status_code == 301
        assert web.get("/login/").status_code == 200, "Caddy says the request came over HTTPS"
        missing = web.get("/does-not-exist/")
        assert missing.status_code == 404 and "Traceback" not in missing.text and "URLconf" not in missing.text
        assert web.get("/sandbox/yuki/").status_code == 404
        # whitenoise serves the collected, hashed static files with a long cache lifetime.
        login = web.get("/login/")
        assert login.status_code == 200
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login.text).group(1)
        static = web.get(stylesheet)
        assert static.status_code == 200 and "immutable" in static.headers["Cache-Control"]

        # An import end to end: queued for the worker, fetched from Nmbrs, booked in Yuki.
        manage("import_now", "--administration", "Bakkerij Jansen B.V.", "--queue")
        with psycopg.connect(production_database, autocommit=True) as conn:
            statuses = wait_until("the run finished", lambda: (rows := conn.execute(
                "SELECT status, booked FROM portal_importrun").fetchall()) and rows[0][0] not in ("queued", "running")
                and rows, logs=all_logs)
            states = dict(conn.execute("SELECT state, COUNT(*) FROM portal_ledgerentry GROUP BY state").fetchall())
        assert statuses[0][0] == "succeeded" and statuses[0][1] > 0, (statuses, all_logs())
        # Booked, or (wage tax returns not final yet) recorded as waiting at the source, never dropped.
        assert set(states) <= {"booked", "waiting_at_source"} and states["booked"] == statuses[0][1], states

        # The worker's vendor calls reach the web's /metrics/ (one multiprocess directory).
        assert web.get("/metrics/").status_code == 401
        metrics = web.get("/metrics/", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
        assert re.search(r'payrollsync_vendor_call_seconds_count\{operation="Archive.UploadDocument",'
                         r'vendor="yuki"\} [1-9]', metrics), metrics[-3000:]
        assert re.search(r'payrollsync_documents\{state="booked"\} [1-9]', metrics)
        web.close()
    finally:
        codes = processes.stop()
    assert codes == {"vendors": 0, "web": 0, "proxy": 0, "worker": 0, "beat": 0}, codes
    for name in ("web", "worker", "beat"):
        assert "Traceback" not in processes.log(name), processes.log(name)[-3000:]
