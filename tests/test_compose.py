"""docker-compose.yml, validated by a compose CLI that needs no Docker engine (`docker-compose config`,
Debian's docker-compose package, installed by `make test`), and every service's command and
healthcheck checked against what the portal offers. tests/test_production_profile.py runs the same
commands and healthchecks as processes."""

import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from portal.health import checks
from tests.support import ROOT

APP_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    compose = shutil.which("docker-compose")
    assert compose, "the docker-compose CLI is missing: `make test` installs it (scripts/test-machine.sh)"
    folder = tmp_path_factory.mktemp("compose")
    shutil.copy(ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", folder / ".env")  # what the README tells the operator to start from
    result = subprocess.run([compose, "config"], cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def command_of(service) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def seconds(duration) -> float:
    """A compose duration ("1m30s", "60s", 90) in seconds."""
    if isinstance(duration, int | float):
        return float(duration)
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 0.000001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|ms|us|m|s)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, f"not a duration: {duration!r}"
    return sum(float(n) * units[u] for n, u in parts)


def test_the_services_and_their_restart_policy(services):
    assert set(services) == {"proxy", "db", "redis"} | APP_SERVICES
    assert {name: service["restart"] for name, service in services.items()} == dict.fromkeys(services, "unless-stopped")


def test_every_service_has_a_healthcheck(services):
    for name, service in services.items():
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] == "CMD", f"{name} has no healthcheck"
    assert services["db"]["healthcheck"]["test"][1] == "pg_isready"
    assert services["proxy"]["healthcheck"]["test"][-1] == "http://127.0.0.1:2019/config/"
    assert services["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]


def test_app_healthchecks_name_checks_the_portal_has(services):
    known = set(checks())
    for name in APP_SERVICES:
        test = services[name]["healthcheck"]["test"]
        assert test[1:4] == ["python", "manage.py", "healthcheck"], name
        named = [arg for arg in test[4:] if not arg.startswith("--") and ":" not in arg]
        assert set(named) <= known, f"{name} names unknown checks {set(named) - known}"
    assert set(services["worker"]["healthcheck"]["test"][4:]) >= {"worker", "broker"}
    assert services["beat"]["healthcheck"]["test"][4:] == ["beat"]
    # The web healthcheck asks gunicorn on the port it binds.
    assert "--bind 0.0.0.0:8000" in command_of(services["web"])
    assert services["web"]["healthcheck"]["test"][4:] == ["--http", "127.0.0.1:8000"]


def test_app_commands(services):
    web, worker, beat = (command_of(services[name]) for name in ("web", "worker", "beat"))
    assert "python manage.py migrate --noinput" in web and "exec gunicorn payrollsync.wsgi" in web
    assert "exec celery -A payrollsync worker" in worker and "--beat" not in worker
    assert "exec celery -A payrollsync beat" in beat
    assert services["beat"]["deploy"]["replicas"] == 1, "exactly one beat"
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {"db": {"condition": "service_healthy"},
                                                "redis": {"condition": "service_healthy"}}
        assert services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/app/var/metrics"
        assert services[name]["environment"]["SANDBOX_ENABLED"] == "off"


def test_a_crashed_service_comes_back_and_a_stuck_one_shows_unhealthy(services):
    """A process that exits (the worker after kombu's crash on a Redis restart, a pool that could not start)
    is restarted by the policy; one that hangs is marked unhealthy within a few minutes, well before the
    heartbeat the healthcheck reads is called stale (portal/health.py), so the two agree."""
    from portal.health import HEARTBEAT_SECONDS, HEARTBEAT_STALE_AFTER

    for name, service in services.items():
        assert service["restart"] in ("unless-stopped", "always"), f"{name} is not restarted after a crash"
        check = service["healthcheck"]
        within = seconds(check["interval"]) * check["retries"] + seconds(check.get("start_period", "0s"))
        assert within <= 300, f"{name}: a hung service is marked unhealthy only after {within:.0f} s"
    worker = services["worker"]["healthcheck"]
    assert seconds(worker["interval"]) >= HEARTBEAT_SECONDS / 2
    assert HEARTBEAT_STALE_AFTER.total_seconds() > HEARTBEAT_SECONDS * 2, "one late beat is not a dead worker"


def test_the_broker_keeps_its_queue_across_a_restart(services):
    """Production Redis writes every task to its append-only file on a volume: a restart keeps the queued
    and unacknowledged tasks (the chaos bench restarts a Redis *without* this, the worst case)."""
    redis = services["redis"]
    assert "--appendonly" in redis["command"] and redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    targets = [volume["target"] if isinstance(volume, dict) else volume.split(":")[1] for volume in redis["volumes"]]
    assert "/data" in targets


def test_the_worker_may_finish_a_yuki_call_when_stopped(services):
    """`docker compose stop worker` gives a running push the time of a Yuki call before the kill: cut
    off, it would become an uncertain document."""
    from django.conf import settings

    grace = services["worker"]["stop_grace_period"]
    assert seconds(grace) >= settings.YUKI_TIMEOUT


def published(service) -> set[tuple[int, str]]:
    """The host ports a service publishes, with their protocol (compose's long form after `config`)."""
    return {(int(port["published"]), port.get("protocol", "tcp")) for port in service.get("ports", [])}


def test_only_the_https_proxy_is_published_and_gunicorn_stays_inside(services):
    """gunicorn reachable from outside let a client send its own X-Forwarded-For; now only Caddy is
    published, and gunicorn is reached over the compose network alone."""
    assert published(services["proxy"]) == {(80, "tcp"), (443, "tcp"), (443, "udp")}
    assert {name: published(service) for name, service in services.items() if name != "proxy"} == \
        dict.fromkeys(set(services) - {"proxy"}, set())
    assert all("network_mode" not in service for service in services.values())


def test_the_proxy_is_caddy_with_the_shipped_caddyfile_forwarding_to_gunicorn(services):
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    mounts = {}  # target -> (source, read only); compose v1 writes "source:target:mode", v2 a mapping
    for volume in proxy["volumes"]:
        if isinstance(volume, str):
            source, target, *mode = volume.split(":")
            mounts[target] = (source, mode == ["ro"])
        else:
            mounts[volume["target"]] = (volume["source"], volume.get("read_only", False))
    assert mounts["/etc/caddy/Caddyfile"][0].endswith("/Caddyfile") and mounts["/etc/caddy/Caddyfile"][1]
    assert mounts["/data"][0].endswith("caddydata"), "certificates survive a restart (a named volume)"
    assert proxy["environment"]["PORTAL_DOMAIN"] == "payroll.example.nl"  # from .env.example
    text = (ROOT / "Caddyfile").read_text()
    site = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert site[0] == "{$PORTAL_DOMAIN} {", "automatic HTTPS for the domain"
    assert "reverse_proxy web:8000" in site
    assert "--bind 0.0.0.0:8000" in command_of(services["web"])


def test_the_portal_trusts_forwarded_headers_from_the_compose_network_only(services):
    """The proxy connects from the compose network, whose subnet is fixed; the portal believes
    X-Forwarded-For only on connections from there (portal/login_throttle.py), not by a count."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    [config] = compose["networks"]["default"]["ipam"]["config"]
    for name in APP_SERVICES:
        assert services[name]["environment"]["TRUSTED_PROXY_ADDRESSES"] == config["subnet"], name
        assert "TRUSTED_PROXIES" not in services[name]["environment"], name
    assert "TRUSTED_PROXIES" not in (ROOT / ".env.example").read_text(), "a count alone is refused (portal.E003)"
