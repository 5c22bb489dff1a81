import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import two_factor
from portal.management.base import PortalCommand
from portal.models import PortalMembership, PortalRole


class Command(PortalCommand):
    help = gettext_lazy("Create (or reset) a portal administrator, the first user of a new installation.")

    def add_arguments(self, parser):
        parser.add_argument("username", metavar=_("USERNAME"), help=_("The administrator's user name."))
        parser.add_argument("--email", default="", metavar=_("EMAIL"),
                            help=_("The administrator's e-mail address (optional)."))
        parser.add_argument("--password", metavar=_("PASSWORD"), help=_("Default: a random password, printed once."))
        parser.add_argument("--reset", action="store_true",
                            help=_("Reset the password of an existing user, and switch the second login step "
                                   "off: the administrator sets up a new app at the next login."))

    @transaction.atomic
    def handle(self, username, email, password, reset, **options):
        User = get_user_model()
        try:
            # The same rules as the user form: Django's username rules, a valid e-mail address.
            username = User.normalize_username(username)
            User._meta.get_field("username").clean(username, None)
            if email:
                validate_email(email)
            if password:
                validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        password = password or secrets.token_urlsafe(12)
        user = User.objects.filter(username=username).first()
        if user and not reset:
            raise CommandError(_("User '%(username)s' exists; use --reset to set a new password.") % {
                "username": username})
        if user is None:
            user = User(username=username, email=email)
        user.is_active = True
        user.set_password(password)
        user.save()
        PortalMembership.objects.update_or_create(user=user, defaults={"role": PortalRole.ADMINISTRATOR})
        # A lost phone and lost recovery codes: the way back in is a reset here, on the server.
        two_factor.remove(user)
        self.stdout.write(self.style.SUCCESS(_("Portal administrator '%(username)s', password: %(password)s") % {
            "username": username, "password": password}))
        if not two_factor.exempt_from_requirement():
            self.stdout.write(_("At the first login the administrator sets up the second login step: an "
                                "authenticator app on a phone."))
