"""What every portal management command shares: it speaks the portal's language and knows its version.

Output follows the portal language like the screens do: Dutch by default (settings.LANGUAGE_CODE),
English with `--language en`. `--version` prints the portal's version, not Django's.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from portal.version import portal_version


class PortalCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        codes = [code for code, _ in settings.LANGUAGES]
        parser.add_argument("--language", choices=codes, default=None,
                            help=f"Language of the output: {', '.join(codes)} (default: {settings.LANGUAGE_CODE}).")
        return parser

    def get_version(self):
        return f"payrollsync {portal_version()}"

    def execute(self, *args, **options):
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            return super().execute(*args, **options)
