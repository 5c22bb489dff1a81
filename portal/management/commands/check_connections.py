import logging

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal import deep_check
from portal.connection_checks import check_administration
from portal.management.base import PortalCommand
from portal.models import Administration


class Command(PortalCommand):
    help = gettext_lazy("Each administration's payroll source and Yuki state, and today's Yuki call count per "
                        "domain.")

    def add_arguments(self, parser):
        parser.add_argument("--no-yuki", action="store_true",
                            help=_("Do not call Yuki (saves two or three calls per administration from the daily budget)."))
        parser.add_argument("--deep", action="store_true",
                            help=_("For one administration (--administration): every read call of the import, each "
                                   "answer compared with the shapes the code expects. Books nothing, writes "
                                   "nothing."))
        parser.add_argument("--administration", metavar=_("ADMINISTRATION"),
                            help=_("With --deep: the administration's id or name."))
        parser.add_argument("--period", metavar=_("YYYY-MM"),
                            help=_("With --deep: the period to read (default: this month)."))
        parser.add_argument("--sample", metavar=_("FOLDER"),
                            help=_("With --deep: write the answers, names, amounts and personal numbers replaced, "
                                   "to this folder (for sandbox fixtures)."))

    def handle(self, *args, **options):
        # The Yuki client logs each failed call as an English warning; here its outcome is in the report, in
        # the reader's words, so the log line would only repeat it (restored afterwards, like import_now does).
        yuki_log = logging.getLogger("yuki_client")
        level = yuki_log.level
        yuki_log.setLevel(logging.ERROR)
        try:
            return self.report(*args, **options)
        finally:
            yuki_log.setLevel(level)

    def report(self, no_yuki, deep=False, administration=None, period=None, sample=None, **options):
        if deep:
            return self.deep(administration, period, sample)
        if administration or period or sample:
            raise CommandError(_("--administration, --period and --sample belong with --deep."))
        for administration in Administration.objects.select_related("domain"):
            result = check_administration(administration, call_yuki=not no_yuki)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{administration.domain.name} / {administration.name}"))
            for name, ok, message in result.lines:
                mark = self.style.SUCCESS(_("ok  ")) if ok else self.style.ERROR(_("FAIL"))
                self.stdout.write(f"  {mark} {name}: {message}")
            self.stdout.write("  " + _("Yuki calls today for this domain: %(calls)s of %(budget)s") % {
                "calls": result.yuki_calls_today, "budget": settings.YUKI_DAILY_BUDGET})

    def deep(self, text, period_text, sample):
        if not text:
            raise CommandError(_("--deep needs --administration <id or name>."))
        try:
            administration = deep_check.find_administration(text)
            period = deep_check.parse_period(period_text)
        except (deep_check.NotFound, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.MIGRATE_HEADING(
            _("Deep check of %(domain)s / %(name)s (%(source)s), period %(period)s") % {
                "domain": administration.domain.name, "name": administration.name,
                "source": administration.get_source_display(), "period": period.key}))
        report = deep_check.run(administration, period)
        styles = {"ok": self.style.SUCCESS, "warning": self.style.WARNING, "error": self.style.ERROR}
        for finding in report.findings:
            mark = styles.get(finding.level, str)(f"{deep_check.level_label(finding.level):<7}")
            self.stdout.write(f"  {mark} {finding.call}: {finding.message}")
        self.stdout.write(deep_check.summary(report))
        if sample:
            written = deep_check.write_samples(report, sample)
            self.stdout.write(ngettext("%(n)s redacted answer written to %(folder)s.",
                                       "%(n)s redacted answers written to %(folder)s.", len(written)) % {
                "n": len(written), "folder": sample})
