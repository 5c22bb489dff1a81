from django.conf import settings
from django.utils.translation import gettext as _

from portal.connection_checks import check_administration
from portal.management.base import PortalCommand
from portal.models import Administration


class Command(PortalCommand):
    help = "Each administration's payroll source and Yuki state, and today's Yuki call count per domain."

    def add_arguments(self, parser):
        parser.add_argument("--no-yuki", action="store_true",
                            help="Do not call Yuki (saves one call per administration from the daily budget).")

    def handle(self, no_yuki, **options):
        for administration in Administration.objects.select_related("domain"):
            result = check_administration(administration, call_yuki=not no_yuki)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{administration.domain.name} / {administration.name}"))
            for name, ok, message in result.lines:
                mark = self.style.SUCCESS(_("ok  ")) if ok else self.style.ERROR(_("FAIL"))
                self.stdout.write(f"  {mark} {name}: {message}")
            self.stdout.write("  " + _("Yuki calls today for this domain: %(calls)s of %(budget)s") % {
                "calls": result.yuki_calls_today, "budget": settings.YUKI_DAILY_BUDGET})
