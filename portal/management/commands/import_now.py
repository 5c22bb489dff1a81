
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from payrollsync.celery import app as celery_app
from portal.models import Administration
from portal.months import FutureMonth, parse_month
from portal.views.runs import start_import


class Command(BaseCommand):
    help = ("Import payroll documents now for all or some administrations, like the 'Import now' button. "
            "Runs here and waits, unless --queue hands the work to the Celery workers.")

    def add_arguments(self, parser):
        parser.add_argument("--administration", action="append", default=[],
                            help="ID or (part of the) name; repeat for several. Default: all administrations.")
        parser.add_argument("--month", help="YYYY-MM: import that month instead of the current window (backfill).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be booked; book nothing.")
        parser.add_argument("--queue", action="store_true", help="Queue for the workers instead of running here.")

    def handle(self, administration, month, dry_run, queue, **options):
        chosen = self._administrations(administration)
        month_start = self._month(month)
        if not queue:
            celery_app.conf.task_always_eager = True
        for item in chosen:
            run = start_import(item, None, month_start, dry_run)
            run.refresh_from_db()
            if queue:
                self.stdout.write(f"{item}: queued (run {run.pk})")
                continue
            style = self.style.SUCCESS if run.status == "succeeded" else self.style.WARNING
            self.stdout.write(style(f"{item}: {run.get_status_display()} – {run.result}"))
            for preview in run.dry_run_preview:
                self.stdout.write(f"  would book {preview['kind']} {preview['period']}: {preview['name']}"
                                  f" -> {preview['target']}")

    def _administrations(self, wanted):
        qs = Administration.objects.select_related("domain")
        if not wanted:
            return list(qs)
        found = []
        for value in wanted:
            match = qs.filter(Q(pk=int(value)) if value.isdigit() else Q(name__icontains=value))
            if not match:
                raise CommandError(f"No administration matches {value!r}.")
            found += [m for m in match if m not in found]
        return found

    def _month(self, value):
        if not value:
            return None
        try:
            return parse_month(value)
        except FutureMonth as exc:
            raise CommandError(f"{value} is in the future: there are no payroll documents for it yet.") from exc
        except ValueError as exc:
            raise CommandError("--month takes YYYY-MM, e.g. 2026-10") from exc
