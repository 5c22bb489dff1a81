"""`manage.py healthcheck [check ...]`: run the health checks here and exit 1 if one fails (docker-compose
healthchecks of the worker and beat); `--http ADDRESS` asks a running web server's /health/ instead."""

import asyncio
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.health import checks, run_checks
from portal.management.base import PortalCommand


class Command(PortalCommand):
    help = gettext_lazy("Run the portal's health checks (all, or the ones named) and exit 1 if one fails.")

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar=_("CHECK"),
                            help=_("Any of: %(checks)s.") % {"checks": ", ".join(checks())})
        parser.add_argument("--http", metavar=_("HOST:PORT"),
                            help=_("Ask the web server at this address (GET /health/) instead."))

    def handle(self, names, http, **options):
        if http:
            return self._ask(http)
        unknown = set(names) - set(checks())
        if unknown:
            raise CommandError(ngettext("Unknown check: %(unknown)s; known: %(known)s.",
                                        "Unknown checks: %(unknown)s; known: %(known)s.", len(unknown)) % {
                "unknown": ", ".join(sorted(unknown)), "known": ", ".join(checks())})
        results = asyncio.run(run_checks(names or None))
        self.stdout.write(json.dumps(results))
        if any(value != "OK" for value in results.values()):
            raise SystemExit(1)

    def _ask(self, address: str) -> None:
        # As a proxy would ask: the public host name and HTTPS (else HTTPS redirects and host checks refuse).
        host = next((h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "localhost")
        request = urllib.request.Request(f"http://{address}/health/",
                                         headers={"Host": host, "X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own address
                self.stdout.write(response.read().decode())
        except urllib.error.HTTPError as exc:
            self.stdout.write(exc.read().decode(errors="replace"))
            raise SystemExit(1) from exc
        except OSError as exc:
            self.stderr.write(_("No answer from %(url)s: %(error)s") % {"url": f"http://{address}/health/",
                                                                          "error": exc})
            raise SystemExit(1) from exc
