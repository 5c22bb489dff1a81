from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalRole(models.TextChoices):
    """docs/vendors/loket.md: 'Portaalbeheerder' and 'Portaal backoffice' may change the portal settings."""

    ADMINISTRATOR = "administrator", _("Portal administrator")
    BACKOFFICE = "backoffice", _("Portal backoffice")


class PortalMembership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="portal_membership")
    role = models.CharField(_("portal role"), max_length=20, choices=PortalRole.choices)

    class Meta:
        verbose_name = _("portal role")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class DomainMembership(models.Model):
    """docs/vendors/loket.md: a 'Backoffice' role in a domain may set up that domain's administrations."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="domain_memberships")
    domain = models.ForeignKey("portal.Domain", on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("domain backoffice role")
        constraints = [models.UniqueConstraint(fields=["user", "domain"], name="one_membership_per_domain")]

    def __str__(self):
        return f"{self.user} – backoffice {self.domain}"
