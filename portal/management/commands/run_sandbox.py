"""The one-command local run: the web server plus a Celery worker with the beat scheduler, together.

Owns both as child processes: Ctrl+C, SIGTERM or a closed terminal (SIGHUP) stops both, and a launcher
killed outright takes them with it (Linux), so nothing is left running in the background. A child that
exits on its own (the worker after a broker restart, a pool that could not start, a web server that
crashed) is started again after a back-off of 1, 2, 4 ... seconds (at most
MAX_BACKOFF_SECONDS), back to 1 s once it ran STABLE_SECONDS; the output says so each time. Production
runs web, worker and beat as separate services that docker-compose restarts (docker-compose.yml).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.management.base import PortalCommand
from sandbox.demo import demo_logins, forget_vendor_state


class Command(PortalCommand):
    help = gettext_lazy("Run the portal locally: web server, Celery worker and beat (sandbox mode).")

    def add_arguments(self, parser):
        # Loopback only unless told otherwise (`make run ADDRESS=0.0.0.0:8000`): this run has DEBUG on, a
        # known demo password and the open sandbox pages.
        parser.add_argument("--address", default="127.0.0.1:8000", metavar=_("HOST:PORT"),
                            help=_("Where the web server listens (default: %(default)s).") % {
                                "default": "127.0.0.1:8000"})

    def handle(self, address, **options):
        if not settings.SANDBOX_ENABLED:
            raise CommandError(_("run_sandbox is for the local sandbox run; production runs separate services."))
        if forgotten := forget_vendor_state():  # the mounted sandboxes start empty: the portal forgets too
            self.stdout.write(forgotten)
        self.stdout.write(_("Starting the web server, the worker and the scheduler ..."))
        # Quiet children: no Celery banner, only warnings and errors from the worker and beat (runs show
        # in the portal's Importlog); the web server's start-up text is replaced by the lines below, its
        # request log and errors (stderr) stay. Django's "development server" warning is hidden: this is
        # the local sandbox run, and production runs gunicorn (docker-compose.yml).
        env = {**os.environ, "DJANGO_RUNSERVER_HIDE_WARNING": "true"}
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Started as root (a container, a CI machine): Celery would print its SecurityWarning about a
            # superuser worker. This worker only handles the simulated vendors' data; the production
            # image runs as nobody (Dockerfile), where the warning does not apply.
            env["PYTHONWARNINGS"] = ",".join(filter(None, [
                env.get("PYTHONWARNINGS", ""), "ignore:You're running the worker with superuser privileges"]))
        children = [
            # One worker: no other to gossip or mingle with. Gossip on the embedded (filesystem) broker also
            # held every stop for about ten seconds.
            Child("worker", [sys.executable, "-m", "celery", "--quiet", "-A", "payrollsync", "worker", "--beat",
                             "--loglevel=warning", "--concurrency=2", "--without-gossip", "--without-mingle"],
                  env=env),  # schedule file: settings
            Child("web", [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", address],
                  env=env, stdout=subprocess.DEVNULL),
        ]
        stopping = False
        announced = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        # Ctrl+C, `kill` or a service manager, and a closed terminal (SIGHUP: the children, in groups of
        # their own, would not hear of it and keep running).
        for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, stop)
        try:
            for child in children:
                child.start()
            while not stopping:
                for child in children:
                    self._supervise(child, lambda: stopping)
                if not announced and _listening(address):
                    announced = True
                    self._announce(address)
                for _tick in range(5):  # half a second, looking at a stop request every tenth
                    if not stopping:
                        time.sleep(0.1)
        finally:
            for child in children:
                child.terminate()
            deadline = time.monotonic() + 15
            for child in children:
                child.wait_or_kill(deadline)
        self.stdout.write(_("Stopped web server, worker and scheduler."))

    def _supervise(self, child: Child, stopping) -> None:
        """Start a child again that exited on its own, after its back-off; say what happened and when."""
        now = time.monotonic()
        if child.process is not None and child.process.poll() is not None and not stopping():
            code = child.process.returncode
            child.exited(now)
            self.stderr.write(child.exit_message(code))
        if child.process is None and child.restart_at is not None and now >= child.restart_at and not stopping():
            child.start()
            self.stdout.write(child.restart_message())

    def _announce(self, address):
        """The address and the demo logins, once the web server answers."""
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Portal: %(url)s") % {"url": settings.PORTAL_BASE_URL + "/"}) + "   "
                          + _("(Ctrl+C stops the web server, the worker and the scheduler)"))
        for line in demo_logins():
            self.stdout.write(f"  {line}")
        self.stdout.write("")


def _listening(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=0.5).close()
        return True
    except OSError:
        return False


# The first restart waits 1 s, each next one twice as long, at most this long; a child that has run
# STABLE_SECONDS since its last start counts as well again (its next failure waits 1 s again).
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = float(os.environ.get("RUN_SANDBOX_MAX_BACKOFF", 60))
STABLE_SECONDS = float(os.environ.get("RUN_SANDBOX_STABLE_SECONDS", 60))


class Child:
    """One supervised process ("worker": the Celery worker with beat; "web": the web server)."""

    def __init__(self, role: str, argv: list[str], **popen):
        self.role, self.argv, self.popen = role, argv, popen
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.backoff = self.delay = FIRST_BACKOFF_SECONDS
        self.restart_at: float | None = None

    def start(self) -> None:
        # In a process group of its own: Ctrl+C in the terminal reaches the launcher alone, which stops each
        # child with SIGTERM, as on a SIGTERM to the launcher: one way to stop, said once. (In the terminal's
        # group the worker also took the SIGINT itself, began its stop twice and offered a "cold shutdown"
        # on a second Ctrl+C that would cut running pushes off.)
        self.process = subprocess.Popen(self.argv, process_group=0, preexec_fn=_stop_with_the_launcher, **self.popen)
        self.started_at = time.monotonic()
        if self.restart_at is not None:
            self.restarts += 1
        self.restart_at = None

    def exited(self, now: float) -> None:
        """The process ended on its own: plan its restart after the back-off (reset when it ran stably)."""
        self.process = None
        if now - self.started_at >= STABLE_SECONDS:
            self.backoff = FIRST_BACKOFF_SECONDS
        self.delay = self.backoff
        self.restart_at = now + self.delay
        self.backoff = min(self.backoff * 2, MAX_BACKOFF_SECONDS)

    def exit_message(self, code: int) -> str:
        how = (_("signal %(name)s") % {"name": signal.Signals(-code).name} if code < 0 and -code in _SIGNALS
               else _("exit code %(code)s") % {"code": code})
        if self.role == "worker":
            text = _("The worker and the scheduler stopped unexpectedly (%(how)s); starting them again in %(delay)s s.")
        else:
            text = _("The web server stopped unexpectedly (%(how)s); starting it again in %(delay)s s.")
        return text % {"how": how, "delay": f"{self.delay:g}"}

    def restart_message(self) -> str:
        if self.role == "worker":
            text = _("The worker and the scheduler were started again (restart %(n)s).")
        else:
            text = _("The web server was started again (restart %(n)s).")
        return text % {"n": self.restarts}

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_or_kill(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()


_SIGNALS = {int(sig) for sig in signal.Signals}


def _stop_with_the_launcher() -> None:
    """In the child before it starts (Linux): SIGTERM when the launcher dies without stopping it (SIGKILL, a
    crash), as its process group's signal used to bring; elsewhere nothing (the launcher stops it itself)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
