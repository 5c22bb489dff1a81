"""The one-command local run: the web server plus a Celery worker with the beat scheduler, together.

Owns both as child processes: Ctrl+C (or SIGTERM) stops both, and if one dies the other is stopped
too, so nothing is left running in the background. For local use only (`make run`); production runs
web, worker and beat as separate services (docker-compose.yml).
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the portal locally: web server, Celery worker and beat (sandbox mode)."

    def add_arguments(self, parser):
        # Loopback only unless told otherwise (`make run ADDRESS=0.0.0.0:8000`): this run has DEBUG on, a
        # known demo password and the open sandbox pages.
        parser.add_argument("--address", default="127.0.0.1:8000")

    def handle(self, address, **options):
        if not settings.SANDBOX_ENABLED:
            raise CommandError("run_sandbox is for the local sandbox run; production runs separate services.")
        children = [
            subprocess.Popen([sys.executable, "-m", "celery", "-A", "payrollsync", "worker", "--beat",
                              "--loglevel=info", "--concurrency=2", "--schedule=var/celerybeat-schedule"]),
            subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", address]),
        ]
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
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
        self.stdout.write("Stopped web server, worker and scheduler.")
