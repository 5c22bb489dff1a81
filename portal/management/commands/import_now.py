from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors import kinds
from portal import tasks
from portal.imports import in_process, runs
from portal.imports.booking import folder_name
from portal.imports.summaries import result_in_active_language
from portal.management.base import PortalCommand
from portal.models import Administration
from portal.templatetags.portal_format import period
from portal.validators import parse_id, parse_month


class Command(PortalCommand):
    help = gettext_lazy("Import payroll documents now for all or some administrations, like the 'Import now' "
                        "button. Runs here and waits, unless --queue hands the work to the Celery workers.")

    def add_arguments(self, parser):
        parser.add_argument("--administration", action="append", default=[], metavar=_("ADMINISTRATION"),
                            help=_("ID or (part of the) name; repeat for several. Default: all administrations."))
        parser.add_argument("--month", metavar=_("YYYY-MM"),
                            help=_("Import that month instead of the current window (backfill)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Show what would be booked; book nothing."))
        parser.add_argument("--queue", action="store_true", help=_("Queue for the workers instead of running here."))

    def handle(self, administration, month, dry_run, queue, **options):
        chosen = self._administrations(administration)
        month_start = self._month(month)
        for item in chosen:
            self._import(item, month_start, dry_run, queue)

    def _import(self, item, month_start, dry_run, queue):
        run = runs.create_import_run(item, month=month_start, dry_run=dry_run)
        if queue:
            tasks.enqueue(run)
            self.stdout.write(_("%(administration)s: queued (run %(run)s)") % {"administration": item, "run": run.pk})
            return
        run = in_process.run_to_end(run)  # here, with the engine itself: no worker, nothing sent to the broker
        style = self.style.SUCCESS if run.status == "succeeded" else self.style.WARNING
        self.stdout.write(style(f"{item}: {run.get_status_display()} – {result_in_active_language(run)}"))
        for preview in run.dry_run_preview:
            self.stdout.write("  " + _("would book %(kind)s %(period)s: %(name)s -> %(target)s") % in_words(preview))

    def _administrations(self, wanted):
        qs = Administration.objects.select_related("domain")
        if not wanted:
            return list(qs)
        found = []
        for value in wanted:
            value = value.strip()
            if "\x00" in value:
                raise CommandError("--administration: null characters are not allowed.")
            try:
                match = qs.filter(pk=parse_id(value))
            except ValidationError:  # not an id: a (part of the) name
                match = qs.filter(name__icontains=value) if value else qs.none()
            if not match:
                raise CommandError(_("No administration matches '%(value)s'.") % {"value": value})
            found += [m for m in match if m not in found]
        return found

    def _month(self, value):
        if value is None:
            return None
        try:
            return parse_month(value)
        except ValidationError as exc:
            raise CommandError(f"--month {value}: {' '.join(exc.messages)}") from exc


def in_words(preview: dict) -> dict:
    """A dry run's preview line as the run page shows it: the document kind, the period and the Yuki folder in
    the reader's words, not the stored codes ("payslip", "2026-11", "personnel")."""
    if preview.get("folder") is not None:
        target = f"{_('Yuki folder')} {folder_name(preview['folder'])}"
    else:
        target = _("a journal entry in Yuki")
    return {**preview, "kind": kinds.label_of(preview["kind"]).lower(), "period": period(preview["period"]),
            "target": target}
