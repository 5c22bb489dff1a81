"""Seed the one-command sandbox run: a demo administrator and demo domains wired to the sandboxes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import PortalMembership, PortalRole
from sandbox.demo import seed_demo_data

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "sandbox-demo"


class Command(BaseCommand):
    help = "Sandbox mode only: create the demo portal administrator and demo domains/administrations."

    @transaction.atomic
    def handle(self, **options):
        if not settings.SANDBOX_ENABLED:
            raise CommandError("seed_demo only runs with SANDBOX_ENABLED=on: it creates a known password.")
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "admin@example.nl"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        PortalMembership.objects.update_or_create(user=user, defaults={"role": PortalRole.ADMINISTRATOR})
        summary = seed_demo_data()
        self.stdout.write(self.style.SUCCESS(
            f"Demo portal administrator: username '{DEMO_USERNAME}', password '{DEMO_PASSWORD}'"
            + ("" if created else " (unless you changed it)")))
        for line in summary:
            self.stdout.write(f"  {line}")
