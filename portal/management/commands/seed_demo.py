"""Seed the one-command sandbox run: a demo administrator and demo domains wired to the sandboxes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.management.base import PortalCommand
from portal.models import PortalMembership, PortalRole
from sandbox.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, demo_logins, seed_demo_data

DEMO_USERNAME = DEMO_ADMIN_USERNAME
DEMO_PASSWORD = DEMO_ADMIN_PASSWORD


class Command(PortalCommand):
    help = gettext_lazy("Sandbox mode only: create the demo portal administrator and demo domains and "
                        "administrations.")

    @transaction.atomic
    def handle(self, **options):
        if not settings.SANDBOX_ENABLED:
            raise CommandError(_("seed_demo only runs with SANDBOX_ENABLED=on: it creates a known password."))
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "admin@example.nl"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        PortalMembership.objects.update_or_create(user=user, defaults={"role": PortalRole.ADMINISTRATOR})
        summary = seed_demo_data()
        self.stdout.write(self.style.SUCCESS(_("Demo data ready.")))
        for line in summary:
            self.stdout.write(f"  {line}")
        for line in demo_logins():
            self.stdout.write(f"  {line}")
        if not created:
            self.stdout.write("  " + _("(The administrator's password stays as it was if you changed it.)"))
