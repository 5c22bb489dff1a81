"""The one-command run's launcher stops the web server, worker and beat together (nothing left behind)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_sigterm_stops_web_worker_and_beat(tmp_path):
    port = free_port()
    env = {**os.environ, "DEBUG": "on", "SANDBOX_ENABLED": "on", "CELERY_BROKER_URL": "filesystem://localhost/",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_SETTINGS_MODULE": "payrollsync.settings",
           "PAYROLLSYNC_IGNORE_DOTENV": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    log = tmp_path / "run_sandbox.log"
    with log.open("w") as out:
        launcher = subprocess.Popen([sys.executable, "manage.py", "run_sandbox", "--address", f"127.0.0.1:{port}"],
                                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the web server did not start")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "sandbox-demo" not in log.read_text():
            time.sleep(0.2)
        time.sleep(3)  # the worker's own start-up (where Celery would warn) runs beside the web server's
        started = children_of(launcher.pid)
        assert len(started) == 2, "a worker (with beat) and a web server"
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    output = log.read_text()
    assert "Webserver, worker en planner gestopt." in output, "Dutch, the portal language"
    # Quiet and useful: what it does, then the address and the demo logins; no banner, no warning.
    assert "De webserver, de worker en de planner starten ..." in output
    assert "Portaal: http://localhost:8000/" in output
    assert "Portaalbeheerder: admin / sandbox-demo" in output
    assert "Warning" not in output and "WARNING" not in output, output
    assert "celery@" not in output and "Django version" not in output, "no start-up banners"
    for pid in started:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
