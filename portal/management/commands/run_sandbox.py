"""The one-command local run: the web server plus a Celery worker with the beat scheduler, together.

Owns both as child processes: Ctrl+C (or SIGTERM) stops both, and if one dies the other is stopped
too, so nothing is left running in the background. For local use only (`make run`); production runs
web, worker and beat as separate services (docker-compose.yml).
"""

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
from sandbox.demo import demo_logins


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
            subprocess.Popen([sys.executable, "-m", "celery", "--quiet", "-A", "payrollsync", "worker", "--beat",
                              "--loglevel=warning", "--concurrency=2", "--schedule=var/celerybeat-schedule"],
                             env=env),
            subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", address],
                             env=env, stdout=subprocess.DEVNULL),
        ]
        stopping = False
        announced = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                if not announced and _listening(address):
                    announced = True
                    self._announce(address)
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write(_("Stopped web server, worker and scheduler."))

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
